import { isHealthy, type Feed } from '../store/feed-store.js';

export const DEFAULT_EVERY_MINUTES = 15;

/** One line per feed, for `feeds list` and `/feeds list`. */
export function describeFeed(feed: Feed): string {
  const health = isHealthy(feed) ? (feed.lastSuccessAt ? 'ok' : 'not polled yet') : `UNHEALTHY (${feed.failures} failures in a row): ${feed.lastError}`;
  const last = feed.lastError && isHealthy(feed) ? `; last error: ${feed.lastError}` : '';
  return `#${feed.id} ${feed.name ?? '(no name)'} ${feed.url} · every ${feed.everyMinutes} min · ${feed.articlesAdded} articles · ${health}${last} · next poll ${feed.nextPollAt.slice(0, 16).replace('T', ' ')} UTC`;
}
