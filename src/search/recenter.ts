import { normalizeWithOffsets } from '../text/normalize.js';
import { splitSentences } from '../text/sentences.js';
import { MAX_PASSAGE_CHARS } from './passages.js';
import { PROXIMITY_SPAN } from './rerank.js';

/** Where the question's asked-about terms come closest together: [start, end) in the original text, and how many. */
interface Cluster {
  start: number;
  end: number;
  terms: number;
}

/**
 * The place in `text` (between `from` and `to`, original offsets) where most distinct `terms` start within
 * {@link PROXIMITY_SPAN} characters of each other; the first such place on equal counts. Terms are matched in the
 * normalised text (traditional script folded into simplified, full width into half), as the index matches them.
 */
function closestTerms(text: string, terms: readonly string[], from: number, to: number): Cluster | undefined {
  const { text: normalized, offsets } = normalizeWithOffsets(text);
  const hits: Array<{ start: number; end: number; term: number }> = [];
  terms.forEach((term, t) => {
    for (let at = normalized.indexOf(term); at >= 0; at = normalized.indexOf(term, at + term.length)) {
      const start = offsets[at]!;
      const end = offsets[at + term.length]!;
      if (start >= from && end <= to) hits.push({ start, end, term: t });
    }
  });
  hits.sort((a, b) => a.start - b.start);
  let best: Cluster | undefined;
  for (let i = 0; i < hits.length; i++) {
    const seen = new Set<number>();
    let end = hits[i]!.end;
    for (let j = i; j < hits.length && hits[j]!.start - hits[i]!.start <= PROXIMITY_SPAN; j++) {
      seen.add(hits[j]!.term);
      end = Math.max(end, hits[j]!.end);
    }
    if (!best || seen.size > best.terms) best = { start: hits[i]!.start, end, terms: seen.size };
  }
  return best;
}

/** The place where `terms` come closest together between `from` and `to`, and the sentences of `text` it lies in. */
function clusterSentences(text: string, terms: readonly string[], from: number, to: number) {
  const cluster = closestTerms(text, terms, from, to);
  if (!cluster) return undefined;
  const bounds = [0];
  for (const s of splitSentences(text)) bounds.push(bounds[bounds.length - 1]! + s.length);
  const sentenceAt = (offset: number) => {
    let k = 0;
    while (k + 2 < bounds.length && bounds[k + 1]! <= offset) k++;
    return k;
  };
  return { cluster, bounds, first: sentenceAt(cluster.start), last: sentenceAt(cluster.end - 1) };
}

/**
 * Whether {@link recenterPassage} may change this passage, judged from the passage alone (the question's terms meet
 * in its first or last sentence), so that `ask` reads the paragraphs of those articles only.
 */
export function mayRecenter(passage: string, terms: readonly string[]): boolean {
  const at = terms.length > 0 ? clusterSentences(passage, terms, 0, passage.length) : undefined;
  return at !== undefined && (at.first === 0 || at.last === at.bounds.length - 2);
}

/**
 * The passage to show when the question's asked-about terms meet at its edge. A stored passage of a long paragraph
 * is a window cut without knowing the question (see passages.ts); when the place where the question's terms come
 * closest together falls in its last sentence and the paragraph goes on (or in its first, and the paragraph began
 * before), the answer, which sits next to those terms, is likely cut off. Then the paragraph's text around that
 * place is shown instead: the sentences holding it, widened a sentence at a time on the side with less room, up
 * to `maxChars` (a sentence longer than that is cut around the terms). Always the paragraph's own text.
 * @param paragraph the paragraph as stored
 * @param passage the stored passage, a part of `paragraph`
 * @param terms what the question asks about its subject: its terms that the article's headline does not hold
 * @param maxChars characters, {@link MAX_PASSAGE_CHARS} by default
 * @returns the text to show instead, or undefined when the passage is to be shown as it is
 */
export function recenterPassage(paragraph: string, passage: string, terms: readonly string[], maxChars = MAX_PASSAGE_CHARS): string | undefined {
  if (terms.length === 0 || passage.length >= paragraph.length) return undefined;
  const from = paragraph.indexOf(passage);
  if (from < 0) return undefined;
  const to = from + passage.length;
  const at = clusterSentences(paragraph, terms, from, to);
  if (!at) return undefined;
  const { cluster, bounds, first, last } = at;
  const sentences = bounds.length - 1;
  // The passage ends in the cluster's last sentence when nothing but spaces lies between that sentence's end and
  // the passage's (windows are whole sentences, trimmed), and starts in its first sentence likewise.
  const atEnd = paragraph.slice(bounds[last + 1], to).trim() === '' && paragraph.slice(to).trim() !== '';
  const atStart = paragraph.slice(from, bounds[first]).trim() === '' && paragraph.slice(0, from).trim() !== '';
  if (!atEnd && !atStart) return undefined;

  let lo = bounds[first]!;
  let hi = bounds[last + 1]!;
  if (hi - lo > maxChars) {
    const middle = Math.round((cluster.start + cluster.end) / 2);
    lo = Math.max(0, Math.min(middle - Math.floor(maxChars / 2), paragraph.length - maxChars));
    return paragraph.slice(lo, lo + maxChars).trim();
  }
  let i = first;
  let j = last + 1;
  for (;;) {
    const back = i > 0 && bounds[j]! - bounds[i - 1]! <= maxChars;
    const forward = j < sentences && bounds[j + 1]! - bounds[i]! <= maxChars;
    if (!back && !forward) break;
    if (back && (!forward || cluster.start - bounds[i]! <= bounds[j]! - cluster.end)) i--;
    else j++;
  }
  const text = paragraph.slice(bounds[i], bounds[j]).trim();
  return text === passage ? undefined : text;
}
