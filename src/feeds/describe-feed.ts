import { isHealthy, type Feed } from '../store/feed-store.js';

export const DEFAULT_EVERY_MINUTES = 15;

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** How the feed is doing, in words: the reason is always shown while its last poll failed. */
function health(feed: Feed): string {
  const inARow = count(feed.failures, 'failure', 'failures');
  if (!isHealthy(feed)) return `UNHEALTHY (${inARow} in a row): ${feed.lastError ?? 'unknown error'}`;
  if (feed.failures > 0) return `last poll failed (${inARow} in a row, retrying): ${feed.lastError ?? 'unknown error'}`;
  return feed.lastSuccessAt ? 'ok' : 'not polled yet';
}

/** One line per feed, for `feeds list` and `/feeds list`. */
export function describeFeed(feed: Feed): string {
  return `#${feed.id} ${feed.name ?? '(no name)'} ${feed.url} · every ${feed.everyMinutes} min · ${count(feed.articlesAdded, 'article', 'articles')} · ${health(feed)} · next poll ${feed.nextPollAt.slice(0, 16).replace('T', ' ')} UTC`;
}
