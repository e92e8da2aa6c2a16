import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NewsdeskError, describeError } from '../errors.js';
import { splitIntoPassages } from '../search/passages.js';
import { DEFAULT_TIMEZONE } from '../config.js';
import { normalize } from '../text/normalize.js';
import { localDayOf } from '../text/publication-date.js';
import { ArticleAdmin } from './article-admin.js';
import { storedArticle, toArticle, type ArticleRow } from './article-row.js';
import { DigestStore } from './digest-store.js';
import { FeedStore } from './feed-store.js';
import { readStoreHealthFacts, type StoreHealthFacts } from './health-facts.js';
import { migrateSqlite } from './sqlite-migrations.js';

export interface ArticleRecord {
  id: number;
  title: string | null;
  source: string;
  reporter: string | null;
  url: string | null;
  /** ISO instant in UTC (rows stored before version 0.2 may hold a bare YYYY-MM-DD). */
  publishedAt: string;
  /** YYYY-MM-DD, the article's local day in its outlet's zone: what is shown and filtered by. */
  publishedDay: string;
  ingestedAt: string;
}

export interface PassageRecord {
  id: number;
  articleId: number;
  text: string;
}

/** An article ready to store: every field the store needs is decided by the caller. */
export interface NewArticle {
  dedupeKey: string;
  title?: string;
  paragraphs: string[];
  source: string;
  reporter?: string;
  url?: string;
  /** ISO instant (or a bare YYYY-MM-DD). */
  publishedAt: string;
  /** YYYY-MM-DD local day; when absent, derived from `publishedAt` in the store's zone. */
  publishedDay?: string;
  /** Where it came from (a file path, a feed URL), for the admin's benefit. */
  origin?: string;
}

/** What filters need of every article, kept in memory beside the index. */
export interface ArticleFacts {
  source: string;
  /** YYYY-MM-DD local day. */
  publishedDay: string;
}

export interface InsertResult {
  added: Array<{ article: ArticleRecord; passages: PassageRecord[]; paragraphs: number }>;
  duplicates: number;
  /** Already stored, but the new copy gives another date: the stored article and the date offered now. */
  redated: Array<{ id: number; storedDate: string; offeredDate: string; /** Position in the articles given. */ at: number }>;
  /** Removed by the owner earlier (a tombstone): not stored again. */
  removedBefore: number;
}

export interface SourceSummary {
  source: string;
  articles: number;
  /** The newest local day (YYYY-MM-DD). */
  newest: string;
}

/**
 * The local day of a stored date: a bare YYYY-MM-DD is already one; an instant's day is taken in `zone`
 * (rows stored before days were kept lost the offset they were written with; the outlets' zone is the best guess).
 */
export function dayOfStoredDate(publishedAt: string, zone: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(publishedAt)) return publishedAt;
  const t = Date.parse(publishedAt);
  return Number.isNaN(t) ? publishedAt.slice(0, 10) : localDayOf(new Date(t), zone);
}

export const DATABASE_FILE = 'newsdesk.db';

/**
 * Whether an error is SQLite reporting a damaged file: SQLITE_CORRUPT (and its extended codes such as
 * SQLITE_CORRUPT_INDEX) or SQLITE_NOTADB (https://www.sqlite.org/rescode.html). Nothing but a restore fixes these.
 */
export function isStoreDamage(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

/** Whether an error comes from SQLite (better-sqlite3's SqliteError carries SQLite's result code). */
export function isSqliteError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_');
}

/** The one message for a damaged database: what happened, which file, what to do. */
export function storeDamaged(path: string, cause: unknown): NewsdeskError {
  return new NewsdeskError(
    'STORE_DAMAGED',
    `The database ${path} is damaged (${describeError(cause)}). Restore it from a backup (newsdesk restore <backup file>), or move it aside and ingest your news again (move its -wal and -shm files with it); nothing else in ${dirname(path)} is touched.`,
    { cause },
  );
}
/** How long SQLite itself waits for another process's write lock before a write gives up (or, waiting for it, goes round again). */
export const BUSY_TIMEOUT_MS = 5_000;

/** How a write waits for the lock another process holds. */
export interface WriteLockOptions {
  /** Wait as long as it takes (the command line's ingest); otherwise give up after BUSY_TIMEOUT_MS. */
  waitForLock?: boolean;
  /** Called each time SQLite's busy timeout passes while waiting, with the milliseconds waited so far. */
  onWait?: (waitedMs: number) => void;
}

const isBusy = (error: unknown) => /^SQLITE_BUSY/.test((error as { code?: string } | undefined)?.code ?? '');

/** The SQLite database of articles, paragraphs and passages. Every write is one transaction. */
export class Store {
  readonly db: SqliteDatabase;
  readonly digests: DigestStore;
  readonly feeds: FeedStore;
  /** The outlets' default zone: gives a day to articles stored with an instant only. */
  readonly zone: string;
  /** Finding, listing, removing and correcting articles (the owner's toolbox). */
  readonly articles: ArticleAdmin;

  /** The database file. */
  readonly path: string;

  private constructor(db: SqliteDatabase, path: string, zone: string) {
    this.db = db;
    this.path = path;
    this.zone = zone;
    this.articles = new ArticleAdmin(db);
    this.digests = new DigestStore(db);
    this.feeds = new FeedStore(db);
  }

  /** Opens (creating and migrating) the database in `dataDir`; `zone` is NEWSDESK_TIMEZONE. Throws STORE_FAILED. */
  static open(dataDir: string, options: { zone?: string } = {}): Store {
    const path = join(dataDir, DATABASE_FILE);
    let db: SqliteDatabase;
    try {
      mkdirSync(dataDir, { recursive: true });
      db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    } catch (error) {
      if (isStoreDamage(error)) throw storeDamaged(path, error);
      throw new NewsdeskError('STORE_FAILED', `Cannot open the database in ${dataDir}: ${describeError(error)}. Check that NEWSDESK_DATA_DIR points to a writable directory.`, { cause: error });
    }
    const store = new Store(db, path, options.zone ?? DEFAULT_TIMEZONE);
    try {
      store.migrate();
    } catch (error) {
      db.close();
      if (isStoreDamage(error)) throw storeDamaged(path, error);
      throw error;
    }
    return store;
  }

  /**
   * SQLite's own structural check of every page (`PRAGMA quick_check`: b-trees, free list, record formats; not
   * index contents), so damage anywhere in the file is named at start rather than met later mid-question.
   * Reads the whole file: about a second per few hundred MB. Throws STORE_DAMAGED when it finds anything.
   */
  checkIntegrity(): void {
    let problems: string[];
    try {
      problems = (this.db.pragma('quick_check(5)') as Record<string, unknown>[]).map((row) => String(Object.values(row)[0]));
    } catch (error) {
      if (isStoreDamage(error)) throw storeDamaged(this.path, error);
      throw error;
    }
    if (problems.length !== 1 || problems[0] !== 'ok') throw storeDamaged(this.path, new Error(problems.join('; ')));
  }

  /**
   * Copies what the write-ahead log holds into the database file, without waiting for or blocking anyone
   * (PASSIVE): committed news then lives in `newsdesk.db` itself, so losing the `-wal` file loses nothing
   * committed before the last checkpoint. Cheap when there is nothing to copy.
   */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  /** Applies the migrations this database lacks (src/store/sqlite-migrations.ts), then gives old rows their local day. */
  private migrate(): void {
    migrateSqlite(this.db, {
      write: (run) => this.withWriteLock(run, { waitForLock: true }),
      afterMigrations: () => this.backfillPublishedDays(),
    });
  }

  /**
   * Gives rows stored before local days were kept their day, once: in SQL alone an instant's day in a zone with
   * daylight saving cannot be computed, so each row is converted with Luxon. Runs inside the migration's
   * transaction; a database already migrated has no such rows and this costs one indexed query.
   */
  private backfillPublishedDays(): void {
    const rows = this.db.prepare('SELECT id, published_at FROM articles WHERE published_day IS NULL').all() as Array<{ id: number; published_at: string }>;
    const update = this.db.prepare('UPDATE articles SET published_day = ? WHERE id = ?');
    for (const row of rows) update.run(dayOfStoredDate(row.published_at, this.zone), row.id);
  }

  /**
   * Stores new articles in one write transaction; articles whose dedupe key is known are counted, not stored, and
   * so are articles an owner removed (their tombstone stays). Keep `articles` to a few hundred
   * (see INGEST_BATCH_ARTICLES): while it runs, every other writer waits.
   *
   * The transaction takes the write lock first (`BEGIN IMMEDIATE`): a transaction that read first and then wrote
   * would fail at once, without waiting, whenever another process committed in between (SQLite's WAL rule).
   * When another process holds the lock, SQLite waits up to its busy timeout (BUSY_TIMEOUT_MS); with
   * `waitForLock`, the wait then goes on, `onWait` being told how long it has lasted so far, for as long as it takes.
   * @throws NewsdeskError `STORE_FAILED` when the lock is still held after the busy timeout (without `waitForLock`)
   *   or the write fails; nothing of the batch is stored then.
   */
  insertArticles(articles: readonly NewArticle[], ingestedAt: string, lock: WriteLockOptions = {}): InsertResult {
    const existing = this.db.prepare('SELECT id, published_day FROM articles WHERE dedupe_key = ?');
    const removed = this.db.prepare('SELECT 1 FROM tombstones WHERE dedupe_key = ?').pluck();
    const insertArticle = this.db.prepare(
      `INSERT INTO articles (dedupe_key, title, source, reporter, url, published_at, published_day, ingested_at, origin)
       VALUES (@dedupeKey, @title, @source, @reporter, @url, @publishedAt, @publishedDay, @ingestedAt, @origin)`,
    );
    const insertParagraph = this.db.prepare('INSERT INTO paragraphs (article_id, position, text) VALUES (?, ?, ?)');
    const insertPassage = this.db.prepare('INSERT INTO passages (article_id, paragraph_id, text) VALUES (?, ?, ?)');
    const write = this.db.transaction((): InsertResult => {
      const result: InsertResult = { added: [], duplicates: 0, redated: [], removedBefore: 0 };
      const seen = new Set<string>();
      for (const [at, a] of articles.entries()) {
        if (removed.get(a.dedupeKey)) {
          result.removedBefore++;
          continue;
        }
        const stored = seen.has(a.dedupeKey) ? undefined : (existing.get(a.dedupeKey) as { id: number; published_day: string } | undefined);
        const publishedDay = a.publishedDay ?? dayOfStoredDate(a.publishedAt, this.zone);
        if (seen.has(a.dedupeKey) || stored) {
          result.duplicates++;
          // Compared by local day: a re-ingest that dates the article differently is most likely a correction.
          if (stored && stored.published_day !== publishedDay) {
            result.redated.push({ id: stored.id, storedDate: stored.published_day, offeredDate: publishedDay, at });
          }
          continue;
        }
        seen.add(a.dedupeKey);
        const articleId = Number(
          insertArticle.run({
            dedupeKey: a.dedupeKey,
            title: a.title ?? null,
            source: a.source,
            reporter: a.reporter ?? null,
            url: a.url ?? null,
            publishedAt: a.publishedAt,
            publishedDay,
            ingestedAt,
            origin: a.origin ?? null,
          }).lastInsertRowid,
        );
        const passages: PassageRecord[] = [];
        a.paragraphs.forEach((text, position) => {
          const paragraphId = Number(insertParagraph.run(articleId, position, text).lastInsertRowid);
          for (const passage of splitIntoPassages(text)) {
            const id = Number(insertPassage.run(articleId, paragraphId, passage).lastInsertRowid);
            passages.push({ id, articleId, text: passage });
          }
        });
        const article = storedArticle(a, articleId, publishedDay, ingestedAt);
        result.added.push({ article, passages, paragraphs: a.paragraphs.length });
      }
      return result;
    });
    return this.withWriteLock(() => write.immediate(), lock);
  }

  /** Runs a write, waiting for another process's write lock as `lock` says (see {@link insertArticles}). */
  private withWriteLock<T>(write: () => T, lock: WriteLockOptions): T {
    const started = Date.now();
    for (;;) {
      try {
        return write();
      } catch (error) {
        if (!isBusy(error)) throw error;
        if (!lock.waitForLock) {
          throw new NewsdeskError('STORE_FAILED', `The database is busy: another process (an ingest?) held its write lock for over ${BUSY_TIMEOUT_MS / 1000} s. Try again when it is done.`, { cause: error });
        }
        lock.onWait?.(Date.now() - started);
      }
    }
  }

  /**
   * Replaces an article's text (a feed item's summary, once its page could be read) in one write transaction.
   * Its passages keep their ids as far as the new text has passages (the index holds them by id and re-indexes
   * them), further ones are added with new ids; surplus old passages, should the new text have fewer, keep their
   * text. Returns both, for the index. Waits for the write lock only up to the busy timeout.
   * @throws NewsdeskError `STORE_FAILED` when the database stays busy.
   */
  replaceArticleText(articleId: number, paragraphs: readonly string[]): { updated: PassageRecord[]; added: PassageRecord[] } {
    const oldPassages = this.db.prepare('SELECT id FROM passages WHERE article_id = ? ORDER BY id').pluck();
    const oldParagraphs = this.db.prepare('SELECT id FROM paragraphs WHERE article_id = ?').pluck();
    const insertParagraph = this.db.prepare('INSERT INTO paragraphs (article_id, position, text) VALUES (?, ?, ?)');
    const insertPassage = this.db.prepare('INSERT INTO passages (article_id, paragraph_id, text) VALUES (?, ?, ?)');
    const updatePassage = this.db.prepare('UPDATE passages SET text = ?, paragraph_id = ? WHERE id = ?');
    const repoint = this.db.prepare('UPDATE passages SET paragraph_id = ? WHERE id = ?');
    const deleteParagraph = this.db.prepare('DELETE FROM paragraphs WHERE id = ?');
    const write = this.db.transaction(() => {
      const reuse = oldPassages.all(articleId) as number[];
      const stale = oldParagraphs.all(articleId) as number[];
      const updated: PassageRecord[] = [];
      const added: PassageRecord[] = [];
      let firstParagraph = 0;
      paragraphs.forEach((text, position) => {
        const paragraphId = Number(insertParagraph.run(articleId, position, text).lastInsertRowid);
        firstParagraph ||= paragraphId;
        for (const passage of splitIntoPassages(text)) {
          const id = reuse.shift();
          if (id !== undefined) {
            updatePassage.run(passage, paragraphId, id);
            updated.push({ id, articleId, text: passage });
          } else {
            added.push({ id: Number(insertPassage.run(articleId, paragraphId, passage).lastInsertRowid), articleId, text: passage });
          }
        }
      });
      // Paragraph rows cascade to their passages: move any surplus passage off the old paragraphs before they go.
      for (const id of reuse) repoint.run(firstParagraph, id);
      for (const id of stale) deleteParagraph.run(id);
      return { updated, added };
    });
    return this.withWriteLock(() => write.immediate(), {});
  }

  passageCount(): number {
    return this.db.prepare('SELECT count(*) FROM passages').pluck().get() as number;
  }

  maxPassageId(): number {
    return (this.db.prepare('SELECT max(id) FROM passages').pluck().get() as number | null) ?? 0;
  }

  countPassagesUpTo(id: number): number {
    return this.db.prepare('SELECT count(*) FROM passages WHERE id <= ?').pluck().get(id) as number;
  }

  countPassagesAfter(id: number): number {
    return this.db.prepare('SELECT count(*) FROM passages WHERE id > ?').pluck().get(id) as number;
  }

  /** The smallest passage id above `afterId`, if any. */
  firstPassageIdAfter(afterId: number): number | undefined {
    return (this.db.prepare('SELECT min(id) FROM passages WHERE id > ?').pluck().get(afterId) as number | null) ?? undefined;
  }

  /** Passages with an id above `afterId`, in id order, streamed so a million rows never sit in memory at once. */
  *iteratePassages(afterId = 0): Generator<PassageRecord> {
    const rows = this.db
      .prepare('SELECT id, article_id AS articleId, text FROM passages WHERE id > ? ORDER BY id')
      .iterate(afterId) as IterableIterator<PassageRecord>;
    yield* rows;
  }

  /** At most `limit` passages with an id above `afterId`, in id order: one short read, no statement left open. */
  passagesAfter(afterId: number, limit: number): PassageRecord[] {
    return this.db.prepare('SELECT id, article_id AS articleId, text FROM passages WHERE id > ? ORDER BY id LIMIT ?').all(afterId, limit) as PassageRecord[];
  }

  getPassages(ids: readonly number[]): Map<number, PassageRecord> {
    const map = new Map<number, PassageRecord>();
    if (ids.length === 0) return map;
    const rows = this.db
      .prepare(`SELECT id, article_id AS articleId, text FROM passages WHERE id IN (${ids.map(() => '?').join(',')})`)
      .all(...ids) as PassageRecord[];
    for (const row of rows) map.set(row.id, row);
    return map;
  }

  /** articleId → its first passage (the lead), for the given articles; read through the passages_article index. */
  leadPassages(articleIds: readonly number[]): Map<number, PassageRecord> {
    const map = new Map<number, PassageRecord>();
    if (articleIds.length === 0) return map;
    const rows = this.db
      .prepare(
        `SELECT id, article_id AS articleId, text FROM passages WHERE id IN
           (SELECT min(id) FROM passages WHERE article_id IN (${articleIds.map(() => '?').join(',')}) GROUP BY article_id)`,
      )
      .all(...articleIds) as PassageRecord[];
    for (const row of rows) map.set(row.articleId, row);
    return map;
  }

  getArticles(ids: readonly number[]): Map<number, ArticleRecord> {
    const map = new Map<number, ArticleRecord>();
    if (ids.length === 0) return map;
    const rows = this.db
      .prepare(`SELECT * FROM articles WHERE id IN (${ids.map(() => '?').join(',')})`)
      .all(...ids) as ArticleRow[];
    for (const row of rows) map.set(row.id, toArticle(row));
    return map;
  }

  /** Every article's filterable facts, small enough to keep in memory beside the index. */
  articleFacts(afterId = 0): Map<number, ArticleFacts> {
    const map = new Map<number, ArticleFacts>();
    const rows = this.db.prepare('SELECT id, source, published_day FROM articles WHERE id > ?').iterate(afterId) as IterableIterator<{
      id: number;
      source: string;
      published_day: string;
    }>;
    for (const row of rows) map.set(row.id, { source: row.source, publishedDay: row.published_day });
    return map;
  }

  articleParagraphs(articleId: number): string[] {
    return this.db
      .prepare('SELECT text FROM paragraphs WHERE article_id = ? ORDER BY position')
      .pluck()
      .all(articleId) as string[];
  }

  /**
   * articleId → its paragraphs in order, for many articles in one call (a digest's candidates, a page of an export);
   * articles without paragraphs, or not stored, are absent.
   */
  paragraphsOf(articleIds: readonly number[]): Map<number, string[]> {
    const map = new Map<number, string[]>();
    // In chunks: SQLite takes at most 32,766 variables a statement, and a day's digest may read thousands of articles.
    for (let at = 0; at < articleIds.length; at += 500) {
      const chunk = articleIds.slice(at, at + 500);
      const rows = this.db
        .prepare(`SELECT article_id AS articleId, text FROM paragraphs WHERE article_id IN (${chunk.map(() => '?').join(',')}) ORDER BY article_id, position`)
        .all(...chunk) as Array<{ articleId: number; text: string }>;
      for (const row of rows) {
        const list = map.get(row.articleId);
        if (list) list.push(row.text);
        else map.set(row.articleId, [row.text]);
      }
    }
    return map;
  }

  /** Ids of the stored articles with these dedupe keys, in id order (keys not stored are left out). */
  articleIdsByDedupeKey(keys: readonly string[]): number[] {
    const ids: number[] = [];
    for (let at = 0; at < keys.length; at += 500) {
      const chunk = keys.slice(at, at + 500);
      ids.push(...(this.db.prepare(`SELECT id FROM articles WHERE dedupe_key IN (${chunk.map(() => '?').join(',')})`).pluck().all(...chunk) as number[]));
    }
    return ids.sort((a, b) => a - b);
  }

  /**
   * At most `limit` articles with an id above `afterId`, in id order (keyset paging: a large store is read a page at a
   * time, no statement left open); only one outlet's (`source`, as stored) or those of local days from `since` to
   * `until` (YYYY-MM-DD, inclusive) when given.
   */
  articlesAfter(afterId: number, limit: number, filter: { source?: string; since?: string; until?: string } = {}): ArticleRecord[] {
    const where = ['id > ?'];
    const params: Array<string | number> = [afterId];
    if (filter.source !== undefined) (where.push('source = ?'), params.push(filter.source));
    if (filter.since) (where.push('published_day >= ?'), params.push(filter.since));
    if (filter.until) (where.push('published_day <= ?'), params.push(filter.until));
    const rows = this.db.prepare(`SELECT * FROM articles WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`).all(...params, limit) as ArticleRow[];
    return rows.map(toArticle);
  }

  /** How many articles each local day (YYYY-MM-DD) from `fromDay` on holds; days without any are left out. */
  articlesPerDay(fromDay: string): Array<{ day: string; articles: number }> {
    return this.db.prepare('SELECT published_day AS day, count(*) AS articles FROM articles WHERE published_day >= ? GROUP BY published_day ORDER BY published_day').all(fromDay) as Array<{
      day: string;
      articles: number;
    }>;
  }

  /** What the health check reports of the database (see readStoreHealthFacts); throws the database's own error. */
  healthFacts(): StoreHealthFacts {
    return readStoreHealthFacts(this.db);
  }

  /** Every article after `afterId`, in id order, as headline suggestions need it (title, outlet, local day YYYY-MM-DD). */
  *headlines(afterId = 0): Generator<{ articleId: number; title: string; source: string; publishedAt: string }> {
    const rows = this.db
      .prepare('SELECT id, title, source, published_day FROM articles WHERE id > ? ORDER BY id')
      .iterate(afterId) as IterableIterator<{ id: number; title: string | null; source: string; published_day: string }>;
    for (const r of rows) yield { articleId: r.id, title: r.title ?? '', source: r.source, publishedAt: r.published_day };
  }

  /** Outlet names only: read from the index on `source`, cheap enough for every filtered question. */
  sourceNames(): string[] {
    return this.db.prepare('SELECT DISTINCT source FROM articles ORDER BY source').pluck().all() as string[];
  }

  /** The stored outlet an admin or member means, compared as the tokenizer would (width, case, script). */
  findSource(name: string): string | undefined {
    const wanted = normalize(name.trim());
    return wanted ? this.sourceNames().find((s) => normalize(s) === wanted) : undefined;
  }

  sources(): SourceSummary[] {
    return this.db
      .prepare(
        `SELECT source, count(*) AS articles, max(published_day) AS newest
         FROM articles GROUP BY source ORDER BY articles DESC, source`,
      )
      .all() as SourceSummary[];
  }

  latest(limit: number, source?: string): ArticleRecord[] {
    const rows = (
      source
        ? this.db
            .prepare('SELECT * FROM articles WHERE source = ? ORDER BY published_day DESC, published_at DESC, id DESC LIMIT ?')
            .all(source, limit)
        : this.db.prepare('SELECT * FROM articles ORDER BY published_day DESC, published_at DESC, id DESC LIMIT ?').all(limit)
    ) as ArticleRow[];
    return rows.map(toArticle);
  }

  /**
   * Articles for a digest: ingested after `since` (new to the bot) and published on or after the local day
   * `publishedFrom` (YYYY-MM-DD; so a backfill of old archives does not flood today's digest).
   */
  articlesIngestedBetween(since: string, until: string, publishedFrom: string): ArticleRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM articles WHERE ingested_at > ? AND ingested_at <= ? AND published_day >= ? ORDER BY published_day DESC, published_at DESC, id DESC')
      .all(since, until, publishedFrom) as ArticleRow[];
    return rows.map(toArticle);
  }

  articleCount(): number {
    return this.db.prepare('SELECT count(*) FROM articles').pluck().get() as number;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
