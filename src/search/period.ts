import { DateTime } from 'luxon';
import type { AskFilters } from './ask.js';

/** The time spans /ask offers; the command line says the same with --since/--until. */
export const PERIODS = ['today', '7d', '30d', 'year', 'any'] as const;
export type Period = (typeof PERIODS)[number];

export const isPeriod = (value: string): value is Period => (PERIODS as readonly string[]).includes(value);

/**
 * A period as the filters of `ask` (the ones `--since/--until` set): `since` is the first local day of the span
 * (YYYY-MM-DD in `zone`, an IANA name), counting today; `any` sets nothing. "Last 7 days" is today and the six
 * days before it. Days are compared with an article's publication day as stored.
 */
export function periodFilters(period: Period, now: Date, zone: string): Pick<AskFilters, 'since' | 'until'> {
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const since = (d: DateTime) => ({ since: d.toISODate()! });
  switch (period) {
    case 'today':
      return since(today);
    case '7d':
      return since(today.minus({ days: 6 }));
    case '30d':
      return since(today.minus({ days: 29 }));
    case 'year':
      return since(today.startOf('year'));
    case 'any':
      return {};
  }
}
