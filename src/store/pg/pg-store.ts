import { DEFAULT_TIMEZONE } from '../../config.js';
import { NewsdeskError } from '../../errors.js';
import { splitIntoPassages } from '../../search/passages.js';
import { normalize } from '../../text/normalize.js';
import { storedArticle, toArticle, type ArticleRow } from '../article-row.js';
import type { NewsStore } from '../news-store.js';
import {
  BUSY_TIMEOUT_MS,
  dayOfStoredDate,
  type ArticleFacts,
  type ArticleRecord,
  type InsertResult,
  type NewArticle,
  type PassageRecord,
  type SourceSummary,
  type WriteLockOptions,
} from '../store.js';
import type { StoreHealthFacts } from '../health-facts.js';
import { PgArticleAdmin } from './pg-article-admin.js';
import { createPgDatabase, migratePg, pgStoreFailed, queriesOn, redactUrl, type PgDatabase, type PgQueries } from './pg-database.js';
import { PgDigestStore } from './pg-digest-store.js';
import { PgFeedStore } from './pg-feed-store.js';

/**
 * Advisory lock key held, from its start to its commit, by every transaction that hands out passage ids (storing
 * articles, replacing an article's text). Index replicas catch up by passage id (`passagesAfter(lastId)`); with
 * ids from a sequence, two transactions inserting at once could commit out of order, and a replica that read past
 * the later one's ids would never see the earlier one's passages. Serialised, ids become visible in id order:
 * PostgreSQL makes a transaction visible before it releases its locks.
 */
export const PASSAGE_IDS_LOCK = 0x6e6473_0001;

/** Rows read per query when a method must return everything (iteratePassages, headlines). */
const READ_PAGE_ROWS = 10_000;

const PASSAGE_COLUMNS = 'id, article_id AS "articleId", text';

/**
 * Opens the PostgreSQL store at `url` (postgres://user:password@host:port/database), bringing its schema up to date
 * (Kysely's Migrator). Every process (bot, ingest, feeds, digest, ask) may open the same database at once.
 * @param options.zone NEWSDESK_TIMEZONE: gives a day to articles stored with an instant only.
 * @throws NewsdeskError `STORE_FAILED` when the server cannot be reached, refuses the login, or the database does
 *   not exist, saying what to check; the message shows the URL without its password.
 */
export async function openPgStore(url: string, options: { zone?: string } = {}): Promise<NewsStore> {
  const protocol = (() => {
    try {
      return new URL(url).protocol;
    } catch {
      return undefined;
    }
  })();
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new NewsdeskError('STORE_FAILED', `NEWSDESK_DATABASE_URL is not a PostgreSQL URL: write it as postgres://user:password@host:5432/database.`);
  }
  const db = createPgDatabase(url);
  try {
    await db.value('SELECT 1');
    await migratePg(db.pool);
  } catch (error) {
    await db.pool.end().catch(() => {});
    throw pgStoreFailed(url, error);
  }
  return new PgNewsStore(db, redactUrl(url), options.zone ?? DEFAULT_TIMEZONE);
}

/** The store on PostgreSQL: every method answers as the SQLite Store's (src/store/store.ts) does. */
export class PgNewsStore implements NewsStore {
  readonly kind = 'postgres' as const;
  readonly feeds: PgFeedStore;
  readonly digests: PgDigestStore;
  readonly articles: PgArticleAdmin;

  constructor(
    private readonly db: PgDatabase,
    readonly location: string,
    readonly zone: string,
  ) {
    this.feeds = new PgFeedStore(db);
    this.digests = new PgDigestStore(db);
    this.articles = new PgArticleAdmin(db);
  }

  /** Nothing to check from here: PostgreSQL checks its own pages (data checksums, amcheck) and reports damage as errors. */
  async checkIntegrity(): Promise<void> {}

  /** Nothing to do: PostgreSQL checkpoints on its own. */
  async checkpoint(): Promise<void> {}

  /**
   * Stores new articles in one transaction, as Store.insertArticles: known dedupe keys are counted (and reported
   * as redated when the day differs), tombstoned ones are not stored again. Ids come from the database's identity
   * sequences, taken under PASSAGE_IDS_LOCK, and each table's rows go in with one multi-row INSERT (unnest of arrays).
   * Without `waitForLock`, gives up when another process has held the lock for BUSY_TIMEOUT_MS.
   * @throws NewsdeskError `STORE_FAILED` when the lock is not had in time; nothing of the batch is stored then.
   */
  async insertArticles(articles: readonly NewArticle[], ingestedAt: string, lock: WriteLockOptions = {}): Promise<InsertResult> {
    return this.withPassageLock(lock, async (tx) => {
      const result: InsertResult = { added: [], duplicates: 0, redated: [], removedBefore: 0 };
      const keys = [...new Set(articles.map((a) => a.dedupeKey))];
      const removed = new Set(await tx.column<string>('SELECT dedupe_key FROM tombstones WHERE dedupe_key = ANY($1::text[])', [keys]));
      const existing = new Map(
        (await tx.all<{ dedupe_key: string; id: number; published_day: string }>('SELECT dedupe_key, id, published_day FROM articles WHERE dedupe_key = ANY($1::text[])', [keys])).map(
          (r) => [r.dedupe_key, r],
        ),
      );
      const seen = new Set<string>();
      const fresh: Array<{ a: NewArticle; publishedDay: string; paragraphs: Array<{ text: string; passages: string[] }> }> = [];
      for (const [at, a] of articles.entries()) {
        if (removed.has(a.dedupeKey)) {
          result.removedBefore++;
          continue;
        }
        const stored = seen.has(a.dedupeKey) ? undefined : existing.get(a.dedupeKey);
        const publishedDay = a.publishedDay ?? dayOfStoredDate(a.publishedAt, this.zone);
        if (seen.has(a.dedupeKey) || stored) {
          result.duplicates++;
          if (stored && stored.published_day !== publishedDay) result.redated.push({ id: stored.id, storedDate: stored.published_day, offeredDate: publishedDay, at });
          continue;
        }
        seen.add(a.dedupeKey);
        fresh.push({ a, publishedDay, paragraphs: a.paragraphs.map((text) => ({ text, passages: splitIntoPassages(text) })) });
      }
      if (fresh.length === 0) return result;

      const articleIds = await nextIds(tx, 'articles', fresh.length);
      const paragraphIds = await nextIds(tx, 'paragraphs', fresh.reduce((n, f) => n + f.paragraphs.length, 0));
      const passageIds = await nextIds(tx, 'passages', fresh.reduce((n, f) => n + f.paragraphs.reduce((m, p) => m + p.passages.length, 0), 0));
      const rows = { paragraphs: [] as unknown[][], passages: [] as unknown[][] };
      let paragraphAt = 0;
      let passageAt = 0;
      for (const [i, { a, publishedDay, paragraphs }] of fresh.entries()) {
        const articleId = articleIds[i]!;
        const passages: PassageRecord[] = [];
        paragraphs.forEach((paragraph, position) => {
          const paragraphId = paragraphIds[paragraphAt++]!;
          rows.paragraphs.push([paragraphId, articleId, position, paragraph.text]);
          for (const text of paragraph.passages) {
            const id = passageIds[passageAt++]!;
            rows.passages.push([id, articleId, paragraphId, text]);
            passages.push({ id, articleId, text });
          }
        });
        const article = storedArticle(a, articleId, publishedDay, ingestedAt);
        result.added.push({ article, passages, paragraphs: paragraphs.length });
      }
      await insertRows(
        tx,
        'articles',
        ['id', 'dedupe_key', 'title', 'source', 'reporter', 'url', 'published_at', 'published_day', 'ingested_at', 'origin'],
        ['bigint', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text'],
        fresh.map(({ a, publishedDay }, i) => [articleIds[i], a.dedupeKey, a.title ?? null, a.source, a.reporter ?? null, a.url ?? null, a.publishedAt, publishedDay, ingestedAt, a.origin ?? null]),
      );
      await insertRows(tx, 'paragraphs', ['id', 'article_id', 'position', 'text'], ['bigint', 'bigint', 'integer', 'text'], rows.paragraphs);
      await insertRows(tx, 'passages', ['id', 'article_id', 'paragraph_id', 'text'], ['bigint', 'bigint', 'bigint', 'text'], rows.passages);
      return result;
    });
  }

  /**
   * Replaces an article's text as Store.replaceArticleText does: its passages keep their ids as far as the new text
   * has passages, further ones get new ids (under PASSAGE_IDS_LOCK), surplus old ones keep their text.
   * @throws NewsdeskError `STORE_FAILED` when another process holds the lock past BUSY_TIMEOUT_MS.
   */
  async replaceArticleText(articleId: number, paragraphs: readonly string[]): Promise<{ updated: PassageRecord[]; added: PassageRecord[] }> {
    return this.withPassageLock({}, async (tx) => {
      const reuse = await tx.column<number>('SELECT id FROM passages WHERE article_id = $1 ORDER BY id', [articleId]);
      const stale = await tx.column<number>('SELECT id FROM paragraphs WHERE article_id = $1', [articleId]);
      const updated: PassageRecord[] = [];
      const added: PassageRecord[] = [];
      let firstParagraph = 0;
      for (const [position, text] of paragraphs.entries()) {
        const paragraphId = (await tx.value<number>('INSERT INTO paragraphs (article_id, position, text) VALUES ($1, $2, $3) RETURNING id', [articleId, position, text]))!;
        firstParagraph ||= paragraphId;
        for (const passage of splitIntoPassages(text)) {
          const id = reuse.shift();
          if (id !== undefined) {
            await tx.run('UPDATE passages SET text = $1, paragraph_id = $2 WHERE id = $3', [passage, paragraphId, id]);
            updated.push({ id, articleId, text: passage });
          } else {
            const newId = (await tx.value<number>('INSERT INTO passages (article_id, paragraph_id, text) VALUES ($1, $2, $3) RETURNING id', [articleId, paragraphId, passage]))!;
            added.push({ id: newId, articleId, text: passage });
          }
        }
      }
      // Paragraph rows cascade to their passages: move any surplus passage off the old paragraphs before they go.
      if (reuse.length > 0) await tx.run('UPDATE passages SET paragraph_id = $1 WHERE id = ANY($2::bigint[])', [firstParagraph, reuse]);
      if (stale.length > 0) await tx.run('DELETE FROM paragraphs WHERE id = ANY($1::bigint[])', [stale]);
      return { updated, added };
    });
  }

  async passageCount(): Promise<number> {
    return (await this.db.value<number>('SELECT count(*) FROM passages')) ?? 0;
  }

  async maxPassageId(): Promise<number> {
    return (await this.db.value<number | null>('SELECT max(id) FROM passages')) ?? 0;
  }

  async countPassagesUpTo(id: number): Promise<number> {
    return (await this.db.value<number>('SELECT count(*) FROM passages WHERE id <= $1', [id])) ?? 0;
  }

  async countPassagesAfter(id: number): Promise<number> {
    return (await this.db.value<number>('SELECT count(*) FROM passages WHERE id > $1', [id])) ?? 0;
  }

  async firstPassageIdAfter(afterId: number): Promise<number | undefined> {
    return (await this.db.value<number | null>('SELECT min(id) FROM passages WHERE id > $1', [afterId])) ?? undefined;
  }

  /**
   * Passages above `afterId` in id order. The interface returns a synchronous generator, so every row is read
   * (a page of READ_PAGE_ROWS at a time) before the first is yielded; a caller going through a million passages
   * should page with passagesAfter instead.
   */
  async iteratePassages(afterId = 0): Promise<Generator<PassageRecord>> {
    const all: PassageRecord[] = [];
    for (let last = afterId; ; ) {
      const page = await this.passagesAfter(last, READ_PAGE_ROWS);
      all.push(...page);
      if (page.length < READ_PAGE_ROWS) break;
      last = page[page.length - 1]!.id;
    }
    return (function* () {
      yield* all;
    })();
  }

  async passagesAfter(afterId: number, limit: number): Promise<PassageRecord[]> {
    return this.db.all<PassageRecord>(`SELECT ${PASSAGE_COLUMNS} FROM passages WHERE id > $1 ORDER BY id LIMIT $2`, [afterId, limit]);
  }

  async getPassages(ids: readonly number[]): Promise<Map<number, PassageRecord>> {
    const map = new Map<number, PassageRecord>();
    if (ids.length === 0) return map;
    for (const row of await this.db.all<PassageRecord>(`SELECT ${PASSAGE_COLUMNS} FROM passages WHERE id = ANY($1::bigint[])`, [ids])) map.set(row.id, row);
    return map;
  }

  async leadPassages(articleIds: readonly number[]): Promise<Map<number, PassageRecord>> {
    const map = new Map<number, PassageRecord>();
    if (articleIds.length === 0) return map;
    const rows = await this.db.all<PassageRecord>(
      `SELECT ${PASSAGE_COLUMNS} FROM passages WHERE id IN (SELECT min(id) FROM passages WHERE article_id = ANY($1::bigint[]) GROUP BY article_id)`,
      [articleIds],
    );
    for (const row of rows) map.set(row.articleId, row);
    return map;
  }

  async getArticles(ids: readonly number[]): Promise<Map<number, ArticleRecord>> {
    const map = new Map<number, ArticleRecord>();
    if (ids.length === 0) return map;
    for (const row of await this.db.all<ArticleRow>('SELECT * FROM articles WHERE id = ANY($1::bigint[])', [ids])) map.set(row.id, toArticle(row));
    return map;
  }

  async articleFacts(afterId = 0): Promise<Map<number, ArticleFacts>> {
    const map = new Map<number, ArticleFacts>();
    for (let last = afterId; ; ) {
      const rows = await this.db.all<{ id: number; source: string; published_day: string }>(
        'SELECT id, source, published_day FROM articles WHERE id > $1 ORDER BY id LIMIT $2',
        [last, READ_PAGE_ROWS * 5],
      );
      for (const row of rows) map.set(row.id, { source: row.source, publishedDay: row.published_day });
      if (rows.length < READ_PAGE_ROWS * 5) break;
      last = rows[rows.length - 1]!.id;
    }
    return map;
  }

  async articleParagraphs(articleId: number): Promise<string[]> {
    return this.db.column<string>('SELECT text FROM paragraphs WHERE article_id = $1 ORDER BY position', [articleId]);
  }

  /** Every article after `afterId` in id order, read in full before the first is yielded (see iteratePassages). */
  async headlines(afterId = 0): Promise<Generator<{ articleId: number; title: string; source: string; publishedAt: string }>> {
    const all: Array<{ articleId: number; title: string; source: string; publishedAt: string }> = [];
    for (let last = afterId; ; ) {
      const rows = await this.db.all<{ id: number; title: string | null; source: string; published_day: string }>(
        'SELECT id, title, source, published_day FROM articles WHERE id > $1 ORDER BY id LIMIT $2',
        [last, READ_PAGE_ROWS],
      );
      for (const r of rows) all.push({ articleId: r.id, title: r.title ?? '', source: r.source, publishedAt: r.published_day });
      if (rows.length < READ_PAGE_ROWS) break;
      last = rows[rows.length - 1]!.id;
    }
    return (function* () {
      yield* all;
    })();
  }

  async sourceNames(): Promise<string[]> {
    return this.db.column<string>('SELECT DISTINCT source FROM articles ORDER BY source');
  }

  async findSource(name: string): Promise<string | undefined> {
    const wanted = normalize(name.trim());
    return wanted ? (await this.sourceNames()).find((s) => normalize(s) === wanted) : undefined;
  }

  async sources(): Promise<SourceSummary[]> {
    return this.db.all<SourceSummary>('SELECT source, count(*) AS articles, max(published_day) AS newest FROM articles GROUP BY source ORDER BY articles DESC, source');
  }

  async latest(limit: number, source?: string): Promise<ArticleRecord[]> {
    const rows = source
      ? await this.db.all<ArticleRow>('SELECT * FROM articles WHERE source = $1 ORDER BY published_day DESC, published_at DESC, id DESC LIMIT $2', [source, limit])
      : await this.db.all<ArticleRow>('SELECT * FROM articles ORDER BY published_day DESC, published_at DESC, id DESC LIMIT $1', [limit]);
    return rows.map(toArticle);
  }

  async articlesIngestedBetween(since: string, until: string, publishedFrom: string): Promise<ArticleRecord[]> {
    const rows = await this.db.all<ArticleRow>(
      'SELECT * FROM articles WHERE ingested_at > $1 AND ingested_at <= $2 AND published_day >= $3 ORDER BY published_day DESC, published_at DESC, id DESC',
      [since, until, publishedFrom],
    );
    return rows.map(toArticle);
  }

  async paragraphsOf(articleIds: readonly number[]): Promise<Map<number, string[]>> {
    const map = new Map<number, string[]>();
    if (articleIds.length === 0) return map;
    const rows = await this.db.all<{ articleId: number; text: string }>(
      'SELECT article_id AS "articleId", text FROM paragraphs WHERE article_id = ANY($1::bigint[]) ORDER BY article_id, position',
      [articleIds],
    );
    for (const row of rows) {
      const list = map.get(row.articleId);
      if (list) list.push(row.text);
      else map.set(row.articleId, [row.text]);
    }
    return map;
  }

  async articleIdsByDedupeKey(keys: readonly string[]): Promise<number[]> {
    if (keys.length === 0) return [];
    return this.db.column<number>('SELECT id FROM articles WHERE dedupe_key = ANY($1::text[]) ORDER BY id', [keys]);
  }

  async articlesAfter(afterId: number, limit: number, filter: { source?: string; since?: string; until?: string } = {}): Promise<ArticleRecord[]> {
    const rows = await this.db.all<ArticleRow>(
      `SELECT * FROM articles WHERE id > $1 AND ($2::text IS NULL OR source = $2) AND ($3::text IS NULL OR published_day >= $3)
       AND ($4::text IS NULL OR published_day <= $4) ORDER BY id LIMIT $5`,
      [afterId, filter.source ?? null, filter.since || null, filter.until || null, limit],
    );
    return rows.map(toArticle);
  }

  async articlesPerDay(fromDay: string): Promise<Array<{ day: string; articles: number }>> {
    return this.db.all<{ day: string; articles: number }>(
      'SELECT published_day AS day, count(*) AS articles FROM articles WHERE published_day >= $1 GROUP BY published_day ORDER BY published_day',
      [fromDay],
    );
  }

  async healthFacts(): Promise<StoreHealthFacts> {
    const newestIngestAt = (await this.db.value<string | null>('SELECT max(ingested_at) FROM articles')) ?? undefined;
    const lastFeedPollAt = (await this.db.value<string | null>('SELECT max(last_polled_at) FROM feeds')) ?? undefined;
    const lastDigest = await this.db.one<NonNullable<StoreHealthFacts['lastDigest']>>(
      'SELECT channel_id AS "channelId", local_day AS "localDay", status, completed_at AS "completedAt" FROM deliveries WHERE completed_at IS NOT NULL ORDER BY completed_at DESC LIMIT 1',
    );
    return { newestIngestAt, lastFeedPollAt, lastDigest };
  }

  async articleCount(): Promise<number> {
    return (await this.db.value<number>('SELECT count(*) FROM articles')) ?? 0;
  }

  /** Ends the pool's connections; calling it again does nothing. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.pool.end();
  }

  private closed = false;

  /**
   * Runs `work` in one transaction that first takes PASSAGE_IDS_LOCK. The wait for the lock is bounded by
   * BUSY_TIMEOUT_MS (lock_timeout); with `waitForLock` it is retried, `onWait` told how long it has lasted, for as
   * long as it takes, as the SQLite store does with its write lock.
   */
  private async withPassageLock<T>(lock: WriteLockOptions, work: (tx: PgQueries) => Promise<T>): Promise<T> {
    const started = Date.now();
    for (;;) {
      const client = await this.db.pool.connect();
      const tx = queriesOn(client);
      try {
        await client.query('BEGIN');
        await client.query(`SET LOCAL lock_timeout = ${BUSY_TIMEOUT_MS}`);
        await client.query('SELECT pg_advisory_xact_lock($1)', [PASSAGE_IDS_LOCK]);
        await client.query('SET LOCAL lock_timeout = DEFAULT');
        const result = await work(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        if ((error as { code?: string }).code !== '55P03') throw error;
        if (!lock.waitForLock) {
          throw new NewsdeskError('STORE_FAILED', `The database is busy: another process (an ingest?) held its article lock for over ${BUSY_TIMEOUT_MS / 1000} s. Try again when it is done.`, { cause: error });
        }
        lock.onWait?.(Date.now() - started);
      } finally {
        client.release();
      }
    }
  }
}

/** `count` new ids from a table's identity sequence, ascending (the caller holds PASSAGE_IDS_LOCK). */
async function nextIds(tx: PgQueries, table: 'articles' | 'paragraphs' | 'passages', count: number): Promise<number[]> {
  if (count === 0) return [];
  const ids = await tx.column<number>(`SELECT nextval(pg_get_serial_sequence('${table}', 'id')) FROM generate_series(1, $1)`, [count]);
  return ids.sort((a, b) => a - b);
}

/** Most rows one INSERT carries: unnest takes one array per column, so this bounds memory, not parameters. */
export const INSERT_BATCH_ROWS = 5_000;

/**
 * Inserts rows with one statement per INSERT_BATCH_ROWS: one array per column, unnested into rows
 * (INSERT … SELECT * FROM unnest($1::bigint[], $2::text[], …)), rather than one round trip per row.
 */
export async function insertRows(tx: PgQueries, table: string, columns: readonly string[], types: readonly string[], rows: readonly unknown[][]): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_BATCH_ROWS) {
    const batch = rows.slice(start, start + INSERT_BATCH_ROWS);
    const arrays = columns.map((_, c) => batch.map((row) => row[c] ?? null));
    await tx.run(
      `INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`,
      arrays,
    );
  }
}
