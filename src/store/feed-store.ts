import type { Database } from 'better-sqlite3';

export interface Feed {
  id: number;
  url: string;
  name: string | null;
  everyMinutes: number;
  etag: string | null;
  lastModified: string | null;
  addedBy: string | null;
  /** The server whose admin added it; null when the owner added it on the command line. */
  guildId: string | null;
  createdAt: string;
  lastPolledAt: string | null;
  lastSuccessAt: string | null;
  nextPollAt: string;
  failures: number;
  lastError: string | null;
  itemsSeen: number;
  articlesAdded: number;
  /** IANA zone for the feed's times without an offset; null: NEWSDESK_TIMEZONE. */
  timezone: string | null;
  /** What the last successful poll read leniently or dated by the poll (XML faults, unusable dates). */
  lastWarnings: string[];
  /** Items the last successful poll skipped, with the reason. */
  lastSkipped: Array<{ item: string; reason: string }>;
}

export interface IncompleteItem {
  key: string;
  articleId: number;
  pageUrl: string;
  /** Tries at the page so far, the first one included. */
  attempts: number;
}

/** What a successful poll records (see FeedStore.recordSuccess). */
export interface PollSuccess {
  now: Date;
  nextPollAt: Date;
  etag?: string | null;
  lastModified?: string | null;
  itemsSeen: number;
  articlesAdded: number;
  warnings?: readonly string[];
  skipped?: ReadonlyArray<{ item: string; reason: string }>;
}

/**
 * A poll's figures in the order both stores' `recordSuccess` updates them: ETag, Last-Modified, items seen, articles
 * added, then the warnings and the skipped items as JSON (null keeps the stored ones).
 */
export function pollSuccessValues(s: PollSuccess): [string | null, string | null, number, number, string | null, string | null] {
  return [s.etag ?? null, s.lastModified ?? null, s.itemsSeen, s.articlesAdded, s.warnings ? JSON.stringify(s.warnings) : null, s.skipped ? JSON.stringify(s.skipped) : null];
}

/** A feed that failed this many times in a row is shown as unhealthy (it is still retried, less often). */
export const UNHEALTHY_AFTER_FAILURES = 3;

export const isHealthy = (feed: Feed) => feed.failures < UNHEALTHY_AFTER_FAILURES;

export interface FeedRow {
  id: number;
  url: string;
  name: string | null;
  every_minutes: number;
  etag: string | null;
  last_modified: string | null;
  added_by: string | null;
  guild_id: string | null;
  created_at: string;
  last_polled_at: string | null;
  last_success_at: string | null;
  next_poll_at: string;
  failures: number;
  last_error: string | null;
  items_seen: number;
  articles_added: number;
  timezone: string | null;
  last_warnings: string | null;
  last_skipped: string | null;
}

const jsonList = <T>(text: string | null): T[] => {
  try {
    const value: unknown = text ? JSON.parse(text) : [];
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
};

export const toFeed = (r: FeedRow): Feed => ({
  id: r.id,
  url: r.url,
  name: r.name,
  everyMinutes: r.every_minutes,
  etag: r.etag,
  lastModified: r.last_modified,
  addedBy: r.added_by,
  guildId: r.guild_id,
  createdAt: r.created_at,
  lastPolledAt: r.last_polled_at,
  lastSuccessAt: r.last_success_at,
  nextPollAt: r.next_poll_at,
  failures: r.failures,
  lastError: r.last_error,
  itemsSeen: r.items_seen,
  articlesAdded: r.articles_added,
  timezone: r.timezone,
  lastWarnings: jsonList<string>(r.last_warnings),
  lastSkipped: jsonList<{ item: string; reason: string }>(r.last_skipped),
});

/** Followed feeds, their polling state and the items already taken from them. */
export class FeedStore {
  constructor(private readonly db: Database) {}

  add(input: { url: string; name?: string; everyMinutes: number; addedBy?: string; guildId?: string; timezone?: string }, now: Date): { feed: Feed; created: boolean } {
    return this.db.transaction(() => {
      const existing = this.byUrl(input.url);
      if (existing) {
        this.db
          .prepare('UPDATE feeds SET name = coalesce(?, name), every_minutes = ?, timezone = coalesce(?, timezone) WHERE id = ?')
          .run(input.name ?? null, input.everyMinutes, input.timezone ?? null, existing.id);
        return { feed: this.get(existing.id)!, created: false };
      }
      const id = Number(
        this.db
          .prepare('INSERT INTO feeds (url, name, every_minutes, added_by, guild_id, created_at, next_poll_at, timezone) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
          .run(input.url, input.name ?? null, input.everyMinutes, input.addedBy ?? null, input.guildId ?? null, now.toISOString(), now.toISOString(), input.timezone ?? null)
          .lastInsertRowid,
      );
      return { feed: this.get(id)!, created: true };
    })();
  }

  get(id: number): Feed | undefined {
    const row = this.db.prepare('SELECT * FROM feeds WHERE id = ?').get(id) as FeedRow | undefined;
    return row && toFeed(row);
  }

  byUrl(url: string): Feed | undefined {
    const row = this.db.prepare('SELECT * FROM feeds WHERE url = ?').get(url) as FeedRow | undefined;
    return row && toFeed(row);
  }

  /** Finds a feed by id, URL or name, as an admin would type it; with `guildId`, only among that server's feeds. */
  find(ref: string, guildId?: string): Feed | undefined {
    const trimmed = ref.trim();
    const feed = /^\d+$/.test(trimmed)
      ? this.get(Number(trimmed))
      : (() => {
          const row = this.db
            .prepare('SELECT * FROM feeds WHERE (url = @ref OR name = @ref) AND (@guild IS NULL OR guild_id = @guild) ORDER BY id LIMIT 1')
            .get({ ref: trimmed, guild: guildId ?? null }) as FeedRow | undefined;
          return row && toFeed(row);
        })();
    return feed && (guildId === undefined || feed.guildId === guildId) ? feed : undefined;
  }

  remove(id: number): boolean {
    return this.db.prepare('DELETE FROM feeds WHERE id = ?').run(id).changes > 0;
  }

  /** All feeds, or with `guildId` the ones that server's admins added. */
  list(guildId?: string): Feed[] {
    return (this.db.prepare('SELECT * FROM feeds WHERE @guild IS NULL OR guild_id = @guild ORDER BY id').all({ guild: guildId ?? null }) as FeedRow[]).map(toFeed);
  }

  due(now: Date): Feed[] {
    return (this.db.prepare('SELECT * FROM feeds WHERE next_poll_at <= ? ORDER BY next_poll_at').all(now.toISOString()) as FeedRow[]).map(toFeed);
  }

  nextDueAt(): string | undefined {
    return (this.db.prepare('SELECT min(next_poll_at) FROM feeds').pluck().get() as string | null) ?? undefined;
  }

  hasItem(feedId: number, key: string): boolean {
    return this.db.prepare('SELECT 1 FROM feed_items WHERE feed_id = ? AND item_key = ?').get(feedId, key) !== undefined;
  }

  /** Which of `keys` the feed has taken already (see {@link hasItem}): one read for a whole poll's items. */
  knownItems(feedId: number, keys: readonly string[]): Set<string> {
    const known = new Set<string>();
    // SQLite allows 32,766 variables a statement; a feed lists tens of items, a huge one is read in chunks.
    for (let at = 0; at < keys.length; at += 500) {
      const chunk = keys.slice(at, at + 500);
      const rows = this.db.prepare(`SELECT item_key FROM feed_items WHERE feed_id = ? AND item_key IN (${chunk.map(() => '?').join(',')})`).pluck().all(feedId, ...chunk) as string[];
      for (const key of rows) known.add(key);
    }
    return known;
  }

  /**
   * Records an item as taken. With `incompletePage`, the article holds only the item's summary: its page is to be
   * fetched again at later polls (`attempts` tries made so far).
   */
  recordItem(feedId: number, key: string, articleId: number | null, now: Date, incompletePage?: { url: string; attempts: number }): void {
    this.db
      .prepare('INSERT OR IGNORE INTO feed_items (feed_id, item_key, first_seen_at, article_id, page_url, page_attempts) VALUES (?, ?, ?, ?, ?, ?)')
      .run(feedId, key, now.toISOString(), articleId, incompletePage?.url ?? null, incompletePage?.attempts ?? 0);
  }

  /** Items of a feed stored with only their summary whose page is still to be fetched, oldest first. */
  incompleteItems(feedId: number): IncompleteItem[] {
    return this.db
      .prepare('SELECT item_key AS key, article_id AS articleId, page_url AS pageUrl, page_attempts AS attempts FROM feed_items WHERE feed_id = ? AND page_url IS NOT NULL AND article_id IS NOT NULL ORDER BY first_seen_at, rowid')
      .all(feedId) as IncompleteItem[];
  }

  /** After another try at an item's page: done (the page replaced the summary, or no tries are left), or one more try made. */
  recordPageAttempt(feedId: number, key: string, outcome: 'done' | 'failed'): void {
    if (outcome === 'done') this.db.prepare('UPDATE feed_items SET page_url = NULL WHERE feed_id = ? AND item_key = ?').run(feedId, key);
    else this.db.prepare('UPDATE feed_items SET page_attempts = page_attempts + 1 WHERE feed_id = ? AND item_key = ?').run(feedId, key);
  }

  /**
   * Records a successful poll. `warnings` and `skipped` replace the previous poll's (a not-modified answer
   * passes none and keeps them: the feed has not changed).
   */
  recordSuccess(
    id: number,
    s: PollSuccess,
  ): void {
    this.db
      .prepare(
        `UPDATE feeds SET last_polled_at = ?, last_success_at = ?, next_poll_at = ?, failures = 0, last_error = NULL,
         etag = coalesce(?, etag), last_modified = coalesce(?, last_modified), items_seen = items_seen + ?, articles_added = articles_added + ?,
         last_warnings = coalesce(?, last_warnings), last_skipped = coalesce(?, last_skipped) WHERE id = ?`,
      )
      .run(
        s.now.toISOString(),
        s.now.toISOString(),
        s.nextPollAt.toISOString(),
        ...pollSuccessValues(s),
        id,
      );
  }

  /** Drops the feed's ETag and Last-Modified, so that the next poll gets the whole feed rather than a 304. */
  forgetValidators(id: number): void {
    this.db.prepare('UPDATE feeds SET etag = NULL, last_modified = NULL WHERE id = ?').run(id);
  }

  recordFailure(id: number, f: { now: Date; nextPollAt: Date; error: string }): void {
    this.db
      .prepare('UPDATE feeds SET last_polled_at = ?, next_poll_at = ?, failures = failures + 1, last_error = ? WHERE id = ?')
      .run(f.now.toISOString(), f.nextPollAt.toISOString(), f.error, id);
  }
}
