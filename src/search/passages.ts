import { splitSentences } from '../text/sentences.js';

/** What a user reads: short enough to scan, long enough to hold an answer with its context. */
export const MAX_PASSAGE_CHARS = 500;

/**
 * Cuts a paragraph into passages. A paragraph up to {@link MAX_PASSAGE_CHARS} is one passage; a longer
 * one becomes sentence-aligned windows that overlap by about half a window, so an answer that straddles
 * a window edge is still whole in one of them. A single sentence longer than the limit is cut hard.
 */
export function splitIntoPassages(paragraph: string, maxChars = MAX_PASSAGE_CHARS): string[] {
  if (paragraph.length <= maxChars) return [paragraph];
  const sentences = splitSentences(paragraph).flatMap((s) => hardCut(s, maxChars));
  const passages: string[] = [];
  let first = 0;
  while (first < sentences.length) {
    let text = '';
    let last = first;
    while (last < sentences.length && text.length + (sentences[last]?.length ?? 0) <= maxChars) {
      text += sentences[last];
      last++;
    }
    passages.push(text.trim());
    if (last >= sentences.length) break;
    // The next window starts about halfway into this one, so every sentence is seen with the context
    // on both sides of it in some window: the answer and the question's words tend to sit together.
    let next = first + 1;
    let skipped = sentences[first]?.length ?? 0;
    while (next < last - 1 && skipped < text.length / 2) skipped += sentences[next++]?.length ?? 0;
    first = next;
  }
  return passages.filter((p) => p.length > 0);
}

function hardCut(sentence: string, maxChars: number): string[] {
  if (sentence.length <= maxChars) return [sentence];
  const pieces: string[] = [];
  for (let i = 0; i < sentence.length; i += maxChars) pieces.push(sentence.slice(i, i + maxChars));
  return pieces;
}
