import { describe, expect, it } from 'vitest';
import { SendFailure } from '../../src/digest/delivery-errors.js';
import { DigestService } from '../../src/digest/digest-service.js';
import { localDay } from '../../src/digest/schedule.js';
import { renderDigest, type DigestMessage } from '../../src/discord/render-digest.js';
import { Newsdesk } from '../../src/newsdesk.js';
import type { NewsStore } from '../../src/store/news-store.js';
import { writeJsonl } from '../helpers/articles.js';
import { recordingLogger, useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const CHANNEL = '1300000000000000002';
const GUILD = '1300000000000000001';

/** A channel that remembers posts and, like Discord with enforce_nonce, returns the same message for a repeated nonce. */
function fakeChannel() {
  const posts: Array<{ channelId: string; message: DigestMessage; nonce: string; id: string }> = [];
  let failures: Array<SendFailure | 'hang'> = [];
  const send = async (channelId: string, message: DigestMessage, nonce: string): Promise<string> => {
    const failure = failures.shift();
    if (failure === 'hang') return new Promise<string>(() => {});
    if (failure) throw failure;
    const same = posts.find((p) => p.nonce === nonce && p.channelId === channelId);
    if (same) return same.id;
    const id = String(1400000000000000000n + BigInt(posts.length));
    posts.push({ channelId, message, nonce, id });
    return id;
  };
  return { posts, send, failNext: (...f: Array<SendFailure | 'hang'>) => (failures = f) };
}

async function setup(start: string, sub: { time: string; timezone: string; keywords?: string[]; quiet?: boolean }) {
  const dir = tempDir();
  let now = new Date(start);
  const clock = () => now;
  const desk = await Newsdesk.open({ dataDir: dir, log: recordingLogger(), now: clock });
  await desk.store.digests.upsertSubscription(
    { channelId: CHANNEL, guildId: GUILD, time: sub.time, timezone: sub.timezone, keywords: sub.keywords ?? [], maxItems: 8, quietWhenEmpty: sub.quiet ?? false },
    now,
  );
  const channel = fakeChannel();
  const notices: string[] = [];
  const makeService = (store: NewsStore = desk.store) =>
    new DigestService<DigestMessage>({
      store,
      now: clock,
      log: recordingLogger(),
      render: renderDigest,
      send: channel.send,
      notifyGuild: async (_guild, text) => void notices.push(text),
      sleep: async () => {},
    });
  let counter = 0;
  const addNews = async (title: string) => await desk.ingest([writeJsonl(dir, [{ title, text: `${title}。今天发生了一件关于${title}的新闻,细节如下。`, source: '本报', publishedAt: now.toISOString().slice(0, 10) }], `n${counter++}.jsonl`)]);
  return { desk, channel, notices, makeService, addNews, setNow: (iso: string) => (now = new Date(iso)), advance: (ms: number) => (now = new Date(now.getTime() + ms)), clock };
}

const HOUR = 3_600_000;

describe('DigestService', () => {
  it('posts once when the local time arrives, and not again that day', async () => {
    const t = await setup('2025-02-14T20:00:00Z', { time: '08:00', timezone: 'Asia/Shanghai' });
    await t.addNews('特斯拉储能工厂投产');
    const service = t.makeService();
    t.setNow('2025-02-14T23:59:00Z'); // 07:59 in Shanghai
    expect(await service.runDue()).toEqual([]);
    t.setNow('2025-02-15T00:00:30Z'); // 08:00:30
    expect(await service.runDue()).toEqual([{ channelId: CHANNEL, localDay: '2025-02-15', status: 'sent', late: false }]);
    t.setNow('2025-02-15T03:00:00Z');
    expect(await service.runDue()).toEqual([]);
    expect(t.channel.posts).toHaveLength(1);
    expect(t.channel.posts[0]!.message.embeds[0]!.fields![0]!.name).toContain('特斯拉储能工厂投产');
  });

  it('runs a week of schedule in Asia/Shanghai: one digest a day, each with only that day\'s news', async () => {
    const t = await setup('2025-02-14T20:00:00Z', { time: '08:00', timezone: 'Asia/Shanghai' });
    const service = t.makeService();
    for (let step = 0; step < 7 * 24 * 6; step++) {
      if (step % 36 === 5) await t.addNews(`第${step}条新闻`);
      t.advance(10 * 60_000);
      await service.runDue();
    }
    const days = t.channel.posts.map((p) => (p.message.embeds[0]?.title ?? p.message.content ?? '').match(/\d{4}-\d{2}-\d{2}/)![0]);
    expect(days).toEqual(['2025-02-15', '2025-02-16', '2025-02-17', '2025-02-18', '2025-02-19', '2025-02-20', '2025-02-21']);
    const headlines = t.channel.posts.flatMap((p) => p.message.embeds.flatMap((e) => e.fields ?? []).map((f) => f.name));
    expect(new Set(headlines).size).toBe(headlines.length); // no story posted twice
  });

  it('keeps 08:00 local in America/New_York across the daylight-saving change', async () => {
    const t = await setup('2025-03-07T00:00:00Z', { time: '08:00', timezone: 'America/New_York' });
    const service = t.makeService();
    const sentAt: string[] = [];
    for (let step = 0; step < 4 * 24 * 12; step++) {
      t.advance(5 * 60_000);
      const results = await service.runDue();
      if (results.some((r) => r.status === 'sent' || r.status === 'empty')) sentAt.push(t.clock().toISOString().slice(0, 16));
    }
    // EST (UTC−5) until 9 March, then EDT (UTC−4)
    expect(sentAt).toEqual(['2025-03-07T13:00', '2025-03-08T13:00', '2025-03-09T12:00', '2025-03-10T12:00']);
  });

  it('uses the local day in Pacific/Auckland, ahead of UTC', async () => {
    const t = await setup('2025-06-01T00:00:00Z', { time: '07:30', timezone: 'Pacific/Auckland' });
    const service = t.makeService();
    t.setNow('2025-06-01T19:30:00Z'); // 07:30 on 2 June in Auckland (UTC+12)
    const [result] = await service.runDue();
    expect(result).toMatchObject({ localDay: '2025-06-02', status: 'empty' });
    expect(localDay(t.clock(), 'Pacific/Auckland')).toBe('2025-06-02');
  });

  it('says "no new articles" on a quiet day, or posts nothing if the subscription asks so', async () => {
    const loud = await setup('2025-02-14T20:00:00Z', { time: '08:00', timezone: 'Asia/Shanghai' });
    loud.setNow('2025-02-15T00:01:00Z');
    await loud.makeService().runDue();
    expect(loud.channel.posts[0]!.message.content).toMatch(/no new articles/);
    expect(loud.channel.posts[0]!.message.embeds).toEqual([]);

    const quiet = await setup('2025-02-14T20:00:00Z', { time: '08:00', timezone: 'Asia/Shanghai', quiet: true });
    quiet.setNow('2025-02-15T00:01:00Z');
    expect(await quiet.makeService().runDue()).toMatchObject([{ status: 'empty' }]);
    expect(quiet.channel.posts).toEqual([]);
  });

  it('sends a digest whose time passed while the bot was down late, once, marked as late', async () => {
    const t = await setup('2025-02-14T20:00:00Z', { time: '08:00', timezone: 'Asia/Shanghai' });
    await t.addNews('停机期间的新闻');
    t.setNow('2025-02-15T03:00:00Z'); // 11:00 local: the bot starts three hours after the digest time
    const service = t.makeService();
    expect(await service.runDue()).toEqual([{ channelId: CHANNEL, localDay: '2025-02-15', status: 'sent', late: true }]);
    expect(await service.runDue()).toEqual([]);
    expect(t.channel.posts).toHaveLength(1);
    expect(t.channel.posts[0]!.message.embeds[0]!.footer?.text).toMatch(/sent late/);
    expect(await t.desk.store.digests.deliveryFor(CHANNEL, '2025-02-15')).toMatchObject({ status: 'sent', late: true });
  });

  it('records a day that ended while the bot was down as missed instead of skipping it silently', async () => {
    const t = await setup('2025-02-14T20:00:00Z', { time: '08:00', timezone: 'Asia/Shanghai' });
    t.setNow('2025-02-16T07:00:00Z'); // 15:00 on the 16th; the 15th and the 16th both passed
    const results = await t.makeService().runDue();
    expect(results).toMatchObject([{ localDay: '2025-02-16', status: 'empty', late: true }]);
    expect(await t.desk.store.digests.deliveryFor(CHANNEL, '2025-02-15')).toMatchObject({ status: 'missed', error: expect.stringMatching(/not running/) });
    t.setNow('2025-02-16T16:30:00Z'); // 00:30 on the 17th: the 16th is over and was sent
    await t.makeService().runDue();
    expect(t.channel.posts).toHaveLength(1);
  });

  it('posts exactly one digest when the bot restarts in the middle of a delivery', async () => {
    const t = await setup('2025-02-14T20:00:00Z', { time: '08:00', timezone: 'Asia/Shanghai' });
    await t.addNews('重启测试新闻');
    t.setNow('2025-02-15T00:00:10Z');
    t.channel.failNext('hang'); // the process "dies" while Discord holds the request
    void t.makeService().runDue();
    await new Promise((r) => setTimeout(r, 20));
    expect((await t.desk.store.digests.deliveryFor(CHANNEL, '2025-02-15'))?.status).toBe('claimed');
    // restart: a new service over the same database, a minute later
    t.advance(60_000);
    expect(await t.makeService().runDue()).toMatchObject([{ localDay: '2025-02-15', status: 'sent' }]);
    expect(await t.makeService().runDue()).toEqual([]);
    expect(t.channel.posts).toHaveLength(1);
  });

  it('resumes a cut-off delivery with the settings it was claimed with, even if the subscription changed meanwhile', async () => {
    const t = await setup('2025-02-14T20:00:00Z', { time: '08:00', timezone: 'Asia/Shanghai' });
    await t.addNews('设置变更测试新闻');
    t.setNow('2025-02-15T00:00:10Z');
    t.channel.failNext('hang');
    void t.makeService().runDue();
    await new Promise((r) => setTimeout(r, 20));
    await t.desk.store.digests.upsertSubscription({ channelId: CHANNEL, guildId: GUILD, time: '08:00', timezone: 'Asia/Shanghai', keywords: ['完全无关的词'], maxItems: 8 }, t.clock());
    t.advance(60_000);
    expect(await t.makeService().runDue()).toMatchObject([{ status: 'sent' }]);
    expect(t.channel.posts).toHaveLength(1);
    expect(t.channel.posts[0]!.message.embeds[0]!.fields![0]!.name).toContain('设置变更测试新闻');
  });

  it('does not resend a delivery cut off long ago: it is marked interrupted for /digest status', async () => {
    const t = await setup('2025-02-14T20:00:00Z', { time: '08:00', timezone: 'Asia/Shanghai' });
    await t.addNews('中断测试新闻');
    t.setNow('2025-02-15T00:00:10Z');
    t.channel.failNext('hang');
    void t.makeService().runDue();
    await new Promise((r) => setTimeout(r, 20));
    t.advance(2 * HOUR);
    expect(await t.makeService().runDue()).toMatchObject([{ status: 'interrupted' }]);
    expect((await t.desk.store.digests.deliveryFor(CHANNEL, '2025-02-15'))?.error).toMatch(/not resent/);
  });

  it('leaves a delivery another running bot on the same store is still posting, and marks it interrupted once too old to resume', async () => {
    const t = await setup('2025-02-14T20:00:00Z', { time: '08:00', timezone: 'Asia/Shanghai' });
    await t.addNews('两个机器人测试新闻');
    t.setNow('2025-02-15T00:00:10Z');
    const posting = t.makeService();
    const other = t.makeService();
    t.channel.failNext('hang');
    void posting.runDue();
    await new Promise((r) => setTimeout(r, 20));
    expect((await t.desk.store.digests.deliveryFor(CHANNEL, '2025-02-15'))?.status).toBe('claimed');

    t.advance(60_000);
    expect(await other.runDue()).toEqual([]);
    expect(t.channel.posts).toHaveLength(0);
    t.advance(2 * HOUR);
    expect(await other.runDue()).toMatchObject([{ status: 'interrupted' }]);
    expect(t.channel.posts).toHaveLength(0);
  });

  it('retries rate limits and server errors a bounded number of times', async () => {
    const t = await setup('2025-02-14T20:00:00Z', { time: '08:00', timezone: 'Asia/Shanghai' });
    await t.addNews('重试测试新闻');
    t.setNow('2025-02-15T00:00:10Z');
    t.channel.failNext(new SendFailure('retry', '429 rate limited'), new SendFailure('retry', '500 internal error'));
    expect(await t.makeService().runDue()).toMatchObject([{ status: 'sent' }]);
    expect(t.channel.posts).toHaveLength(1);
    expect((await t.desk.store.digests.deliveryFor(CHANNEL, '2025-02-15'))?.attempts).toBe(3);

    const stuck = await setup('2025-02-14T20:00:00Z', { time: '08:00', timezone: 'Asia/Shanghai' });
    stuck.setNow('2025-02-15T00:00:10Z');
    stuck.channel.failNext(...Array.from({ length: 10 }, () => new SendFailure('retry', '503 unavailable')));
    expect(await stuck.makeService().runDue()).toMatchObject([{ status: 'failed' }]);
    expect(await stuck.desk.store.digests.deliveryFor(CHANNEL, '2025-02-15')).toMatchObject({ status: 'failed', attempts: 4, error: '503 unavailable' });
    expect((await stuck.desk.store.digests.getSubscription(CHANNEL))?.enabled).toBe(true);
  });

  it('disables the subscription with the reason when the bot lost access to the channel, and tells the guild', async () => {
    const t = await setup('2025-02-14T20:00:00Z', { time: '08:00', timezone: 'Asia/Shanghai' });
    t.setNow('2025-02-15T00:00:10Z');
    t.channel.failNext(new SendFailure('forbidden', 'the bot may no longer post in this channel (Missing Permissions)'));
    expect(await t.makeService().runDue()).toMatchObject([{ status: 'failed' }]);
    expect(await t.desk.store.digests.getSubscription(CHANNEL)).toMatchObject({ enabled: false, disabledReason: expect.stringMatching(/Missing Permissions/) });
    expect(t.notices[0]).toMatch(/stopped.*Missing Permissions.*\/digest subscribe/);
    t.setNow('2025-02-16T00:00:10Z');
    expect(await t.makeService().runDue()).toEqual([]);
  });
});
