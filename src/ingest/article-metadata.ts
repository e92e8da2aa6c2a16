import { parseByline, parseDateline } from './dateline.js';
import type { ArticleDraft } from './split-articles.js';
import { titleFromTeasers } from './teaser-title.js';
import type { IngestHints, RawArticle } from './types.js';

export interface MetadataContext {
  hints: IngestHints;
  /** Teaser lines cut from the page's related-links tail; an untitled article may find its headline there. */
  teasers: readonly string[];
  /** YYYY-MM-DD giving a year to datelines such as 2月14日 when `hints.date` is absent. */
  today?: string;
}

/**
 * Turns drafts into articles with their outlet, reporter, date and (for a one-article page) address.
 * - Outlet: `hints.source`, else the article's dateline or byline, else the page's outlet (the first one any
 *   article on the page names), since articles of one page without a dateline are the page's own.
 * - Reporter: the dateline's credit, else a closing byline.
 * - Date: the dateline's, else `hints.date`; left out when nothing gives one (the caller dates it at ingest).
 * - Title: `hints.title` for a page holding one article; else the page's headline; else a related-links teaser
 *   that quotes the article's opening.
 */
export function finishArticles(drafts: readonly ArticleDraft[], context: MetadataContext): RawArticle[] {
  const { hints, teasers } = context;
  const reference = hints.date ?? context.today;
  const found = drafts.map((draft) => {
    const first = draft.body[0];
    const last = draft.body[draft.body.length - 1];
    return {
      dateline: first === undefined ? undefined : parseDateline(first, reference),
      byline: last === undefined ? undefined : parseByline(last),
    };
  });
  const pageSource = found.map((f) => f.dateline?.source ?? f.byline?.source).find((s) => s !== undefined);
  const articles: RawArticle[] = [];
  drafts.forEach((draft, index) => {
    const { dateline, byline } = found[index] ?? {};
    const paragraphs = [...draft.leading, ...draft.body].map(tidy).filter((p) => p.length > 0);
    let title = drafts.length === 1 && hints.title ? hints.title : draft.title;
    if (!title && teasers.length > 0 && draft.body[0]) title = titleFromTeasers(teasers, draft.body[0]);
    // A page holding only a headline still has that text to offer.
    if (paragraphs.length === 0 && title) paragraphs.push(tidy(title));
    if (paragraphs.length === 0) return;
    const article: RawArticle = { paragraphs };
    if (title) article.title = tidy(title);
    const source = hints.source ?? dateline?.source ?? byline?.source ?? pageSource;
    if (source) article.source = source;
    const reporter = dateline?.reporter ?? byline?.reporter;
    if (reporter) article.reporter = reporter;
    // The page's address names one article; on a page of several it would make them all look like one copy.
    if (hints.url && drafts.length === 1) article.url = hints.url;
    const date = dateline?.date ?? hints.date;
    if (date) article.publishedAt = date;
    articles.push(article);
  });
  return articles;
}

// Runs of spaces left by the layout say nothing; a single space between words is kept. Code blocks keep their lines.
function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => (text.includes('\n') ? line.trimEnd() : line.replace(/[ \t\u3000\u00a0]{2,}/gu, ' ').trim()))
    .join('\n')
    .trim();
}
