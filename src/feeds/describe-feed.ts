import { translator, type Translate } from '../i18n/i18n.js';
import { isHealthy, type Feed } from '../store/feed-store.js';

export const DEFAULT_EVERY_MINUTES = 15;

/** How the feed is doing, in words: the reason is always shown while its last poll failed. */
function health(feed: Feed, t: Translate): string {
  const failures = t('feeds.failures', { count: feed.failures });
  const error = feed.lastError ?? t('feeds.unknownError');
  if (!isHealthy(feed)) return t('feeds.unhealthy', { failures, error });
  if (feed.failures > 0) return t('feeds.failing', { failures, error });
  return feed.lastSuccessAt ? t('feeds.ok') : t('feeds.notPolled');
}

/**
 * One line per feed, for `feeds list` and `/feeds list`, in `t`'s language (default English). The feed's name, URL
 * and last error are shown as they are.
 */
export function describeFeed(feed: Feed, t: Translate = translator()): string {
  return t('feeds.line', {
    id: feed.id,
    name: feed.name ?? t('feeds.noName'),
    url: feed.url,
    every: feed.everyMinutes,
    articles: t('common.articles', { count: feed.articlesAdded }),
    health: health(feed, t),
    next: feed.nextPollAt.slice(0, 16).replace('T', ' '),
  });
}
