import type { Database } from 'better-sqlite3';
import { supportedLocale, type Locale } from '../i18n/i18n.js';

export interface Subscription {
  channelId: string;
  guildId: string;
  /** HH:MM, local to `timezone`. */
  time: string;
  timezone: string;
  keywords: string[];
  maxItems: number;
  quietWhenEmpty: boolean;
  /** The language of the digest's own words (headers, "no new articles"); articles stay as written. */
  locale: Locale;
  enabled: boolean;
  disabledReason: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What claiming a delivery records: the channel, its local day and what the digest is built with. */
export interface DeliveryClaim {
  channelId: string;
  localDay: string;
  scheduledFor: Date;
  now: Date;
  late: boolean;
  windowStart: string;
  keywords: readonly string[];
  maxItems: number;
}

export type DeliveryStatus = 'claimed' | 'sent' | 'empty' | 'failed' | 'missed' | 'interrupted';

export interface Delivery {
  id: number;
  channelId: string;
  localDay: string;
  scheduledFor: string;
  claimedAt: string;
  completedAt: string | null;
  status: DeliveryStatus;
  late: boolean;
  attempts: number;
  messageIds: string[];
  windowStart: string | null;
  windowEnd: string | null;
  items: number | null;
  error: string | null;
  /** The subscription's keywords and maximum when the delivery was claimed (null for older rows). */
  keywords: string[] | null;
  maxItems: number | null;
}

export interface SubscriptionRow {
  channel_id: string;
  guild_id: string;
  time: string;
  timezone: string;
  keywords: string;
  max_items: number;
  quiet_when_empty: number;
  locale: string;
  enabled: number;
  disabled_reason: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface DeliveryRow {
  id: number;
  channel_id: string;
  local_day: string;
  scheduled_for: string;
  claimed_at: string;
  completed_at: string | null;
  status: DeliveryStatus;
  late: number;
  attempts: number;
  message_ids: string;
  window_start: string | null;
  window_end: string | null;
  items: number | null;
  error: string | null;
  keywords: string | null;
  max_items: number | null;
}

export const toSubscription = (r: SubscriptionRow): Subscription => ({
  channelId: r.channel_id,
  guildId: r.guild_id,
  time: r.time,
  timezone: r.timezone,
  keywords: r.keywords ? r.keywords.split('\n') : [],
  maxItems: r.max_items,
  quietWhenEmpty: r.quiet_when_empty === 1,
  locale: supportedLocale(r.locale) ?? 'en',
  enabled: r.enabled === 1,
  disabledReason: r.disabled_reason,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const toDelivery = (r: DeliveryRow): Delivery => ({
  id: r.id,
  channelId: r.channel_id,
  localDay: r.local_day,
  scheduledFor: r.scheduled_for,
  claimedAt: r.claimed_at,
  completedAt: r.completed_at,
  status: r.status,
  late: r.late === 1,
  attempts: r.attempts,
  messageIds: JSON.parse(r.message_ids) as string[],
  windowStart: r.window_start,
  windowEnd: r.window_end,
  items: r.items,
  error: r.error,
  keywords: r.keywords === null ? null : r.keywords ? r.keywords.split('\n') : [],
  maxItems: r.max_items,
});

export type SubscriptionInput = Pick<Subscription, 'channelId' | 'guildId' | 'time' | 'timezone' | 'keywords' | 'maxItems'> & {
  quietWhenEmpty?: boolean;
  createdBy?: string;
  /** Default: English for a new subscription, unchanged for an existing one. */
  locale?: Locale;
};

/** Digest subscriptions and their deliveries. Every state change is one statement or one transaction. */
export class DigestStore {
  constructor(private readonly db: Database) {}

  /** Creates or updates the channel's subscription (re-enabling it), returning it and whether it was new. */
  upsertSubscription(input: SubscriptionInput, now: Date): { subscription: Subscription; created: boolean } {
    return this.db.transaction(() => {
      const existed = this.getSubscription(input.channelId) !== undefined;
      this.db
        .prepare(
          `INSERT INTO subscriptions (channel_id, guild_id, time, timezone, keywords, max_items, quiet_when_empty, locale, enabled, disabled_reason, created_by, created_at, updated_at)
           VALUES (@channelId, @guildId, @time, @timezone, @keywords, @maxItems, @quiet, COALESCE(@locale, 'en'), 1, NULL, @createdBy, @now, @now)
           ON CONFLICT(channel_id) DO UPDATE SET guild_id = @guildId, time = @time, timezone = @timezone, keywords = @keywords,
             max_items = @maxItems, quiet_when_empty = @quiet, locale = COALESCE(@locale, locale), enabled = 1, disabled_reason = NULL, updated_at = @now`,
        )
        .run({
          channelId: input.channelId,
          guildId: input.guildId,
          time: input.time,
          timezone: input.timezone,
          keywords: input.keywords.join('\n'),
          maxItems: input.maxItems,
          quiet: input.quietWhenEmpty ? 1 : 0,
          locale: input.locale ?? null,
          createdBy: input.createdBy ?? null,
          now: now.toISOString(),
        });
      return { subscription: this.getSubscription(input.channelId)!, created: !existed };
    })();
  }

  getSubscription(channelId: string): Subscription | undefined {
    const row = this.db.prepare('SELECT * FROM subscriptions WHERE channel_id = ?').get(channelId) as SubscriptionRow | undefined;
    return row && toSubscription(row);
  }

  removeSubscription(channelId: string): boolean {
    return this.db.prepare('DELETE FROM subscriptions WHERE channel_id = ?').run(channelId).changes > 0;
  }

  subscriptions(filter: { guildId?: string; enabledOnly?: boolean } = {}): Subscription[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM subscriptions WHERE (@guildId IS NULL OR guild_id = @guildId) AND (@enabledOnly = 0 OR enabled = 1) ORDER BY guild_id, channel_id`,
      )
      .all({ guildId: filter.guildId ?? null, enabledOnly: filter.enabledOnly ? 1 : 0 }) as SubscriptionRow[];
    return rows.map(toSubscription);
  }

  disableSubscription(channelId: string, reason: string, now: Date): void {
    this.db.prepare('UPDATE subscriptions SET enabled = 0, disabled_reason = ?, updated_at = ? WHERE channel_id = ?').run(reason, now.toISOString(), channelId);
  }

  /**
   * Claims the channel's digest for a local day. Returns the new delivery, or undefined when that day is
   * already claimed (sent, in flight, or interrupted): the caller must then not send.
   */
  claimDelivery(input: DeliveryClaim): Delivery | undefined {
    const result = this.db
      .prepare(
        `INSERT INTO deliveries (channel_id, local_day, scheduled_for, claimed_at, status, late, window_start, keywords, max_items)
         VALUES (?, ?, ?, ?, 'claimed', ?, ?, ?, ?) ON CONFLICT(channel_id, local_day) DO NOTHING`,
      )
      .run(input.channelId, input.localDay, input.scheduledFor.toISOString(), input.now.toISOString(), input.late ? 1 : 0, input.windowStart, input.keywords.join('\n'), input.maxItems);
    if (result.changes === 0) return undefined;
    return this.getDelivery(Number(result.lastInsertRowid));
  }

  /** Records a day that passed without a digest (the bot was not running), so status can show it. */
  recordMissed(channelId: string, localDay: string, scheduledFor: Date, now: Date): void {
    this.db
      .prepare(
        `INSERT INTO deliveries (channel_id, local_day, scheduled_for, claimed_at, completed_at, status, error)
         VALUES (?, ?, ?, ?, ?, 'missed', 'the bot was not running at the scheduled time') ON CONFLICT(channel_id, local_day) DO NOTHING`,
      )
      .run(channelId, localDay, scheduledFor.toISOString(), now.toISOString(), now.toISOString());
  }

  getDelivery(id: number): Delivery | undefined {
    const row = this.db.prepare('SELECT * FROM deliveries WHERE id = ?').get(id) as DeliveryRow | undefined;
    return row && toDelivery(row);
  }

  deliveryFor(channelId: string, localDay: string): Delivery | undefined {
    const row = this.db.prepare('SELECT * FROM deliveries WHERE channel_id = ? AND local_day = ?').get(channelId, localDay) as DeliveryRow | undefined;
    return row && toDelivery(row);
  }

  /** Deliveries claimed but never completed: the process stopped while sending. */
  unfinishedDeliveries(): Delivery[] {
    return (this.db.prepare("SELECT * FROM deliveries WHERE status = 'claimed' ORDER BY id").all() as DeliveryRow[]).map(toDelivery);
  }

  /** Remembers each message as soon as Discord accepted it, so a resumed delivery skips what was posted. */
  recordMessage(id: number, messageId: string): void {
    this.db.prepare("UPDATE deliveries SET message_ids = json_insert(message_ids, '$[#]', ?) WHERE id = ?").run(messageId, id);
  }

  /** Fixes what the digest covers before posting, so a resumed delivery rebuilds the very same digest. */
  setWindowEnd(id: number, windowEnd: string): void {
    this.db.prepare('UPDATE deliveries SET window_end = ? WHERE id = ?').run(windowEnd, id);
  }

  recordAttempt(id: number): void {
    this.db.prepare('UPDATE deliveries SET attempts = attempts + 1 WHERE id = ?').run(id);
  }

  completeDelivery(id: number, outcome: { status: Exclude<DeliveryStatus, 'claimed' | 'missed'>; now: Date; windowEnd?: string; items?: number; error?: string }): void {
    this.db
      .prepare('UPDATE deliveries SET status = ?, completed_at = ?, window_end = coalesce(?, window_end), items = coalesce(?, items), error = ? WHERE id = ?')
      .run(outcome.status, outcome.now.toISOString(), outcome.windowEnd ?? null, outcome.items ?? null, outcome.error ?? null, id);
  }

  /** The most recent delivery that posted a digest (or an empty note): the next digest starts where it ended. */
  lastCompleted(channelId: string): Delivery | undefined {
    const row = this.db
      .prepare("SELECT * FROM deliveries WHERE channel_id = ? AND status IN ('sent', 'empty') ORDER BY local_day DESC LIMIT 1")
      .get(channelId) as DeliveryRow | undefined;
    return row && toDelivery(row);
  }

  lastDelivery(channelId: string): Delivery | undefined {
    const row = this.db.prepare('SELECT * FROM deliveries WHERE channel_id = ? ORDER BY local_day DESC, id DESC LIMIT 1').get(channelId) as DeliveryRow | undefined;
    return row && toDelivery(row);
  }
}
