import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { MINISEARCH_OPTIONS, indexText, queryText, type IndexedPassage } from '../../src/search/minisearch-options.js';
import { decodeSegment, encodeSegment } from '../../src/search/segment-codec.js';
import { tokenize } from '../../src/text/tokenize.js';
import { SMALL_NEWS } from '../helpers/articles.js';

const docs: IndexedPassage[] = SMALL_NEWS.map((a, i) => ({ id: i + 1, articleId: i + 1, text: indexText(a.text) }));
const later: IndexedPassage = { id: 10, articleId: 10, text: indexText('马士基与赫伯罗特组建的双子星航运联盟在上海港正式运营。') };
const ask = (question: string) => queryText(tokenize(question));

function fresh(): MiniSearch<IndexedPassage> {
  const mini = new MiniSearch<IndexedPassage>(MINISEARCH_OPTIONS);
  mini.addAll(docs);
  return mini;
}

function roundTrip(mini: MiniSearch<IndexedPassage>): MiniSearch<IndexedPassage> {
  const content = decodeSegment(encodeSegment({ kind: 'live', mini }));
  if (content.kind !== 'live') throw new Error(`expected the newest segment back as live, got ${content.kind}`);
  return content.mini;
}

describe('segment codec', () => {
  it('gives back a segment that answers exactly like the one saved, scores included', () => {
    const loaded = roundTrip(fresh());
    for (const q of ['上海', '12306', 'megapack 储能', '融资'].map(ask)) expect(loaded.search(q)).toEqual(fresh().search(q));
    expect(loaded.documentCount).toBe(docs.length);
  });

  it('takes incremental adds after loading, as the newest segment must', () => {
    const loaded = roundTrip(fresh());
    loaded.add(later);
    const reference = fresh();
    reference.add(later);
    expect(loaded.search(ask('上海 航运联盟'))).toEqual(reference.search(ask('上海 航运联盟')));
  });

  it('refuses bytes that are not a segment', () => {
    expect(() => decodeSegment(Buffer.from('{"not":"a segment"}'))).toThrow();
  });
});
