import { isHealthy, type Feed } from '../store/feed-store.js';

export const DEFAULT_EVERY_MINUTES = 15;

/**
 * How the untrusted parts of a feed's line are shown where it is printed (escaped for Discord, cleaned for a
 * terminal): its name (the feed's own title unless an admin named it), its URL and its last error (which quotes what
 * the feed's server answered).
 */
export interface UntrustedDisplay {
  text(text: string): string;
  url(url: string): string;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** How the feed is doing, in words: the reason is always shown while its last poll failed. */
function health(feed: Feed, show: UntrustedDisplay): string {
  const inARow = count(feed.failures, 'failure', 'failures');
  const why = feed.lastError ? show.text(feed.lastError) : 'unknown error';
  if (!isHealthy(feed)) return `UNHEALTHY (${inARow} in a row): ${why}`;
  if (feed.failures > 0) return `last poll failed (${inARow} in a row, retrying): ${why}`;
  return feed.lastSuccessAt ? 'ok' : 'not polled yet';
}

/** One line per feed, for `feeds list` and `/feeds list`; `show` renders what the feed or its server wrote. */
export function describeFeed(feed: Feed, show: UntrustedDisplay): string {
  return `#${feed.id} ${feed.name ? show.text(feed.name) : '(no name)'} ${show.url(feed.url)} · every ${feed.everyMinutes} min · ${count(feed.articlesAdded, 'article', 'articles')} · ${health(feed, show)} · next poll ${feed.nextPollAt.slice(0, 16).replace('T', ' ')} UTC`;
}
