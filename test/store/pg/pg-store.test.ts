import pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createServer } from 'node:net';
import type { NewsStore } from '../../../src/store/news-store.js';
import { MIGRATIONS } from '../../../src/store/schema.js';
import { openPgStore } from '../../../src/store/pg/pg-store.js';
import type { NewArticle } from '../../../src/store/store.js';
import { describePostgres } from '../../helpers/news-stores.js';

const INGESTED = '2025-02-15T00:00:00.000Z';
const article = (key: string, paragraphs = [`${key}的第一段。`, `${key}的第二段。`]): NewArticle => ({ dedupeKey: key, title: key, paragraphs, source: '本报', publishedAt: '2025-02-14' });

/** Waits for a condition the database reports, checking every few milliseconds (never a fixed sleep). */
async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** A port nothing listens on (bound by the kernel, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describePostgres('PostgreSQL shared by several processes', (url) => {
  const open: NewsStore[] = [];
  const clients: pg.Client[] = [];
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    for (const client of clients.splice(0)) await client.end().catch(() => {});
  });
  beforeEach(async () => {
    const store = await openPgStore(url.toString()); // creates the tables the first time
    await store.close();
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    await c.query('TRUNCATE articles, paragraphs, passages, tombstones, article_changes RESTART IDENTITY CASCADE');
    await c.end();
  });
  const process = async () => (open.push(await openPgStore(url.toString())), open.at(-1)!);
  const client = async () => {
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    clients.push(c);
    return c;
  };

  it('makes passages visible in id order, so a replica catching up by id never steps over one committed late', async () => {
    const [a, b, reader] = [await process(), await process(), await process()];
    await a.insertArticles([article('seed')], INGESTED);
    const seenUpTo = await reader.maxPassageId();
    const seen: number[] = [];
    // Another session holds an uncommitted article with the key process A is about to store: A takes its passage
    // ids, then waits on that key inside its transaction, the way a slow insert would.
    const blocker = await client();
    await blocker.query('BEGIN');
    await blocker.query("INSERT INTO articles (dedupe_key, source, published_at, ingested_at) VALUES ('slow', '本报', '2025-02-14', $1)", [INGESTED]);
    const observer = await client();
    const waiting = async () => Number((await observer.query('SELECT count(*) AS n FROM pg_locks WHERE NOT granted')).rows[0].n);
    const slow = a.insertArticles([article('slow')], INGESTED);
    await until(async () => (await waiting()) >= 1);
    // Process B stores an article meanwhile: its ids come after A's.
    let bDone = false;
    const quick = b.insertArticles([article('quick')], INGESTED, { waitForLock: true }).finally(() => (bDone = true));
    await until(async () => bDone || (await waiting()) >= 2);
    // The replica polls while A is still open: whatever it reads now, it must not have skipped A's ids.
    let last = seenUpTo;
    for (const p of await reader.passagesAfter(last, 100)) (seen.push(p.id), (last = p.id));
    await blocker.query('ROLLBACK');
    const [slowResult, quickResult] = await Promise.all([slow, quick]);
    for (const p of await reader.passagesAfter(last, 100)) (seen.push(p.id), (last = p.id));
    const slowIds = slowResult.added.flatMap((x) => x.passages.map((p) => p.id));
    const quickIds = quickResult.added.flatMap((x) => x.passages.map((p) => p.id));
    expect(Math.max(...slowIds)).toBeLessThan(Math.min(...quickIds));
    expect(seen).toEqual([...slowIds, ...quickIds]);
  });

  it('gives every passage to a replica polling while two processes store batches at once', async () => {
    const [a, b, reader] = [await process(), await process(), await process()];
    const batches = (name: string) => Array.from({ length: 8 }, (_, i) => Array.from({ length: 5 }, (_, j) => article(`${name}-${i}-${j}`)));
    let writing = true;
    const writers = Promise.all(
      [a, b].map(async (store, w) => {
        for (const batch of batches(`w${w}`)) await store.insertArticles(batch, INGESTED, { waitForLock: true });
      }),
    ).finally(() => (writing = false));
    const seen: number[] = [];
    let last = 0;
    const poll = async () => {
      for (const p of await reader.passagesAfter(last, 1_000)) (seen.push(p.id), (last = p.id));
    };
    while (writing) await poll();
    await writers;
    await poll();
    const all = (await reader.passagesAfter(0, 10_000)).map((p) => p.id);
    expect(all).toHaveLength(2 * 8 * 5 * 2);
    expect(seen).toEqual(all);
  });

  it('stores an article once when two processes store it at the same time', async () => {
    const [a, b] = [await process(), await process()];
    const results = await Promise.all([a.insertArticles([article('同一篇')], INGESTED, { waitForLock: true }), b.insertArticles([article('同一篇')], INGESTED, { waitForLock: true })]);
    expect(results.map((r) => r.added.length).sort()).toEqual([0, 1]);
    expect(await a.articleCount()).toBe(1);
  });

  it('migrates a new database once when several processes open it at the same time', async () => {
    const admin = await client();
    const name = `${url.pathname.slice(1)}_fresh`;
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const freshUrl = new URL(url);
      freshUrl.pathname = `/${name}`;
      const stores = await Promise.all([openPgStore(freshUrl.toString()), openPgStore(freshUrl.toString()), openPgStore(freshUrl.toString())]);
      open.push(...stores);
      expect(await stores[0]!.articleCount()).toBe(0);
      const check = new pg.Client({ connectionString: freshUrl.toString() });
      await check.connect();
      expect((await check.query('SELECT name FROM kysely_migration ORDER BY name')).rows.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => m.name));
      await check.end();
    } finally {
      for (const store of open.splice(0)) await store.close();
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    }
  });

  it('stores an article whose text holds a NUL character (which PostgreSQL text cannot), dropping only that character', async () => {
    const store = await process();
    const { added } = await store.insertArticles([{ dedupeKey: 'nul', title: '标题\u0000', paragraphs: ['第一\u0000段。'], source: '本报', publishedAt: '2025-02-14' }], INGESTED);
    expect(added).toHaveLength(1);
    expect(await store.articleParagraphs(added[0]!.article.id)).toEqual(['第一段。']);
    expect((await store.getArticles([added[0]!.article.id])).get(added[0]!.article.id)?.title).toBe('标题');
  });

  it('stores a large batch with ids in order and every passage readable', async () => {
    const store = await process();
    const many = Array.from({ length: 1_200 }, (_, i) => article(`批量${i}`, [`第${i}篇的第一段。`, `第${i}篇的第二段。`, `第${i}篇的第三段。`]));
    const { added } = await store.insertArticles(many, INGESTED);
    const ids = added.flatMap((a) => a.passages.map((p) => p.id));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).toBe(3_600);
    const stored = await store.passagesAfter(ids[0]! - 1, 10_000);
    expect(stored.map((p) => p.id)).toEqual(ids);
    expect(stored[3_599]).toEqual({ id: ids[3_599], articleId: added[1_199]!.article.id, text: '第1199篇的第三段。' });
  });
});

describePostgres('opening a PostgreSQL store that cannot be used', (url) => {
  it('says nothing answers at that address, without showing the password', async () => {
    const port = await closedPort();
    const error = await openPgStore(`postgres://newsdesk:s3cret-Pa55@127.0.0.1:${port}/news`).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORE_FAILED' });
    const message = (error as Error).message;
    expect(message).toContain(`postgres://newsdesk@127.0.0.1:${port}/news`);
    expect(message).toMatch(/check that PostgreSQL is running/);
    expect(message).not.toContain('s3cret-Pa55');
  });

  it('says which database does not exist and how to create it', async () => {
    const missing = new URL(url);
    missing.pathname = '/no_such_newsdesk_db';
    missing.password = 'hunter2-secret';
    const error = await openPgStore(missing.toString()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORE_FAILED' });
    expect((error as Error).message).toMatch(/no_such_newsdesk_db.*does not exist.*createdb/);
    expect((error as Error).message).not.toContain('hunter2-secret');
  });

  it('refuses a setting that is not a URL, saying how to write one', async () => {
    await expect(openPgStore('localhost:5432/news')).rejects.toMatchObject({ code: 'STORE_FAILED' });
    await expect(openPgStore('not a url')).rejects.toThrow(/postgres:\/\/user:password@host:5432\/database/);
  });
});
