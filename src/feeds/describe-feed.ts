import { translator, type Translate } from '../i18n/i18n.js';
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

/** How the feed is doing, in words: the reason is always shown while its last poll failed. */
function health(feed: Feed, show: UntrustedDisplay, t: Translate): string {
  const failures = t('feeds.failures', { count: feed.failures });
  const error = feed.lastError ? show.text(feed.lastError) : t('feeds.unknownError');
  if (!isHealthy(feed)) return t('feeds.unhealthy', { failures, error });
  if (feed.failures > 0) return t('feeds.failing', { failures, error });
  return feed.lastSuccessAt ? t('feeds.ok') : t('feeds.notPolled');
}

/** At most this many warnings and skipped items are named per feed; the rest are counted. */
const NAMED = 5;

function listed(items: readonly string[], t: Translate): string {
  return items.slice(0, NAMED).join('; ') + (items.length > NAMED ? `; ${t('feeds.andMore', { count: items.length - NAMED })}` : '');
}

/**
 * One line per feed, for `feeds list` and `/feeds list`, in `t`'s language (default English), then (indented) what
 * its last poll read leniently and the items it skipped, each by name with the reason; `show` renders what the feed
 * or its server wrote (name, URL, errors, item titles).
 */
export function describeFeed(feed: Feed, show: UntrustedDisplay, t: Translate = translator()): string {
  const line = t('feeds.line', {
    id: feed.id,
    name: feed.name ? show.text(feed.name) : t('feeds.noName'),
    url: show.url(feed.url),
    every: feed.everyMinutes,
    zone: feed.timezone ? ` · ${t('feeds.zone', { zone: feed.timezone })}` : '',
    articles: t('common.articles', { count: feed.articlesAdded }),
    health: health(feed, show, t),
    next: feed.nextPollAt.slice(0, 16).replace('T', ' '),
  });
  const lines = [line];
  if (feed.lastWarnings.length > 0) lines.push(`    ${t('feeds.warnings', { count: feed.lastWarnings.length, list: listed(feed.lastWarnings.map((w) => show.text(w)), t) })}`);
  if (feed.lastSkipped.length > 0) {
    lines.push(`    ${t('feeds.skippedItems', { count: feed.lastSkipped.length, list: listed(feed.lastSkipped.map((s) => `"${show.text(s.item)}": ${show.text(s.reason)}`), t) })}`);
  }
  return lines.join('\n');
}
