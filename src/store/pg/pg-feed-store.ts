import type { AsyncMethods } from '../news-store.js';
import { toFeed, type Feed, type FeedRow, type FeedStore, type IncompleteItem, type PollSuccess, pollSuccessValues } from '../feed-store.js';
import type { PgDatabase } from './pg-database.js';

/**
 * Feeds on PostgreSQL: the same answers as FeedStore (src/store/feed-store.ts), each write one statement, so two
 * processes polling or adding the same feed cannot both create it or both record an item (unique keys, ON CONFLICT).
 */
export class PgFeedStore implements AsyncMethods<FeedStore> {
  constructor(private readonly db: PgDatabase) {}

  async add(input: { url: string; name?: string; everyMinutes: number; addedBy?: string; guildId?: string; timezone?: string }, now: Date): Promise<{ feed: Feed; created: boolean }> {
    // xmax = 0 only on a row this statement inserted (PostgreSQL's own way of telling an insert from an update).
    const row = await this.db.one<FeedRow & { created: boolean }>(
      `INSERT INTO feeds (url, name, every_minutes, added_by, guild_id, created_at, next_poll_at, timezone) VALUES ($1, $2, $3, $4, $5, $6, $6, $7)
       ON CONFLICT (url) DO UPDATE SET name = coalesce(EXCLUDED.name, feeds.name), every_minutes = EXCLUDED.every_minutes, timezone = coalesce(EXCLUDED.timezone, feeds.timezone)
       RETURNING *, (xmax = 0) AS created`,
      [input.url, input.name ?? null, input.everyMinutes, input.addedBy ?? null, input.guildId ?? null, now.toISOString(), input.timezone ?? null],
    );
    return { feed: toFeed(row!), created: row!.created };
  }

  async knownItems(feedId: number, keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    return new Set(await this.db.column<string>('SELECT item_key FROM feed_items WHERE feed_id = $1 AND item_key = ANY($2::text[])', [feedId, keys]));
  }

  async get(id: number): Promise<Feed | undefined> {
    const row = await this.db.one<FeedRow>('SELECT * FROM feeds WHERE id = $1', [id]);
    return row && toFeed(row);
  }

  async byUrl(url: string): Promise<Feed | undefined> {
    const row = await this.db.one<FeedRow>('SELECT * FROM feeds WHERE url = $1', [url]);
    return row && toFeed(row);
  }

  async find(ref: string, guildId?: string): Promise<Feed | undefined> {
    const trimmed = ref.trim();
    const feed = /^\d+$/.test(trimmed)
      ? await this.get(Number(trimmed))
      : await this.db
          .one<FeedRow>('SELECT * FROM feeds WHERE (url = $1 OR name = $1) AND ($2::text IS NULL OR guild_id = $2) ORDER BY id LIMIT 1', [trimmed, guildId ?? null])
          .then((row) => row && toFeed(row));
    return feed && (guildId === undefined || feed.guildId === guildId) ? feed : undefined;
  }

  async remove(id: number): Promise<boolean> {
    return (await this.db.run('DELETE FROM feeds WHERE id = $1', [id])) > 0;
  }

  async list(guildId?: string): Promise<Feed[]> {
    return (await this.db.all<FeedRow>('SELECT * FROM feeds WHERE $1::text IS NULL OR guild_id = $1 ORDER BY id', [guildId ?? null])).map(toFeed);
  }

  async due(now: Date): Promise<Feed[]> {
    return (await this.db.all<FeedRow>('SELECT * FROM feeds WHERE next_poll_at <= $1 ORDER BY next_poll_at', [now.toISOString()])).map(toFeed);
  }

  async nextDueAt(): Promise<string | undefined> {
    return (await this.db.value<string | null>('SELECT min(next_poll_at) FROM feeds')) ?? undefined;
  }

  async hasItem(feedId: number, key: string): Promise<boolean> {
    return (await this.db.one('SELECT 1 FROM feed_items WHERE feed_id = $1 AND item_key = $2', [feedId, key])) !== undefined;
  }

  async recordItem(feedId: number, key: string, articleId: number | null, now: Date, incompletePage?: { url: string; attempts: number }): Promise<void> {
    await this.db.run(
      'INSERT INTO feed_items (feed_id, item_key, first_seen_at, article_id, page_url, page_attempts) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (feed_id, item_key) DO NOTHING',
      [feedId, key, now.toISOString(), articleId, incompletePage?.url ?? null, incompletePage?.attempts ?? 0],
    );
  }

  async incompleteItems(feedId: number): Promise<IncompleteItem[]> {
    // seq: the insertion order SQLite keeps in its rowid.
    return this.db.all<IncompleteItem>(
      `SELECT item_key AS key, article_id AS "articleId", page_url AS "pageUrl", page_attempts AS attempts FROM feed_items
       WHERE feed_id = $1 AND page_url IS NOT NULL AND article_id IS NOT NULL ORDER BY first_seen_at, seq`,
      [feedId],
    );
  }

  async recordPageAttempt(feedId: number, key: string, outcome: 'done' | 'failed'): Promise<void> {
    if (outcome === 'done') await this.db.run('UPDATE feed_items SET page_url = NULL WHERE feed_id = $1 AND item_key = $2', [feedId, key]);
    else await this.db.run('UPDATE feed_items SET page_attempts = page_attempts + 1 WHERE feed_id = $1 AND item_key = $2', [feedId, key]);
  }

  async recordSuccess(
    id: number,
    s: PollSuccess,
  ): Promise<void> {
    await this.db.run(
      `UPDATE feeds SET last_polled_at = $1, last_success_at = $1, next_poll_at = $2, failures = 0, last_error = NULL,
       etag = coalesce($3, etag), last_modified = coalesce($4, last_modified), items_seen = items_seen + $5, articles_added = articles_added + $6,
       last_warnings = coalesce($7, last_warnings), last_skipped = coalesce($8, last_skipped) WHERE id = $9`,
      [
        s.now.toISOString(),
        s.nextPollAt.toISOString(),
        ...pollSuccessValues(s),
        id,
      ],
    );
  }

  async forgetValidators(id: number): Promise<void> {
    await this.db.run('UPDATE feeds SET etag = NULL, last_modified = NULL WHERE id = $1', [id]);
  }

  async recordFailure(id: number, f: { now: Date; nextPollAt: Date; error: string }): Promise<void> {
    await this.db.run('UPDATE feeds SET last_polled_at = $1, next_poll_at = $2, failures = failures + 1, last_error = $3 WHERE id = $4', [
      f.now.toISOString(),
      f.nextPollAt.toISOString(),
      f.error,
      id,
    ]);
  }
}
