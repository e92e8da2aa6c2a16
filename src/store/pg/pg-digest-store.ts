import type { AsyncMethods } from '../news-store.js';
import {
  toDelivery,
  toSubscription,
  type Delivery,
  type DeliveryClaim,
  type DeliveryRow,
  type DeliveryStatus,
  type DigestStore,
  type Subscription,
  type SubscriptionInput,
  type SubscriptionRow,
} from '../digest-store.js';
import type { PgDatabase } from './pg-database.js';

/**
 * Digest subscriptions and deliveries on PostgreSQL: the same answers as DigestStore (src/store/digest-store.ts).
 * A delivery is claimed by inserting its (channel_id, local_day) row: whichever process inserts it first sends;
 * every other one gets nothing back and must not send, as with SQLite.
 */
export class PgDigestStore implements AsyncMethods<DigestStore> {
  constructor(private readonly db: PgDatabase) {}

  async upsertSubscription(input: SubscriptionInput, now: Date): Promise<{ subscription: Subscription; created: boolean }> {
    const row = await this.db.one<SubscriptionRow & { created: boolean }>(
      `INSERT INTO subscriptions (channel_id, guild_id, time, timezone, keywords, max_items, quiet_when_empty, locale, enabled, disabled_reason, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, COALESCE($8::text, 'en'), 1, NULL, $9, $10, $10)
       ON CONFLICT (channel_id) DO UPDATE SET guild_id = $2, time = $3, timezone = $4, keywords = $5, max_items = $6, quiet_when_empty = $7,
         locale = COALESCE($8::text, subscriptions.locale), enabled = 1, disabled_reason = NULL, updated_at = $10
       RETURNING *, (xmax = 0) AS created`,
      [
        input.channelId,
        input.guildId,
        input.time,
        input.timezone,
        input.keywords.join('\n'),
        input.maxItems,
        input.quietWhenEmpty ? 1 : 0,
        input.locale ?? null,
        input.createdBy ?? null,
        now.toISOString(),
      ],
    );
    return { subscription: toSubscription(row!), created: row!.created };
  }

  async getSubscription(channelId: string): Promise<Subscription | undefined> {
    const row = await this.db.one<SubscriptionRow>('SELECT * FROM subscriptions WHERE channel_id = $1', [channelId]);
    return row && toSubscription(row);
  }

  async removeSubscription(channelId: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM subscriptions WHERE channel_id = $1', [channelId])) > 0;
  }

  async subscriptions(filter: { guildId?: string; enabledOnly?: boolean } = {}): Promise<Subscription[]> {
    const rows = await this.db.all<SubscriptionRow>(
      'SELECT * FROM subscriptions WHERE ($1::text IS NULL OR guild_id = $1) AND ($2::int = 0 OR enabled = 1) ORDER BY guild_id, channel_id',
      [filter.guildId ?? null, filter.enabledOnly ? 1 : 0],
    );
    return rows.map(toSubscription);
  }

  async disableSubscription(channelId: string, reason: string, now: Date): Promise<void> {
    await this.db.run('UPDATE subscriptions SET enabled = 0, disabled_reason = $1, updated_at = $2 WHERE channel_id = $3', [reason, now.toISOString(), channelId]);
  }

  async claimDelivery(input: DeliveryClaim): Promise<Delivery | undefined> {
    const row = await this.db.one<DeliveryRow>(
      `INSERT INTO deliveries (channel_id, local_day, scheduled_for, claimed_at, status, late, window_start, keywords, max_items)
       VALUES ($1, $2, $3, $4, 'claimed', $5, $6, $7, $8) ON CONFLICT (channel_id, local_day) DO NOTHING RETURNING *`,
      [input.channelId, input.localDay, input.scheduledFor.toISOString(), input.now.toISOString(), input.late ? 1 : 0, input.windowStart, input.keywords.join('\n'), input.maxItems],
    );
    return row && toDelivery(row);
  }

  async recordMissed(channelId: string, localDay: string, scheduledFor: Date, now: Date): Promise<void> {
    await this.db.run(
      `INSERT INTO deliveries (channel_id, local_day, scheduled_for, claimed_at, completed_at, status, error)
       VALUES ($1, $2, $3, $4, $4, 'missed', 'the bot was not running at the scheduled time') ON CONFLICT (channel_id, local_day) DO NOTHING`,
      [channelId, localDay, scheduledFor.toISOString(), now.toISOString()],
    );
  }

  async getDelivery(id: number): Promise<Delivery | undefined> {
    const row = await this.db.one<DeliveryRow>('SELECT * FROM deliveries WHERE id = $1', [id]);
    return row && toDelivery(row);
  }

  async deliveryFor(channelId: string, localDay: string): Promise<Delivery | undefined> {
    const row = await this.db.one<DeliveryRow>('SELECT * FROM deliveries WHERE channel_id = $1 AND local_day = $2', [channelId, localDay]);
    return row && toDelivery(row);
  }

  async unfinishedDeliveries(): Promise<Delivery[]> {
    return (await this.db.all<DeliveryRow>("SELECT * FROM deliveries WHERE status = 'claimed' ORDER BY id")).map(toDelivery);
  }

  async recordMessage(id: number, messageId: string): Promise<void> {
    // message_ids is JSON text (as in SQLite); the append happens in one statement, under the row's lock.
    await this.db.run('UPDATE deliveries SET message_ids = (message_ids::jsonb || jsonb_build_array($1::text))::text WHERE id = $2', [messageId, id]);
  }

  async setWindowEnd(id: number, windowEnd: string): Promise<void> {
    await this.db.run('UPDATE deliveries SET window_end = $1 WHERE id = $2', [windowEnd, id]);
  }

  async recordAttempt(id: number): Promise<void> {
    await this.db.run('UPDATE deliveries SET attempts = attempts + 1 WHERE id = $1', [id]);
  }

  async completeDelivery(id: number, outcome: { status: Exclude<DeliveryStatus, 'claimed' | 'missed'>; now: Date; windowEnd?: string; items?: number; error?: string }): Promise<void> {
    await this.db.run('UPDATE deliveries SET status = $1, completed_at = $2, window_end = coalesce($3, window_end), items = coalesce($4, items), error = $5 WHERE id = $6', [
      outcome.status,
      outcome.now.toISOString(),
      outcome.windowEnd ?? null,
      outcome.items ?? null,
      outcome.error ?? null,
      id,
    ]);
  }

  async lastCompleted(channelId: string): Promise<Delivery | undefined> {
    const row = await this.db.one<DeliveryRow>("SELECT * FROM deliveries WHERE channel_id = $1 AND status IN ('sent', 'empty') ORDER BY local_day DESC LIMIT 1", [channelId]);
    return row && toDelivery(row);
  }

  async lastDelivery(channelId: string): Promise<Delivery | undefined> {
    const row = await this.db.one<DeliveryRow>('SELECT * FROM deliveries WHERE channel_id = $1 ORDER BY local_day DESC, id DESC LIMIT 1', [channelId]);
    return row && toDelivery(row);
  }
}
