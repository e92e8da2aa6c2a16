import { expect, it } from 'vitest';
import { describeStores } from '../helpers/news-stores.js';

const NOW = new Date('2025-02-15T08:00:00.000Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

describeStores('followed feeds', ({ fresh, again }) => {
  it('adds a feed once: adding its URL again updates its name, interval and zone', async () => {
    const store = await fresh();
    const first = await store.feeds.add({ url: 'https://example.com/rss', name: '示例', everyMinutes: 15, addedBy: 'u1', guildId: 'g1' }, NOW);
    expect(first.created).toBe(true);
    expect(first.feed).toMatchObject({ id: 1, url: 'https://example.com/rss', name: '示例', everyMinutes: 15, addedBy: 'u1', guildId: 'g1', nextPollAt: NOW.toISOString(), failures: 0, lastWarnings: [], lastSkipped: [], timezone: null });
    const second = await store.feeds.add({ url: 'https://example.com/rss', everyMinutes: 60, timezone: 'Asia/Shanghai' }, minutes(5));
    expect(second.created).toBe(false);
    expect(second.feed).toMatchObject({ id: 1, name: '示例', everyMinutes: 60, timezone: 'Asia/Shanghai', createdAt: NOW.toISOString() });
    expect(await store.feeds.list()).toHaveLength(1);
  });

  it('finds a feed by id, URL or name, and only among a server’s own when asked for one server', async () => {
    const store = await fresh();
    await store.feeds.add({ url: 'https://a.example/rss', name: '甲', everyMinutes: 15, guildId: 'g1' }, NOW);
    await store.feeds.add({ url: 'https://b.example/rss', name: '乙', everyMinutes: 15 }, NOW);
    expect((await store.feeds.find('2'))?.url).toBe('https://b.example/rss');
    expect((await store.feeds.find(' 甲 '))?.id).toBe(1);
    expect((await store.feeds.find('https://b.example/rss'))?.name).toBe('乙');
    expect(await store.feeds.find('乙', 'g1')).toBeUndefined();
    expect(await store.feeds.find('2', 'g1')).toBeUndefined();
    expect((await store.feeds.find('甲', 'g1'))?.id).toBe(1);
    expect((await store.feeds.list('g1')).map((f) => f.name)).toEqual(['甲']);
    expect((await store.feeds.list()).map((f) => f.name)).toEqual(['甲', '乙']);
  });

  it('says which feeds are due and when the next one is', async () => {
    const store = await fresh();
    const { feed } = await store.feeds.add({ url: 'https://a.example/rss', everyMinutes: 15 }, NOW);
    await store.feeds.add({ url: 'https://b.example/rss', everyMinutes: 15 }, minutes(10));
    expect((await store.feeds.due(minutes(1))).map((f) => f.url)).toEqual(['https://a.example/rss']);
    expect(await store.feeds.nextDueAt()).toBe(NOW.toISOString());
    await store.feeds.recordSuccess(feed.id, { now: minutes(1), nextPollAt: minutes(16), etag: '"v1"', itemsSeen: 3, articlesAdded: 2, warnings: ['bad date'], skipped: [{ item: 'x', reason: 'no text' }] });
    expect(await store.feeds.nextDueAt()).toBe(minutes(10).toISOString());
    expect(await store.feeds.get(feed.id)).toMatchObject({ etag: '"v1"', itemsSeen: 3, articlesAdded: 2, lastWarnings: ['bad date'], lastSkipped: [{ item: 'x', reason: 'no text' }], lastSuccessAt: minutes(1).toISOString() });
    // A not-modified answer: counts add up, validators and last warnings stay.
    await store.feeds.recordSuccess(feed.id, { now: minutes(16), nextPollAt: minutes(31), itemsSeen: 0, articlesAdded: 0 });
    expect(await store.feeds.get(feed.id)).toMatchObject({ etag: '"v1"', itemsSeen: 3, lastWarnings: ['bad date'] });
    await store.feeds.forgetValidators(feed.id);
    expect(await store.feeds.get(feed.id)).toMatchObject({ etag: null, lastModified: null });
  });

  it('counts failures in a row and clears them at the next success', async () => {
    const store = await fresh();
    const { feed } = await store.feeds.add({ url: 'https://a.example/rss', everyMinutes: 15 }, NOW);
    await store.feeds.recordFailure(feed.id, { now: NOW, nextPollAt: minutes(30), error: 'HTTP 503' });
    await store.feeds.recordFailure(feed.id, { now: minutes(30), nextPollAt: minutes(90), error: 'HTTP 503' });
    expect(await store.feeds.get(feed.id)).toMatchObject({ failures: 2, lastError: 'HTTP 503', nextPollAt: minutes(90).toISOString() });
    await store.feeds.recordSuccess(feed.id, { now: minutes(90), nextPollAt: minutes(105), itemsSeen: 1, articlesAdded: 1 });
    expect(await store.feeds.get(feed.id)).toMatchObject({ failures: 0, lastError: null });
  });

  it('remembers the items taken, once each, and forgets them with the feed', async () => {
    const store = await fresh();
    const { feed } = await store.feeds.add({ url: 'https://a.example/rss', everyMinutes: 15 }, NOW);
    expect(await store.feeds.hasItem(feed.id, 'guid:1')).toBe(false);
    await store.feeds.recordItem(feed.id, 'guid:1', null, NOW);
    await store.feeds.recordItem(feed.id, 'guid:1', null, minutes(1));
    expect(await store.feeds.hasItem(feed.id, 'guid:1')).toBe(true);
    expect(await store.feeds.remove(feed.id)).toBe(true);
    expect(await store.feeds.remove(feed.id)).toBe(false);
    const { feed: back } = await store.feeds.add({ url: 'https://a.example/rss', everyMinutes: 15 }, NOW);
    expect(await store.feeds.hasItem(back.id, 'guid:1')).toBe(false);
  });

  it('keeps the items stored with only their summary, in the order taken, until their page is read or tries run out', async () => {
    const store = await fresh();
    const { feed } = await store.feeds.add({ url: 'https://a.example/rss', everyMinutes: 15 }, NOW);
    const { added } = await store.insertArticles(
      ['c', 'a', 'b'].map((k) => ({ dedupeKey: k, paragraphs: [`摘要${k}。`], source: '本报', publishedAt: '2025-02-15' })),
      NOW.toISOString(),
    );
    // Same poll, same time: the order they were recorded in decides.
    for (const [i, key] of ['guid:c', 'guid:a', 'guid:b'].entries()) {
      await store.feeds.recordItem(feed.id, key, added[i]!.article.id, NOW, { url: `https://a.example/${key}`, attempts: 1 });
    }
    await store.feeds.recordItem(feed.id, 'guid:whole', null, NOW);
    expect((await store.feeds.incompleteItems(feed.id)).map((i) => i.key)).toEqual(['guid:c', 'guid:a', 'guid:b']);
    await store.feeds.recordPageAttempt(feed.id, 'guid:a', 'failed');
    await store.feeds.recordPageAttempt(feed.id, 'guid:c', 'done');
    expect(await store.feeds.incompleteItems(feed.id)).toEqual([
      { key: 'guid:a', articleId: 2, pageUrl: 'https://a.example/guid:a', attempts: 2 },
      { key: 'guid:b', articleId: 3, pageUrl: 'https://a.example/guid:b', attempts: 1 },
    ]);
  });

  it('stores an item once when two processes record it', async () => {
    const one = await fresh();
    const two = await again();
    const { feed } = await one.feeds.add({ url: 'https://a.example/rss', everyMinutes: 15 }, NOW);
    const both = await two.feeds.add({ url: 'https://a.example/rss', everyMinutes: 15 }, NOW);
    expect(both).toMatchObject({ created: false, feed: { id: feed.id } });
    await Promise.all([one.feeds.recordItem(feed.id, 'guid:1', null, NOW), two.feeds.recordItem(feed.id, 'guid:1', null, minutes(1))]);
    expect(await one.feeds.hasItem(feed.id, 'guid:1')).toBe(true);
    expect(await two.feeds.hasItem(feed.id, 'guid:1')).toBe(true);
  });
});
