import type { Database as SqliteDatabase } from 'better-sqlite3';

/** What the health check reads from the database; every query is small (indexed or over the few feeds and deliveries). */
export interface StoreHealthFacts {
  /** When the newest article was stored (ISO, UTC), if any. */
  newestIngestAt: string | undefined;
  /** When any feed was last polled (ISO, UTC), if any. */
  lastFeedPollAt: string | undefined;
  /** The last digest delivery that finished, if any. */
  lastDigest: { channelId: string; localDay: string; status: string; completedAt: string } | undefined;
}

/** Reads the health facts; throws the database's own error when it cannot (the health check reports that). */
export function readStoreHealthFacts(db: SqliteDatabase): StoreHealthFacts {
  const newestIngestAt = (db.prepare('SELECT max(ingested_at) FROM articles').pluck().get() as string | null) ?? undefined;
  const lastFeedPollAt = (db.prepare('SELECT max(last_polled_at) FROM feeds').pluck().get() as string | null) ?? undefined;
  const row = db
    .prepare('SELECT channel_id AS channelId, local_day AS localDay, status, completed_at AS completedAt FROM deliveries WHERE completed_at IS NOT NULL ORDER BY completed_at DESC LIMIT 1')
    .get() as StoreHealthFacts['lastDigest'] | undefined;
  return { newestIngestAt, lastFeedPollAt, lastDigest: row };
}
