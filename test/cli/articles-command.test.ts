import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SMALL_NEWS, writeJsonl } from '../helpers/articles.js';
import { runCli } from '../helpers/run-cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const SLOW = 180_000;

async function dataDirWithNews() {
  const dir = tempDir();
  const file = writeJsonl(dir, SMALL_NEWS);
  const dataDir = join(dir, 'data');
  const ingest = await runCli(['ingest', file], { dataDir });
  expect(ingest.status).toBe(0);
  return { dataDir, file };
}

describe('newsdesk articles', () => {
  it('lists, shows, corrects and removes an article by id, URL or title words, and a removed one is not ingested again', async () => {
    const { dataDir, file } = await dataDirWithNews();
    const run = (...args: string[]) => runCli(args, { dataDir });

    const list = await run('articles', 'list');
    expect(list.status).toBe(0);
    expect(list.stdout.split('\n').slice(0, 3)).toEqual([
      '#1  2025-02-14  三里河  特斯拉上海储能超级工厂投产  https://example.com/tesla',
      '#2  2025-02-11  本报  上海企业获脑机接口最大一笔融资',
      '#3  2025-01-20  中新网  12306春运售票',
    ]);
    expect(list.stdout).toContain('(1–3 of 3)');

    const shown = await run('articles', 'show', 'https://example.com/tesla?utm_source=x');
    expect(shown.status).toBe(0);
    expect(shown.stdout).toMatch(/^#1 特斯拉上海储能超级工厂投产\noutlet: {4}三里河\npublished: 2025-02-14/);
    expect(shown.stdout).toContain('规划年产能为1万台储能系统Megapack');

    const edit = await run('articles', 'edit', '春运售票', '--date', '2025-01-21', '--source', '新华社');
    expect(edit.status).toBe(0);
    expect(edit.stdout).toBe('Was: #3  2025-01-20  中新网  12306春运售票\nNow: #3  2025-01-21  新华社  12306春运售票\n');
    const filtered = await run('ask', '12306售票', '--source', '新华社', '--since', '2025-01-21');
    expect(filtered.status).toBe(0);
    expect(filtered.stdout).toContain('12306春运售票 · 新华社 · 2025-01-21');

    const removed = await run('articles', 'remove', '3', '--reason', 'publisher asked');
    expect(removed.status).toBe(0);
    expect(removed.stdout).toMatch(/^Removed #3 {2}2025-01-21 {2}新华社 {2}12306春运售票\n1 article and 1 passages removed; ingest and feeds will not bring them back\.\n$/);
    expect((await run('ask', '12306售票')).stdout).not.toContain('12306春运售票');
    const again = await runCli(['ingest', file], { dataDir });
    expect(again.stdout).toMatch(/^Ingested 1 file: 0 new articles, 0 paragraphs, 0 passages; 2 already stored; 1 removed earlier, not stored again\./);
    expect((await run('articles', 'show', '3')).status).toBe(1);
  }, SLOW);

  it('refuses title words that match several articles unless --all is given, and exits 1 for what it cannot find', async () => {
    const { dataDir } = await dataDirWithNews();
    const vague = await runCli(['articles', 'remove', '上海'], { dataDir });
    expect(vague.status).toBe(1);
    expect(vague.stderr).toMatch(/^"上海" matches 2 articles; give an id, or add --all to take all of them:/);
    expect(vague.stdout).toBe('');
    const missing = await runCli(['articles', 'remove', '999'], { dataDir });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('No article matches "999".');
    const all = await runCli(['articles', 'remove', '上海', '--all', '--json', '--reason', 'wrong import'], { dataDir });
    expect(all.status).toBe(0);
    expect(JSON.parse(all.stdout).removed).toHaveLength(2);
  }, SLOW);

  it('keeps a record of what was removed, and unremove lets the next ingest store it again', async () => {
    const { dataDir, file } = await dataDirWithNews();
    await runCli(['articles', 'remove', '1', '--reason', 'wrong import'], { dataDir });
    const removed = await runCli(['articles', 'removed'], { dataDir });
    expect(removed.stdout).toMatch(/^#1 {2}2025-02-14 {2}三里河 {2}特斯拉上海储能超级工厂投产 {2}removed \d{4}-\d{2}-\d{2} \(wrong import\)\n$/);
    const unremove = await runCli(['articles', 'unremove', '1'], { dataDir });
    expect(unremove.status).toBe(0);
    expect(unremove.stdout).toMatch(/^#1 特斯拉上海储能超级工厂投产 may be stored again/);
    expect((await runCli(['ingest', file], { dataDir })).stdout).toMatch(/^Ingested 1 file: 1 new article,/);
    expect((await runCli(['articles', 'removed'], { dataDir })).status).toBe(1);
  }, SLOW);

  it('checks every value before touching the store: an impossible date, an empty outlet, nothing to change, exit 2', async () => {
    const { dataDir } = await dataDirWithNews();
    for (const args of [['--date', '2025-02-30'], ['--source', ' '], [], ['--url', 'ftp://x']]) {
      const r = await runCli(['articles', 'edit', '1', ...args], { dataDir });
      expect(r.status).toBe(2);
      expect(r.stderr.split('\n')[0]).toMatch(/^error: /);
    }
    const list = await runCli(['articles', 'list', '--source', '三里河', '--json'], { dataDir });
    expect(JSON.parse(list.stdout).articles[0]).toMatchObject({ id: 1, publishedDay: '2025-02-14', source: '三里河' });
  }, SLOW);
});

describe('newsdesk sources remove', () => {
  it('removes every article of an outlet from the answers and the list, and says so; an unknown outlet exits 1', async () => {
    const { dataDir } = await dataDirWithNews();
    const removed = await runCli(['sources', 'remove', '三里河'], { dataDir });
    expect(removed.status).toBe(0);
    expect(removed.stdout).toMatch(/^Removed 1 articles of 三里河 \(\d+ passages\); ingest and feeds will not bring them back\.$/m);
    const sources = await runCli(['sources'], { dataDir });
    expect(sources.stdout).not.toContain('三里河');
    expect((await runCli(['ask', 'Megapack年产能'], { dataDir })).stdout).not.toContain('三里河');
    const unknown = await runCli(['sources', 'remove', '不存在'], { dataDir });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/^No outlet called "不存在"\. Outlets: 中新网, 本报\./);
  }, SLOW);

  it('removes the bundled samples an earlier newsdesk put among the owner\'s news with --samples, and only them', async () => {
    const { dataDir } = await dataDirWithNews();
    // As the first `ask` of an earlier version did.
    const samples = await runCli(['ingest', 'data/samples'], { dataDir });
    expect(samples.status).toBe(0);
    const removed = await runCli(['sources', 'remove', '--samples'], { dataDir });
    expect(removed.status).toBe(0);
    expect(removed.stdout).toMatch(/^Removed 6 articles of the bundled samples/);
    const list = JSON.parse((await runCli(['articles', 'list', '--json'], { dataDir })).stdout);
    expect(list.articles.map((a: { title: string }) => a.title).sort()).toEqual(SMALL_NEWS.map((a) => a.title).sort());
  }, SLOW);
});
