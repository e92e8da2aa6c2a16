import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

/** Runs the real command line, as `npm run newsdesk -- …` would. */
function newsdesk(args: string[], options: { dataDir: string; input?: string }) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    input: options.input ?? '',
    encoding: 'utf8',
    // English, whatever the machine's language (the CLI follows NEWSDESK_LOCALE and LANG: test/cli/locale.test.ts).
    env: { ...process.env, NEWSDESK_DATA_DIR: options.dataDir, LOG_LEVEL: '', NEWSDESK_LOCALE: '', LC_ALL: '', LC_MESSAGES: '', LANG: 'C.UTF-8' },
  });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

describe('newsdesk ask', () => {
  it('indexes the bundled samples on first use and prints passages with their sources', () => {
    const { stdout, stderr, status } = newsdesk(['ask', '特斯拉上海储能超级工厂用了多久建成?'], { dataDir: tempDir() });
    expect(status).toBe(0);
    expect(stderr).toMatch(/indexing the bundled sample news/);
    expect(stdout).toMatch(/7个月即竣工/);
    expect(stdout).toMatch(/三里河 · 2025-02-14/);
  });

  it('--jsonl answers one JSON line per question in the documented shape', () => {
    const { stdout, status } = newsdesk(['ask', '--jsonl', '--top', '2'], {
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

  it('explains a question of only emoji and exits non-zero', () => {
    const { stdout, status } = newsdesk(['ask', '😀😀'], { dataDir: tempDir() });
    expect(status).toBe(1);
    expect(stdout).toMatch(/Nothing to search for/);
  });
});

describe('newsdesk ingest', () => {
  it('reports skipped files and bad records by name and keeps the good ones', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'good.jsonl'), '{"text":"上海港双子星航运联盟正式运营。","source":"本报","publishedAt":"2025-02-12"}\n{broken\n');
    writeFileSync(join(dir, 'empty.txt'), '');
    const { stdout, status } = newsdesk(['ingest', dir, '--source', '测试'], { dataDir: join(dir, 'data') });
    expect(status).toBe(0);
    expect(stdout).toMatch(/Ingested 2 files: 1 new article/);
    expect(stdout).toMatch(/empty\.txt is empty/);
    expect(stdout).toMatch(/good\.jsonl:2: not valid JSON/);
    const again = newsdesk(['ingest', dir], { dataDir: join(dir, 'data') });
    expect(again.stdout).toMatch(/0 new articles.*1 already stored/);
  });

  it('refuses a malformed --date with an example', () => {
    const { stderr, status } = newsdesk(['ingest', '.', '--date', '14/02/2025'], { dataDir: tempDir() });
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/YYYY-MM-DD/);
  });
});
