import { createHash } from 'node:crypto';
import { canonicalUrl } from '../ingest/dedupe-key.js';
import { htmlToText } from './parse-feed.js';
import type { FeedItem } from './parse-feed.js';

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/**
 * The most stable identity a feed item offers: its guid, else its link without tracking parameters, else
 * what tells it apart from its neighbours: its title with its text (summary or content), else its title with
 * its date. Flash-news feeds title every item `快讯`, so the title alone would take each new item for the
 * first (FreshRSS and RSSOwl key such items the same way). A guid or link item re-dated or re-sent is not new.
 * Undefined when the item has neither guid, link, title nor text.
 */
export function itemKey(item: FeedItem): string | undefined {
  if (item.guid) return `guid:${item.guid}`;
  const url = item.link && canonicalUrl(item.link);
  if (url) return `url:${url}`;
  const title = item.title?.trim() ?? '';
  const text = item.content ? htmlToText(item.content) : '';
  if (text) return `text:${hash(`${title}\n${text}`)}`;
  if (title && item.published) return `dated:${hash(`${title}\n${item.published}`)}`;
  if (title) return `title:${hash(title)}`;
  return undefined;
}
