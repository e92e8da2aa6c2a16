import pg from 'pg';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { COPIED_TABLES, migrateStore } from '../../src/store/migrate-store.js';
import type { NewsStore } from '../../src/store/news-store.js';
import { openPgStore } from '../../src/store/pg/pg-store.js';
import { DATABASE_FILE, Store } from '../../src/store/store.js';
import { describePostgres } from '../helpers/news-stores.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const NOW = new Date('2025-03-01T00:00:00.000Z');

/** A SQLite store as an earlier newsdesk wrote it (every table has rows), with `extra` more articles. */
function sqliteWithNews(extra: number): Store {
  const dir = join(tempDir(), 'data');
  mkdirSync(dir, { recursive: true });
  copyFileSync(fileURLToPath(new URL('../fixtures/store/schema-9.db', import.meta.url)), join(dir, DATABASE_FILE));
  const store = Store.open(dir, { zone: 'Asia/Shanghai' });
  const articles = Array.from({ length: extra }, (_, i) => ({
    dedupeKey: `text:${i}`,
    title: `第${i}篇`,
    paragraphs: [`第${i}篇的第一段。`, `第${i}篇的第二段。`],
    source: i % 2 ? '新华社' : '本报',
    publishedAt: '2025-02-20T02:00:00.000Z',
  }));
  store.insertArticles(articles, '2025-02-20T03:00:00.000Z');
  return store;
}

describePostgres('newsdesk migrate-store: SQLite into PostgreSQL', (url) => {
  const stores: Array<Store | NewsStore> = [];
  const databases: string[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    const admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    for (const name of databases.splice(0)) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  /** An empty database of the test's own on the test server. */
  async function emptyDatabase(): Promise<string> {
    const name = `${url.pathname.slice(1)}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    databases.push(name);
    await admin.end();
    const target = new URL(url);
    target.pathname = `/${name}`;
    return target.toString();
  }

  it('copies every table, passages with their ids, in batches, and the counts match', async () => {
    const sqlite = sqliteWithNews(300);
    stores.push(sqlite);
    const target = await emptyDatabase();
    const progress: string[] = [];
    const result = await migrateStore(sqlite, target, { batchRows: 100, onProgress: (table, done, total) => progress.push(`${table} ${done}/${total}`) });
    expect(result.matches).toBe(true);
    expect(result.counts.map((c) => c.table)).toEqual(COPIED_TABLES.map((t) => t.table));
    expect(result.counts.find((c) => c.table === 'passages')).toEqual({ table: 'passages', sqlite: 603, postgres: 603 });
    expect(result.counts.every((c) => c.sqlite > 0)).toBe(true);
    expect(progress).toContain('passages 100/603');
    expect(progress).toContain('passages 603/603');

    const copy = await openPgStore(target, { zone: 'Asia/Shanghai' });
    stores.push(copy);
    expect(await copy.passagesAfter(0, 1_000)).toEqual(sqlite.passagesAfter(0, 1_000));
    expect(await copy.latest(5)).toEqual(sqlite.latest(5));
    expect(await copy.sources()).toEqual(sqlite.sources());
    expect(await copy.feeds.list()).toEqual(sqlite.feeds.list());
    expect(await copy.feeds.incompleteItems(1)).toEqual(sqlite.feeds.incompleteItems(1));
    expect(await copy.digests.subscriptions()).toEqual(sqlite.digests.subscriptions());
    expect(await copy.digests.lastDelivery('c1')).toEqual(sqlite.digests.lastDelivery('c1'));
    expect(await copy.articles.tombstones()).toEqual(sqlite.articles.tombstones());
    expect(await copy.articles.changesAfter(0)).toEqual(sqlite.articles.changesAfter(0));
  });

  it('leaves the copy handing out the ids SQLite would have handed out next', async () => {
    const sqlite = sqliteWithNews(10);
    stores.push(sqlite);
    const target = await emptyDatabase();
    await migrateStore(sqlite, target);
    const copy = await openPgStore(target);
    stores.push(copy);
    const fresh = [{ dedupeKey: 'new', paragraphs: ['新文章。'], source: '本报', publishedAt: '2025-03-01' }];
    const { added } = await copy.insertArticles(fresh, NOW.toISOString());
    expect(added).toEqual(sqlite.insertArticles(fresh, NOW.toISOString()).added);
    await copy.articles.remove([added[0]!.article.id], { now: NOW });
    sqlite.articles.remove([added[0]!.article.id], { now: NOW });
    expect(await copy.articles.changesAfter(0)).toEqual(sqlite.articles.changesAfter(0));
    const feed = { url: 'https://new.example/rss', everyMinutes: 15 };
    expect((await copy.feeds.add(feed, NOW)).feed).toEqual(sqlite.feeds.add(feed, NOW).feed);
    const claim = { channelId: 'c1', localDay: '2025-03-01', scheduledFor: NOW, now: NOW, late: false, windowStart: '', keywords: [], maxItems: 5 };
    expect(await copy.digests.claimDelivery(claim)).toEqual(sqlite.digests.claimDelivery(claim));
  });

  it('refuses a database that already holds news, saying what to do, and changes nothing', async () => {
    const sqlite = sqliteWithNews(5);
    stores.push(sqlite);
    const target = await emptyDatabase();
    await migrateStore(sqlite, target);
    const error = await migrateStore(sqlite, target).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORE_FAILED' });
    expect((error as Error).message).toMatch(/is not empty \(articles: 7, .*createdb/);
    const copy = await openPgStore(target);
    stores.push(copy);
    expect(await copy.articleCount()).toBe(7);
  });
});
