import { tokenizeWithSpans } from '../text/tokenize.js';

export type Span = [start: number, end: number];

/** Spans of `text` (as stored) whose terms are among `terms`; overlapping and touching spans are merged. */
export function highlightSpans(text: string, terms: readonly string[]): Span[] {
  const wanted = new Set(terms);
  const spans = tokenizeWithSpans(text)
    .filter((t) => wanted.has(t.term))
    .map((t): Span => [t.start, t.end])
    .sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([span[0], span[1]]);
  }
  return merged;
}

/** Wraps each span in the given marks; used by the terminal (ANSI or `**`) and by Discord (bold). */
export function markSpans(text: string, spans: readonly Span[], open: string, close: string, escape: (s: string) => string = (s) => s): string {
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    out += escape(text.slice(at, start)) + open + escape(text.slice(start, end)) + close;
    at = end;
  }
  return out + escape(text.slice(at));
}
