import MiniSearch from 'minisearch';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freezeSegment, thawSegment, type FrozenSegmentData } from '../../src/search/frozen-segment.js';
import { MINISEARCH_OPTIONS, indexText, queryText, type IndexedPassage } from '../../src/search/minisearch-options.js';
import { SegmentBuilder } from '../../src/search/segment-builder.js';
import { decodeSegment, encodeSegment } from '../../src/search/segment-codec.js';
import { queryTerms } from '../../src/text/tokenize.js';

// Real news paragraphs: every line of the bundled samples long enough to be a paragraph, plus passages that repeat a
// term, one with no terms at all, and one that is a single term.
const paragraphs = ['data/samples/web-page-tesla.txt', 'data/samples/newspaper-page-shanghai.txt']
  .flatMap((f) => readFileSync(f, 'utf8').split('\n'))
  .map((line) => line.trim())
  .filter((line) => line.length >= 20);
const extra = ['上海 上海 上海 特斯拉 上海', '……', '储能'];
const docs: IndexedPassage[] = [...paragraphs, ...extra].map((text, i) => ({ id: 1000 + 7 * i, articleId: 1 + Math.floor(i / 3), text: indexText(text) }));

function insertThenFreeze(passages: readonly IndexedPassage[]): FrozenSegmentData {
  const mini = new MiniSearch<IndexedPassage>(MINISEARCH_OPTIONS);
  mini.addAll(passages);
  return freezeSegment(mini);
}

function builtDirectly(passages: readonly IndexedPassage[]): FrozenSegmentData {
  const builder = new SegmentBuilder();
  // In two batches, as a catch-up hands them over.
  builder.addAll(passages.slice(0, 10));
  builder.addAll(passages.slice(10));
  return builder.finish();
}

/** Each term's postings as [short id, frequency] pairs, whatever the order of the term list. */
function postingsByTerm(data: FrozenSegmentData): Map<string, [number, number][]> {
  const byTerm = new Map<string, [number, number][]>();
  data.terms.forEach((term, i) => {
    const list: [number, number][] = [];
    for (let at = data.offsets[i]!; at < data.offsets[i + 1]!; at++) list.push([data.docs[at]!, data.freqs[at]!]);
    byTerm.set(term, list);
  });
  return byTerm;
}

const questions = [
  ...paragraphs.map((p, i) => queryTerms(p).terms.slice(i % 4, (i % 4) + 2 + (i % 4))),
  queryTerms('上海 Megapack 40GWh').terms,
  queryTerms('特斯拉上海储能超级工厂用了多久建成').terms,
  queryTerms('量子引力波').terms,
]
  .filter((terms) => terms.length > 0)
  .map(queryText);

describe('a segment built directly from its passages', () => {
  it('holds exactly the postings, passages, lengths and average length that inserting into MiniSearch and freezing gives', () => {
    const reference = insertThenFreeze(docs);
    const direct = builtDirectly(docs);
    expect(postingsByTerm(direct)).toEqual(postingsByTerm(reference));
    // The same arrays, term list in the same (sorted) order included: the saved files are the same.
    expect(direct.terms).toEqual(reference.terms);
    expect(direct.offsets).toEqual(reference.offsets);
    expect(direct.docs).toEqual(reference.docs);
    expect(direct.freqs).toEqual(reference.freqs);
    expect(Buffer.compare(encodeSegment({ kind: 'frozen', data: direct }), encodeSegment({ kind: 'frozen', data: reference }))).toBe(0);
    expect(direct.passageIds).toEqual(reference.passageIds);
    expect(direct.articleIds).toEqual(reference.articleIds);
    expect(direct.lengths).toEqual(reference.lengths);
    expect(direct.documentCount).toBe(reference.documentCount);
    // To the last digit: BM25 divides by it.
    expect(Object.is(direct.avgFieldLength, reference.avgFieldLength)).toBe(true);
  });

  it('ranks every question exactly as a segment built by inserting and freezing: same passages, order and scores', () => {
    const reference = new MiniSearch<IndexedPassage>(MINISEARCH_OPTIONS);
    reference.addAll(docs);
    const frozen = thawSegment(insertThenFreeze(docs));
    const direct = thawSegment(builtDirectly(docs));
    expect(questions.length).toBeGreaterThan(30);
    let answered = 0;
    for (const q of questions) {
      const expected = reference.search(q);
      answered += expected.length > 0 ? 1 : 0;
      expect(direct.search(q)).toEqual(expected);
      expect(direct.search(q)).toEqual(frozen.search(q));
    }
    expect(answered).toBeGreaterThan(30);
  });

  it('answers the same after a save and load', () => {
    const reference = thawSegment(insertThenFreeze(docs));
    const content = decodeSegment(encodeSegment({ kind: 'frozen', data: builtDirectly(docs) }));
    expect(content.kind).toBe('frozen');
    if (content.kind !== 'frozen') return;
    const loaded = thawSegment(content.data);
    for (const q of questions) expect(loaded.search(q)).toEqual(reference.search(q));
  });

  it('refuses a passage id it already holds, as MiniSearch does', () => {
    const builder = new SegmentBuilder();
    builder.add(docs[0]!);
    expect(() => builder.add({ ...docs[1]!, id: docs[0]!.id })).toThrow(/duplicate ID/);
  });

  it('is an empty segment when given no passages', () => {
    const data = new SegmentBuilder().finish();
    expect(data.documentCount).toBe(0);
    expect(thawSegment(data).search(queryText(['上海']))).toEqual([]);
  });
});
