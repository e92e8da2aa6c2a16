import { describeError } from '../errors.js';
import { translator } from '../i18n/i18n.js';
import type { Logger } from '../log.js';
import type { Delivery, Subscription } from '../store/digest-store.js';
import type { NewsStore } from '../store/news-store.js';
import { buildDigest, type Digest } from './build-digest.js';
import { SendFailure } from './delivery-errors.js';
import { DailySchedule, localDay } from './schedule.js';

export interface DigestContext {
  /** The subscription's local day (YYYY-MM-DD) and whether the digest goes out late. */
  localDay: string;
  late: boolean;
  subscription: Subscription;
}

export interface DigestServiceDeps<M> {
  store: NewsStore;
  now: () => Date;
  log: Logger;
  /** Turns a digest into the messages to post, each within the platform's limits. */
  render: (digest: Digest, ctx: DigestContext) => M[];
  /**
   * Posts one message and returns its id. `nonce` is the same for the same part of the same delivery, so a
   * platform that deduplicates by nonce turns a resend after a crash into a no-op. Throws SendFailure.
   */
  send: (channelId: string, message: M, nonce: string) => Promise<string>;
  /** Tells a guild that its digest was stopped, where the bot still can. */
  notifyGuild?: (guildId: string, text: string) => Promise<void>;
  sleep?: (ms: number) => Promise<void>;
}

/** After this, a digest counts as late (the bot was down or busy at the scheduled time). */
export const LATE_AFTER_MS = 5 * 60_000;
/** A delivery cut off by a crash is resumed only this soon after its claim: platforms dedupe nonces for minutes only. */
export const RESUME_WITHIN_MS = 5 * 60_000;
/** Backoff between attempts after rate limits or server errors (the client library has already retried). */
export const RETRY_DELAYS_MS = [2_000, 10_000, 30_000];
const DAY = 86_400_000;

/** Where a channel's next digest starts: where its previous one ended; the first takes the last 24 hours. */
export async function digestWindowStart(store: NewsStore, channelId: string, now: Date): Promise<Date> {
  const last = await store.digests.lastCompleted(channelId);
  return last?.windowEnd ? new Date(last.windowEnd) : new Date(now.getTime() - DAY);
}

/** The notice that a channel's digest stopped, in the subscription's language; the platform's own words kept. */
function stoppedNotice(error: SendFailure, sub: Subscription): string {
  const t = translator(sub.locale);
  const reason = error.detail !== undefined ? t(error.kind === 'gone' ? 'digest.reasonGone' : 'digest.reasonForbidden', { detail: error.detail }) : error.message;
  return t('digest.stopped', { channel: sub.channelId, reason });
}

/** The digest a channel would get now, without recording anything (`/digest preview`). */
export async function previewDigest(store: NewsStore, sub: Pick<Subscription, 'channelId' | 'keywords' | 'maxItems'> & { timezone?: string }, now: Date): Promise<Digest> {
  return buildDigest(store, {
    since: await digestWindowStart(store, sub.channelId, now),
    until: now,
    keywords: sub.keywords,
    max: sub.maxItems,
    ...(sub.timezone ? { zone: sub.timezone } : {}),
  });
}

export type RunResult = { channelId: string; localDay: string; status: Delivery['status'] | 'skipped'; late: boolean };

/**
 * Sends each subscribed channel exactly one digest per local day. A delivery is claimed in the database
 * before anything is posted and completed after, so a crash or restart in between never posts twice; a
 * time that passed while the bot was down is sent late the same day, and a day that ended unsent is
 * recorded as missed, never silently skipped.
 */
export class DigestService<M> {
  /** Claims made since are this process's own or another running bot's (a shared store), never left by a stop. */
  private readonly startedAt: number;

  constructor(private readonly deps: DigestServiceDeps<M>) {
    this.startedAt = deps.now().getTime();
  }

  /** Sends every digest that is due now. Safe to call at any time and as often as wanted. */
  async runDue(): Promise<RunResult[]> {
    const results: RunResult[] = [];
    await this.resumeUnfinished(results);
    for (const sub of await this.deps.store.digests.subscriptions({ enabledOnly: true })) {
      const result = await this.runOne(sub);
      if (result) results.push(result);
    }
    return results;
  }

  /** When the next digest is due (for the timer), or undefined when there are no subscriptions. */
  async nextDue(): Promise<Date | undefined> {
    const now = this.deps.now();
    let next: Date | undefined;
    for (const sub of await this.deps.store.digests.subscriptions({ enabledOnly: true })) {
      const at = new DailySchedule(sub.time, sub.timezone).next(now);
      if (!next || at < next) next = at;
    }
    return next;
  }

  private windowStart(channelId: string, now: Date): Promise<Date> {
    return digestWindowStart(this.deps.store, channelId, now);
  }

  private async runOne(sub: Subscription): Promise<RunResult | undefined> {
    const { store, now: clock } = this.deps;
    const now = clock();
    const schedule = new DailySchedule(sub.time, sub.timezone);
    const slot = schedule.previous(now);
    if (!slot || slot.getTime() < Date.parse(sub.updatedAt)) return undefined;
    const day = localDay(slot, sub.timezone);
    await this.recordMissedDayBefore(sub, schedule, slot, now);
    if (await store.digests.deliveryFor(sub.channelId, day)) return undefined;
    if (localDay(now, sub.timezone) !== day) {
      await store.digests.recordMissed(sub.channelId, day, slot, now);
      this.deps.log.warn({ channelId: sub.channelId, localDay: day }, 'digest day passed while the bot was not running');
      return { channelId: sub.channelId, localDay: day, status: 'missed', late: true };
    }
    const late = now.getTime() - slot.getTime() > LATE_AFTER_MS;
    const delivery = await store.digests.claimDelivery({
      channelId: sub.channelId,
      localDay: day,
      scheduledFor: slot,
      now,
      late,
      windowStart: (await this.windowStart(sub.channelId, now)).toISOString(),
      keywords: sub.keywords,
      maxItems: sub.maxItems,
    });
    if (!delivery) return undefined;
    return this.deliver(sub, delivery, now);
  }

  /** The day before `slot` got no digest at all (the bot was down all that day): say so in the history. */
  private async recordMissedDayBefore(sub: Subscription, schedule: DailySchedule, slot: Date, now: Date): Promise<void> {
    const before = schedule.previous(new Date(slot.getTime() - 1));
    if (!before || before.getTime() < Date.parse(sub.updatedAt)) return;
    const day = localDay(before, sub.timezone);
    if (await this.deps.store.digests.deliveryFor(sub.channelId, day)) return;
    await this.deps.store.digests.recordMissed(sub.channelId, day, before, now);
    this.deps.log.warn({ channelId: sub.channelId, localDay: day }, 'digest day passed while the bot was not running');
  }

  /** Deliveries claimed but not completed when the process stopped: finish them once, or mark them interrupted. */
  private async resumeUnfinished(results: RunResult[]): Promise<void> {
    const { store } = this.deps;
    const now = this.deps.now();
    for (const delivery of await store.digests.unfinishedDeliveries()) {
      const sub = await store.digests.getSubscription(delivery.channelId);
      if (!sub || !sub.enabled || now.getTime() - Date.parse(delivery.claimedAt) > RESUME_WITHIN_MS) {
        await store.digests.completeDelivery(delivery.id, {
          status: 'interrupted',
          now,
          error: 'the bot stopped while posting this digest; it was not resent, to avoid posting it twice',
        });
        results.push({ channelId: delivery.channelId, localDay: delivery.localDay, status: 'interrupted', late: delivery.late });
        continue;
      }
      // Claimed since this process started: another bot sharing the store is posting it now (or this one is). Only a
      // claim older than this process was left by one that stopped; taking over a live one would post it twice.
      if (Date.parse(delivery.claimedAt) >= this.startedAt) continue;
      results.push(await this.deliver(sub, delivery, new Date(delivery.windowEnd ?? delivery.claimedAt)));
    }
  }

  private async deliver(sub: Subscription, delivery: Delivery, windowEnd: Date): Promise<RunResult> {
    const { store, log } = this.deps;
    const digest = await buildDigest(store, {
      since: new Date(delivery.windowStart ?? windowEnd.getTime() - DAY),
      until: windowEnd,
      // As claimed: a delivery resumed after a crash rebuilds the same digest even if the subscription changed since.
      keywords: delivery.keywords ?? sub.keywords,
      max: delivery.maxItems ?? sub.maxItems,
      zone: sub.timezone,
    });
    const result = { channelId: sub.channelId, localDay: delivery.localDay, late: delivery.late };
    if (digest.items.length === 0 && sub.quietWhenEmpty) {
      await store.digests.completeDelivery(delivery.id, { status: 'empty', now: this.deps.now(), windowEnd: windowEnd.toISOString(), items: 0 });
      return { ...result, status: 'empty' };
    }
    await store.digests.setWindowEnd(delivery.id, windowEnd.toISOString());
    const messages = this.deps.render(digest, { localDay: delivery.localDay, late: delivery.late, subscription: sub });
    try {
      for (let part = delivery.messageIds.length; part < messages.length; part++) {
        const id = await this.sendWithRetry(sub.channelId, messages[part]!, `${delivery.localDay.replaceAll('-', '')}d${delivery.id}p${part}`, delivery.id);
        await store.digests.recordMessage(delivery.id, id);
      }
    } catch (error) {
      const reason = describeError(error);
      await store.digests.completeDelivery(delivery.id, { status: 'failed', now: this.deps.now(), error: reason });
      if (error instanceof SendFailure && (error.kind === 'forbidden' || error.kind === 'gone')) {
        await store.digests.disableSubscription(sub.channelId, reason, this.deps.now());
        log.warn({ channelId: sub.channelId, guildId: sub.guildId, reason }, 'digest subscription disabled');
        await this.deps
          // In the subscription's language; the reason is Discord's own words.
          .notifyGuild?.(sub.guildId, stoppedNotice(error, sub))
          .catch((e: unknown) => log.warn({ guildId: sub.guildId, error: describeError(e) }, 'could not tell the guild'));
      } else {
        log.error({ channelId: sub.channelId, localDay: delivery.localDay, reason }, 'digest not delivered');
      }
      return { ...result, status: 'failed' };
    }
    const status = digest.items.length === 0 ? 'empty' : 'sent';
    await store.digests.completeDelivery(delivery.id, { status, now: this.deps.now(), windowEnd: windowEnd.toISOString(), items: digest.items.length });
    log.info({ channelId: sub.channelId, localDay: delivery.localDay, items: digest.items.length, messages: messages.length, late: delivery.late }, 'digest delivered');
    return { ...result, status };
  }

  private async sendWithRetry(channelId: string, message: M, nonce: string, deliveryId: number): Promise<string> {
    const sleep = this.deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let attempt = 0; ; attempt++) {
      await this.deps.store.digests.recordAttempt(deliveryId);
      try {
        return await this.deps.send(channelId, message, nonce);
      } catch (error) {
        const retryable = !(error instanceof SendFailure) || error.kind === 'retry';
        if (!retryable || attempt >= RETRY_DELAYS_MS.length) throw error;
        this.deps.log.warn({ channelId, attempt: attempt + 1, error: describeError(error) }, 'digest send failed, retrying');
        await sleep(RETRY_DELAYS_MS[attempt]!);
      }
    }
  }
}
