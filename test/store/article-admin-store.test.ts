import { expect, it } from 'vitest';
import type { NewArticle } from '../../src/store/store.js';
import { describeStores } from '../helpers/news-stores.js';

const NOW = new Date('2025-03-01T00:00:00.000Z');

const NEWS: NewArticle[] = [
  { dedupeKey: 'url:https://example.com/tesla', title: '特斯拉上海储能超级工厂投产', paragraphs: ['首台Megapack下线。', '规划年产1万台。'], source: '三里河', url: 'https://example.com/tesla', publishedAt: '2025-02-14', publishedDay: '2025-02-14', origin: 'https://example.com/rss' },
  { dedupeKey: 'text:brain', title: '上海企业获脑机接口最大一笔融资', paragraphs: ['阶梯医疗完成3.5亿元B轮融资。'], source: '本报', publishedAt: '2025-02-11', publishedDay: '2025-02-11', origin: 'news/a.jsonl' },
  { dedupeKey: 'text:rail', title: '１２３０６春运售票', paragraphs: ['日均售票超过1500万张。'], source: '中新网', publishedAt: '2025-01-20', publishedDay: '2025-01-20', origin: 'news/b.jsonl' },
];

describeStores('the owner’s toolbox', ({ fresh, again }) => {
  async function withNews() {
    const store = await fresh();
    await store.insertArticles(NEWS, '2025-02-15T00:00:00.000Z');
    const { feed } = await store.feeds.add({ url: 'https://example.com/rss', everyMinutes: 15, guildId: 'g1' }, NOW);
    await store.feeds.recordItem(feed.id, 'guid:tesla', 1, NOW);
    return store;
  }

  it('shows an article with its key, origin, paragraphs, passage count and the feed that brought it', async () => {
    const store = await withNews();
    expect(await store.articles.get(1)).toMatchObject({
      id: 1,
      title: '特斯拉上海储能超级工厂投产',
      dedupeKey: 'url:https://example.com/tesla',
      origin: 'https://example.com/rss',
      paragraphs: ['首台Megapack下线。', '规划年产1万台。'],
      passages: 2,
      feed: { id: 1, url: 'https://example.com/rss', guildId: 'g1' },
    });
    expect((await store.articles.get(2))?.feed).toBeNull();
    expect(await store.articles.get(99)).toBeUndefined();
  });

  it('finds articles by address (tracking parameters aside) and by title words as the tokenizer compares them', async () => {
    const store = await withNews();
    expect((await store.articles.byUrl('https://example.com/tesla?utm_source=x#top')).map((a) => a.id)).toEqual([1]);
    expect((await store.articles.byTitle('12306')).map((a) => a.id)).toEqual([3]);
    expect((await store.articles.byTitle('上海')).map((a) => a.id)).toEqual([1, 2]);
    expect(await store.articles.byTitle('  ')).toEqual([]);
  });

  it('lists a page of articles newest first, filtered by outlet, days or search ids (kept in their rank)', async () => {
    const store = await withNews();
    expect(await store.articles.list({ limit: 2 })).toMatchObject({ total: 3, articles: [{ id: 1 }, { id: 2 }] });
    expect((await store.articles.list({ limit: 2, offset: 2 })).articles.map((a) => a.id)).toEqual([3]);
    expect(await store.articles.list({ limit: 10, since: '2025-02-01', until: '2025-02-12' })).toMatchObject({ total: 1, articles: [{ id: 2 }] });
    expect(await store.articles.list({ limit: 10, source: '中新网' })).toMatchObject({ total: 1, articles: [{ id: 3 }] });
    expect(await store.articles.list({ limit: 2, ids: [3, 1, 2] })).toMatchObject({ total: 3, articles: [{ id: 3 }, { id: 1 }] });
    expect(await store.articles.list({ limit: 2, ids: [] })).toEqual({ articles: [], total: 0 });
  });

  it('finds the ids a server’s feeds brought, an outlet’s, and those from some origin', async () => {
    const store = await withNews();
    expect([...(await store.articles.broughtByGuild('g1'))]).toEqual([1]);
    expect([...(await store.articles.broughtByGuild('g2'))]).toEqual([]);
    expect(await store.articles.idsOfSource('本报')).toEqual([2]);
    expect(await store.articles.idsByOrigin((origin) => origin.startsWith('news/'))).toEqual([2, 3]);
  });

  it('removes articles with their passages, leaves tombstones and logs the removal in order', async () => {
    const store = await withNews();
    const result = await store.articles.remove([1, 1, 99, 3], { now: NOW, by: 'owner', reason: '重复' });
    expect(result.removed.map((a) => a.id)).toEqual([1, 3]);
    expect(result.passages).toBe(3);
    expect(await store.passageCount()).toBe(1);
    expect(await store.articleCount()).toBe(1);
    expect(await store.articles.tombstone('url:https://example.com/tesla')).toEqual({
      dedupeKey: 'url:https://example.com/tesla',
      articleId: 1,
      title: '特斯拉上海储能超级工厂投产',
      source: '三里河',
      url: 'https://example.com/tesla',
      publishedAt: '2025-02-14',
      publishedDay: '2025-02-14',
      removedAt: NOW.toISOString(),
      removedBy: 'owner',
      reason: '重复',
    });
    expect((await store.articles.tombstones()).map((t) => t.articleId)).toEqual([3, 1]);
    expect(await store.articles.tombstoneCount()).toBe(2);
    expect(await store.articles.changesAfter(0)).toEqual([
      { seq: 1, articleId: 1, kind: 'removed' },
      { seq: 2, articleId: 3, kind: 'removed' },
    ]);
    expect(await store.articles.lastChangeSeq()).toBe(2);
  });

  it('lets a removed article come back once its removal is forgotten', async () => {
    const store = await withNews();
    await store.articles.remove([3], { now: NOW });
    expect(await store.articles.forgetRemoval(3)).toMatchObject({ dedupeKey: 'text:rail' });
    expect(await store.articles.forgetRemoval(3)).toBeUndefined();
    expect((await store.insertArticles([NEWS[2]!], NOW.toISOString())).added).toHaveLength(1);
    await store.articles.remove([2], { now: NOW });
    expect(await store.articles.forget('text:brain')).toBe(true);
    expect(await store.articles.forget('text:brain')).toBe(false);
  });

  it('corrects an article’s fields, keeps its dedupe key, and logs the edit', async () => {
    const store = await withNews();
    expect(await store.articles.edit(99, { title: 'x' }, NOW)).toBeUndefined();
    const edit = await store.articles.edit(2, { title: '更正后的标题', publishedDay: '2025-02-12', publishedAt: '2025-02-12T00:00:00.000Z', url: null }, NOW);
    expect(edit?.before.title).toBe('上海企业获脑机接口最大一笔融资');
    expect(edit?.after).toMatchObject({ title: '更正后的标题', publishedDay: '2025-02-12', source: '本报' });
    expect((await store.getArticles([2])).get(2)).toMatchObject({ title: '更正后的标题', publishedDay: '2025-02-12', publishedAt: '2025-02-12T00:00:00.000Z' });
    expect((await store.insertArticles([NEWS[1]!], NOW.toISOString())).duplicates).toBe(1);
    expect(await store.articles.changesAfter(0)).toEqual([{ seq: 1, articleId: 2, kind: 'edited' }]);
  });

  it('shows another process the change log in the order the changes were made', async () => {
    const one = await withNews();
    const two = await again();
    await Promise.all([one.articles.remove([1], { now: NOW }), two.articles.edit(2, { title: '新标题' }, NOW), two.articles.remove([3], { now: NOW })]);
    const log = await one.articles.changesAfter(0);
    expect(log.map((c) => c.seq)).toEqual([1, 2, 3]);
    expect(log.map((c) => `${c.articleId}:${c.kind}`).sort()).toEqual(['1:removed', '2:edited', '3:removed']);
  });
});
