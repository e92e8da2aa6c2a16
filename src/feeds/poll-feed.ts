import { NewsdeskError, describeError } from '../errors.js';
import { decodeText } from '../ingest/decode.js';
import { declaredHtmlCharset, parseHtml } from '../ingest/html.js';
import { articleLabel, finalizeArticle } from '../ingest/ingest-files.js';
import type { RawArticle } from '../ingest/types.js';
import type { Logger } from '../log.js';
import type { Newsdesk } from '../newsdesk.js';
import type { Feed } from '../store/feed-store.js';
import { fetchResource, headerCharset, type FetchFn, type FetchLimits } from './http-fetch.js';
import { itemKey } from './item-key.js';
import { hasRealText, parseFeed, type FeedItem } from './parse-feed.js';
import type { UrlPolicy } from './safe-url.js';

export interface FeedDeps {
  desk: Newsdesk;
  fetch: FetchFn;
  policy: UrlPolicy;
  now: () => Date;
  log: Logger;
  limits?: Partial<FetchLimits>;
}

export interface PollResult {
  feedId: number;
  url: string;
  status: 'ok' | 'not-modified' | 'failed';
  items: number;
  added: number;
  skipped: Array<{ item: string; reason: string }>;
  /** What was read leniently (XML faults) and items dated by the poll because their date could not be used. */
  warnings: string[];
  error?: string;
  nextPollAt: string;
}

/** Below this much text, a feed item is a teaser: the article page is fetched for the full text. */
export const FULL_TEXT_MIN_CHARS = 200;
/** After failures the interval doubles, up to a day; it never stops the other feeds. */
export const MAX_BACKOFF_MS = 24 * 3_600_000;

const MINUTE = 60_000;

/** The encoding an XML document declares in its prolog (`<?xml … encoding="gbk"?>`). */
function declaredXmlEncoding(bytes: Uint8Array): string | undefined {
  return /<\?xml[^>]*encoding\s*=\s*["']([\w-]+)["']/i.exec(Buffer.from(bytes.subarray(0, 200)).toString('latin1'))?.[1];
}

function htmlParagraphs(html: string): RawArticle | undefined {
  const article = parseHtml(/<html|<body/i.test(html) ? html : `<html><body><article>${html}</article></body></html>`)[0];
  // Paragraphs with nothing to say (only never-expanded entity references such as &lol9;) are not text.
  return article && { ...article, paragraphs: article.paragraphs.filter(hasRealText) };
}

const textLength = (a: RawArticle | undefined) => a?.paragraphs.join('').length ?? 0;

async function articleFor(item: FeedItem, feed: Feed, deps: FeedDeps): Promise<RawArticle> {
  let article = item.content ? htmlParagraphs(item.content) : undefined;
  if (textLength(article) < FULL_TEXT_MIN_CHARS && item.link) {
    // The feed carries only a summary: read the page itself, through the same HTML path as file ingest.
    try {
      const page = await fetchResource(item.link, { fetch: deps.fetch, policy: deps.policy, ...(deps.limits ? { limits: deps.limits } : {}), accept: 'text/html,*/*' });
      const html = decodeText(page.body, item.link, headerCharset(page.contentType) ?? declaredHtmlCharset(page.body)).text;
      const fromPage = parseHtml(html)[0];
      if (textLength(fromPage) > textLength(article)) article = fromPage;
    } catch (error) {
      if (!article) throw error;
      deps.log.warn({ feed: feed.url, link: item.link, error: describeError(error) }, 'article page unavailable: keeping the feed summary');
    }
  }
  if (!article || article.paragraphs.length === 0) {
    const junk = item.content !== undefined && /&#?[\w-]+;/u.test(item.content);
    throw new NewsdeskError('PARSE_FAILED', junk ? 'no real text in the item (only entity references that were never expanded, such as &lol9;) or its page' : 'no text in the item or its page');
  }
  // The feed's own fields describe the item better than the page's chrome does.
  const out: RawArticle = { ...article };
  if (item.title) out.title = item.title;
  if (item.link) out.url = item.link;
  if (item.published) out.publishedAt = item.published;
  return out;
}

/**
 * Polls one feed: a conditional GET, then each item not seen before becomes an article (the page is
 * fetched when the feed has only a summary), stored in one transaction per item and indexed at once.
 * A failure is recorded on the feed with a backoff; it never throws.
 */
export async function pollFeed(feed: Feed, deps: FeedDeps): Promise<PollResult> {
  const { desk, log } = deps;
  const feeds = desk.store.feeds;
  const started = deps.now();
  const result: PollResult = { feedId: feed.id, url: feed.url, status: 'ok', items: 0, added: 0, skipped: [], warnings: [], nextPollAt: '' };
  try {
    const res = await fetchResource(feed.url, {
      fetch: deps.fetch,
      policy: deps.policy,
      ...(deps.limits ? { limits: deps.limits } : {}),
      etag: feed.etag,
      lastModified: feed.lastModified,
      accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
    });
    const next = new Date(deps.now().getTime() + feed.everyMinutes * MINUTE);
    if (res.notModified) {
      feeds.recordSuccess(feed.id, { now: started, nextPollAt: next, itemsSeen: 0, articlesAdded: 0 });
      return { ...result, status: 'not-modified', nextPollAt: next.toISOString() };
    }
    const xml = decodeText(res.body, feed.url, headerCharset(res.contentType) ?? declaredXmlEncoding(res.body)).text;
    // Relative links are resolved against where the feed really is (after redirects), as node-feedparser does.
    const parsed = parseFeed(xml, res.url);
    result.warnings.push(...parsed.warnings);
    const source = feed.name ?? parsed.title ?? new URL(feed.url).hostname;
    result.items = parsed.items.length;
    for (const item of parsed.items) {
      const key = itemKey(item);
      const label = item.title ?? item.link ?? '(item without title or link)';
      if (!key) {
        result.skipped.push({ item: label, reason: 'no guid, link, title or text to recognise it by' });
        continue;
      }
      if (feeds.hasItem(feed.id, key)) continue;
      try {
        const raw = await articleFor(item, feed, deps);
        const { article, dateProblem } = finalizeArticle(raw, { source, ...(feed.timezone ? { timezone: feed.timezone } : {}) }, { now: deps.now(), zone: desk.zone, origin: feed.url });
        if (dateProblem) result.warnings.push(`"${item.title ?? articleLabel(raw)}": ${dateProblem}`);
        const stored = desk.storeArticles([article]);
        const articleId = stored.added[0]?.article.id ?? null;
        feeds.recordItem(feed.id, key, articleId, deps.now());
        if (articleId !== null) result.added++;
      } catch (error) {
        result.skipped.push({ item: label, reason: describeError(error) });
      }
    }
    feeds.recordSuccess(feed.id, {
      now: started,
      nextPollAt: next,
      etag: res.etag,
      lastModified: res.lastModified,
      itemsSeen: result.items,
      articlesAdded: result.added,
      warnings: result.warnings,
      skipped: result.skipped,
    });
    result.nextPollAt = next.toISOString();
    if (result.skipped.length > 0) log.warn({ feed: feed.url, skipped: result.skipped }, 'feed items skipped');
    if (result.warnings.length > 0) log.warn({ feed: feed.url, warnings: result.warnings }, 'feed read with warnings');
    return result;
  } catch (error) {
    const reason = describeError(error);
    const backoff = Math.min(MAX_BACKOFF_MS, feed.everyMinutes * MINUTE * 2 ** (feed.failures + 1));
    const next = new Date(deps.now().getTime() + backoff);
    feeds.recordFailure(feed.id, { now: started, nextPollAt: next, error: reason });
    log.warn({ feed: feed.url, failures: feed.failures + 1, error: reason, retryAt: next.toISOString() }, 'feed poll failed');
    return { ...result, status: 'failed', error: reason, nextPollAt: next.toISOString() };
  }
}

/** Polls every feed that is due, one after another, then saves the index once if anything was added. */
export async function pollDueFeeds(deps: FeedDeps): Promise<PollResult[]> {
  const results: PollResult[] = [];
  for (const feed of deps.desk.store.feeds.due(deps.now())) results.push(await pollFeed(feed, deps));
  if (results.some((r) => r.added > 0)) deps.desk.saveIndex();
  // Every batch, and every idle run: what is committed reaches the database file within one intake run.
  deps.desk.store.checkpoint();
  return results;
}
