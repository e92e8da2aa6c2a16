import { createHash } from 'node:crypto';
import { canonicalUrl } from '../ingest/dedupe-key.js';
import type { FeedItem } from './parse-feed.js';

/**
 * The most stable identity a feed item offers: its guid, else its link without tracking parameters, else
 * its title (dates change when publishers re-send an item, so they are not part of the key).
 */
export function itemKey(item: FeedItem): string | undefined {
  if (item.guid) return `guid:${item.guid}`;
  const url = item.link && canonicalUrl(item.link);
  if (url) return `url:${url}`;
  if (item.title) return `title:${createHash('sha256').update(item.title.trim()).digest('hex').slice(0, 32)}`;
  return undefined;
}
