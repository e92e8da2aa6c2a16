import { NewsdeskError, describeError, isNewsdeskError } from '../errors.js';
import { decodeText } from '../ingest/decode.js';
import { declaredHtmlCharset, parseHtml } from '../ingest/html.js';
import { articleLabel, finalizeArticle } from '../ingest/ingest-files.js';
import type { RawArticle } from '../ingest/types.js';
import type { Logger } from '../log.js';
import type { Newsdesk } from '../newsdesk.js';
import type { Feed } from '../store/feed-store.js';
import { sqliteStoreOf } from '../store/sqlite-news-store.js';
import pLimit, { type LimitFunction } from 'p-limit';
import { DEFAULT_LIMITS, fetchResource, headerCharset, type FetchFn, type FetchLimits, type HostQueue } from './http-fetch.js';
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
  /** One request at a time per host; `pollDueFeeds` makes one for all the feeds it polls. */
  hostQueue?: HostQueue;
  /** Total time for one feed's article pages in one poll (ms); PAGE_BUDGET_MS by default. */
  pageBudgetMs?: number;
  /** Milliseconds from a fixed point, for the page budget; `performance.now` by default (timeouts run on real time too). */
  elapsed?: () => number;
}

export interface PollResult {
  feedId: number;
  url: string;
  status: 'ok' | 'not-modified' | 'failed';
  items: number;
  added: number;
  /** Articles stored earlier with only their summary whose page was read this time and replaced it. */
  completed: number;
  skipped: Array<{ item: string; reason: string }>;
  /** What was read leniently (XML faults) and items dated by the poll because their date could not be used. */
  warnings: string[];
  error?: string;
  nextPollAt: string;
}

/** Feed documents fetched at once, across feeds; each also waits for its host (one request at a time per host). */
export const FEED_CONCURRENCY = 4;
/**
 * Time one feed's article pages may take in one poll, all pages together. Pages that do not fit are fetched at a
 * later poll: the items are stored with their summary meanwhile. Without it, a feed of 50 summary-only items whose
 * pages hang would take 50 × 15 s.
 */
export const PAGE_BUDGET_MS = 60_000;
/** Tries at the page of an item stored with only its summary, the first one included. */
export const MAX_PAGE_ATTEMPTS = 3;

/** A HostQueue letting each host (name and port) have one request at a time, first come first served. */
export function oneRequestPerHost(): HostQueue {
  const queues = new Map<string, LimitFunction>();
  return (host, request) => {
    let queue = queues.get(host);
    if (!queue) queues.set(host, (queue = pLimit(1)));
    return queue(request);
  };
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

/** What is left of a feed's page budget in this poll. */
class PageBudget {
  private readonly deadline: number;
  constructor(
    readonly totalMs: number,
    private readonly elapsed: () => number,
  ) {
    this.deadline = elapsed() + totalMs;
  }
  remaining(): number {
    return this.deadline - this.elapsed();
  }
}

type PageOutcome = { article: RawArticle | undefined } | { error: unknown; tried: boolean };

/** An article page, within the request limits and what is left of the feed's page budget; never throws. */
async function fetchPage(url: string, deps: FeedDeps, budget: PageBudget): Promise<PageOutcome> {
  const left = budget.remaining();
  if (left <= 0) {
    return { error: new NewsdeskError('NOT_FOUND', `page not fetched: this poll's ${budget.totalMs / 1000} s for the feed's article pages were used up`), tried: false };
  }
  const timeoutMs = deps.limits?.timeoutMs ?? DEFAULT_LIMITS.timeoutMs;
  const capped = left < timeoutMs;
  try {
    const page = await fetchResource(url, {
      fetch: deps.fetch,
      policy: deps.policy,
      limits: { ...deps.limits, timeoutMs: Math.min(timeoutMs, left) },
      accept: 'text/html,*/*',
      ...(deps.hostQueue ? { hostQueue: deps.hostQueue } : {}),
    });
    const html = decodeText(page.body, url, headerCharset(page.contentType) ?? declaredHtmlCharset(page.body)).text;
    return { article: parseHtml(html, { zone: deps.desk.zone, now: deps.now() })[0] };
  } catch (error) {
    const reason = describeError(error);
    return { error: capped ? new NewsdeskError('NOT_FOUND', `${reason} (what was left of this poll's ${budget.totalMs / 1000} s for the feed's article pages)`) : error, tried: true };
  }
}

async function articleFor(item: FeedItem, feed: Feed, deps: FeedDeps, budget: PageBudget): Promise<{ article: RawArticle; incompletePage?: { url: string; attempts: number } }> {
  let article = item.content ? htmlParagraphs(item.content) : undefined;
  let incompletePage: { url: string; attempts: number } | undefined;
  if (textLength(article) < FULL_TEXT_MIN_CHARS && item.link) {
    // The feed carries only a summary: read the page itself, through the same HTML path as file ingest.
    const page = await fetchPage(item.link, deps, budget);
    if ('article' in page) {
      if (textLength(page.article) > textLength(article)) article = page.article;
    } else {
      if (!article) throw page.error;
      // Kept with its summary for now; later polls try the page again and replace the summary when it loads.
      incompletePage = { url: item.link, attempts: page.tried ? 1 : 0 };
      deps.log.warn({ feed: feed.url, link: item.link, error: describeError(page.error) }, 'article page unavailable: keeping the feed summary for now');
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
  return incompletePage ? { article: out, incompletePage } : { article: out };
}

/**
 * Fetches again the pages of items stored with only their summary (`skip`: those stored in this very poll), within
 * the budget; a page that loads replaces the summary, and an item is given up after MAX_PAGE_ATTEMPTS tries.
 * Runs whether or not the feed itself changed (a 304 lists no items). Returns how many summaries were replaced.
 */
async function completeSummaries(feed: Feed, deps: FeedDeps, budget: PageBudget, skip: ReadonlySet<string>): Promise<number> {
  const feeds = deps.desk.store.feeds;
  let completed = 0;
  for (const item of await feeds.incompleteItems(feed.id)) {
    if (skip.has(item.key) || budget.remaining() <= 0) continue;
    const page = await fetchPage(item.pageUrl, deps, budget);
    if ('article' in page) {
      const stored = (await deps.desk.store.articleParagraphs(item.articleId)).join('').length;
      if (page.article && textLength(page.article) > stored) {
        await deps.desk.replaceArticleText(item.articleId, page.article.paragraphs);
        completed++;
      }
      await feeds.recordPageAttempt(feed.id, item.key, 'done');
    } else if (page.tried) {
      const last = item.attempts + 1 >= MAX_PAGE_ATTEMPTS;
      await feeds.recordPageAttempt(feed.id, item.key, last ? 'done' : 'failed');
      deps.log.warn({ feed: feed.url, link: item.pageUrl, attempts: item.attempts + 1, error: describeError(page.error) }, last ? 'article page still unavailable: keeping the feed summary for good' : 'article page still unavailable: trying again at the next poll');
    }
  }
  return completed;
}

/**
 * Polls one feed: a conditional GET (inside `slot`, which bounds how many feed documents are fetched at once),
 * then each item not seen before becomes an article (the page is fetched when the feed has only a summary),
 * stored in one transaction per item and indexed at once. An item whose page fails is stored with its summary and
 * its page tried again at later polls. A failure is recorded on the feed with a backoff; it never throws.
 */
export async function pollFeed(feed: Feed, deps: FeedDeps, slot: <T>(fetchFeed: () => Promise<T>) => Promise<T> = (f) => f()): Promise<PollResult> {
  const { desk, log } = deps;
  const feeds = desk.store.feeds;
  const started = deps.now();
  const result: PollResult = { feedId: feed.id, url: feed.url, status: 'ok', items: 0, added: 0, completed: 0, skipped: [], warnings: [], nextPollAt: '' };
  try {
    const res = await slot(() =>
      fetchResource(feed.url, {
        fetch: deps.fetch,
        policy: deps.policy,
        ...(deps.limits ? { limits: deps.limits } : {}),
        ...(deps.hostQueue ? { hostQueue: deps.hostQueue } : {}),
        etag: feed.etag,
        lastModified: feed.lastModified,
        accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
      }),
    );
    const budget = new PageBudget(deps.pageBudgetMs ?? PAGE_BUDGET_MS, deps.elapsed ?? (() => performance.now()));
    const next = new Date(deps.now().getTime() + feed.everyMinutes * MINUTE);
    if (res.notModified) {
      result.completed = await completeSummaries(feed, deps, budget, new Set());
      await feeds.recordSuccess(feed.id, { now: started, nextPollAt: next, itemsSeen: 0, articlesAdded: 0 });
      return { ...result, status: 'not-modified', nextPollAt: next.toISOString() };
    }
    const xml = decodeText(res.body, feed.url, headerCharset(res.contentType) ?? declaredXmlEncoding(res.body)).text;
    // Relative links are resolved against where the feed really is (after redirects), as node-feedparser does.
    const parsed = parseFeed(xml, res.url);
    result.warnings.push(...parsed.warnings);
    const source = feed.name ?? parsed.title ?? new URL(feed.url).hostname;
    result.items = parsed.items.length;
    const storedNow = new Set<string>();
    // An item the database could not take (busy with another writer) is new again at the next poll, which must
    // therefore get the whole feed, not a 304.
    let retryItems = false;
    // Which items were taken at earlier polls: one read for the whole feed, not one per item.
    const known = await feeds.knownItems(feed.id, parsed.items.map(itemKey).filter((k): k is string => Boolean(k)));
    for (const item of parsed.items) {
      const key = itemKey(item);
      const label = item.title ?? item.link ?? '(item without title or link)';
      if (!key) {
        result.skipped.push({ item: label, reason: 'no guid, link, title or text to recognise it by' });
        continue;
      }
      if (known.has(key) || storedNow.has(key)) continue;
      try {
        const { article: raw, incompletePage } = await articleFor(item, feed, deps, budget);
        const { article, dateProblem } = finalizeArticle(raw, { source, ...(feed.timezone ? { timezone: feed.timezone } : {}) }, { now: deps.now(), zone: desk.zone, origin: feed.url });
        if (dateProblem) result.warnings.push(`"${item.title ?? articleLabel(raw)}": ${dateProblem}`);
        const stored = await desk.storeArticles([article]);
        const articleId = stored.added[0]?.article.id ?? null;
        await feeds.recordItem(feed.id, key, articleId, deps.now(), articleId !== null ? incompletePage : undefined);
        storedNow.add(key);
        if (articleId !== null) result.added++;
      } catch (error) {
        result.skipped.push({ item: label, reason: describeError(error) });
        if (isNewsdeskError(error, 'STORE_FAILED')) retryItems = true;
      }
    }
    result.completed = await completeSummaries(feed, deps, budget, storedNow);
    await feeds.recordSuccess(feed.id, {
      now: started,
      nextPollAt: next,
      etag: res.etag,
      lastModified: res.lastModified,
      itemsSeen: result.items,
      articlesAdded: result.added,
      warnings: result.warnings,
      skipped: result.skipped,
    });
    if (retryItems) await feeds.forgetValidators(feed.id);
    result.nextPollAt = next.toISOString();
    if (result.skipped.length > 0) log.warn({ feed: feed.url, skipped: result.skipped }, 'feed items skipped');
    if (result.warnings.length > 0) log.warn({ feed: feed.url, warnings: result.warnings }, 'feed read with warnings');
    return result;
  } catch (error) {
    const reason = describeError(error);
    const backoff = Math.min(MAX_BACKOFF_MS, feed.everyMinutes * MINUTE * 2 ** (feed.failures + 1));
    const next = new Date(deps.now().getTime() + backoff);
    await feeds.recordFailure(feed.id, { now: started, nextPollAt: next, error: reason });
    log.warn({ feed: feed.url, failures: feed.failures + 1, error: reason, retryAt: next.toISOString() }, 'feed poll failed');
    return { ...result, status: 'failed', error: reason, nextPollAt: next.toISOString() };
  }
}

/**
 * Polls every feed that is due, all at once: at most FEED_CONCURRENCY feed documents are fetched at a time, every
 * request waits for its host (one at a time per host), and each feed's pages share its PAGE_BUDGET_MS. So a feed
 * whose server hangs costs another feed at most one request's timeout (a document slot or its host), never the
 * slow feed's whole poll. Saves the index once if anything was added. Results are in the order the feeds were due.
 */
export async function pollDueFeeds(deps: FeedDeps): Promise<PollResult[]> {
  const withHosts: FeedDeps = { ...deps, hostQueue: deps.hostQueue ?? oneRequestPerHost() };
  const slots = pLimit(FEED_CONCURRENCY);
  const slot = <T>(fetchFeed: () => Promise<T>) => slots(fetchFeed);
  const results = await Promise.all(
    (await deps.desk.store.feeds.due(deps.now())).map((feed) =>
      // pollFeed records its failures; only recording itself can fail (a database busy past its timeout), and that
      // must not lose the other feeds' results.
      pollFeed(feed, withHosts, slot).catch((error: unknown): PollResult => {
        deps.log.error({ feed: feed.url, error: describeError(error) }, 'feed poll could not be recorded');
        return { feedId: feed.id, url: feed.url, status: 'failed', items: 0, added: 0, completed: 0, skipped: [], warnings: [], error: describeError(error), nextPollAt: feed.nextPollAt };
      }),
    ),
  );
  if (results.some((r) => r.added > 0 || r.completed > 0)) deps.desk.saveIndex();
  // Every batch, and every idle run: what is committed reaches the database file within one intake run.
  sqliteStoreOf(deps.desk.store)?.checkpoint();
  return results;
}
