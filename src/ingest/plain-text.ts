import { finishArticles } from './article-metadata.js';
import { repairPageBreaks } from './page-breaks.js';
import { cutRelatedTail } from './related-tail.js';
import { dropRepeatedLines } from './repeated-lines.js';
import { splitArticles, type ArticleDraft } from './split-articles.js';
import type { IngestHints, RawArticle } from './types.js';

export interface ParseOptions {
  /**
   * Today as YYYY-MM-DD, giving a year to datelines such as 2月14日 when `hints.date` is absent. Passed in rather
   * than read from the clock, so parsing stays pure; without it such a dateline gives no date.
   */
  today?: string;
}

/** A page's lines after cleaning, with the teasers its related-links tail held. */
export interface CleanedLines {
  paragraphs: string[];
  teasers: string[];
}

/**
 * Reads a plain-text news document (one article or a whole newspaper page) into clean articles.
 * Every non-empty line is a paragraph (web pages end paragraphs with one newline, newspapers with a blank line);
 * the related-links tail is cut, repeated lines are kept once, paragraphs cut by page breaks are joined, the page
 * is split into articles with their headlines, and outlet, reporter and date are read from datelines and bylines.
 * `hints.source` wins over the text; `hints.date` dates articles whose text gives no date; `hints.title` titles a
 * document that holds one article. Returns [] when there is no text.
 */
export function parsePlainText(text: string, hints: IngestHints, options: ParseOptions = {}): RawArticle[] {
  const cleaned = cleanLines(splitLines(text));
  if (cleaned.paragraphs.length === 0) return [];
  return finishPage(splitArticles(cleaned.paragraphs), cleaned.teasers, hints, options);
}

/** Lines of a decoded document, trimmed, empty ones dropped; a leading byte-order mark and \r are ignored. */
export function splitLines(text: string): string[] {
  return text
    .replace(/^\uFEFF/u, '')
    .split(/\r\n|\r|\n/u)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** The cleaning shared by every text reader: tail cut first (its repeats are evidence), then repeats, then breaks. */
export function cleanLines(lines: readonly string[]): CleanedLines {
  const { body, teasers } = cutRelatedTail(lines);
  return { paragraphs: repairPageBreaks(dropRepeatedLines(body)), teasers };
}

/** Metadata and titles for a page's drafts; see {@link parsePlainText} for which hint wins. */
export function finishPage(drafts: readonly ArticleDraft[], teasers: readonly string[], hints: IngestHints, options: ParseOptions): RawArticle[] {
  const context = options.today === undefined ? { hints, teasers } : { hints, teasers, today: options.today };
  return finishArticles(drafts, context);
}
