import type { Database } from 'better-sqlite3';
import { canonicalUrl } from '../ingest/dedupe-key.js';
import { normalize } from '../text/normalize.js';
import type { ArticleRecord } from './store.js';
import { toArticle, type ArticleRow } from './article-row.js';

/** One article as an owner inspects it: what it is, where it came from, what it holds. */
export interface ArticleDetail extends ArticleRecord {
  dedupeKey: string;
  /** The file name or feed URL it came from. */
  origin: string | null;
  paragraphs: string[];
  passages: number;
  /** The feed that brought it, if one did, and the server whose admin follows that feed (null: the owner). */
  feed: { id: number; url: string; guildId: string | null } | null;
}

/** A correction of the fields an owner may fix; a field left out stays as it is, `null` clears title or URL. */
export interface ArticleEdit {
  title?: string | null;
  source?: string;
  /** The corrected local day, YYYY-MM-DD, already checked by the caller; with it, `publishedAt`. */
  publishedDay?: string;
  /**
   * The instant that goes with `publishedDay`, ISO 8601; given alone as a day YYYY-MM-DD, Newsdesk.editArticle takes it
   * for the local day and gives it its instant (the day's start where the outlets are).
   */
  publishedAt?: string;
  url?: string | null;
}

export interface Tombstone {
  dedupeKey: string;
  articleId: number;
  title: string | null;
  source: string;
  url: string | null;
  publishedAt: string;
  /** YYYY-MM-DD local day. */
  publishedDay: string;
  removedAt: string;
  removedBy: string | null;
  reason: string | null;
}

/** An entry of the change log that the index and every process's article facts catch up on. */
export interface ArticleChange {
  seq: number;
  articleId: number;
  kind: 'removed' | 'edited';
}

export interface ArticleListQuery {
  source?: string;
  /** Inclusive local days, YYYY-MM-DD, compared with the article's local day. */
  since?: string;
  until?: string;
  /** Only these ids (from a full-text search), in this order. */
  ids?: readonly number[];
  limit: number;
  offset?: number;
}

/** An `articles` row with the columns only the owner's toolbox reads. */
export interface AdminArticleRow extends ArticleRow {
  dedupe_key: string;
  origin: string | null;
}
type Row = AdminArticleRow;

/** `row` with the corrections in `changes` applied (fields left undefined keep their stored value). */
export function editedRow(row: AdminArticleRow, changes: ArticleEdit): AdminArticleRow {
  return {
    ...row,
    ...(changes.title !== undefined ? { title: changes.title } : {}),
    ...(changes.source !== undefined ? { source: changes.source } : {}),
    ...(changes.publishedAt !== undefined ? { published_at: changes.publishedAt } : {}),
    ...(changes.publishedDay !== undefined ? { published_day: changes.publishedDay } : {}),
    ...(changes.url !== undefined ? { url: changes.url } : {}),
  };
}

/**
 * The owner's corrections: find, list, remove (with a tombstone, so the article does not come back) and edit
 * articles. Each write is one transaction that also appends to `article_changes`, which is how the index (a
 * cache caught up by passage id) and other processes learn of it: a crash leaves store and log as before or both
 * as after, and the index applies whatever the log holds past its own sequence number when it next loads.
 */
export class ArticleAdmin {
  constructor(private readonly db: Database) {}

  get(id: number): ArticleDetail | undefined {
    const row = this.db.prepare('SELECT * FROM articles WHERE id = ?').get(id) as Row | undefined;
    if (!row) return undefined;
    const feed = this.db
      .prepare('SELECT f.id, f.url, f.guild_id AS guildId FROM feed_items i JOIN feeds f ON f.id = i.feed_id WHERE i.article_id = ? LIMIT 1')
      .get(id) as { id: number; url: string; guildId: string | null } | undefined;
    return {
      ...toArticle(row),
      dedupeKey: row.dedupe_key,
      origin: row.origin,
      paragraphs: this.db.prepare('SELECT text FROM paragraphs WHERE article_id = ? ORDER BY position').pluck().all(id) as string[],
      passages: this.db.prepare('SELECT count(*) FROM passages WHERE article_id = ?').pluck().get(id) as number,
      feed: feed ?? null,
    };
  }

  /** Articles at this address, compared without tracking parameters, fragment or trailing slash. */
  byUrl(url: string): ArticleRecord[] {
    const canonical = canonicalUrl(url);
    const rows = this.db
      .prepare('SELECT * FROM articles WHERE url = ? OR dedupe_key = ? ORDER BY id')
      .all(url, canonical ? `url:${canonical}` : '') as Row[];
    return rows.map(toArticle);
  }

  /** Articles whose title contains the words, compared as the tokenizer would (width, case, script). */
  byTitle(words: string, limit = 50): ArticleRecord[] {
    const wanted = normalize(words.trim());
    if (!wanted) return [];
    const out: ArticleRecord[] = [];
    for (const row of this.db.prepare('SELECT * FROM articles WHERE title IS NOT NULL ORDER BY published_at DESC, id DESC').iterate() as IterableIterator<Row>) {
      if (normalize(row.title ?? '').includes(wanted)) out.push(toArticle(row));
      if (out.length >= limit) break;
    }
    return out;
  }

  /** A page of articles, newest first, and how many match in all. */
  list(query: ArticleListQuery): { articles: ArticleRecord[]; total: number } {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.source !== undefined) (where.push('source = ?'), params.push(query.source));
    if (query.since) (where.push('published_day >= ?'), params.push(query.since));
    if (query.until) (where.push('published_day <= ?'), params.push(query.until));
    if (query.ids) {
      if (query.ids.length === 0) return { articles: [], total: 0 };
      where.push(`id IN (${query.ids.map(() => '?').join(',')})`);
      params.push(...query.ids);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = this.db.prepare(`SELECT count(*) FROM articles ${clause}`).pluck().get(...params) as number;
    let rows = this.db
      .prepare(`SELECT * FROM articles ${clause} ORDER BY published_at DESC, id DESC LIMIT ? OFFSET ?`)
      .all(...params, query.ids ? -1 : query.limit, query.ids ? 0 : (query.offset ?? 0)) as Row[];
    if (query.ids) {
      // A search ranks: keep its order, then page.
      const rank = new Map(query.ids.map((id, i) => [id, i]));
      rows = rows.sort((a, b) => rank.get(a.id)! - rank.get(b.id)!).slice(query.offset ?? 0, (query.offset ?? 0) + query.limit);
    }
    return { articles: rows.map(toArticle), total };
  }

  /** Ids of the articles a server's feeds brought (what its admins may remove). */
  broughtByGuild(guildId: string): Set<number> {
    const ids = this.db
      .prepare('SELECT i.article_id FROM feed_items i JOIN feeds f ON f.id = i.feed_id WHERE f.guild_id = ? AND i.article_id IS NOT NULL')
      .pluck()
      .all(guildId) as number[];
    return new Set(ids);
  }

  /** Every article id of an outlet (exact stored name). */
  idsOfSource(source: string): number[] {
    return this.db.prepare('SELECT id FROM articles WHERE source = ? ORDER BY id').pluck().all(source) as number[];
  }

  /** Every article id whose origin (file name or feed URL) starts with one of these prefixes. */
  idsByOrigin(test: (origin: string) => boolean): number[] {
    const rows = this.db.prepare('SELECT id, origin FROM articles WHERE origin IS NOT NULL').all() as Array<{ id: number; origin: string }>;
    return rows.filter((r) => test(r.origin)).map((r) => r.id);
  }

  /**
   * Removes articles with their paragraphs and passages, leaves a tombstone for each (so the same article is not
   * stored again by an ingest or a feed poll), and logs the removal, all in one transaction. Unknown ids are ignored.
   * Returns what was removed and how many passages went with it.
   */
  remove(ids: readonly number[], options: { now: Date; by?: string; reason?: string }): { removed: ArticleRecord[]; passages: number } {
    const select = this.db.prepare('SELECT * FROM articles WHERE id = ?');
    const countPassages = this.db.prepare('SELECT count(*) FROM passages WHERE article_id = ?').pluck();
    const tomb = this.db.prepare(
      `INSERT OR REPLACE INTO tombstones (dedupe_key, article_id, title, source, url, published_at, published_day, removed_at, removed_by, reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const del = this.db.prepare('DELETE FROM articles WHERE id = ?');
    const log = this.db.prepare("INSERT INTO article_changes (article_id, kind, at) VALUES (?, 'removed', ?)");
    const at = options.now.toISOString();
    return this.db.transaction(() => {
      const removed: ArticleRecord[] = [];
      let passages = 0;
      for (const id of new Set(ids)) {
        const row = select.get(id) as Row | undefined;
        if (!row) continue;
        passages += countPassages.get(id) as number;
        tomb.run(row.dedupe_key, row.id, row.title, row.source, row.url, row.published_at, row.published_day, at, options.by ?? null, options.reason ?? null);
        del.run(id);
        log.run(id, at);
        removed.push(toArticle(row));
      }
      return { removed, passages };
    })();
  }

  /**
   * Corrects an article's title, outlet, date or URL in one transaction and logs it, so the date and outlet filters
   * of every process (they keep those facts in memory) pick the change up. Returns the article before and after,
   * or undefined when there is no such article. The dedupe key stays: re-ingesting the original file is still a no-op.
   */
  edit(id: number, changes: ArticleEdit, now: Date): { before: ArticleRecord; after: ArticleRecord } | undefined {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT * FROM articles WHERE id = ?').get(id) as Row | undefined;
      if (!row) return undefined;
      const next = editedRow(row, changes);
      this.db.prepare('UPDATE articles SET title = ?, source = ?, published_at = ?, published_day = ?, url = ? WHERE id = ?').run(next.title, next.source, next.published_at, next.published_day, next.url, id);
      this.db.prepare("INSERT INTO article_changes (article_id, kind, at) VALUES (?, 'edited', ?)").run(id, now.toISOString());
      return { before: toArticle(row), after: toArticle(next) };
    })();
  }

  /** The change log after `seq`, oldest first. */
  changesAfter(seq: number): ArticleChange[] {
    return this.db.prepare('SELECT seq, article_id AS articleId, kind FROM article_changes WHERE seq > ? ORDER BY seq').all(seq) as ArticleChange[];
  }

  /** The newest change's sequence number (0 when nothing was ever removed or edited). */
  lastChangeSeq(): number {
    return (this.db.prepare('SELECT max(seq) FROM article_changes').pluck().get() as number | null) ?? 0;
  }

  tombstone(dedupeKey: string): Tombstone | undefined {
    const row = this.db
      .prepare(
        `SELECT dedupe_key AS dedupeKey, article_id AS articleId, title, source, url, published_at AS publishedAt, published_day AS publishedDay,
                removed_at AS removedAt, removed_by AS removedBy, reason FROM tombstones WHERE dedupe_key = ?`,
      )
      .get(dedupeKey) as Tombstone | undefined;
    return row;
  }

  /** What was removed, newest removal first. */
  tombstones(limit = 100): Tombstone[] {
    return this.db
      .prepare(
        `SELECT dedupe_key AS dedupeKey, article_id AS articleId, title, source, url, published_at AS publishedAt, published_day AS publishedDay,
                removed_at AS removedAt, removed_by AS removedBy, reason FROM tombstones ORDER BY removed_at DESC, article_id DESC LIMIT ?`,
      )
      .all(limit) as Tombstone[];
  }

  /** Lets a removed article (by the id it had) be stored again by a later ingest or feed poll. Returns whether it was removed. */
  forgetRemoval(articleId: number): Tombstone | undefined {
    const row = this.db.prepare('SELECT dedupe_key FROM tombstones WHERE article_id = ?').pluck().get(articleId) as string | undefined;
    if (row === undefined) return undefined;
    const tomb = this.tombstone(row);
    this.forget(row);
    return tomb;
  }

  tombstoneCount(): number {
    return this.db.prepare('SELECT count(*) FROM tombstones').pluck().get() as number;
  }

  /** Lets a removed article be stored again (the owner changed their mind). Returns whether there was a tombstone. */
  forget(dedupeKey: string): boolean {
    return this.db.prepare('DELETE FROM tombstones WHERE dedupe_key = ?').run(dedupeKey).changes > 0;
  }
}
