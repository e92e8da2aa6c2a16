import { describe, expect, it } from 'vitest';
import { headlineMatch, headlineNames, proximityShare, questionBigrams, rerankAndCollapse, type RerankSource } from '../../src/search/rerank.js';
import type { IndexHit } from '../../src/search/passage-index.js';
import { normalize } from '../../src/text/normalize.js';
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
  return await rerankAndCollapse(hits, { terms, searchedCount: terms.length, bigrams: questionBigrams(question), text: normalize(question) }, source);
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

  it('puts the article about a person first when the question calls them by one part of their transliterated name', async () => {
    const ranked = await rank('2008年北京奥运会，拉诺米获得了怎样的成绩？', [
      {
        id: 1,
        title: '马伦·费尔德海斯',
        publishedAt: '2025-01-01',
        passages: [{ id: 10, text: '2008年北京奥运会，费尔德海斯与拉诺米等人参加4x100米自由泳接力，获得金牌，成绩优异。', score: 3 }],
      },
      {
        id: 2,
        title: '拉诺米·克罗莫维焦约',
        publishedAt: '2025-01-01',
        passages: [{ id: 20, text: '于2008年北京奥运，拉诺米参加4x100米自由泳赛事，赢得金牌，以3分33秒76的成绩完成。', score: 2 }],
      },
    ]);
    expect(ranked[0]!.articleId).toBe(2);
  });

  it('puts the article whose headline is the subject plus a bracketed qualifier first when the question names the subject', async () => {
    const ranked = await rank('元皇后的儿子叫什么？', [
      { id: 1, title: '高英', publishedAt: '2025-01-01', passages: [{ id: 10, text: '高英，北魏宣武帝元恪的皇后，史称元皇后，生下儿子，早夭。', score: 3 }] },
      { id: 2, title: '元皇后 (北齐孝昭帝)', publishedAt: '2025-01-01', passages: [{ id: 20, text: '元皇后，北齐孝昭帝高演的皇后，儿子是高百年。', score: 0.6 }] },
    ]);
    expect(ranked[0]!.articleId).toBe(2);
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

  it('rates a headline as naming the subject when the question holds one of its names whole', () => {
    const terms = ['拉诺', '米', '成绩'];
    expect(headlineMatch('拉诺米·克罗莫维焦约', terms, '拉诺米的成绩')).toBeGreaterThan(headlineMatch('拉诺米·克罗莫维焦约', terms));
    // 米 alone is not the name 拉诺米.
    expect(headlineMatch('拉诺米·克罗莫维焦约', ['米', '成绩'], '4x100米的成绩')).toBe(headlineMatch('拉诺米·克罗莫维焦约', ['米', '成绩']));
  });
});

describe('headlineNames', () => {
  it('reads the parts of a transliterated name and the headline without its bracketed qualifier as names of the subject', () => {
    expect(headlineNames('拉诺米·克罗莫维焦约')).toEqual(['拉诺米克罗莫维焦约', '拉诺米', '克罗莫维焦约']);
    expect(headlineNames('元皇后 (北齐孝昭帝)')).toEqual(['元皇后']);
    expect(headlineNames('特斯拉上海储能超级工厂投产（组图）')).toEqual(['特斯拉上海储能超级工厂投产']);
  });
});
