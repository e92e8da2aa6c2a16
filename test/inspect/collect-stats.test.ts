import { describe, expect, it } from 'vitest';
import { collectStats } from '../../src/inspect/collect-stats.js';
import { Newsdesk } from '../../src/newsdesk.js';
import { SMALL_NEWS, writeJsonl } from '../helpers/articles.js';
import { recordingLogger, useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const NOW = new Date('2025-02-15T12:00:00Z');

describe('stats', () => {
  it('counts articles per publication day over the last 30 days, and shows feeds’ health and each channel’s last digest', async () => {
    const dir = tempDir();
    const desk = await Newsdesk.open({ dataDir: dir, log: recordingLogger(), now: () => NOW });
    await desk.ingest([writeJsonl(tempDir(), SMALL_NEWS)]);
    const feed = (await desk.store.feeds.add({ url: 'https://example.com/rss.xml', name: '测试台', everyMinutes: 15 }, NOW)).feed;
    for (let i = 0; i < 3; i++) await desk.store.feeds.recordFailure(feed.id, { now: NOW, nextPollAt: NOW, error: 'example.com answered 500' });
    await desk.store.digests.upsertSubscription({ channelId: '1300000000000000002', guildId: '1300000000000000001', time: '18:00', timezone: 'Asia/Shanghai', keywords: [], maxItems: 8 }, NOW);
    const claimed = (await desk.store.digests.claimDelivery({ channelId: '1300000000000000002', localDay: '2025-02-14', scheduledFor: NOW, now: NOW, late: false, windowStart: NOW.toISOString(), keywords: [], maxItems: 8 }))!;
    await desk.store.digests.completeDelivery(claimed.id, { status: 'sent', now: NOW, items: 2 });
    await desk.removeArticles([3]);

    const stats = await collectStats(desk, NOW);
    await desk.close();

    expect(stats).toMatchObject({ articles: 2, removed: 1, passages: stats.indexedPassages });
    expect(stats.perDay).toHaveLength(30);
    expect(stats.perDay[0]!.day).toBe('2025-01-17');
    expect(stats.perDay.at(-1)).toEqual({ day: '2025-02-15', articles: 0 });
    expect(stats.perDay.filter((d) => d.articles > 0)).toEqual([
      { day: '2025-02-11', articles: 1 },
      { day: '2025-02-14', articles: 1 },
    ]);
    expect(stats.feeds).toEqual([expect.objectContaining({ name: '测试台', healthy: false, failures: 3, lastError: 'example.com answered 500' })]);
    expect(stats.digests).toEqual([expect.objectContaining({ channelId: '1300000000000000002', time: '18:00', last: { localDay: '2025-02-14', status: 'sent', items: 2 } })]);
    expect(stats.index.ageSeconds).toBe(0);
  });
});
