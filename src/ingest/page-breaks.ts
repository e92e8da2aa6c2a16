import { isBylineOnly, opensWithDateline, parseByline } from './dateline.js';
import {
  HEADING_MAX,
  MAIN_HEADLINE_MAX,
  endsMidClause,
  endsSentence,
  hasAnySentencePunctuation,
  hasSentenceInside,
  hasUnclosedBracket,
  joinBroken,
} from './text-shape.js';

/**
 * Joins paragraphs that a page or column break cut in two (…麦克·斯耐德(Mike Snyder)表 / 示,“我们致力于…), with no
 * space between CJK halves. A block is a broken piece when it does not end its sentence, the block after it is
 * body text that continues it, and the block itself reads as body text rather than a headline (see
 * {@link isBrokenBody}). Runs of headlines, sub-headlines and kickers are never joined. A block that keeps its own
 * line breaks (a code block) is preformatted and left alone.
 */
export function repairPageBreaks(paragraphs: readonly string[]): string[] {
  const out: string[] = [];
  let current: string | undefined;
  for (const next of paragraphs) {
    if (current === undefined) {
      current = next;
      continue;
    }
    if (continuesInto(current, next, out[out.length - 1])) {
      current = joinBroken(current, next);
      continue;
    }
    out.push(current);
    current = next;
  }
  if (current !== undefined) out.push(current);
  return out;
}

function continuesInto(block: string, next: string, previous: string | undefined): boolean {
  if (block.includes('\n') || next.includes('\n')) return false;
  if (endsSentence(block) || parseByline(block)) return false;
  // What follows a break is the rest of a sentence: it carries sentence punctuation and is not a new article.
  if (!hasAnySentencePunctuation(next) || opensWithDateline(next) || isBylineOnly(next)) return false;
  return isBrokenBody(block, previous);
}

/**
 * Whether an unfinished block is body text cut short rather than a headline: it stops on a comma, leaves a quote
 * or bracket open, holds a finished sentence, opens with a dateline, is longer than any sub-headline, or sits
 * right after a finished paragraph while being longer than a main headline (sub-headlines only follow headlines).
 */
export function isBrokenBody(block: string, previous: string | undefined): boolean {
  if (endsMidClause(block) || hasUnclosedBracket(block) || hasSentenceInside(block) || opensWithDateline(block)) return true;
  if (block.length > HEADING_MAX) return true;
  return previous !== undefined && endsSentence(previous) && block.length > MAIN_HEADLINE_MAX;
}
