import { expect, it } from 'vitest';
import type { SubscriptionInput } from '../../src/store/digest-store.js';
import { describeStores } from '../helpers/news-stores.js';

const NOW = new Date('2025-02-15T00:00:00.000Z');

const subscription = (channelId: string, overrides: Partial<SubscriptionInput> = {}): SubscriptionInput => ({
  channelId,
  guildId: 'g1',
  time: '08:00',
  timezone: 'Asia/Shanghai',
  keywords: ['特斯拉', '储能'],
  maxItems: 5,
  ...overrides,
});

const claim = (channelId: string, localDay: string) => ({
  channelId,
  localDay,
  scheduledFor: NOW,
  now: NOW,
  late: false,
  windowStart: '2025-02-14T00:00:00.000Z',
  keywords: ['特斯拉'],
  maxItems: 5,
});

describeStores('digest subscriptions and deliveries', ({ fresh, again }) => {
  it('subscribes a channel once: subscribing again updates it, re-enables it and keeps its language unless given', async () => {
    const store = await fresh();
    const first = await store.digests.upsertSubscription(subscription('c1', { locale: 'zh-CN', createdBy: 'u1' }), NOW);
    expect(first.created).toBe(true);
    expect(first.subscription).toEqual({
      channelId: 'c1',
      guildId: 'g1',
      time: '08:00',
      timezone: 'Asia/Shanghai',
      keywords: ['特斯拉', '储能'],
      maxItems: 5,
      quietWhenEmpty: false,
      locale: 'zh-CN',
      enabled: true,
      disabledReason: null,
      createdBy: 'u1',
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
    });
    await store.digests.disableSubscription('c1', 'missing permission', NOW);
    expect(await store.digests.getSubscription('c1')).toMatchObject({ enabled: false, disabledReason: 'missing permission' });
    const later = new Date('2025-02-16T00:00:00.000Z');
    const second = await store.digests.upsertSubscription(subscription('c1', { time: '09:30', keywords: [], quietWhenEmpty: true }), later);
    expect(second.created).toBe(false);
    expect(second.subscription).toMatchObject({ time: '09:30', keywords: [], quietWhenEmpty: true, locale: 'zh-CN', enabled: true, disabledReason: null, createdAt: NOW.toISOString(), updatedAt: later.toISOString() });
    expect((await store.digests.upsertSubscription(subscription('c2'), NOW)).subscription.locale).toBe('en');
  });

  it('lists subscriptions by server and enabled, and removes one', async () => {
    const store = await fresh();
    await store.digests.upsertSubscription(subscription('c2', { guildId: 'g2' }), NOW);
    await store.digests.upsertSubscription(subscription('c1'), NOW);
    await store.digests.upsertSubscription(subscription('c3'), NOW);
    await store.digests.disableSubscription('c3', 'gone', NOW);
    expect((await store.digests.subscriptions()).map((s) => s.channelId)).toEqual(['c1', 'c3', 'c2']);
    expect((await store.digests.subscriptions({ guildId: 'g1', enabledOnly: true })).map((s) => s.channelId)).toEqual(['c1']);
    expect(await store.digests.removeSubscription('c1')).toBe(true);
    expect(await store.digests.removeSubscription('c1')).toBe(false);
    expect(await store.digests.getSubscription('c1')).toBeUndefined();
  });

  it('claims a channel’s digest for a day once; a second claim gets nothing and must not send', async () => {
    const store = await fresh();
    const delivery = await store.digests.claimDelivery(claim('c1', '2025-02-15'));
    expect(delivery).toMatchObject({ channelId: 'c1', localDay: '2025-02-15', status: 'claimed', late: false, attempts: 0, messageIds: [], keywords: ['特斯拉'], maxItems: 5, completedAt: null });
    expect(await store.digests.claimDelivery(claim('c1', '2025-02-15'))).toBeUndefined();
    expect(await store.digests.claimDelivery(claim('c1', '2025-02-16'))).toBeDefined();
    expect((await store.digests.unfinishedDeliveries()).map((d) => d.localDay)).toEqual(['2025-02-15', '2025-02-16']);
  });

  it('claims a delivery once when two processes (two bots sharing the subscriptions) claim it at the same time', async () => {
    const one = await fresh();
    const two = await again();
    const claims = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? one : two).digests.claimDelivery(claim('c1', '2025-02-15'))));
    expect(claims.filter((c) => c !== undefined)).toHaveLength(1);
    expect(await one.digests.deliveryFor('c1', '2025-02-15')).toMatchObject({ status: 'claimed' });
  });

  it('remembers each message sent, the window, attempts and the outcome; the next digest starts from the last completed one', async () => {
    const store = await fresh();
    const d = (await store.digests.claimDelivery(claim('c1', '2025-02-14')))!;
    await store.digests.recordAttempt(d.id);
    await store.digests.recordMessage(d.id, '111');
    await store.digests.recordMessage(d.id, '222');
    await store.digests.setWindowEnd(d.id, '2025-02-15T00:00:00.000Z');
    await store.digests.completeDelivery(d.id, { status: 'sent', now: NOW, items: 4 });
    expect(await store.digests.getDelivery(d.id)).toMatchObject({ status: 'sent', attempts: 1, messageIds: ['111', '222'], windowEnd: '2025-02-15T00:00:00.000Z', items: 4, error: null, completedAt: NOW.toISOString() });
    const failed = (await store.digests.claimDelivery(claim('c1', '2025-02-15')))!;
    await store.digests.completeDelivery(failed.id, { status: 'failed', now: NOW, error: 'Missing Access' });
    expect((await store.digests.lastCompleted('c1'))?.localDay).toBe('2025-02-14');
    expect(await store.digests.lastDelivery('c1')).toMatchObject({ localDay: '2025-02-15', status: 'failed', error: 'Missing Access' });
    expect(await store.digests.unfinishedDeliveries()).toEqual([]);
  });

  it('records a missed day once, and never over a claim', async () => {
    const store = await fresh();
    await store.digests.recordMissed('c1', '2025-02-13', NOW, NOW);
    await store.digests.recordMissed('c1', '2025-02-13', NOW, NOW);
    await store.digests.claimDelivery(claim('c1', '2025-02-14'));
    await store.digests.recordMissed('c1', '2025-02-14', NOW, NOW);
    expect(await store.digests.deliveryFor('c1', '2025-02-13')).toMatchObject({ status: 'missed', error: 'the bot was not running at the scheduled time', completedAt: NOW.toISOString() });
    expect(await store.digests.deliveryFor('c1', '2025-02-14')).toMatchObject({ status: 'claimed' });
    expect(await store.digests.claimDelivery(claim('c1', '2025-02-13'))).toBeUndefined();
  });
});
