import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { isInfoLine, readPageMetadata } from './page-metadata.js';
import type { RawArticle } from './types.js';

// Elements whose text is a paragraph of the article body.
const BLOCKS = 'p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, td, figcaption';

/** The charset an HTML document declares in its first bytes (`<meta charset>` or http-equiv), if any. */
export function declaredHtmlCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  return /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1];
}

/** Where page dates are read when the caller gives no zone: the default of NEWSDESK_TIMEZONE. */
export const DEFAULT_PAGE_ZONE = 'Asia/Shanghai';

export interface ParseHtmlOptions {
  /** IANA zone for times the page gives without an offset; default {@link DEFAULT_PAGE_ZONE}. */
  zone?: string;
  /** The clock; a page date more than a day after it is not believed. Without it no date is refused as future. */
  now?: Date;
}

// With no clock given, no publication date is "in the future".
const NO_CLOCK = new Date('9999-12-31T00:00:00Z');

/**
 * The main content of a web page: a readability-style extractor drops navigation, scripts, comments and
 * boilerplate; paragraphs come from the block elements that remain. Title, outlet, date, address and reporter are
 * what the page says (see readPageMetadata); the page's visible info line (`2025-07-10 09:30　来源：示例日报`) is
 * metadata and not kept as a paragraph. Hints from outside fill the gaps later, in finalizeArticle.
 */
export function parseHtml(html: string, options: ParseHtmlOptions = {}): RawArticle[] {
  const { document } = parseHTML(html);
  // Readability mutates the document it reads, so metadata is read first.
  const page = readPageMetadata(document as unknown as Parameters<typeof readPageMetadata>[0], {
    zone: options.zone ?? DEFAULT_PAGE_ZONE,
    now: options.now ?? NO_CLOCK,
  });

  const article = new Readability(document as unknown as Document, { charThreshold: 100 }).parse();
  let paragraphs: string[] = [];
  if (article?.content) {
    const { document: body } = parseHTML(`<html><body>${article.content}</body></html>`);
    paragraphs = blockTexts(body.querySelectorAll(BLOCKS));
    if (paragraphs.length === 0) paragraphs = splitLines(article.textContent ?? '');
  }
  if (paragraphs.length === 0) {
    // Too little text for readability to be sure: fall back to the body without its chrome.
    const { document: fallback } = parseHTML(html);
    for (const el of fallback.querySelectorAll('script, style, noscript, nav, header, footer, aside, form, iframe')) el.remove();
    paragraphs = blockTexts(fallback.querySelectorAll(BLOCKS));
    if (paragraphs.length === 0) paragraphs = splitLines(fallback.body?.textContent ?? '');
  }
  const withoutInfo = paragraphs.filter((p) => !isInfoLine(p, page.infoLine));
  if (withoutInfo.length > 0) paragraphs = withoutInfo;
  // The headline printed as the first block is the title, not a paragraph of its own.
  if (page.title && paragraphs.length > 1 && paragraphs[0] === page.title) paragraphs = paragraphs.slice(1);
  if (paragraphs.length === 0) return [];
  const result: RawArticle = { paragraphs };
  const title = page.title ?? article?.title?.trim();
  if (title) result.title = title;
  const source = page.source ?? article?.siteName?.trim();
  if (source) result.source = source;
  if (page.url) result.url = page.url;
  if (page.publishedAt) result.publishedAt = page.publishedAt;
  const reporter = article?.byline?.trim() || page.reporter;
  if (reporter) result.reporter = reporter;
  return [result];
}

function blockTexts(elements: Iterable<{ textContent: string | null; querySelector(s: string): unknown }>): string[] {
  const out: string[] = [];
  for (const el of elements) {
    // A block that contains other blocks is read through its children.
    if (el.querySelector(BLOCKS)) continue;
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (text) out.push(text);
  }
  return out;
}

function splitLines(text: string): string[] {
  return text
    .split(/\n+/)
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter((l) => l.length > 0);
}
