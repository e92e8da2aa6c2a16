import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { freezeSegment, thawSegment } from '../../src/search/frozen-segment.js';
import { internals } from '../../src/search/minisearch-internals.js';
import { MINISEARCH_OPTIONS, indexText, queryText, type IndexedPassage } from '../../src/search/minisearch-options.js';
import { decodeSegment, type SegmentContent } from '../../src/search/segment-codec.js';
import { FRAMED_MAGIC, segmentFrames } from '../../src/search/segment-frames.js';
import { tokenize } from '../../src/text/tokenize.js';
import { SMALL_NEWS } from '../helpers/articles.js';

const docs: IndexedPassage[] = SMALL_NEWS.map((a, i) => ({ id: i + 1, articleId: i + 1, text: indexText(a.text) }));
const ask = (question: string) => queryText(tokenize(question));
const QUESTIONS = ['上海', '12306', 'megapack 储能', '融资', '航运联盟'].map(ask);

function fresh(): MiniSearch<IndexedPassage> {
  const mini = new MiniSearch<IndexedPassage>(MINISEARCH_OPTIONS);
  mini.addAll(docs);
  return mini;
}

/** A segment file as the bot's save writes it; `frameWeight` small so that the tree is split into many pieces. */
function framed(content: SegmentContent, frameWeight?: number): Buffer {
  const chunks: Uint8Array[] = [FRAMED_MAGIC];
  const frames = segmentFrames(content, frameWeight);
  for (let step = frames.next(); !step.done; step = frames.next()) chunks.push(...step.value);
  return Buffer.concat(chunks);
}

/** MiniSearch's state as plain data, `Map`s as their entries in order. */
const state = (mini: MiniSearch<IndexedPassage>) => {
  const m = internals(mini);
  const plain = (v: unknown) => JSON.parse(JSON.stringify(v, (_k, x: unknown) => (x instanceof Map ? [...x] : x))) as unknown;
  return plain({ tree: m._index._tree, ids: m._documentIds, short: m._idToShortId, lengths: m._fieldLength, stored: m._storedFields, avg: m._avgFieldLength, next: m._nextId, count: m._documentCount, dirt: m._dirtCount });
};

describe('segment files written in frames (the bot’s saves)', () => {
  it('give back the newest segment exactly as it was, however finely its tree was cut, and it answers the same', () => {
    const mini = fresh();
    mini.discard(3);
    for (const weight of [1, 7, 50, undefined]) {
      const back = decodeSegment(framed({ kind: 'live', mini }, weight));
      if (back.kind !== 'live') throw new Error(`expected a live segment, got ${back.kind}`);
      expect(state(back.mini)).toEqual(state(mini));
      for (const q of QUESTIONS) expect(back.mini.search(q)).toEqual(mini.search(q));
    }
  });

  it('give back a newest segment that still takes adds and answers like one that never left memory', () => {
    const back = decodeSegment(framed({ kind: 'live', mini: fresh() }, 5));
    if (back.kind !== 'live') throw new Error('expected a live segment');
    const later = { id: 100, articleId: 100, text: indexText('马士基与赫伯罗特组建的双子星航运联盟在上海港正式运营。') };
    const reference = fresh();
    reference.add(later);
    back.mini.add(later);
    for (const q of QUESTIONS) expect(back.mini.search(q)).toEqual(reference.search(q));
  });

  it('give back a full (frozen) segment with the same postings and the same scores', () => {
    const data = freezeSegment(fresh());
    const back = decodeSegment(framed({ kind: 'frozen', data }));
    if (back.kind !== 'frozen') throw new Error(`expected a frozen segment, got ${back.kind}`);
    expect(back.data.terms).toEqual(data.terms);
    for (const k of ['offsets', 'docs', 'freqs', 'passageIds', 'articleIds', 'lengths'] as const) expect([...back.data[k]]).toEqual([...data[k]]);
    for (const q of QUESTIONS) expect(thawSegment(back.data).search(q)).toEqual(fresh().search(q));
  });

  it('refuse a file cut short or with a damaged part, so the index is rebuilt rather than answering wrongly', () => {
    const live = framed({ kind: 'live', mini: fresh() }, 20);
    const frozen = framed({ kind: 'frozen', data: freezeSegment(fresh()) });
    for (const bytes of [live, frozen]) {
      expect(() => decodeSegment(bytes.subarray(0, bytes.length - 16))).toThrow();
      expect(() => decodeSegment(bytes.subarray(0, Math.floor(bytes.length / 2)))).toThrow();
    }
    // A posting that names a document the segment does not hold.
    const data = freezeSegment(fresh());
    const docsOut = new Uint32Array(data.docs);
    docsOut[0] = 9_999;
    expect(() => decodeSegment(framed({ kind: 'frozen', data: { ...data, docs: docsOut } }))).toThrow(/damaged/);
  });
});
