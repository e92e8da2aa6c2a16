import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SMALL_NEWS, writeJsonl } from '../helpers/articles.js';
import { runCli } from '../helpers/run-cli.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { startDiscordEmulator, type DiscordEmulator } from '../e2e/discord-emulator/index.js';

const tempDir = useTempDir();
const SLOW = 180_000;

async function dataDirWithNews() {
  const dir = tempDir();
  const dataDir = join(dir, 'data');
  expect((await runCli(['ingest', writeJsonl(dir, SMALL_NEWS)], { dataDir })).status).toBe(0);
  return dataDir;
}

describe('newsdesk export', () => {
  it('writes JSON Lines that ingest reads back into the same articles (export → ingest round-trips)', async () => {
    const dataDir = await dataDirWithNews();
    const exported = await runCli(['export'], { dataDir });
    expect(exported.status).toBe(0);
    const records = exported.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(records).toHaveLength(3);
    expect(records[0]).toEqual({
      id: 1,
      title: '特斯拉上海储能超级工厂投产',
      text: '特斯拉上海储能超级工厂于2024年5月开工建设,用时仅7个月即竣工。\n规划年产能为1万台储能系统Megapack,储能规模近40GWh。',
      source: '三里河',
      url: 'https://example.com/tesla',
      publishedAt: '2025-02-14T00:00:00.000+08:00',
    });

    const file = join(tempDir(), 'export.jsonl');
    writeFileSync(file, exported.stdout);
    const fresh = join(tempDir(), 'data');
    const ingested = await runCli(['ingest', file], { dataDir: fresh });
    expect(ingested.stdout).toMatch(/^Ingested 1 file: 3 new articles/);
    const again = await runCli(['export'], { dataDir: fresh });
    expect(again.stdout).toBe(exported.stdout);
    // Into the directory it came from, nothing is new.
    expect((await runCli(['ingest', file], { dataDir })).stdout).toMatch(/^Ingested 1 file: 0 new articles.*3 already stored/);
  }, SLOW);

  it('exits 1 with a sentence when there is nothing to export', async () => {
    const { stdout, stderr, status } = await runCli(['export'], { dataDir: tempDir() });
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('No articles to export.');
  }, SLOW);
});

describe('newsdesk stats', () => {
  it('reports articles, passages, outlets, days, the index, feeds and digests, as text and as JSON', async () => {
    const dataDir = await dataDirWithNews();
    const text = await runCli(['stats'], { dataDir });
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('3 articles, 4 passages (4 searchable), 3 outlets, 0 removed');
    expect(text.stdout).toMatch(/^Index: \d+ KB, saved \d+ s ago$/m);
    expect(text.stdout).toMatch(/^ {2}三里河\t1 articles\tnewest 2025-02-14$/m);
    const json = JSON.parse((await runCli(['stats', '--json'], { dataDir })).stdout);
    expect(json).toMatchObject({ articles: 3, passages: 4, indexedPassages: 4, removed: 0, feeds: [], digests: [] });
    expect(json.perDay).toHaveLength(30);
    expect(json.index.bytes).toBeGreaterThan(0);
  }, SLOW);
});

describe('newsdesk doctor', () => {
  let emu: DiscordEmulator | undefined;
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });

  it('says what to fix: a malformed token and a missing application id, without the token; exit 1 only for what must be fixed', async () => {
    const dataDir = await dataDirWithNews();
    const secret = 'not-a-token-SECRET';
    const r = await runCli(['doctor'], { dataDir, env: { DISCORD_TOKEN: secret, DISCORD_APPLICATION_ID: '' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^warn {2}bot-config: Configuration problems/m);
    expect(r.stdout).toContain('DISCORD_TOKEN does not look like a bot token');
    expect(r.stdout).toContain('DISCORD_APPLICATION_ID is missing');
    expect(r.stdout).toMatch(/^ok {4}index: matches the database \(4 passages/m);
    expect(r.stdout).not.toContain(secret);
    const bad = await runCli(['doctor', '--json'], { dataDir, env: { NEWSDESK_ALLOW_PRIVATE_URLS: 'maybe' } });
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout)[0]).toMatchObject({ name: 'config', status: 'fail' });
  }, SLOW);

  it('asks Discord about the token only with --discord, and tells an accepted token from a refused one', async () => {
    emu = await startDiscordEmulator({ guilds: [], users: [] });
    const dataDir = await dataDirWithNews();
    const env = { DISCORD_TOKEN: emu.token, DISCORD_APPLICATION_ID: emu.applicationId, DISCORD_API_URL: emu.restUrl };
    const unasked = JSON.parse((await runCli(['doctor', '--json'], { dataDir, env })).stdout);
    expect(unasked.find((c: { name: string }) => c.name === 'discord')).toMatchObject({ status: 'skipped' });
    const asked = await runCli(['doctor', '--discord', '--json'], { dataDir, env });
    expect(asked.status).toBe(0);
    expect(JSON.parse(asked.stdout).find((c: { name: string }) => c.name === 'discord')).toMatchObject({ status: 'ok' });
    const refused = await runCli(['doctor', '--discord'], { dataDir, env: { ...env, DISCORD_TOKEN: 'aaaa.bbbb.cccc' } });
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/^FAIL {2}discord: Discord refused the token \(401\)\./m);
  }, SLOW);

  it('notices an index that no longer matches the database and says the next command rebuilds it', async () => {
    const dataDir = await dataDirWithNews();
    const manifest = join(dataDir, 'index', 'manifest.json');
    writeFileSync(manifest, JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), documentCount: 99 }));
    const r = await runCli(['doctor'], { dataDir });
    expect(r.stdout).toMatch(/^warn {2}index: the index holds 99 passages where the database has 4\n {8}→ The next command rebuilds it/m);
  }, SLOW);
});
