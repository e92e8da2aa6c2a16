import { normalize } from '../text/normalize.js';
import { endsSentence } from './text-shape.js';

// Short lines (会议还研究了其他事项。) legitimately recur in two articles of one page; only longer ones are copies.
const MIN_REPEAT_KEY = 12;
// Two adjacent teaser lines where one is the other cut shorter must share this much to count as the same line.
const MIN_PREFIX_KEY = 20;

/**
 * The comparable core of a line: normalised (width, case, script) with whitespace, punctuation and symbols
 * removed, so lines that differ only there compare equal.
 */
export function lineKey(text: string): string {
  return normalize(text).replace(/[\s\p{P}\p{S}]/gu, '');
}

/**
 * Keeps each repeated line once, at its first position: lines repeated verbatim or differing only in
 * whitespace or punctuation, and adjacent teaser pairs where one line is the other cut shorter (the longer
 * one is kept). Linear in the number of lines.
 */
export function dropRepeatedLines(lines: readonly string[]): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  const keys: string[] = [];
  for (const line of lines) {
    const key = lineKey(line);
    if (key.length >= MIN_REPEAT_KEY && seen.has(key)) continue;
    const last = kept.length - 1;
    const lastKey = keys[last];
    if (lastKey !== undefined && isCutCopy(lastKey, key, kept[last] ?? '', line)) {
      // Of a teaser and its shortened copy, the longer says more; it takes the first one's place.
      if (key.length > lastKey.length) {
        kept[last] = line;
        keys[last] = key;
        seen.add(key);
      }
      continue;
    }
    if (key.length >= MIN_REPEAT_KEY) seen.add(key);
    kept.push(line);
    keys.push(key);
  }
  return kept;
}

// Only unfinished lines (teasers cut off mid-sentence) are compared by prefix: a headline that opens the
// paragraph after it is not a copy of it, and finished paragraphs are compared whole.
function isCutCopy(aKey: string, bKey: string, a: string, b: string): boolean {
  if (Math.min(aKey.length, bKey.length) < MIN_PREFIX_KEY) return false;
  if (endsSentence(a) || endsSentence(b)) return false;
  return aKey.startsWith(bKey) || bKey.startsWith(aKey);
}
