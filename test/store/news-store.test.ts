import { expect, it } from 'vitest';
import type { NewArticle } from '../../src/store/store.js';
import { describeStores } from '../helpers/news-stores.js';

const INGESTED = '2025-02-15T01:00:00.000Z';

const article = (key: string, overrides: Partial<NewArticle> = {}): NewArticle => ({
  dedupeKey: key,
  title: `标题${key}`,
  paragraphs: [`第一段${key}。`, `第二段${key}。`],
  source: '本报',
  publishedAt: '2025-02-14T02:00:00.000Z',
  ...overrides,
});

describeStores('storing articles', ({ fresh, again }) => {
  it('stores new articles with their paragraphs and passages, ids ascending in the order given', async () => {
    const store = await fresh({ zone: 'Asia/Shanghai' });
    const result = await store.insertArticles([article('a'), article('b', { paragraphs: ['只有一段。'] })], INGESTED);
    expect(result).toMatchObject({ duplicates: 0, redated: [], removedBefore: 0 });
    expect(result.added.map((a) => [a.article.id, a.article.title, a.article.publishedDay, a.paragraphs])).toEqual([
      [1, '标题a', '2025-02-14', 2],
      [2, '标题b', '2025-02-14', 1],
    ]);
    expect(result.added.flatMap((a) => a.passages)).toEqual([
      { id: 1, articleId: 1, text: '第一段a。' },
      { id: 2, articleId: 1, text: '第二段a。' },
      { id: 3, articleId: 2, text: '只有一段。' },
    ]);
    expect(await store.articleCount()).toBe(2);
    expect(await store.passageCount()).toBe(3);
    expect(await store.articleParagraphs(1)).toEqual(['第一段a。', '第二段a。']);
  });

  it('splits a long paragraph into several passages, as search returns them', async () => {
    const store = await fresh();
    const long = Array.from({ length: 40 }, (_, i) => `这是长段落中的第${i}句话，内容足够长以便切分。`).join('');
    const { added } = await store.insertArticles([article('long', { paragraphs: [long] })], INGESTED);
    expect(added[0]!.passages.length).toBeGreaterThan(1);
    const texts = added[0]!.passages.map((p) => p.text);
    expect(texts[0]).toMatch(/^这是长段落中的第0句话/);
    expect(texts.at(-1)).toMatch(/第39句话，内容足够长以便切分。$/);
    expect((await store.passagesAfter(0, 100)).map((p) => p.text)).toEqual(texts);
    expect(await store.passageCount()).toBe(added[0]!.passages.length);
  });

  it('counts an article it already has as a duplicate, and reports a new date for it as redated', async () => {
    const store = await fresh({ zone: 'Asia/Shanghai' });
    await store.insertArticles([article('a'), article('b')], INGESTED);
    const again = await store.insertArticles([article('a'), article('b', { publishedAt: '2025-02-10' }), article('c'), article('c')], INGESTED);
    expect(again.added.map((a) => a.article.title)).toEqual(['标题c']);
    expect(again.duplicates).toBe(3);
    expect(again.redated).toEqual([{ id: 2, storedDate: '2025-02-14', offeredDate: '2025-02-10', at: 1 }]);
    expect(await store.articleCount()).toBe(3);
  });

  it('takes the local day from NEWSDESK_TIMEZONE when the article gives an instant only', async () => {
    const store = await fresh({ zone: 'America/New_York' });
    const { added } = await store.insertArticles([article('a', { publishedAt: '2025-02-14T02:00:00.000Z' }), article('b', { publishedDay: '2025-02-20' })], INGESTED);
    expect(added.map((a) => a.article.publishedDay)).toEqual(['2025-02-13', '2025-02-20']);
  });

  it('does not store again an article the owner removed', async () => {
    const store = await fresh();
    const { added } = await store.insertArticles([article('a')], INGESTED);
    await store.articles.remove([added[0]!.article.id], { now: new Date(INGESTED) });
    const result = await store.insertArticles([article('a'), article('b')], INGESTED);
    expect(result.removedBefore).toBe(1);
    expect(result.added.map((a) => a.article.title)).toEqual(['标题b']);
  });

  it('reads passages by id, after an id, in pages, and by article lead', async () => {
    const store = await fresh();
    await store.insertArticles([article('a'), article('b'), article('c')], INGESTED);
    expect(await store.maxPassageId()).toBe(6);
    expect(await store.countPassagesUpTo(4)).toBe(4);
    expect(await store.countPassagesAfter(4)).toBe(2);
    expect(await store.firstPassageIdAfter(2)).toBe(3);
    expect(await store.firstPassageIdAfter(6)).toBeUndefined();
    expect((await store.passagesAfter(2, 3)).map((p) => p.id)).toEqual([3, 4, 5]);
    expect([...(await store.iteratePassages(4))].map((p) => p.text)).toEqual(['第一段c。', '第二段c。']);
    const byId = await store.getPassages([5, 1, 99]);
    expect([...byId.keys()].sort()).toEqual([1, 5]);
    expect(byId.get(5)).toEqual({ id: 5, articleId: 3, text: '第一段c。' });
    const leads = await store.leadPassages([3, 1]);
    expect(leads.get(1)?.text).toBe('第一段a。');
    expect(leads.get(3)?.text).toBe('第一段c。');
    expect(await store.maxPassageId()).toBe(6);
  });

  it('reads articles by id, their facts and headlines after an id', async () => {
    const store = await fresh();
    await store.insertArticles([article('a', { source: '新华社' }), article('b', { title: undefined })], INGESTED);
    expect((await store.getArticles([2, 1])).get(1)).toEqual({
      id: 1,
      title: '标题a',
      source: '新华社',
      reporter: null,
      url: null,
      publishedAt: '2025-02-14T02:00:00.000Z',
      publishedDay: '2025-02-14',
      ingestedAt: INGESTED,
    });
    expect([...(await store.articleFacts()).entries()]).toEqual([
      [1, { source: '新华社', publishedDay: '2025-02-14' }],
      [2, { source: '本报', publishedDay: '2025-02-14' }],
    ]);
    expect([...(await store.articleFacts(1)).keys()]).toEqual([2]);
    expect([...(await store.headlines(1))]).toEqual([{ articleId: 2, title: '', source: '本报', publishedAt: '2025-02-14' }]);
  });

  it('lists outlets by article count, finds one as a member would type it, and lists the latest', async () => {
    const store = await fresh();
    await store.insertArticles(
      [
        article('a', { source: 'Reuters', publishedDay: '2025-02-10' }),
        article('b', { source: '新华社', publishedDay: '2025-02-12' }),
        article('c', { source: '新华社', publishedDay: '2025-02-11' }),
        article('d', { source: 'BBC', publishedDay: '2025-02-13' }),
      ],
      INGESTED,
    );
    expect(await store.sources()).toEqual([
      { source: '新华社', articles: 2, newest: '2025-02-12' },
      { source: 'BBC', articles: 1, newest: '2025-02-13' },
      { source: 'Reuters', articles: 1, newest: '2025-02-10' },
    ]);
    // By code point, as SQLite sorts: capitals before lower case, Latin before CJK.
    expect(await store.sourceNames()).toEqual(['BBC', 'Reuters', '新华社']);
    expect(await store.findSource(' ｒｅｕｔｅｒｓ ')).toBe('Reuters');
    expect(await store.findSource('美联社')).toBeUndefined();
    expect((await store.latest(2)).map((a) => a.title)).toEqual(['标题d', '标题b']);
    expect((await store.latest(5, '新华社')).map((a) => a.title)).toEqual(['标题b', '标题c']);
  });

  it('gives a digest the articles ingested in its window and published from its first day', async () => {
    const store = await fresh();
    await store.insertArticles([article('old', { publishedDay: '2025-02-01' }), article('new', { publishedDay: '2025-02-14' })], '2025-02-15T01:00:00.000Z');
    await store.insertArticles([article('later', { publishedDay: '2025-02-15' })], '2025-02-15T09:00:00.000Z');
    expect((await store.articlesIngestedBetween('2025-02-15T00:00:00.000Z', '2025-02-15T08:00:00.000Z', '2025-02-10')).map((a) => a.title)).toEqual(['标题new']);
    expect((await store.articlesIngestedBetween('2025-02-15T00:00:00.000Z', '2025-02-16T00:00:00.000Z', '2025-02-10')).map((a) => a.title)).toEqual(['标题later', '标题new']);
  });

  it('replaces a summary by the page’s text, keeping passage ids and adding new ones after all others', async () => {
    const store = await fresh();
    await store.insertArticles([article('a', { paragraphs: ['摘要。'] }), article('b')], INGESTED);
    const { updated, added } = await store.replaceArticleText(1, ['正文第一段。', '正文第二段。']);
    expect(updated).toEqual([{ id: 1, articleId: 1, text: '正文第一段。' }]);
    expect(added).toEqual([{ id: 4, articleId: 1, text: '正文第二段。' }]);
    expect(await store.articleParagraphs(1)).toEqual(['正文第一段。', '正文第二段。']);
    expect((await store.passagesAfter(0, 10)).map((p) => [p.id, p.text])).toEqual([
      [1, '正文第一段。'],
      [2, '第一段b。'],
      [3, '第二段b。'],
      [4, '正文第二段。'],
    ]);
  });

  it('keeps a surplus passage when the new text is shorter, and drops the old paragraphs', async () => {
    const store = await fresh();
    await store.insertArticles([article('a')], INGESTED);
    const { updated, added } = await store.replaceArticleText(1, ['只剩一段。']);
    expect(updated.map((p) => p.id)).toEqual([1]);
    expect(added).toEqual([]);
    expect(await store.articleParagraphs(1)).toEqual(['只剩一段。']);
    expect((await store.passagesAfter(0, 10)).map((p) => p.text)).toEqual(['只剩一段。', '第二段a。']);
  });

  it('is seen by a second process on the same data, which continues the ids', async () => {
    const first = await fresh();
    await first.insertArticles([article('a')], INGESTED);
    const second = await again();
    expect(await second.passageCount()).toBe(2);
    const { added } = await second.insertArticles([article('a'), article('b')], INGESTED);
    expect(added.map((a) => a.article.id)).toEqual([2]);
    expect(added[0]!.passages.map((p) => p.id)).toEqual([3, 4]);
    expect(await first.articleCount()).toBe(2);
  });

  it('says which database it is and where it lives', async () => {
    const store = await fresh({ zone: 'Europe/Berlin' });
    expect(store.zone).toBe('Europe/Berlin');
    expect(store.location).toMatch(store.kind === 'sqlite' ? /newsdesk\.db$/ : /^postgres:\/\//);
  });
});

describeStores('the reads digests, exports, stats, feed polls and the health check make in one call', ({ fresh }) => {
  it('gives many articles’ paragraphs, ids by dedupe key, a page of articles by outlet and day, and articles per day', async () => {
    const store = await fresh({ zone: 'Asia/Shanghai' });
    await store.insertArticles(
      [
        article('a', { publishedDay: '2025-02-13' }),
        article('b', { source: '三里河', publishedDay: '2025-02-14' }),
        article('c', { paragraphs: ['只有一段。'], publishedDay: '2025-02-14' }),
      ],
      INGESTED,
    );
    const paragraphs = await store.paragraphsOf([3, 1, 99]);
    expect([...paragraphs.entries()].sort(([x], [y]) => x - y)).toEqual([
      [1, ['第一段a。', '第二段a。']],
      [3, ['只有一段。']],
    ]);
    expect(await store.articleIdsByDedupeKey(['c', 'nothing', 'a'])).toEqual([1, 3]);
    expect((await store.articlesAfter(1, 10)).map((a) => a.id)).toEqual([2, 3]);
    expect((await store.articlesAfter(0, 1)).map((a) => a.id)).toEqual([1]);
    expect((await store.articlesAfter(0, 10, { source: '三里河' })).map((a) => a.id)).toEqual([2]);
    expect((await store.articlesAfter(0, 10, { since: '2025-02-14' })).map((a) => a.id)).toEqual([2, 3]);
    expect((await store.articlesAfter(0, 10, { until: '2025-02-13' })).map((a) => a.id)).toEqual([1]);
    expect(await store.articlesPerDay('2025-02-14')).toEqual([{ day: '2025-02-14', articles: 2 }]);
  });

  it('tells a feed poll which of its items it took before, and the health check when news last came in', async () => {
    const store = await fresh();
    expect(await store.healthFacts()).toEqual({ newestIngestAt: undefined, lastFeedPollAt: undefined, lastDigest: undefined });
    const { feed } = await store.feeds.add({ url: 'https://a.example/rss', everyMinutes: 15 }, new Date(INGESTED));
    await store.feeds.recordItem(feed.id, 'guid-1', null, new Date(INGESTED));
    expect([...(await store.feeds.knownItems(feed.id, ['guid-1', 'guid-2']))]).toEqual(['guid-1']);
    expect(await store.feeds.knownItems(feed.id, [])).toEqual(new Set());
    await store.insertArticles([article('a')], INGESTED);
    expect((await store.healthFacts()).newestIngestAt).toBe(INGESTED);
  });
});
