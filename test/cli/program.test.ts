import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUSY_TIMEOUT_MS, DATABASE_FILE } from '../../src/store/store.js';
import { writeJsonl } from '../helpers/articles.js';
import { runNode } from '../helpers/run-node.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

/** Runs the real command line, as `npm run newsdesk -- …` would. */
function newsdesk(args: string[], options: { dataDir: string; input?: string }) {
  return runNode(['--import', 'tsx', 'src/cli.ts', ...args], {
    ...(options.input !== undefined ? { input: options.input } : {}),
    env: { ...process.env, NEWSDESK_DATA_DIR: options.dataDir, LOG_LEVEL: '' },
  });
}

describe('newsdesk ask', () => {
  it('indexes the bundled samples on first use and prints passages with their sources', async () => {
    const { stdout, stderr, status } = await newsdesk(['ask', '特斯拉上海储能超级工厂用了多久建成?'], { dataDir: tempDir() });
    expect(status).toBe(0);
    expect(stderr).toMatch(/indexing the bundled sample news/);
    expect(stdout).toMatch(/7个月即竣工/);
    expect(stdout).toMatch(/三里河 · 2025-02-14/);
  });

  it('--jsonl answers one JSON line per question in the documented shape', async () => {
    const { stdout, status } = await newsdesk(['ask', '--jsonl', '--top', '2'], {
      dataDir: tempDir(),
      input: 'Megapack 的年产能是多少?\n\n什么?\n量子计算机\n',
    });
    expect(status).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.kind)).toEqual(['hits', 'empty-query', 'no-match']);
    const [hit] = lines;
    expect(Object.keys(hit)).toEqual(['question', 'kind', 'passages']);
    expect(hit.question).toBe('Megapack 的年产能是多少?');
    expect(hit.passages).toHaveLength(2);
    for (const p of hit.passages) {
      expect(Object.keys(p).sort()).toEqual(['articleId', 'highlights', 'publishedAt', 'score', 'source', 'text', 'title', 'url'].sort());
      expect(p.text).not.toMatch(/【|\*\*/);
      for (const [s, e] of p.highlights) expect(p.text.slice(s, e).length).toBe(e - s);
    }
    expect(hit.passages[0].text.slice(...hit.passages[0].highlights[0])).toMatch(/megapack|产能/i);
    expect(lines[1].passages).toEqual([]);
  });

  it('explains a question of only emoji and exits non-zero', async () => {
    const { stdout, status } = await newsdesk(['ask', '😀😀'], { dataDir: tempDir() });
    expect(status).toBe(1);
    expect(stdout).toMatch(/Nothing to search for/);
  });
});

describe('newsdesk ingest', () => {
  it('reports skipped files and bad records by name and keeps the good ones', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'good.jsonl'), '{"text":"上海港双子星航运联盟正式运营。","source":"本报","publishedAt":"2025-02-12"}\n{broken\n');
    writeFileSync(join(dir, 'empty.txt'), '');
    const { stdout, status } = await newsdesk(['ingest', dir, '--source', '测试'], { dataDir: join(dir, 'data') });
    // Something was not stored: a script running ingest must be able to tell.
    expect(status).toBe(1);
    expect(stdout).toMatch(/Not everything was stored/);
    expect(stdout).toMatch(/Ingested 2 files: 1 new article/);
    expect(stdout).toMatch(/empty\.txt is empty/);
    expect(stdout).toMatch(/good\.jsonl:2: not valid JSON/);
    const again = await newsdesk(['ingest', dir], { dataDir: join(dir, 'data') });
    expect(again.stdout).toMatch(/0 new articles.*1 already stored/);
  });

  it('refuses a malformed --date with an example', async () => {
    const { stderr, status } = await newsdesk(['ingest', '.', '--date', '14/02/2025'], { dataDir: tempDir() });
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/YYYY-MM-DD/);
  });

  // Case rel-08-two-ingests-one-file-lost: another ingest held the write lock, this one gave up after SQLite's 5 s
  // busy timeout, skipped its whole file with "database is locked" and still exited 0. The lock is held here by hand
  // until the ingest says it is waiting, so the test waits on that event, not on time.
  it('waits for another process writing to the database, saying so, then stores everything and exits 0', async () => {
    const dataDir = tempDir();
    expect((await newsdesk(['sources'], { dataDir })).status).toBe(0);
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
      other.close();
    }
  }, 120_000);
});
