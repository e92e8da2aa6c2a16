import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { NewsdeskError, describeError } from '../errors.js';
import { splitIntoPassages } from '../search/passages.js';
import { normalize } from '../text/normalize.js';
import { DigestStore } from './digest-store.js';
import { FeedStore } from './feed-store.js';
import { MIGRATIONS } from './schema.js';

export interface ArticleRecord {
  id: number;
  title: string | null;
  source: string;
  reporter: string | null;
  url: string | null;
  publishedAt: string;
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
  publishedAt: string;
  /** Where it came from (a file path, a feed URL), for the admin's benefit. */
  origin?: string;
}

export interface InsertResult {
  added: Array<{ article: ArticleRecord; passages: PassageRecord[]; paragraphs: number }>;
  duplicates: number;
}

export interface SourceSummary {
  source: string;
  articles: number;
  newest: string;
}

interface ArticleRow {
  id: number;
  title: string | null;
  source: string;
  reporter: string | null;
  url: string | null;
  published_at: string;
  ingested_at: string;
}

const toArticle = (row: ArticleRow): ArticleRecord => ({
  id: row.id,
  title: row.title,
  source: row.source,
  reporter: row.reporter,
  url: row.url,
  publishedAt: row.published_at,
  ingestedAt: row.ingested_at,
});

export const DATABASE_FILE = 'newsdesk.db';

/** The SQLite database of articles, paragraphs and passages. Every write is one transaction. */
export class Store {
  readonly db: SqliteDatabase;
  readonly digests: DigestStore;
  readonly feeds: FeedStore;

  private constructor(db: SqliteDatabase) {
    this.db = db;
    this.digests = new DigestStore(db);
    this.feeds = new FeedStore(db);
  }

  static open(dataDir: string): Store {
    let db: SqliteDatabase;
    try {
      mkdirSync(dataDir, { recursive: true });
      db = new Database(join(dataDir, DATABASE_FILE));
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
    } catch (error) {
      const damaged = /not a database|malformed|corrupt/i.test(describeError(error));
      throw new NewsdeskError(
        'STORE_FAILED',
        damaged
          ? `The database ${join(dataDir, DATABASE_FILE)} is damaged (${describeError(error)}). Restore it from a backup, or move it aside and ingest your news again; nothing else in ${dataDir} is touched.`
          : `Cannot open the database in ${dataDir}: ${describeError(error)}. Check that NEWSDESK_DATA_DIR points to a writable directory.`,
        { cause: error },
      );
    }
    const store = new Store(db);
    try {
      store.migrate();
    } catch (error) {
      db.close();
      throw error;
    }
    return store;
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new NewsdeskError(
        'STORE_FAILED',
        `The database was written by a newer newsdesk (schema ${version}, this one knows ${MIGRATIONS.length}). Update newsdesk or point NEWSDESK_DATA_DIR elsewhere.`,
      );
    }
    this.db.transaction(() => {
      for (let v = version; v < MIGRATIONS.length; v++) this.db.exec(MIGRATIONS[v] ?? '');
      this.db.pragma(`user_version = ${MIGRATIONS.length}`);
    })();
  }

  /** Stores new articles in one transaction; articles whose dedupe key is known are counted, not stored. */
  insertArticles(articles: readonly NewArticle[], ingestedAt: string): InsertResult {
    const exists = this.db.prepare('SELECT 1 FROM articles WHERE dedupe_key = ?').pluck();
    const insertArticle = this.db.prepare(
      `INSERT INTO articles (dedupe_key, title, source, reporter, url, published_at, ingested_at, origin)
       VALUES (@dedupeKey, @title, @source, @reporter, @url, @publishedAt, @ingestedAt, @origin)`,
    );
    const insertParagraph = this.db.prepare('INSERT INTO paragraphs (article_id, position, text) VALUES (?, ?, ?)');
    const insertPassage = this.db.prepare('INSERT INTO passages (article_id, paragraph_id, text) VALUES (?, ?, ?)');
    return this.db.transaction((): InsertResult => {
      const result: InsertResult = { added: [], duplicates: 0 };
      const seen = new Set<string>();
      for (const a of articles) {
        if (seen.has(a.dedupeKey) || exists.get(a.dedupeKey)) {
          result.duplicates++;
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
        const article: ArticleRecord = {
          id: articleId,
          title: a.title ?? null,
          source: a.source,
          reporter: a.reporter ?? null,
          url: a.url ?? null,
          publishedAt: a.publishedAt,
          ingestedAt,
        };
        result.added.push({ article, passages, paragraphs: a.paragraphs.length });
      }
      return result;
    })();
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
  articleFacts(afterId = 0): Map<number, { source: string; publishedAt: string }> {
    const map = new Map<number, { source: string; publishedAt: string }>();
    const rows = this.db.prepare('SELECT id, source, published_at FROM articles WHERE id > ?').iterate(afterId) as IterableIterator<{
      id: number;
      source: string;
      published_at: string;
    }>;
    for (const row of rows) map.set(row.id, { source: row.source, publishedAt: row.published_at });
    return map;
  }

  articleParagraphs(articleId: number): string[] {
    return this.db
      .prepare('SELECT text FROM paragraphs WHERE article_id = ? ORDER BY position')
      .pluck()
      .all(articleId) as string[];
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
        `SELECT source, count(*) AS articles, max(published_at) AS newest
         FROM articles GROUP BY source ORDER BY articles DESC, source`,
      )
      .all() as SourceSummary[];
  }

  latest(limit: number, source?: string): ArticleRecord[] {
    const rows = (
      source
        ? this.db
            .prepare('SELECT * FROM articles WHERE source = ? ORDER BY published_at DESC, id DESC LIMIT ?')
            .all(source, limit)
        : this.db.prepare('SELECT * FROM articles ORDER BY published_at DESC, id DESC LIMIT ?').all(limit)
    ) as ArticleRow[];
    return rows.map(toArticle);
  }

  /**
   * Articles for a digest: ingested after `since` (new to the bot) and published no earlier than
   * `publishedFrom` (so a backfill of old archives does not flood today's digest).
   */
  articlesIngestedBetween(since: string, until: string, publishedFrom: string): ArticleRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM articles WHERE ingested_at > ? AND ingested_at <= ? AND published_at >= ? ORDER BY published_at DESC, id DESC')
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
