import { describe, expect, it } from 'vitest';
import { healthReport } from '../../src/health/health-report.js';

const now = new Date('2025-02-20T08:00:00Z');
const at = (secondsAgo: number) => new Date(now.getTime() - secondsAgo * 1000);
const facts = {
  newestIngestAt: '2025-02-20T07:45:00.000Z',
  lastFeedPollAt: '2025-02-20T07:59:30.000Z',
  lastDigest: { channelId: '1300000000000000002', localDay: '2025-02-20', status: 'sent', completedAt: '2025-02-20T00:00:00.000Z' },
};

describe('the health report', () => {
  it('is ok with the gateway, index, last feed poll and last digest, ages in seconds', () => {
    const report = healthReport({ now, gateway: { connected: true, since: at(5400), lastEventAt: at(12) }, indexPassages: 48_211, facts });
    expect(report).toEqual({
      status: 'ok',
      reasons: [],
      checkedAt: '2025-02-20T08:00:00.000Z',
      gateway: { connected: true, sinceS: 5400, lastEventAgeS: 12 },
      index: { passages: 48_211, newestArticleAt: '2025-02-20T07:45:00.000Z', newestArticleAgeS: 900 },
      lastFeedPoll: { at: '2025-02-20T07:59:30.000Z', ageS: 30 },
      lastDigest: { at: '2025-02-20T00:00:00.000Z', ageS: 28_800, channelId: '1300000000000000002', localDay: '2025-02-20', status: 'sent' },
    });
  });

  it('stays ok through a short resume but not a disconnect of over a minute', () => {
    const away = (s: number) => healthReport({ now, gateway: { connected: false, since: at(s), lastEventAt: at(s) }, indexPassages: 1, facts });
    expect(away(20).status).toBe('ok');
    expect(away(61)).toMatchObject({ status: 'unhealthy', reasons: ['gateway disconnected for 61 s'] });
  });

  it('is unhealthy, saying why, when the database cannot be read; a bot with no feeds or digests yet is still well', () => {
    const gateway = { connected: true, since: at(60), lastEventAt: at(1) };
    const broken = healthReport({ now, gateway, indexPassages: 10, facts: new Error('database disk image is malformed') });
    expect(broken).toMatchObject({ status: 'unhealthy', reasons: ['database unreadable: database disk image is malformed'], lastFeedPoll: null, lastDigest: null });
    const fresh = healthReport({ now, gateway, indexPassages: 0, facts: { newestIngestAt: undefined, lastFeedPollAt: undefined, lastDigest: undefined } });
    expect(fresh).toMatchObject({ status: 'ok', index: { passages: 0, newestArticleAt: null, newestArticleAgeS: null }, lastFeedPoll: null, lastDigest: null });
  });
});
