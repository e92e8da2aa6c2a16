import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { sqliteStoreOf } from '../../src/store/sqlite-news-store.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

describe('the SQLite store behind the async interface', () => {
  it('answers through promises what the database file holds, and says which database and file it is', async () => {
    const dataDir = tempDir();
    const store = await openStore({ dataDir, zone: 'Asia/Shanghai' });
    try {
      const result = await store.insertArticles([{ dedupeKey: 'k1', title: '特斯拉储能工厂投产', paragraphs: ['首台Megapack下线。', '规划年产1万台。'], source: '本报', publishedAt: '2025-02-12T02:00:00.000Z' }], '2025-02-12T03:00:00.000Z');
      const id = result.added[0]!.article.id;
      expect(store.kind).toBe('sqlite');
      expect(store.location).toBe(sqliteStoreOf(store)!.path);
      expect(store.location.startsWith(dataDir)).toBe(true);
      expect(await store.articleCount()).toBe(1);
      expect((await store.paragraphsOf([id])).get(id)).toEqual(['首台Megapack下线。', '规划年产1万台。']);
      expect(await store.articleIdsByDedupeKey(['k1', 'unknown'])).toEqual([id]);
      expect(await store.articlesPerDay('2025-02-01')).toEqual([{ day: '2025-02-12', articles: 1 }]);
      expect((await store.articlesAfter(0, 10, { source: '本报' })).map((a) => a.title)).toEqual(['特斯拉储能工厂投产']);
      expect(await store.articlesAfter(id, 10)).toEqual([]);
      expect(await store.feeds.list()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('turns a failure of the database into a rejected promise, never a throw at the call', async () => {
    const store = await openStore({ dataDir: tempDir() });
    await store.close();
    let thrown: unknown;
    let call: Promise<number> | undefined;
    try {
      call = store.articleCount();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeUndefined();
    await expect(call).rejects.toThrow(/not open/);
  });

  it('tells a feed poll in one read which of its items were taken before', async () => {
    const store = await openStore({ dataDir: tempDir() });
    try {
      const now = new Date('2025-02-15T08:00:00Z');
      const { feed } = await store.feeds.add({ url: 'https://example.com/rss.xml', everyMinutes: 15 }, now);
      await store.feeds.recordItem(feed.id, 'guid-1', null, now);
      expect([...(await store.feeds.knownItems(feed.id, ['guid-1', 'guid-2']))]).toEqual(['guid-1']);
    } finally {
      await store.close();
    }
  });
});
