import { describe, expect, it } from 'vitest';
import { periodFilters } from '../../src/search/period.js';

describe('periodFilters', () => {
  // 17:30 UTC on 19 February is already 20 February in Shanghai.
  const now = new Date('2025-02-19T17:30:00Z');

  it.each([
    ['today', { since: '2025-02-20' }],
    ['7d', { since: '2025-02-14' }],
    ['30d', { since: '2025-01-22' }],
    ['year', { since: '2025-01-01' }],
    ['any', {}],
  ] as const)('reads %s as the local days it covers in Shanghai', (period, filters) => {
    expect(periodFilters(period, now, 'Asia/Shanghai')).toEqual(filters);
  });

  it('counts days in the given time zone', () => {
    expect(periodFilters('today', now, 'Europe/Berlin')).toEqual({ since: '2025-02-19' });
  });
});
