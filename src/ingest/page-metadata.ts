import { DateTime } from 'luxon';
import { parsePublicationDate } from '../text/publication-date.js';
import { headlineFromTitle } from './page-title.js';

/** What a page says about its article, before Readability reads (and rearranges) it. */
export interface PageMetadata {
  title?: string;
  /** The outlet: the page's credited source (ContentSource, 来源：…), else the site's name. */
  source?: string;
  /** YYYY-MM-DD for a day alone, else the local date-time with its offset (2025-07-10T09:30:00+08:00). */
  publishedAt?: string;
  url?: string;
  reporter?: string;
  /** The visible line that gave date or outlet (`2025-07-10 09:30　来源：示例日报`), so it is not kept as a paragraph. */
  infoLine?: string;
}

export interface PageDateOptions {
  /** IANA zone in which a time without an offset is read. */
  zone: string;
  /** The clock, for refusing dates in the future. */
  now: Date;
}

// Meta names and properties carrying the publication time, in order of trust; matched without regard to case (gov.cn
// sites write PubDate, newspapers publishdate). From newspaper4k's list (issue #561) and the Chinese government-site
// convention (SiteName, ColumnName, ArticleTitle, PubDate, ContentSource).
const DATE_KEYS = [
  'article:published_time', 'og:article:published_time', 'og:published_time', 'og:release_date', 'pubdate', 'publishdate',
  'publish_date', 'publish-date', 'publishtime', 'publish_time', 'pubtime', 'datepublished', 'dc.date.issued',
  'dcterms.issued', 'dc.date', 'dcterms.created', 'sailthru.date', 'parsely-pub-date', 'firstpublishedtime', 'apub:time', 'date',
];
// Where a page credits the article's original outlet (a reprint of 新华社 on a portal is 新华社's).
const CREDITED_SOURCE_KEYS = ['contentsource', 'source', 'article:source', 'og:article:source', 'mediaid', 'media'];
// Where a page names its own site.
const SITE_KEYS = ['og:site_name', 'sitename', 'site_name', 'application-name', 'apple-mobile-web-app-title'];
// JSON-LD types that describe an article (schema.org).
const ARTICLE_TYPES = /^(?:NewsArticle|Article|ReportageNewsArticle|AnalysisNewsArticle|BackgroundNewsArticle|OpinionNewsArticle|BlogPosting|Report)$/;

// A date in an info line: 2025-07-10 09:30, 2025/7/10, 2025年07月10日 09:30, 2025.07.10.
const INFO_DATE = /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*(\d{1,2})\s*[:：]\s*(\d{2})(?:\s*[:：]\s*(\d{2}))?)?/u;
// 来源：示例日报 / 来源: <a>新华社</a> / 稿源：… / 出处：…
const INFO_SOURCE = /(?:来源|來源|稿源|出处|出處|文章来源|信息来源)\s*[：:]\s*([^\s|｜丨/\u3000]{2,30})/u;
const SOURCE_LABEL = /^(?:来源|來源|稿源|出处|出處)\s*[：:]\s*/u;
// Labels that mark a date as the publication time.
const INFO_DATE_LABEL = /发布|發佈|發布|时间|時間|日期|来源|來源/u;
const SENTENCE_END = /[。！？!?]/u;
// An info line is a short line; longer text is a paragraph that happens to quote a date.
const MAX_INFO_LINE = 160;
// Words that end an outlet name in an info line (来源：新华社作者：…).
const AFTER_SOURCE = /(?:作者|记者|編輯|编辑|责任编辑|責任編輯|责编|字号|字體|字体|浏览|瀏覽|阅读|閱讀|点击|分享|发布|時間|时间).*$/u;

interface PageDocument {
  title: string;
  querySelectorAll(selector: string): Iterable<PageElement>;
  querySelector(selector: string): PageElement | null;
}
interface PageElement {
  tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  children: ArrayLike<unknown>;
}

/**
 * Reads title, outlet, date, address and reporter from a parsed page (a linkedom document):
 * - Title: the page's headline (og:title, ArticleTitle, JSON-LD `headline`, an `h1` the `<title>` starts with),
 *   else the `<title>` without its site suffix (see headlineFromTitle).
 * - Outlet: the credited source (meta ContentSource/source, a visible `来源：…`), else JSON-LD `publisher`, else
 *   the site's name (og:site_name, SiteName).
 * - Date: meta (article:published_time, PubDate, publishdate, …), else JSON-LD `datePublished`, else the visible info
 *   line; read with parsePublicationDate in `opts.zone`, a date it refuses (future, before 1990) is left out.
 */
export function readPageMetadata(document: PageDocument, opts: PageDateOptions): PageMetadata {
  const meta = metaValues(document);
  const first = (keys: readonly string[]) => keys.map((k) => meta.get(k)).find((v) => v !== undefined);
  const ld = jsonLdArticle(document);
  const info = infoLine(document);
  const result: PageMetadata = {};

  const siteNames = [first(SITE_KEYS), ld.publisher].filter((s): s is string => s !== undefined);
  const h1s = [...document.querySelectorAll('h1')].map((h) => squash(h.textContent ?? '')).filter((t) => t.length > 0);
  const named = [meta.get('og:title'), meta.get('articletitle'), ld.headline, meta.get('twitter:title')].filter((t): t is string => t !== undefined);
  const pageTitle = squash(document.title ?? '');
  const title = pageTitle
    ? headlineFromTitle(pageTitle, [...named.map((t) => headlineFromTitle(t, [], siteNames)), ...h1s], siteNames)
    : (named[0] !== undefined ? headlineFromTitle(named[0], [], siteNames) : h1s[0]);
  if (title) result.title = title;

  // people.com.cn writes the label into the value: <meta name="source" content="来源：人民网－人民日报">.
  const credited = first(CREDITED_SOURCE_KEYS)?.replace(SOURCE_LABEL, '').trim() || undefined;
  const source = [credited, info?.source, ld.publisher, first(SITE_KEYS)].find((s) => s !== undefined && !/^(?:https?:|www\.)/iu.test(s));
  if (source) result.source = source;

  for (const raw of [...DATE_KEYS.map((k) => meta.get(k)), ld.datePublished, info?.date]) {
    const date = raw === undefined ? undefined : readDate(raw, opts);
    if (date) {
      result.publishedAt = date;
      break;
    }
  }

  const url = document.querySelector('link[rel="canonical"]')?.getAttribute('href')?.trim() || meta.get('og:url');
  if (url) result.url = url;
  const reporter = ld.author ?? meta.get('author');
  if (reporter && reporter !== source && !/^(?:https?:|www\.)/iu.test(reporter)) result.reporter = reporter;
  if (info && (info.source || info.date)) result.infoLine = info.text;
  return result;
}

/** Whether a paragraph is the page's info line (date and source), which is metadata, not article text. */
export function isInfoLine(paragraph: string, infoLineText: string | undefined): boolean {
  if (!infoLineText) return false;
  const p = squash(paragraph);
  return p.length <= MAX_INFO_LINE && (p === infoLineText || (infoLineText.includes(p) && INFO_DATE.test(p)) || (p.includes(infoLineText) && p.length < infoLineText.length + 20));
}

// name/property/itemprop (lower case) → content; the first of each wins.
function metaValues(document: PageDocument): Map<string, string> {
  const values = new Map<string, string>();
  for (const el of document.querySelectorAll('meta')) {
    const content = el.getAttribute('content')?.trim();
    if (!content) continue;
    for (const attr of ['property', 'name', 'itemprop', 'http-equiv']) {
      const key = el.getAttribute(attr)?.trim().toLowerCase();
      if (key && !values.has(key)) values.set(key, content);
    }
  }
  return values;
}

function jsonLdArticle(document: PageDocument): { headline?: string; datePublished?: string; publisher?: string; author?: string } {
  for (const script of document.querySelectorAll('script[type="application/ld+json"]')) {
    let data: unknown;
    try {
      data = JSON.parse(script.textContent ?? '');
    } catch {
      continue; // a broken block of structured data says nothing; the page's other metadata still counts
    }
    for (const node of flatten(data)) {
      const type = node['@type'];
      const types = Array.isArray(type) ? type : [type];
      if (!types.some((t) => typeof t === 'string' && ARTICLE_TYPES.test(t))) continue;
      const out: { headline?: string; datePublished?: string; publisher?: string; author?: string } = {};
      const headline = text(node['headline']);
      if (headline) out.headline = headline;
      const date = text(node['datePublished']);
      if (date) out.datePublished = date;
      const publisher = name(node['publisher']);
      if (publisher) out.publisher = publisher;
      const author = name(node['author']);
      if (author) out.author = author;
      return out;
    }
  }
  return {};
}

function flatten(data: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(data)) return data.flatMap(flatten);
  if (data === null || typeof data !== 'object') return [];
  const node = data as Record<string, unknown>;
  return [node, ...flatten(node['@graph'])];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? squash(value) : undefined;
}

function name(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.map(name).find((n) => n !== undefined);
  if (typeof value === 'string') return text(value);
  if (value && typeof value === 'object') return text((value as Record<string, unknown>)['name']);
  return undefined;
}

// The shortest element on the page whose text has a date and a source (2025-07-10 09:30　来源：示例日报), else the
// shortest with a source and the shortest with a labelled date (发布时间：…).
function infoLine(document: PageDocument): { text: string; date?: string; source?: string } | undefined {
  let both: string | undefined;
  let sourceOnly: string | undefined;
  let dateOnly: string | undefined;
  for (const el of document.querySelectorAll('body *')) {
    if (/^(?:SCRIPT|STYLE|NOSCRIPT|TEMPLATE)$/iu.test(el.tagName)) continue;
    const t = squash(el.textContent ?? '');
    // An info line is not a sentence: a flash that quotes its source and date (…（来源：新华社）。) is article text.
    if (t.length === 0 || t.length > MAX_INFO_LINE || SENTENCE_END.test(t)) continue;
    const hasDate = INFO_DATE.test(t);
    const hasSource = INFO_SOURCE.test(t);
    if (hasDate && hasSource && (both === undefined || t.length < both.length)) both = t;
    else if (hasSource && (sourceOnly === undefined || t.length < sourceOnly.length)) sourceOnly = t;
    else if (hasDate && INFO_DATE_LABEL.test(t) && (dateOnly === undefined || t.length < dateOnly.length)) dateOnly = t;
  }
  const line = both ?? sourceOnly ?? dateOnly;
  if (line === undefined) return undefined;
  const out: { text: string; date?: string; source?: string } = { text: line };
  const date = INFO_DATE.exec(both ?? dateOnly ?? '');
  if (date) {
    const [, y, mo, d, h, mi, s] = date;
    out.date = `${y}-${pad(mo)}-${pad(d)}` + (h && mi ? ` ${pad(h)}:${mi}${s ? `:${s}` : ''}` : '');
  }
  const source = INFO_SOURCE.exec(both ?? sourceOnly ?? '')?.[1]?.replace(INFO_DATE, '').replace(AFTER_SOURCE, '').trim();
  if (source && source.length >= 2) out.source = source;
  return out;
}

// A day alone stays a day; a time is kept with the offset of the zone it was read in, so both the instant and the
// local day can be read back from the string.
function readDate(raw: string, opts: PageDateOptions): string | undefined {
  const parsed = parsePublicationDate(raw.trim(), opts);
  if (!parsed) return undefined;
  if (/^\d{4}\D\d{1,2}\D\d{1,2}\D?$/u.test(raw.trim())) return parsed.day;
  return DateTime.fromISO(parsed.instant).setZone(opts.zone).toISO({ suppressMilliseconds: true }) ?? parsed.day;
}

function squash(value: string): string {
  return value.replace(/\s+/gu, ' ').trim();
}

function pad(value: string | undefined): string {
  return (value ?? '').padStart(2, '0');
}
