import { splitSentences } from '../text/sentences.js';
import type { Span } from './highlight.js';

export interface Excerpt {
  text: string;
  highlights: Span[];
  /** True when text was left out before or after. */
  cutBefore: boolean;
  cutAfter: boolean;
}

/**
 * The part of a passage worth reading in a short answer: the sentence with the most matched terms, widened
 * with its neighbours while it fits in `maxChars`. Highlights are shifted to the excerpt.
 */
export function bestExcerpt(text: string, highlights: readonly Span[], maxChars: number): Excerpt {
  if (text.length <= maxChars) return { text, highlights: [...highlights], cutBefore: false, cutAfter: false };
  const sentences = splitSentences(text);
  const starts: number[] = [];
  let at = 0;
  for (const s of sentences) {
    starts.push(at);
    at += s.length;
  }
  const weight = (i: number) => {
    const from = starts[i] ?? 0;
    const to = from + (sentences[i]?.length ?? 0);
    return highlights.reduce((n, [s, e]) => n + (s < to && e > from ? Math.min(e, to) - Math.max(s, from) : 0), 0);
  };
  let best = 0;
  for (let i = 1; i < sentences.length; i++) if (weight(i) > weight(best)) best = i;
  let first = best;
  let last = best;
  const length = () => (starts[last] ?? 0) + (sentences[last]?.length ?? 0) - (starts[first] ?? 0);
  // Widen forwards first: news sentences lead with the subject and the answer tends to follow.
  for (;;) {
    const next = last + 1 < sentences.length && length() + (sentences[last + 1]?.length ?? 0) <= maxChars;
    if (next) { last++; continue; }
    const prev = first > 0 && length() + (sentences[first - 1]?.length ?? 0) <= maxChars;
    if (prev) { first--; continue; }
    break;
  }
  let from = starts[first] ?? 0;
  let to = from + length();
  if (to - from > maxChars) {
    // One sentence longer than the room: centre on its first highlight.
    const h = highlights.find(([s]) => s >= from && s < to);
    const centre = h ? h[0] : from;
    from = Math.max(from, Math.min(centre - Math.floor(maxChars / 3), to - maxChars));
    to = from + maxChars;
  }
  const slice = text.slice(from, to);
  const leading = slice.length - slice.trimStart().length;
  const start = from + leading;
  const end = from + slice.trimEnd().length;
  return {
    text: text.slice(start, end),
    highlights: highlights.filter(([s, e]) => s >= start && e <= end).map(([s, e]): Span => [s - start, e - start]),
    cutBefore: start > 0,
    cutAfter: end < text.length,
  };
}
