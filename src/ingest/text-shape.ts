/**
 * What a line of news text looks like: a finished sentence, a headline, or a piece of a sentence.
 * Shared by page-break repair, article splitting and tail detection so they agree on the same shapes.
 */

// Closing quotes and brackets sit after the full stop (…市场。”), so they are looked through.
const TRAILING_CLOSERS = /[”’」』）)》〉】\]"'\s]+$/u;
// A colon ends a lead-in (会议强调：) that is complete on its own; a page break does not fall there. Three ASCII
// dots are a teaser cut short, so a Latin full stop counts only on its own.
const SENTENCE_FINAL = /[。．！？!?；;…:：]$|[^.]\.$/u;
// Clause punctuation at the very end means the sentence goes on in the next block.
const CLAUSE_FINAL = /[，,、]$/u;
// A full stop or semicolon followed by more text means the block holds a finished sentence and more.
const SENTENCE_INSIDE = /[。；;](?=[^”’」』）)\s])|[.!?]\s+[A-Z“"]/u;
const ANY_SENTENCE_FINAL = /[。！？!?；;]|[^.\d]\.(?:\s|$)/u;
// Enumerated section heads (一、 (二) 3. 第四章) belong inside an article, they do not start one.
const ENUMERATED = /^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．]\s*\D|第[一二三四五六七八九十百\d]+[章节部分条篇])/u;

/** A main headline rarely runs past this many characters; a block between body paragraphs that is longer is body text. */
export const MAIN_HEADLINE_MAX = 30;
/** Sub-headlines run longer than main headlines, but a block past this length is body text whatever it ends with. */
export const HEADING_MAX = 64;

const TAIL = 32;
const OPENERS = '“‘「『（(《〈【[';
const CLOSERS = '”’」』）)》〉】]';

/** Whether the block ends a sentence (looking through closing quotes), so nothing of it continues below. */
export function endsSentence(text: string): boolean {
  // Only the end matters; a bounded tail keeps the end-anchored patterns linear on long or odd input.
  const trimmed = text.slice(-TAIL).replace(TRAILING_CLOSERS, '');
  return SENTENCE_FINAL.test(trimmed);
}

/** Whether the block reads as cut short, as teasers are: it does not end its sentence, or it trails off in an ellipsis. */
export function endsCutShort(text: string): boolean {
  return !endsSentence(text) || /(?:\.{3}|…)$/u.test(text.slice(-3));
}

/** Whether the block stops on a comma or an enumeration comma: the sentence certainly continues. */
export function endsMidClause(text: string): boolean {
  return CLAUSE_FINAL.test(text.trimEnd().slice(-1));
}

/** Whether a finished sentence is followed by more text inside the block (…正式开工。根据相). */
export function hasSentenceInside(text: string): boolean {
  return SENTENCE_INSIDE.test(text);
}

/** Whether the block contains sentence punctuation anywhere: headlines and kickers do not. */
export function hasAnySentencePunctuation(text: string): boolean {
  return ANY_SENTENCE_FINAL.test(text);
}

/** Whether a quote or bracket opened in the block is still open at its end (会议原则同意《2025年上海市推). */
export function hasUnclosedBracket(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (OPENERS.includes(ch)) depth++;
    else if (CLOSERS.includes(ch) && depth > 0) depth--;
  }
  return depth > 0;
}

/** Whether the block starts with an enumerator, as section heads inside one article do. */
export function isEnumerated(text: string): boolean {
  return ENUMERATED.test(text);
}

/**
 * A block shaped like a headline, kicker or sub-headline: short, on one line, and not ending or
 * containing a finished sentence. Datelines and bylines are ruled out by the callers that know them.
 */
export function looksLikeHeading(text: string): boolean {
  if (text.includes('\n') || text.length > HEADING_MAX) return false;
  return !endsSentence(text) && !endsMidClause(text) && !hasSentenceInside(text);
}

/** What goes between the halves of a broken paragraph: a space between Latin letters or digits, nothing in CJK text. */
export function breakSeparator(head: string, tail: string): '' | ' ' {
  return /[A-Za-z0-9]/.test(head.charAt(head.length - 1)) && /[A-Za-z0-9]/.test(tail.charAt(0)) ? ' ' : '';
}
