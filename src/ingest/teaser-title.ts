import { opensWithDateline } from './dateline.js';
import { HEADING_MAX, looksLikeHeading } from './text-shape.js';

/** A teaser and an article share at least this long a run of characters before the teaser is taken for it. */
export const MIN_TEASER_OVERLAP = 12;
// Only the opening of the article is compared: that is what a teaser quotes.
const OPENING_WINDOW = 400;
const SEGMENT_GAP = /\s{2,}/u;
// A dateline with its credit fits in this many characters; reading no further keeps the search linear.
const DATELINE_WINDOW = 64;
// A teaser is a headline and a line of text; a longer segment is not one and is not searched.
const SEGMENT_MAX = 1000;
const GAP = /\s+/gu;

/**
 * Finds the article's own headline among the teasers of its related-links tail: pages often list the article
 * itself there as "headline opening…". The teaser whose text after the headline shares a run of at least
 * {@link MIN_TEASER_OVERLAP} characters with the article's first paragraph gives its headline.
 * Linear in the size of the teasers (the opening's character runs are hashed once).
 */
export function titleFromTeasers(teasers: readonly string[], opening: string, minOverlap = MIN_TEASER_OVERLAP): string | undefined {
  const head = opening.slice(0, OPENING_WINDOW);
  if (head.length < minOverlap) return undefined;
  const runs = new Set<string>();
  for (let i = 0; i + minOverlap <= head.length; i++) runs.add(head.slice(i, i + minOverlap));
  for (const line of teasers) {
    const segments = line.trim().split(SEGMENT_GAP);
    for (let k = 0; k < segments.length; k++) {
      const segment = segments[k] ?? '';
      if (segment.length > SEGMENT_MAX) continue;
      const title = headlineBeforeOverlap(segment, runs, minOverlap);
      if (title) return title;
      // Some pages set the headline off from its opening by a wider gap: the opening is then a segment of its own.
      const previous = segments[k - 1];
      if (previous === undefined) continue;
      const overlap = findOverlap(segment, runs, minOverlap, 0);
      if (overlap >= 0 && !/\s/u.test(segment.slice(0, overlap)) && isTeaserHeadline(previous)) return previous;
    }
  }
  return undefined;
}

function findOverlap(segment: string, runs: ReadonlySet<string>, minOverlap: number, from: number): number {
  for (let i = from; i + minOverlap <= segment.length; i++) if (runs.has(segment.slice(i, i + minOverlap))) return i;
  return -1;
}

function isTeaserHeadline(text: string): boolean {
  return text.length >= 4 && text.length <= HEADING_MAX && looksLikeHeading(text) && !opensWithDateline(text);
}

function headlineBeforeOverlap(segment: string, runs: ReadonlySet<string>, minOverlap: number): string | undefined {
  // The headline comes first and is set off by a space; the overlap is looked for after it, so a headline that
  // repeats the article's opening words does not hide the teaser's own opening.
  const firstGap = segment.search(/\s/u);
  if (firstGap <= 0) return undefined;
  const overlap = findOverlap(segment, runs, minOverlap, firstGap);
  if (overlap < 0) return undefined;
  const before = segment.slice(0, overlap);
  const gaps = [...before.matchAll(GAP)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  if (gaps.length === 0) return undefined;
  // The opening may start with a dateline that itself holds spaces (中新网成都2月14日电 (记者 刘忠俊)); the headline
  // ends at the gap before it. Otherwise it ends at the last gap before the overlap.
  const beforeDateline = gaps.find((g) => opensWithDateline(before.slice(g.end, g.end + DATELINE_WINDOW)));
  const cut = beforeDateline ?? gaps[gaps.length - 1];
  if (!cut) return undefined;
  const headline = before.slice(0, cut.start).trim();
  return isTeaserHeadline(headline) ? headline : undefined;
}
