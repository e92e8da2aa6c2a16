import { describe, expect, it } from 'vitest';
import { headlineMatch, proximityShare, questionBigrams, rerankAndCollapse, type RerankSource } from '../../src/search/rerank.js';
import type { IndexHit } from '../../src/search/passage-index.js';
import { queryTerms } from '../../src/text/tokenize.js';

interface Article {
  id: number;
  title: string;
  publishedAt: string;
  passages: Array<{ id: number; text: string; score: number }>;
}

/** Ranks the given articles' passages for a question, from the BM25 scores given, through the real rerank. */
async function rank(question: string, articles: Article[]) {
  const { terms } = queryTerms(question);
  const hits: IndexHit[] = articles
    .flatMap((a) => a.passages.filter((p) => p.score > 0).map((p) => ({ passageId: p.id, articleId: a.id, score: p.score, matchedTerms: terms.filter((t) => p.text.includes(t)) })))
    .sort((x, y) => y.score - x.score);
  const byId = new Map(articles.flatMap((a) => a.passages.map((p) => [p.id, p.text] as const)));
  const source: RerankSource = {
    passageTexts: (ids) => new Map(ids.map((id) => [id, byId.get(id) ?? ''])),
    leads: (ids) => new Map(articles.filter((a) => ids.includes(a.id)).map((a) => [a.id, a.passages[0]!])),
    headlines: (ids) => new Map(articles.filter((a) => ids.includes(a.id)).map((a) => [a.id, a.title])),
    publishedAt: (id) => articles.find((a) => a.id === id)?.publishedAt,
  };
  return await rerankAndCollapse(hits, { terms, searchedCount: terms.length, bigrams: questionBigrams(question) }, source);
}

describe('rerankAndCollapse', () => {
  it('shows the passage that holds the asked-about word, not the one that repeats the name', async () => {
    const ranked = await rank('长柄艾纳香的花期是多久？', [
      {
        id: 1,
        title: '长柄艾纳香',
        publishedAt: '2025-01-01',
        passages: [
          { id: 10, text: '长柄艾纳香为菊科艾纳香属的植物，长柄艾纳香是一年生草本。', score: 3 },
          { id: 11, text: '叶片倒卵形。花期1-3月。', score: 1 },
        ],
      },
    ]);
    expect(ranked[0]!.passageId).toBe(11);
  });

  it('puts the article whose headline names the subject above one that only mentions it', async () => {
    const ranked = await rank('黄蝉的别称叫什么？', [
      { id: 1, title: '软枝黄蝉', publishedAt: '2025-01-01', passages: [{ id: 10, text: '软枝黄蝉，别称黄莺、小黄蝉。', score: 2 }] },
      { id: 2, title: '黄蝉', publishedAt: '2025-01-01', passages: [{ id: 20, text: '黄蝉，别称为硬枝黄蝉。', score: 1.6 }] },
    ]);
    expect(ranked.map((h) => h.articleId)).toEqual([2, 1]);
  });

  it('shows the newer article first when two score the same', async () => {
    const same = (id: number, publishedAt: string): Article => ({ id, title: '通告', publishedAt, passages: [{ id: id * 10, text: '地铁今晚停运检修。', score: 1 }] });
    expect((await rank('地铁停运', [same(1, '2025-01-01'), same(2, '2025-03-01')])).map((h) => h.articleId)).toEqual([2, 1]);
    expect((await rank('地铁停运', [same(2, '2025-03-01'), same(1, '2025-01-01')])).map((h) => h.articleId)).toEqual([2, 1]);
  });
});

describe('proximityShare', () => {
  it('scores the question terms found next to each other above the same terms far apart', () => {
    const near = proximityShare('火箭发射成功，卫星入轨。', ['火箭', '发射', '卫星']);
    const far = proximityShare(`火箭${'。'.repeat(60)}发射${'。'.repeat(60)}卫星`, ['火箭', '发射', '卫星']);
    expect(near).toBe(1);
    expect(far).toBeLessThan(near);
  });
});

describe('headlineMatch', () => {
  it('rates a headline that is exactly the subject above one that only contains it', () => {
    expect(headlineMatch('黄蝉', ['黄蝉', '别称'])).toBeGreaterThan(headlineMatch('软枝黄蝉', ['黄蝉', '别称']));
    expect(headlineMatch('天气预报', ['黄蝉'])).toBe(0);
  });
});
