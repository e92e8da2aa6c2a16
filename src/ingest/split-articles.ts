import { isBylineOnly, opensWithDateline, parseByline } from './dateline.js';
import { isEnumerated, looksLikeHeading } from './text-shape.js';

/** One article as found on a page, before its metadata is read. */
export interface ArticleDraft {
  title?: string;
  /** Sub-headlines printed under the title: kept as the article's first paragraphs, since readers ask about them. */
  leading: string[];
  body: string[];
}

// A kicker (引题) above the headline is a short tag (3.5亿元); it is dropped, since alone it reads as noise.
const KICKER_MAX = 10;
// Sub-headlines are clauses (仅用9个月,就完成…); the main headline under a kicker usually is not.
const CLAUSE = /[，,；;]/u;

/** Whether a block is a headline, kicker or sub-headline rather than body text or a byline. */
export function isHeadingBlock(text: string): boolean {
  return looksLikeHeading(text) && !opensWithDateline(text) && !isBylineOnly(text);
}

/**
 * Splits a page's cleaned paragraphs into articles, in order.
 * - A run of heading blocks starts an article: at the top of the page; when it has two or more blocks (headline
 *   and sub-headline or kicker, which section heads inside an article do not have); when the body after it
 *   opens with a dateline; or when the article before it has closed with a byline. Otherwise the run is kept as
 *   section heads inside the current article.
 * - A paragraph that opens with a dateline starts a new article when the current one already has body text
 *   (articles printed without a headline above them).
 * - A newspaper prints some headlines after their article (photo headlines): a run that starts an article, after
 *   an article that opened with its dateline and has no headline, gives its first block to that article.
 */
export function splitArticles(paragraphs: readonly string[]): ArticleDraft[] {
  const drafts: ArticleDraft[] = [];
  let current: ArticleDraft | undefined;
  let i = 0;
  while (i < paragraphs.length) {
    const paragraph = paragraphs[i] ?? '';
    if (!isHeadingBlock(paragraph)) {
      if (current && current.body.length > 0 && opensWithDateline(paragraph)) {
        drafts.push(current);
        current = undefined;
      }
      if (!current) current = { leading: [], body: [] };
      current.body.push(paragraph);
      i++;
      continue;
    }
    let end = i;
    while (end < paragraphs.length && isHeadingBlock(paragraphs[end] ?? '')) end++;
    const run = paragraphs.slice(i, end);
    const nextBody = paragraphs[end];
    i = end;
    if (!current) {
      current = fromHeadingRun(run);
      continue;
    }
    if (nextBody === undefined) {
      closeWithTrailingRun(current, run);
      continue;
    }
    if (!startsArticle(run, nextBody, current)) {
      current.body.push(...run);
      continue;
    }
    if (!current.title && run.length >= 2 && openedWithDateline(current)) current.title = run.shift();
    drafts.push(current);
    current = fromHeadingRun(run);
  }
  if (current) drafts.push(current);
  return drafts.filter((d) => d.body.length + d.leading.length > 0 || d.title !== undefined);
}

function startsArticle(run: readonly string[], nextBody: string, current: ArticleDraft): boolean {
  if (run.length >= 2 && !isEnumerated(run[0] ?? '')) return true;
  if (opensWithDateline(nextBody)) return true;
  const last = current.body[current.body.length - 1];
  return last !== undefined && parseByline(last) !== undefined;
}

function openedWithDateline(draft: ArticleDraft): boolean {
  const first = draft.body[0];
  return first !== undefined && opensWithDateline(first);
}

// Headlines after the last article: a photo headline of an untitled, complete article, or lines kept as text.
function closeWithTrailingRun(current: ArticleDraft, run: string[]): void {
  if (!current.title && openedWithDateline(current)) current.title = run.shift();
  current.body.push(...run);
}

function fromHeadingRun(run: readonly string[]): ArticleDraft {
  const [first, second, ...rest] = run;
  if (first !== undefined && second !== undefined && isKicker(first, second)) return { title: second, leading: rest, body: [] };
  if (first === undefined) return { leading: [], body: [] };
  return { title: first, leading: second === undefined ? rest : [second, ...rest], body: [] };
}

function isKicker(first: string, second: string): boolean {
  return first.length <= KICKER_MAX && first.length * 2 <= second.length && !CLAUSE.test(second);
}
