import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BUSY_TIMEOUT_MS, DATABASE_FILE } from '../../src/store/store.js';
import { openStore } from '../../src/store/open-store.js';
import { writeJsonl } from '../helpers/articles.js';
import { runCli } from '../helpers/run-cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const SLOW = 120_000;
const QUESTION = '特斯拉上海储能超级工厂用了多久建成?';
const newsdesk = runCli;
const articleCount = async (dataDir: string) => {
  const store = await openStore({ dataDir });
  try {
    return await store.articleCount();
  } finally {
    await store.close();
  }
};

describe('newsdesk ask', () => {
  it('answers from the bundled samples with --samples, indexing them into a demo directory of their own, never the data directory', async () => {
    const dataDir = tempDir();
    const { stdout, stderr, status } = await newsdesk(['ask', '--samples', QUESTION], { dataDir });
    expect(status).toBe(0);
    expect(stderr).toContain(`Indexed the bundled sample news into ${join(dataDir, 'demo')}`);
    expect(stdout).toMatch(/7个月即竣工/);
    expect(stdout).toMatch(/三里河 · 2025-02-14/);
    expect(existsSync(join(dataDir, 'newsdesk.db')) ? await articleCount(dataDir) : 0).toBe(0);
    const again = await newsdesk(['ask', '--samples', QUESTION], { dataDir });
    expect(again.stderr).not.toContain('Indexed');
    expect(again.stdout).toBe(stdout);
  }, SLOW);

  it('never indexes the samples into an empty data directory: it says how to add news or try the samples, and exits 1', async () => {
    const dataDir = tempDir();
    const { stdout, stderr, status } = await newsdesk(['ask', QUESTION], { dataDir });
    expect(status).toBe(1);
    expect(stderr).toContain('newsdesk ingest <files>');
    expect(stderr).toContain('newsdesk ask --samples');
    expect(stdout).toMatch(/^No passage mentions/);
    expect(await articleCount(dataDir)).toBe(0);
    const digest = await newsdesk(['digest', '--preview', '--since', '2025-02-01'], { dataDir });
    expect(digest.status).toBe(1);
    expect(await articleCount(dataDir)).toBe(0);
  }, SLOW);

  it('--jsonl answers one JSON line per question in the documented shape, and exits 1 when one of them found nothing', async () => {
    const { stdout, status } = await newsdesk(['ask', '--samples', '--jsonl', '--top', '2'], {
      dataDir: tempDir(),
      input: 'Megapack 的年产能是多少?\n\n什么?\n量子计算机\n',
    });
    expect(status).toBe(1);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.kind)).toEqual(['hits', 'empty-query', 'no-match']);
    const [hit] = lines;
    expect(Object.keys(hit)).toEqual(['question', 'kind', 'passages']);
    expect(hit.passages).toHaveLength(2);
    for (const p of hit.passages) {
      expect(Object.keys(p).sort()).toEqual(['articleId', 'highlights', 'publishedAt', 'score', 'source', 'text', 'title', 'url'].sort());
      expect(p.text).not.toMatch(/【|\*\*/);
      expect(p.publishedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      for (const [s, e] of p.highlights) expect(p.text.slice(s, e).length).toBe(e - s);
    }
    const answered = await newsdesk(['ask', '--samples', '--jsonl'], { dataDir: tempDir(), input: 'Megapack 的年产能是多少?\n' });
    expect(answered.status).toBe(0);
  }, SLOW);

  it('explains a question of only emoji and exits 1', async () => {
    const { stdout, status } = await newsdesk(['ask', '--samples', '😀😀'], { dataDir: tempDir() });
    expect(status).toBe(1);
    expect(stdout).toMatch(/Nothing to search for/);
  }, SLOW);

  it.each([
    [['--offset', 'abc'], /--offset <n>.*'abc' is invalid\. expected a whole number from 0 to 1000\./],
    [['--since', '2025-02-30'], /'2025-02-30' is invalid\. expected a calendar date as YYYY-MM-DD/],
    [['--since', '2025-03-01', '--until', '2025-02-01'], /--since 2025-03-01 is after --until 2025-02-01/],
    [['--colour'], /unknown option '--colour'/],
  ])('refuses ask %j in one line with what is accepted, without a stack trace, exit 2', async (args, message) => {
    const dataDir = tempDir();
    const { stderr, stdout, status } = await newsdesk(['ask', ...args, QUESTION], { dataDir });
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(2);
    expect(stderr).toContain('(add --help for usage)');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
  }, SLOW);
});

describe('newsdesk --help and --version', () => {
  it('lists every command with a description, the bot and benchmark ones too, and the exit statuses', async () => {
    const { stdout, status } = await newsdesk(['--help'], { dataDir: tempDir() });
    expect(status).toBe(0);
    for (const command of ['ask', 'ingest', 'sources', 'articles', 'digest', 'feeds', 'stats', 'export', 'doctor', 'eval', 'start', 'deploy-commands', 'bench']) {
      expect(stdout).toMatch(new RegExp(`^  ${command}\\b.* {2,}\\w`, 'm'));
    }
    expect(stdout).toMatch(/Exit status: 0 done, 1 nothing found or something not stored, 2 usage/);
    const feeds = await newsdesk(['feeds', '--help'], { dataDir: tempDir() });
    for (const sub of ['add', 'remove', 'list', 'poll']) expect(feeds.stdout).toMatch(new RegExp(`^  ${sub}\\b.* {2,}\\w`, 'm'));
  }, SLOW);

  it('prints the package version', async () => {
    const { stdout, status } = await newsdesk(['--version'], { dataDir: tempDir() });
    expect(status).toBe(0);
    expect(stdout.trim()).toBe((JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
  }, SLOW);
});

describe('newsdesk ingest', () => {
  it('counts the files it read apart from the ones it skipped, names each skipped file with its reason, and exits 1', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'good.jsonl'), '{"text":"上海港双子星航运联盟正式运营。","source":"本报","publishedAt":"2025-02-12"}\n{broken\n');
    writeFileSync(join(dir, 'empty.txt'), '');
    writeFileSync(join(dir, 'report.pdf'), '%PDF-1.4');
    writeFileSync(join(dir, 'table.csv'), 'a,b\n');
    writeFileSync(join(dir, 'letter.docx'), 'PK');
    writeFileSync(join(dir, '.notes.txt'), '隐藏的文件');
    const { stdout, status } = await newsdesk(['ingest', dir, '--source', '测试'], { dataDir: join(dir, 'data') });
    expect(status).toBe(1);
    expect(stdout).toMatch(/^Ingested 1 file: 1 new article/);
    expect(stdout).toMatch(/Skipped 5 files:/);
    expect(stdout).toMatch(/empty\.txt is empty/);
    expect(stdout).toMatch(/report\.pdf: PDF is not read/);
    expect(stdout).toMatch(/table\.csv: CSV is not read/);
    expect(stdout).toMatch(/letter\.docx: Word documents are not read/);
    expect(stdout).toMatch(/\.notes\.txt: hidden, not read/);
    expect(stdout).toMatch(/good\.jsonl:2: not valid JSON/);
    const again = await newsdesk(['ingest', join(dir, 'good.jsonl')], { dataDir: join(dir, 'data') });
    expect(again.stdout).toMatch(/^Ingested 1 file: 0 new articles.*; 1 already stored\./);
  }, SLOW);

  it('exits 0 when everything offered was stored (hidden files are named but do not count against it)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.jsonl'), '{"text":"上海港双子星航运联盟正式运营。","source":"本报","publishedAt":"2025-02-12"}\n');
    writeFileSync(join(dir, '.DS_Store'), 'x');
    const { stdout, status } = await newsdesk(['ingest', dir], { dataDir: join(dir, 'data') });
    expect(stdout).toMatch(/^Ingested 1 file: 1 new article/);
    expect(stdout).toMatch(/\.DS_Store: hidden, not read/);
    expect(status).toBe(0);
  }, SLOW);

  it('walks a directory with a symbolic link loop once: each file read once, no skip lines for the loop', async () => {
    const dir = tempDir();
    const news = join(dir, 'news');
    mkdirSync(news);
    writeFileSync(join(news, 'a.txt'), '上海港双子星航运联盟今天正式运营,首批航线覆盖欧洲和美洲。');
    symlinkSync('.', join(news, 'loop'));
    const { stdout, status } = await newsdesk(['ingest', news, '--date', '2025-02-12', '--source', '本报'], { dataDir: join(dir, 'data') });
    expect(status).toBe(0);
    expect(stdout.trim()).toBe('Ingested 1 file: 1 new article, 1 paragraphs, 1 passages.');
  }, SLOW);

  it('refuses an impossible --date before reading anything, exit 2', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.txt'), '上海港双子星航运联盟今天正式运营。');
    for (const date of ['2025-02-30', '14/02/2025']) {
      const { stderr, status } = await newsdesk(['ingest', dir, '--date', date], { dataDir: join(dir, 'data') });
      expect(status).toBe(2);
      expect(stderr).toMatch(/expected a calendar date as YYYY-MM-DD/);
    }
    expect(existsSync(join(dir, 'data', 'newsdesk.db'))).toBe(false);
  }, SLOW);

  it('reports a Markdown file whose front matter date is no day, and stores nothing of it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'typo.md'), '---\ntitle: 港口新闻\ndate: 2025-99-99\n---\n\n上海港双子星航运联盟今天正式运营,首批航线覆盖欧洲和美洲。\n');
    const { stdout, status } = await newsdesk(['ingest', dir], { dataDir: join(dir, 'data') });
    expect(status).toBe(1);
    expect(stdout).toMatch(/typo\.md: front matter date "2025-99-99" is not a calendar date/);
    expect(await articleCount(join(dir, 'data'))).toBe(0);
  }, SLOW);

  it('says how to correct the date when a file is ingested again with another one', async () => {
    const dir = tempDir();
    const file = join(dir, 'port.md');
    writeFileSync(file, '---\ntitle: 港口新闻\ndate: 2025-02-12\n---\n\n上海港双子星航运联盟今天正式运营,首批航线覆盖欧洲和美洲。\n');
    await newsdesk(['ingest', file], { dataDir: join(dir, 'data') });
    writeFileSync(file, '---\ntitle: 港口新闻\ndate: 2025-02-13\n---\n\n上海港双子星航运联盟今天正式运营,首批航线覆盖欧洲和美洲。\n');
    const { stdout } = await newsdesk(['ingest', file], { dataDir: join(dir, 'data') });
    expect(stdout).toMatch(/#1 is dated 2025-02-12, .*port\.md says 2025-02-13: to correct it, newsdesk articles edit 1 --date 2025-02-13/);
  }, SLOW);

  // Case rel-08-two-ingests-one-file-lost: another ingest held the write lock, this one gave up after SQLite's 5 s
  // busy timeout, skipped its whole file with "database is locked" and still exited 0. The lock is held here by hand
  // until the ingest says it is waiting, so the test waits on that event, not on time.
  it('waits for another process writing to the database, saying so, then stores everything and exits 0', async () => {
    const dataDir = tempDir();
    // Creates the database; with no articles yet, "nothing found" is exit status 1.
    expect((await newsdesk(['sources'], { dataDir })).status).toBe(1);
    const file = writeJsonl(tempDir(), Array.from({ length: 600 }, (_, n) => ({ title: `稿件${n}`, text: `编号QZ${n}的项目今天开工建设。`, source: '测试社', publishedAt: '2025-03-01' })));
    const other = new Database(join(dataDir, DATABASE_FILE));
    other.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    other.exec('BEGIN IMMEDIATE');
    let released = false;
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'ingest', file], { env: { ...process.env, NEWSDESK_DATA_DIR: dataDir, LOG_LEVEL: '' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      const waiting = new Promise<void>((resolve) =>
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          if (/waiting for another process writing to the database/.test(stderr)) resolve();
        }),
      );
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      await Promise.race([waiting, exited]);
      other.exec('COMMIT');
      released = true;
      const status = await exited;
      expect(stderr).toMatch(/waiting for another process writing to the database \(\d+ s so far\), to store .*articles\.jsonl/);
      expect(stdout).toMatch(/Ingested 1 file: 600 new articles/);
      expect(stdout).not.toMatch(/locked|Skipped/);
      expect(status).toBe(0);
      expect(other.prepare('SELECT count(*) FROM articles').pluck().get()).toBe(600);
    } finally {
      if (!released) other.exec('ROLLBACK');
      await other.close();
    }
  }, 120_000);
});

describe('logs', () => {
  it('go to standard error only, as JSON lines when not on a terminal', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.jsonl'), '{"text":"上海港双子星航运联盟正式运营。","source":"本报","publishedAt":"2025-02-12"}\n');
    const { stdout, stderr } = await newsdesk(['ingest', join(dir, 'a.jsonl')], { dataDir: join(dir, 'data'), env: { LOG_LEVEL: 'info' } });
    expect(stdout.trim()).toBe('Ingested 1 file: 1 new article, 1 paragraphs, 1 passages.');
    const logLines = stderr.trim().split('\n').filter((l) => l.startsWith('{'));
    expect(logLines.length).toBeGreaterThan(0);
    expect(JSON.parse(logLines.at(-1)!)).toMatchObject({ msg: 'ingest finished', articles: 1 });
  }, SLOW);
});

describe('exit statuses of the other commands', () => {
  it('feeds add with an address that is no URL exits 2 in one line; sources on an empty data directory exits 1', async () => {
    const dataDir = tempDir();
    const feeds = await newsdesk(['feeds', 'add', 'not a url'], { dataDir });
    expect(feeds.status).toBe(2);
    expect(feeds.stderr.trim()).toBe('error: cannot follow not a url: "not a url" is not a URL: give the full address, e.g. https://example.com/rss.xml');
    const sources = await newsdesk(['sources'], { dataDir });
    expect(sources.status).toBe(1);
    expect(sources.stdout).toBe('No articles yet: run `newsdesk ingest <files>`.\n');
  }, SLOW);
});

