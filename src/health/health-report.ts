import { LONG_DISCONNECT_MS, type GatewayStatus } from '../discord/connection-watch.js';
import { describeError } from '../errors.js';
import type { StoreHealthFacts } from '../store/health-facts.js';

/** What `GET /healthz` answers; ages are whole seconds by the bot's clock, instants ISO UTC. */
export interface HealthReport {
  status: 'ok' | 'unhealthy';
  /** Why the bot is unhealthy; empty when it is well. */
  reasons: string[];
  checkedAt: string;
  gateway: { connected: boolean; sinceS: number; lastEventAgeS: number };
  index: { passages: number; newestArticleAt: string | null; newestArticleAgeS: number | null };
  lastFeedPoll: { at: string; ageS: number } | null;
  lastDigest: { at: string; ageS: number; channelId: string; localDay: string; status: string } | null;
}

export interface HealthInputs {
  now: Date;
  gateway: GatewayStatus;
  indexPassages: number;
  /** The database's facts, or the error reading them raised. */
  facts: StoreHealthFacts | Error;
}

const ageS = (now: Date, at: Date | string) => Math.max(0, Math.round((now.getTime() - new Date(at).getTime()) / 1000));

/**
 * Judges the bot's health. Unhealthy (503): the gateway has been away longer than LONG_DISCONNECT_MS (a short
 * resume is normal and not worth a restart), or the database cannot be read. Quiet feeds and digests are shown, not
 * judged: an owner may have none.
 */
export function healthReport(input: HealthInputs): HealthReport {
  const { now, gateway } = input;
  const reasons: string[] = [];
  const awayS = ageS(now, gateway.since);
  if (!gateway.connected && awayS * 1000 > LONG_DISCONNECT_MS) reasons.push(`gateway disconnected for ${awayS} s`);
  const facts = input.facts instanceof Error ? undefined : input.facts;
  if (input.facts instanceof Error) reasons.push(`database unreadable: ${describeError(input.facts)}`);
  const digest = facts?.lastDigest;
  return {
    status: reasons.length === 0 ? 'ok' : 'unhealthy',
    reasons,
    checkedAt: now.toISOString(),
    gateway: { connected: gateway.connected, sinceS: awayS, lastEventAgeS: ageS(now, gateway.lastEventAt) },
    index: {
      passages: input.indexPassages,
      newestArticleAt: facts?.newestIngestAt ?? null,
      newestArticleAgeS: facts?.newestIngestAt ? ageS(now, facts.newestIngestAt) : null,
    },
    lastFeedPoll: facts?.lastFeedPollAt ? { at: facts.lastFeedPollAt, ageS: ageS(now, facts.lastFeedPollAt) } : null,
    lastDigest: digest ? { at: digest.completedAt, ageS: ageS(now, digest.completedAt), channelId: digest.channelId, localDay: digest.localDay, status: digest.status } : null,
  };
}
