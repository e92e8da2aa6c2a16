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

/** At most this many warnings and skipped items are named per feed; the rest are counted. */
const NAMED = 5;

function listed(items: readonly string[]): string {
  return items.slice(0, NAMED).join('; ') + (items.length > NAMED ? `; … and ${items.length - NAMED} more` : '');
}

/**
 * One line per feed, for `feeds list` and `/feeds list`, then (indented) what its last poll read leniently
 * and the items it skipped, each by name with the reason; `show` renders what the feed or its server wrote.
 */
export function describeFeed(feed: Feed, show: UntrustedDisplay): string {
  const zone = feed.timezone ? ` · times in ${feed.timezone}` : '';
  const lines = [
    `#${feed.id} ${feed.name ? show.text(feed.name) : '(no name)'} ${show.url(feed.url)} · every ${feed.everyMinutes} min${zone} · ${count(feed.articlesAdded, 'article', 'articles')} · ${health(feed, show)} · next poll ${feed.nextPollAt.slice(0, 16).replace('T', ' ')} UTC`,
  ];
  if (feed.lastWarnings.length > 0) lines.push(`    ${count(feed.lastWarnings.length, 'warning', 'warnings')}: ${listed(feed.lastWarnings.map((w) => show.text(w)))}`);
  if (feed.lastSkipped.length > 0) lines.push(`    skipped ${feed.lastSkipped.length}: ${listed(feed.lastSkipped.map((s) => `"${show.text(s.item)}": ${show.text(s.reason)}`))}`);
  return lines.join('\n');
}
