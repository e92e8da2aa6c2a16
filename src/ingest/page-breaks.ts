import { isBylineOnly, opensWithDateline, parseByline } from './dateline.js';
import {
  HEADING_MAX,
  MAIN_HEADLINE_MAX,
  breakSeparator,
  endsMidClause,
  endsSentence,
  hasAnySentencePunctuation,
  hasSentenceInside,
  hasUnclosedBracket,
  looksLikeHeading,
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
  // The pieces of the paragraph being rebuilt; joined once when it is complete, so long chains stay linear.
  let pieces: string[] = [];
  const flush = () => {
    if (pieces.length > 0) out.push(pieces.length === 1 ? (pieces[0] ?? '') : joinPieces(pieces));
    pieces = [];
  };
  for (const next of paragraphs) {
    const last = pieces[pieces.length - 1];
    if (last !== undefined && continuesInto(last, pieces.length > 1, next, out[out.length - 1])) pieces.push(next);
    else {
      flush();
      pieces.push(next);
    }
  }
  flush();
  return out;
}

function joinPieces(pieces: readonly string[]): string {
  const parts: string[] = [];
  pieces.forEach((piece, i) => {
    const before = pieces[i - 1];
    if (before !== undefined) parts.push(breakSeparator(before, piece));
    parts.push(piece);
  });
  return parts.join('');
}

// `block` is the last piece of the paragraph being rebuilt; `joined` says earlier pieces went before it, which
// makes it body text by construction. Its end is all that decides whether the sentence goes on.
function continuesInto(block: string, joined: boolean, next: string, previous: string | undefined): boolean {
  if (block.includes('\n') || next.includes('\n')) return false;
  if (endsSentence(block) || parseByline(block)) return false;
  // What follows a break is the rest of a sentence: it carries sentence punctuation or is too long or unfinished
  // for a headline, and it does not open a new article.
  if (!(hasAnySentencePunctuation(next) || !looksLikeHeading(next)) || opensWithDateline(next) || isBylineOnly(next)) return false;
  return joined || isBrokenBody(block, previous);
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
