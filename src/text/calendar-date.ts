import { DateTime } from 'luxon';

/**
 * A real calendar day written YYYY-MM-DD (`2025-02-14`), or undefined: `2025-02-30` and `2025-99-99` are not days,
 * and neither is `2025-2-14`. Checked by Luxon (ISO 8601 rules, proleptic Gregorian calendar), never rolled over
 * into the next month as `new Date('2025-02-30')` does. No time zone is involved: a day is a day.
 */
export function calendarDay(value: string): string | undefined {
  const s = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return undefined;
  return DateTime.fromISO(s, { setZone: false }).isValid ? s : undefined;
}

/**
 * A publication date as ingest records give it: a calendar day (kept as written) or an ISO 8601 date-time
 * (ISO 8601, SQL-style or RFC 2822; returned as UTC ISO), or undefined when it is not a real date. Shape-checked by Luxon, not by `Date.parse`,
 * which accepts 30 February.
 */
export function publicationDate(value: string): string | undefined {
  const s = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return calendarDay(s);
  // ISO 8601 first; SQL-style (`2025-02-14 08:00:00`) and RFC 2822 (`Fri, 14 Feb 2025 08:00:00 +0800`) as exports write them.
  for (const dt of [DateTime.fromISO(s, { setZone: true }), DateTime.fromSQL(s, { setZone: true }), DateTime.fromRFC2822(s, { setZone: true })]) {
    if (dt.isValid) return dt.toUTC().toISO() ?? undefined;
  }
  return undefined;
}
