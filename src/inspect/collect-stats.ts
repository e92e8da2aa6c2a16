import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Newsdesk } from '../newsdesk.js';
import { isHealthy } from '../store/feed-store.js';
import { MANIFEST_FILE } from '../search/passage-index.js';

/** What `newsdesk stats` reports; every count is of what the store holds now. */
export interface DeskStats {
  dataDir: string;
  articles: number;
  passages: number;
  /** Passages the index answers from (equal to `passages` when the index is caught up). */
  indexedPassages: number;
  /** Articles removed by the owner and kept out (tombstones). */
  removed: number;
  outlets: Array<{ source: string; articles: number; newest: string }>;
  /** Articles per publication day (the article's local day), the last 30 days up to today, oldest first, zeros included. */
  perDay: Array<{ day: string; articles: number }>;
  index: { bytes: number; savedAt: string | null; ageSeconds: number | null };
  feeds: Array<{ id: number; name: string | null; url: string; healthy: boolean; failures: number; lastError: string | null; lastSuccessAt: string | null; articles: number }>;
  digests: Array<{ channelId: string; guildId: string; time: string; timezone: string; enabled: boolean; last: { localDay: string; status: string; items: number | null } | null }>;
}

export const STATS_DAYS = 30;

/** Gathers the figures `newsdesk stats` prints; `now` decides "the last 30 days" and the index's age. */
export async function collectStats(desk: Newsdesk, now: Date): Promise<DeskStats> {
  const today = DateTime.fromJSDate(now, { zone: desk.zone }).startOf('day');
  const first = today.minus({ days: STATS_DAYS - 1 }).toISODate()!;
  const counted = new Map((await desk.store.articlesPerDay(first)).map((r) => [r.day, r.articles]));
  const perDay = Array.from({ length: STATS_DAYS }, (_, i) => {
    const day = today.minus({ days: STATS_DAYS - 1 - i }).toISODate()!;
    return { day, articles: counted.get(day) ?? 0 };
  });
  let bytes = 0;
  let savedAt: string | null = null;
  if (existsSync(desk.index.dir)) {
    for (const f of readdirSync(desk.index.dir)) bytes += statSync(join(desk.index.dir, f)).size;
    try {
      savedAt = (JSON.parse(readFileSync(join(desk.index.dir, MANIFEST_FILE), 'utf8')) as { savedAt?: string }).savedAt ?? null;
    } catch {
      savedAt = null;
    }
  }
  return {
    dataDir: desk.dataDir,
    articles: await desk.store.articleCount(),
    passages: await desk.store.passageCount(),
    indexedPassages: desk.index.documentCount,
    removed: await desk.store.articles.tombstoneCount(),
    outlets: (await desk.sources()).map((s) => ({ source: s.source, articles: s.articles, newest: s.newest.slice(0, 10) })),
    perDay,
    index: { bytes, savedAt, ageSeconds: savedAt ? Math.max(0, Math.round((now.getTime() - Date.parse(savedAt)) / 1000)) : null },
    feeds: (await desk.store.feeds.list()).map((f) => ({
      id: f.id,
      name: f.name,
      url: f.url,
      healthy: isHealthy(f),
      failures: f.failures,
      lastError: f.lastError,
      lastSuccessAt: f.lastSuccessAt,
      articles: f.articlesAdded,
    })),
    digests: await Promise.all((await desk.store.digests.subscriptions()).map(async (s) => {
      const last = await desk.store.digests.lastDelivery(s.channelId);
      return {
        channelId: s.channelId,
        guildId: s.guildId,
        time: s.time,
        timezone: s.timezone,
        enabled: s.enabled,
        last: last ? { localDay: last.localDay, status: last.status, items: last.items ?? null } : null,
      };
    })),
  };
}
