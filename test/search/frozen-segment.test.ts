import MiniSearch from 'minisearch';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freezeSegment, freezeSegmentInSlices, sortedOrder, thawSegment } from '../../src/search/frozen-segment.js';
import { MINISEARCH_OPTIONS, indexText, queryText, type IndexedPassage } from '../../src/search/minisearch-options.js';
import { decodeSegment, encodeSegment } from '../../src/search/segment-codec.js';
import { queryTerms } from '../../src/text/tokenize.js';

// Real news paragraphs: every line of the bundled samples long enough to be a paragraph.
const paragraphs = ['data/samples/web-page-tesla.txt', 'data/samples/newspaper-page-shanghai.txt']
  .flatMap((f) => readFileSync(f, 'utf8').split('\n'))
  .map((line) => line.trim())
  .filter((line) => line.length >= 20);
const docs: IndexedPassage[] = paragraphs.map((text, i) => ({ id: 1000 + i, articleId: 1 + Math.floor(i / 3), text: indexText(text) }));

function live(): MiniSearch<IndexedPassage> {
  const mini = new MiniSearch<IndexedPassage>(MINISEARCH_OPTIONS);
  mini.addAll(docs);
  return mini;
}

// Questions made of each paragraph's own words, two to five at a time, plus words no paragraph has.
const questions = [
  ...paragraphs.map((p, i) => queryTerms(p).terms.slice(i % 4, (i % 4) + 2 + (i % 4))),
  queryTerms('上海 Megapack 40GWh').terms,
  queryTerms('量子引力波').terms,
]
  .filter((terms) => terms.length > 0)
  .map(queryText);

describe('a frozen segment', () => {
  it('answers every question exactly as the MiniSearch it was frozen from: same passages, same order, same scores', () => {
    expect(docs.length).toBeGreaterThan(30);
    const reference = live();
    const frozen = thawSegment(freezeSegment(live()));
    for (const q of questions) expect(frozen.search(q)).toEqual(reference.search(q));
    expect(frozen.documentCount).toBe(reference.documentCount);
  });

  it('answers exactly the same when frozen in slices with the bot running between them', async () => {
    const reference = live();
    let turns = 0;
    const data = await freezeSegmentInSlices(live(), 0, async () => {
      turns++;
    });
    expect(turns).toBeGreaterThan(0);
    const frozen = thawSegment(data);
    for (const q of questions) expect(frozen.search(q)).toEqual(reference.search(q));
  });

  it('answers the same after a save and load', () => {
    const reference = live();
    const content = decodeSegment(encodeSegment({ kind: 'frozen', data: freezeSegment(live()) }));
    expect(content.kind).toBe('frozen');
    if (content.kind !== 'frozen') return;
    const loaded = thawSegment(content.data);
    for (const q of questions) expect(loaded.search(q)).toEqual(reference.search(q));
  });

  it('matches the live segment when some of its passages were discarded before it filled', async () => {
    const mini = live();
    mini.discard(docs[0]!.id);
    mini.discard(docs[5]!.id);
    await mini.vacuum();
    const frozen = thawSegment(freezeSegment(mini));
    for (const q of questions) expect(frozen.search(q)).toEqual(mini.search(q));
  });

  it('answers the same from a segment saved before term lists were sorted', () => {
    const reference = live();
    const data = freezeSegment(live());
    // The term list reversed, each term keeping its own postings: the order an older save could leave.
    const n = data.terms.length;
    const offsets = new Uint32Array(n + 1);
    const docsOut = new Uint32Array(data.docs.length);
    const freqs = new Uint16Array(data.freqs.length);
    let at = 0;
    for (let k = 0; k < n; k++) {
      const i = n - 1 - k;
      offsets[k] = at;
      for (let p = data.offsets[i]!; p < data.offsets[i + 1]!; p++, at++) {
        docsOut[at] = data.docs[p]!;
        freqs[at] = data.freqs[p]!;
      }
    }
    offsets[n] = at;
    const unsorted = thawSegment({ ...data, terms: [...data.terms].reverse(), offsets, docs: docsOut, freqs });
    for (const q of questions) expect(unsorted.search(q)).toEqual(reference.search(q));
  });

  it('refuses new passages with a message saying only the newest segment takes them', () => {
    const frozen = thawSegment(freezeSegment(live()));
    expect(() => frozen.add({ id: 1, articleId: 1, text: indexText('新的段落') })).toThrow(/read-only.*newest segment/);
  });

  it('holds far less than the maps it was frozen from', () => {
    const data = freezeSegment(live());
    const postings = data.docs.length;
    // Four bytes of document id and two of frequency a posting; a Map entry alone costs more.
    expect(data.docs.byteLength + data.freqs.byteLength).toBe(postings * 6);
    expect(postings).toBeGreaterThan(docs.length * 10);
  });
});

describe('the segment codec, for frozen segments', () => {
  it('refuses a segment whose postings name a passage it does not have, instead of answering wrongly later', () => {
    const data = freezeSegment(live());
    data.docs[3] = data.passageIds.length + 7;
    expect(() => decodeSegment(encodeSegment({ kind: 'frozen', data }))).toThrow(/damaged: a posting names no document/);
  });

  it('refuses a segment whose term offsets do not add up', () => {
    const data = freezeSegment(live());
    data.offsets[data.offsets.length - 1] = 3;
    expect(() => decodeSegment(encodeSegment({ kind: 'frozen', data }))).toThrow(/damaged/);
  });
});

describe('the term order of a frozen segment', () => {
  it('puts any number of terms in code-unit order, as the binary search that finds a question term needs', () => {
    // Past one sorted run, so the merging steps (the part a freeze pauses in) are exercised too.
    const terms = Array.from({ length: 10_000 }, (_, i) => `${String.fromCharCode(0x4e00 + ((i * 7919) % 3000))}${(i * 104729) % 10_007}`);
    const order = sortedOrder(terms);
    const sorted = Array.from(order, (i) => terms[i]!);
    expect(new Set(order).size).toBe(terms.length);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i - 1]! < sorted[i]!).toBe(true);
  });
});
