import { parseFeed as parseLenientFeed } from '@rowanmanning/feed-parser';
import { XMLValidator } from 'fast-xml-parser';
import { parseHTML } from 'linkedom';
import { NewsdeskError, describeError } from '../errors.js';

export interface FeedItem {
  guid?: string;
  /** Absolute http(s) address of the item's page, resolved against xml:base and the feed's own URL. */
  link?: string;
  /** Plain text: markup and entities the feed escaped are gone. */
  title?: string;
  /** HTML the feed carries for the item (full content when it has it, else the summary). */
  content?: string;
  /** The summary's HTML, when the feed has one besides the content. */
  summary?: string;
  /** The date exactly as the feed writes it, read later by readPublicationDate. */
  published?: string;
}

export interface ParsedFeed {
  title?: string;
  items: FeedItem[];
  /** What was wrong with the XML and read leniently anyway (shown in the feed's health). */
  warnings: string[];
}

// Characters XML 1.0 forbids (C0 controls other than tab, newline, return): lenient readers drop them.
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/gu;

/** An element of the parsed document (the library does not export the class from its entry point). */
type Element = ReturnType<typeof parseLenientFeed>['items'][number]['element'];

/**
 * Reads RSS 2.0, RSS 1.0 (RDF) and Atom leniently, as feed readers do: @rowanmanning/feed-parser (tolerant
 * fast-xml-parser underneath, HTML entities decoded) reads feeds with a raw `&`, undefined HTML entities such as
 * `&nbsp;` or unclosed tags; stray control characters are removed first. Each fault is named in `warnings`.
 *
 * Links are resolved against the `xml:base` of the link, entry and feed and then `feedUrl` (the address the
 * feed was fetched from), following RFC 3986 and Atom's RFC 4287 §2; only http(s) links are kept. Atom
 * `type="xhtml"` content is the inner `div`'s markup, `type="html"` is HTML, `type="text"` is text (RFC 4287
 * §4.1.3). Titles become plain text (escaped `<b>`, entities and control characters removed).
 *
 * Throws PARSE_FAILED for a web page, or for a document no feed can be read from (not XML at all, XML that
 * is not RSS or Atom).
 */
export function parseFeed(xml: string, feedUrl?: string): ParsedFeed {
  const trimmed = xml.replace(/^\uFEFF/u, '').trimStart();
  if (/^<!doctype html|^<html/i.test(trimmed)) {
    throw new NewsdeskError('PARSE_FAILED', 'this address serves a web page, not an RSS or Atom feed: look for the site’s feed link (often /rss or /feed)');
  }
  const warnings: string[] = [];
  const controls = trimmed.match(CONTROL_CHARS)?.length ?? 0;
  const cleaned = controls > 0 ? trimmed.replace(CONTROL_CHARS, '') : trimmed;
  if (controls > 0) warnings.push(`${controls} control character${controls === 1 ? '' : 's'} XML does not allow removed`);
  const valid = XMLValidator.validate(cleaned);
  if (valid !== true) warnings.push(`not well-formed XML (line ${valid.err.line}: ${valid.err.msg}); read leniently`);
  let feed: ReturnType<typeof parseLenientFeed>;
  try {
    feed = parseLenientFeed(cleaned);
  } catch (error) {
    const why = valid === true ? describeError(error) : `line ${valid.err.line}: ${valid.err.msg}`;
    throw new NewsdeskError('PARSE_FAILED', `this is not an RSS or Atom feed that can be read, even leniently (${why})`);
  }
  if (valid !== true && feed.items.length === 0 && !feed.title) {
    throw new NewsdeskError('PARSE_FAILED', `the feed is not well-formed XML and nothing could be recovered from it (line ${valid.err.line}: ${valid.err.msg})`);
  }
  const items = feed.items.map((item): FeedItem => {
    const el = item.element;
    const out: FeedItem = {};
    const guid = clean(item.id ?? undefined);
    if (guid) out.guid = guid;
    const link = itemLink(el, feedUrl) ?? (guid && isPermalink(el) ? absoluteHttp(guid, baseOf(el, feedUrl)) : undefined);
    if (link) out.link = link;
    const title = plainTitle(el.findElementWithName('title'));
    if (title) out.title = title;
    const content = textOrHtml(el.findElementWithName('content')) ?? clean(rssEncoded(el));
    const summary = textOrHtml(el.findElementWithName('summary')) ?? clean(el.findElementWithName('description')?.textContentNormalized);
    if (content ?? summary) out.content = (content ?? summary)!;
    if (content && summary) out.summary = summary;
    const published = ['pubdate', 'date', 'published', 'issued', 'updated', 'modified', 'created']
      .map((name) => clean(el.findElementWithName(name)?.textContentNormalized))
      .find((v) => v !== undefined);
    if (published) out.published = published;
    return out;
  });
  const title = clean(feed.title ?? undefined);
  return title ? { title: htmlToText(title), items, warnings } : { items, warnings };
}

const clean = (v: string | undefined | null): string | undefined => {
  const t = v?.replace(CONTROL_CHARS, '').trim();
  return t ? t : undefined;
};

/** `content:encoded` (RSS), which the parser files under the name `encoded` in the `content` namespace. */
function rssEncoded(el: Element): string | undefined {
  return el.findElementsWithName('encoded').find((e) => e.namespace === 'content')?.textContentNormalized;
}

/** Atom text constructs (RFC 4287 §3.1): xhtml → the div's markup, html → HTML, text (default) → escaped text. */
function textOrHtml(el: Element | null): string | undefined {
  if (!el || el.getAttribute('src')) return undefined;
  const type = (el.getAttribute('type') ?? 'text').toLowerCase();
  if (type === 'xhtml') {
    const div = el.findElementWithName('div');
    return clean(div ? div.innerHtml : el.innerHtml);
  }
  const text = clean(el.textContentNormalized);
  if (!text) return undefined;
  if (type === 'html' || type === 'text/html') return text;
  // Atom's default type is text, but feeds that put escaped HTML in a "text" field are common: text holding
  // tags is read as HTML (so `<p>` never reaches a passage), other text is escaped so a `<` in it stays a `<`.
  return /<\/?[a-z][\w-]*(?:\s[^<>]*)?\/?>/iu.test(text) ? text : escapeHtml(text);
}

const escapeHtml = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** A title as plain text: escaped markup (`&lt;b&gt;`) and entities are read as HTML, whitespace collapsed. */
function plainTitle(el: Element | null): string | undefined {
  const raw = clean(el?.textContentNormalized);
  if (!raw) return undefined;
  const text = htmlToText(raw);
  return text && hasRealText(text) ? text : undefined;
}

/** The text of an HTML fragment (tags dropped, entities decoded), whitespace collapsed. */
export function htmlToText(html: string): string {
  if (!/[<&]/u.test(html)) return html.replace(/\s+/gu, ' ').trim();
  const { document } = parseHTML(`<!doctype html><html><body><div>${html}</div></body></html>`);
  return (document.querySelector('div')?.textContent ?? html).replace(CONTROL_CHARS, '').replace(/\s+/gu, ' ').trim();
}

/**
 * Whether text says anything: letters, digits or CJK left once entity references that were never expanded
 * (`&lol9;`, the leftovers of an entity-expansion attack) and punctuation are taken out.
 */
export function hasRealText(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text.replace(/&#?[\w-]+;/gu, ''));
}

/** The xml:base in force at `el`: each ancestor's xml:base resolved against its parent's, from the feed's URL. */
function baseOf(el: Element | null, feedUrl: string | undefined): string | undefined {
  const chain: string[] = [];
  for (let e: Element | null = el; e; e = e.parent) {
    const base = e.attributes['xml:base'];
    if (base) chain.unshift(base);
  }
  let base = feedUrl;
  for (const b of chain) {
    try {
      base = new URL(b, base).href;
    } catch {
      // An unusable xml:base is ignored, as browsers ignore a bad <base href>.
    }
  }
  return base;
}

function absoluteHttp(href: string, base: string | undefined): string | undefined {
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** The item's page: Atom's alternate (or untyped) link, RSS's `<link>` text, each resolved against its base. */
function itemLink(el: Element, feedUrl: string | undefined): string | undefined {
  const links = el.findElementsWithName('link');
  const atom = links.filter((l) => l.getAttribute('href'));
  if (atom.length > 0) {
    const chosen = atom.find((l) => l.getAttribute('rel') === 'alternate') ?? atom.find((l) => !l.getAttribute('rel'));
    const href = chosen?.getAttribute('href');
    return href ? absoluteHttp(href, baseOf(chosen ?? null, feedUrl)) : undefined;
  }
  for (const l of links) {
    const text = clean(l.textContentNormalized);
    if (text) return absoluteHttp(text, baseOf(l, feedUrl));
  }
  return undefined;
}

/** An RSS guid is the item's address unless it says isPermaLink="false" (RSS 2.0 spec). */
function isPermalink(el: Element): boolean {
  const guid = el.findElementWithName('guid');
  return guid !== null && guid.getAttribute('ispermalink')?.toLowerCase() !== 'false' && /^https?:\/\//iu.test(guid.textContentNormalized.trim());
}
