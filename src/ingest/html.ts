import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import type { RawArticle } from './types.js';

// Elements whose text is a paragraph of the article body.
const BLOCKS = 'p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, td, figcaption';

/** The charset an HTML document declares in its first bytes (`<meta charset>` or http-equiv), if any. */
export function declaredHtmlCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  return /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1];
}

/**
 * The main content of a web page: a readability-style extractor drops navigation, scripts, comments and
 * boilerplate; paragraphs come from the block elements that remain. Metadata is what the page says;
 * hints from outside fill the gaps later, in finalizeArticle.
 */
export function parseHtml(html: string): RawArticle[] {
  const { document } = parseHTML(html);
  const meta = (selector: string) => document.querySelector(selector)?.getAttribute('content')?.trim() || undefined;
  const canonical = document.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? meta('meta[property="og:url"]');
  const published = meta('meta[property="article:published_time"]') ?? meta('meta[name="pubdate"]') ?? meta('meta[name="publishdate"]');
  const siteName = meta('meta[property="og:site_name"]');

  // Readability mutates the document it reads, so metadata is read first.
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
  if (paragraphs.length === 0) return [];
  const title = meta('meta[property="og:title"]') || article?.title || document.title || undefined;
  const result: RawArticle = { paragraphs };
  if (title) result.title = title.trim();
  const source = siteName ?? article?.siteName ?? undefined;
  if (source) result.source = source;
  const url = canonical;
  if (url) result.url = url;
  const date = published ?? article?.publishedTime ?? undefined;
  if (date && !Number.isNaN(Date.parse(date))) result.publishedAt = new Date(date).toISOString().slice(0, 10);
  if (article?.byline) result.reporter = article.byline.trim();
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
