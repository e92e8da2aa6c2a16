import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Newsdesk } from '../../src/newsdesk.js';
import { DATABASE_FILE } from '../../src/store/store.js';
import { recordingLogger, useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

/** A database as an earlier release left it (test/fixtures/store/schema-5.db): published_at a UTC instant or a bare day. */
function oldDatabase(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  copyFileSync(fileURLToPath(new URL('../fixtures/store/schema-5.db', import.meta.url)), join(dataDir, DATABASE_FILE));
}

describe('upgrading a database from before local days were kept', () => {
  it('shows old articles under their local day in the outlets’ zone, and filters by it', async () => {
    const dataDir = join(tempDir(), 'data');
    oldDatabase(dataDir);
    const desk = await Newsdesk.open({ dataDir, log: recordingLogger() });
    expect((await desk.latest(5)).map((a) => [a.title, a.publishedDay])).toEqual([
      ['央行宣布下调存款准备金率', '2025-02-15'],
      ['特斯拉储能工厂投产', '2025-02-12'],
    ]);
    const answer = await desk.ask('存款准备金率', { since: '2025-02-15' });
    expect(answer.kind === 'hits' && answer.passages[0]?.publishedDay).toBe('2025-02-15');
    expect(await desk.sources()).toEqual([{ source: '早间新闻', articles: 2, newest: '2025-02-15' }]);
    expect((await desk.store.feeds.list())[0]).toMatchObject({ url: 'http://example.com/rss', timezone: null, lastWarnings: [], lastSkipped: [] });
    await desk.close();
  });

  it('takes the day in NEWSDESK_TIMEZONE when another zone is configured', async () => {
    const dataDir = join(tempDir(), 'data');
    oldDatabase(dataDir);
    const desk = await Newsdesk.open({ dataDir, log: recordingLogger(), zone: 'America/New_York' });
    expect((await desk.latest(5)).map((a) => a.publishedDay)).toEqual(['2025-02-14', '2025-02-12']);
    await desk.close();
  });
});
