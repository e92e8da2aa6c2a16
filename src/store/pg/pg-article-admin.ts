import { canonicalUrl } from '../../ingest/dedupe-key.js';
import { normalize } from '../../text/normalize.js';
import { editedRow, type AdminArticleRow, type ArticleAdmin, type ArticleChange, type ArticleDetail, type ArticleEdit, type ArticleListQuery, type Tombstone } from '../article-admin.js';
import { toArticle, type ArticleRow } from '../article-row.js';
import type { AsyncMethods } from '../news-store.js';
import type { ArticleRecord } from '../store.js';
import type { PgDatabase, PgQueries } from './pg-database.js';

type Row = AdminArticleRow;

/**
 * Advisory lock key held by every transaction that appends to the change log, for the whole transaction: sequence
 * numbers then become visible in order, so a process catching up by `changesAfter(seq)` never steps over an entry
 * that a slower transaction commits later (the same reason article inserts are serialised, see PgNewsStore).
 */
export const CHANGE_LOG_LOCK = 0x6e6473_0002;

const TOMBSTONE_COLUMNS = `dedupe_key AS "dedupeKey", article_id AS "articleId", title, source, url, published_at AS "publishedAt", published_day AS "publishedDay",
  removed_at AS "removedAt", removed_by AS "removedBy", reason`;

/** The owner's toolbox on PostgreSQL: the same answers as ArticleAdmin (src/store/article-admin.ts). */
export class PgArticleAdmin implements AsyncMethods<ArticleAdmin> {
  constructor(private readonly db: PgDatabase) {}

  async get(id: number): Promise<ArticleDetail | undefined> {
    const row = await this.db.one<Row>('SELECT * FROM articles WHERE id = $1', [id]);
    if (!row) return undefined;
    const feed = await this.db.one<{ id: number; url: string; guildId: string | null }>(
      'SELECT f.id, f.url, f.guild_id AS "guildId" FROM feed_items i JOIN feeds f ON f.id = i.feed_id WHERE i.article_id = $1 LIMIT 1',
      [id],
    );
    return {
      ...toArticle(row),
      dedupeKey: row.dedupe_key,
      origin: row.origin,
      paragraphs: await this.db.column<string>('SELECT text FROM paragraphs WHERE article_id = $1 ORDER BY position', [id]),
      passages: (await this.db.value<number>('SELECT count(*) FROM passages WHERE article_id = $1', [id])) ?? 0,
      feed: feed ?? null,
    };
  }

  async byUrl(url: string): Promise<ArticleRecord[]> {
    const canonical = canonicalUrl(url);
    return (await this.db.all<Row>('SELECT * FROM articles WHERE url = $1 OR dedupe_key = $2 ORDER BY id', [url, canonical ? `url:${canonical}` : ''])).map(toArticle);
  }

  async byTitle(words: string, limit = 50): Promise<ArticleRecord[]> {
    const wanted = normalize(words.trim());
    if (!wanted) return [];
    const out: ArticleRecord[] = [];
    // Compared as the tokenizer would, so in JavaScript: titles are read a page at a time, newest first.
    const page = 2_000;
    for (let offset = 0; out.length < limit; offset += page) {
      const rows = await this.db.all<Row>('SELECT * FROM articles WHERE title IS NOT NULL ORDER BY published_at DESC, id DESC LIMIT $1 OFFSET $2', [page, offset]);
      for (const row of rows) {
        if (normalize(row.title ?? '').includes(wanted)) out.push(toArticle(row));
        if (out.length >= limit) break;
      }
      if (rows.length < page) break;
    }
    return out;
  }

  async list(query: ArticleListQuery): Promise<{ articles: ArticleRecord[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => (params.push(value), `$${params.length}`);
    if (query.source !== undefined) where.push(`source = ${param(query.source)}`);
    if (query.since) where.push(`published_day >= ${param(query.since)}`);
    if (query.until) where.push(`published_day <= ${param(query.until)}`);
    if (query.ids) {
      if (query.ids.length === 0) return { articles: [], total: 0 };
      where.push(`id = ANY(${param(query.ids)}::bigint[])`);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (await this.db.value<number>(`SELECT count(*) FROM articles ${clause}`, params)) ?? 0;
    const page = query.ids ? '' : ` LIMIT ${param(query.limit)} OFFSET ${param(query.offset ?? 0)}`;
    let rows = await this.db.all<Row>(`SELECT * FROM articles ${clause} ORDER BY published_at DESC, id DESC${page}`, params);
    if (query.ids) {
      // A search ranks: keep its order, then page.
      const rank = new Map(query.ids.map((id, i) => [id, i]));
      rows = rows.sort((a, b) => rank.get(a.id)! - rank.get(b.id)!).slice(query.offset ?? 0, (query.offset ?? 0) + query.limit);
    }
    return { articles: rows.map(toArticle), total };
  }

  async broughtByGuild(guildId: string): Promise<Set<number>> {
    return new Set(
      await this.db.column<number>('SELECT i.article_id FROM feed_items i JOIN feeds f ON f.id = i.feed_id WHERE f.guild_id = $1 AND i.article_id IS NOT NULL', [guildId]),
    );
  }

  async idsOfSource(source: string): Promise<number[]> {
    return this.db.column<number>('SELECT id FROM articles WHERE source = $1 ORDER BY id', [source]);
  }

  async idsByOrigin(test: (origin: string) => boolean): Promise<number[]> {
    const rows = await this.db.all<{ id: number; origin: string }>('SELECT id, origin FROM articles WHERE origin IS NOT NULL ORDER BY id');
    return rows.filter((r) => test(r.origin)).map((r) => r.id);
  }

  async remove(ids: readonly number[], options: { now: Date; by?: string; reason?: string }): Promise<{ removed: ArticleRecord[]; passages: number }> {
    const at = options.now.toISOString();
    return this.changeLogged(async (tx) => {
      const removed: ArticleRecord[] = [];
      let passages = 0;
      for (const id of new Set(ids)) {
        // FOR UPDATE: a second process removing the same article waits, then finds it gone.
        const row = await tx.one<Row>('SELECT * FROM articles WHERE id = $1 FOR UPDATE', [id]);
        if (!row) continue;
        passages += (await tx.value<number>('SELECT count(*) FROM passages WHERE article_id = $1', [id])) ?? 0;
        await tx.run(
          `INSERT INTO tombstones (dedupe_key, article_id, title, source, url, published_at, published_day, removed_at, removed_by, reason)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (dedupe_key) DO UPDATE SET article_id = EXCLUDED.article_id, title = EXCLUDED.title, source = EXCLUDED.source, url = EXCLUDED.url,
             published_at = EXCLUDED.published_at, published_day = EXCLUDED.published_day, removed_at = EXCLUDED.removed_at,
             removed_by = EXCLUDED.removed_by, reason = EXCLUDED.reason`,
          [row.dedupe_key, row.id, row.title, row.source, row.url, row.published_at, row.published_day, at, options.by ?? null, options.reason ?? null],
        );
        await tx.run('DELETE FROM articles WHERE id = $1', [id]);
        await tx.run("INSERT INTO article_changes (article_id, kind, at) VALUES ($1, 'removed', $2)", [id, at]);
        removed.push(toArticle(row));
      }
      return { removed, passages };
    });
  }

  async edit(id: number, changes: ArticleEdit, now: Date): Promise<{ before: ArticleRecord; after: ArticleRecord } | undefined> {
    return this.changeLogged(async (tx) => {
      const row = await tx.one<Row>('SELECT * FROM articles WHERE id = $1 FOR UPDATE', [id]);
      if (!row) return undefined;
      const next = editedRow(row, changes);
      await tx.run('UPDATE articles SET title = $1, source = $2, published_at = $3, published_day = $4, url = $5 WHERE id = $6', [
        next.title,
        next.source,
        next.published_at,
        next.published_day,
        next.url,
        id,
      ]);
      await tx.run("INSERT INTO article_changes (article_id, kind, at) VALUES ($1, 'edited', $2)", [id, now.toISOString()]);
      return { before: toArticle(row), after: toArticle(next) };
    });
  }

  async changesAfter(seq: number): Promise<ArticleChange[]> {
    return this.db.all<ArticleChange>('SELECT seq, article_id AS "articleId", kind FROM article_changes WHERE seq > $1 ORDER BY seq', [seq]);
  }

  async lastChangeSeq(): Promise<number> {
    return (await this.db.value<number | null>('SELECT max(seq) FROM article_changes')) ?? 0;
  }

  async tombstone(dedupeKey: string): Promise<Tombstone | undefined> {
    return this.db.one<Tombstone>(`SELECT ${TOMBSTONE_COLUMNS} FROM tombstones WHERE dedupe_key = $1`, [dedupeKey]);
  }

  async tombstones(limit = 100): Promise<Tombstone[]> {
    return this.db.all<Tombstone>(`SELECT ${TOMBSTONE_COLUMNS} FROM tombstones ORDER BY removed_at DESC, article_id DESC LIMIT $1`, [limit]);
  }

  async forgetRemoval(articleId: number): Promise<Tombstone | undefined> {
    const key = await this.db.value<string>('SELECT dedupe_key FROM tombstones WHERE article_id = $1', [articleId]);
    if (key === undefined) return undefined;
    const tomb = await this.tombstone(key);
    await this.forget(key);
    return tomb;
  }

  async tombstoneCount(): Promise<number> {
    return (await this.db.value<number>('SELECT count(*) FROM tombstones')) ?? 0;
  }

  async forget(dedupeKey: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM tombstones WHERE dedupe_key = $1', [dedupeKey])) > 0;
  }

  /** One transaction that appends to the change log, holding CHANGE_LOG_LOCK from its start to its commit. */
  private changeLogged<T>(work: (tx: PgQueries) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await tx.run('SELECT pg_advisory_xact_lock($1)', [CHANGE_LOG_LOCK]);
      return work(tx);
    });
  }
}
