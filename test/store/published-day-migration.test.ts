import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Newsdesk } from '../../src/newsdesk.js';
import { MIGRATIONS } from '../../src/store/schema.js';
import { DATABASE_FILE } from '../../src/store/store.js';
import { recordingLogger, useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

/** A database as the previous release left it: schema 5, published_at a UTC instant or a bare day. */
function oldDatabase(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, DATABASE_FILE));
  for (const sql of MIGRATIONS.slice(0, 5)) db.exec(sql);
  db.pragma('user_version = 5');
  const article = db.prepare(
    "INSERT INTO articles (dedupe_key, title, source, published_at, ingested_at) VALUES (?, ?, '早间新闻', ?, '2025-02-15T00:00:00.000Z')",
  );
  const paragraph = db.prepare('INSERT INTO paragraphs (article_id, position, text) VALUES (?, 0, ?)');
  const passage = db.prepare('INSERT INTO passages (article_id, paragraph_id, text) VALUES (?, ?, ?)');
  for (const [key, title, publishedAt, text] of [
    ['k1', '央行宣布下调存款准备金率', '2025-02-14T23:00:00.000Z', '中国人民银行今天早间宣布下调存款准备金率。'],
    ['k2', '特斯拉储能工厂投产', '2025-02-12', '特斯拉上海储能超级工厂今天正式投产。'],
  ] as const) {
    const id = Number(article.run(key, title, publishedAt).lastInsertRowid);
    const p = Number(paragraph.run(id, text).lastInsertRowid);
    passage.run(id, p, text);
  }
  db.prepare("INSERT INTO feeds (url, created_at, next_poll_at) VALUES ('http://example.com/rss', '2025-02-01T00:00:00Z', '2025-02-01T00:00:00Z')").run();
  db.close();
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
