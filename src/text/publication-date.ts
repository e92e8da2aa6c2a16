import type * as Chrono from 'chrono-node';
import { createRequire } from 'node:module';
import { DateTime, FixedOffsetZone, IANAZone } from 'luxon';

// The English locale alone (`chrono.strict` is its strict parser): the whole package loads every locale, about
// 100 ms of every start. Required, not imported: vitest's resolver does not map chrono-node's `./*` export.
const chrono = createRequire(import.meta.url)('chrono-node/en') as Pick<typeof Chrono, 'strict'>;

/** When an article was published: the instant, and the day a reader of the outlet calls it. */
export interface PublicationDate {
  /** ISO 8601 instant in UTC, e.g. `2025-02-14T23:00:00.000Z`. */
  instant: string;
  /** YYYY-MM-DD: the article's local day (the day the outlet printed it), e.g. `2025-02-15`. */
  day: string;
}

export type DateReading = { ok: true; date: PublicationDate } | { ok: false; reason: string };

export interface DateContext {
  /** IANA zone of the outlet: times without an offset are read in it, and a UTC stamp's day is taken in it. */
  zone: string;
  /** The time of ingest: gives a year to `02月13日`, and bounds "in the future". */
  now: Date;
}

/** Dates before this are not news dates (a zero epoch, a placeholder `1900-01-01`): reported and replaced. */
export const EARLIEST_PUBLICATION = '1990-01-01';
/** Publishers' clocks and zones are off by hours, not days: later than this is a wrong date. */
export const FUTURE_TOLERANCE_MS = 86_400_000;

/** Zones already checked: luxon's isValidZone builds an Intl.DateTimeFormat at every call (0.1 ms, once per date read). */
const zoneChecked = new Map<string, string>();
function validZone(zone: string): string {
  let valid = zoneChecked.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone) ? zone : 'Asia/Shanghai';
    zoneChecked.set(zone, valid);
  }
  return valid;
}

/**
 * Reads a publication date as publishers write it and places it in time.
 *
 * Read: RFC 822/2822 (`Sat, 15 Feb 2025 07:00:00 +0800`, also without weekday or seconds, with a wrong
 * weekday, full month names, `GMT+8`, `+08:00`, or no zone at all), ISO 8601 (`2025-02-13T10:30:00+08:00`,
 * also with a space for `T`, `+0800`, or date only), `2025-02-13 10:30`, `2025/2/13`, `2025.02.13`,
 * `2025年02月13日 10:30`, `02月13日` / `11月27日 23:58` (year from `now`: the latest year that does not put
 * the date more than a day after `now`), `20250213`, Unix epoch seconds (9–10 digits) and milliseconds
 * (12–13 digits) as numbers or digit strings; other English forms through chrono-node's strict parser.
 * Full-width digits and punctuation are read as ASCII (NFKC).
 *
 * Zones: a time without an offset is read in `ctx.zone` (never the host's zone). The day is the local
 * day: in the offset the date states when it states a non-zero one (`07:00 +0800` → that day in Beijing);
 * in `ctx.zone` for a UTC stamp (`Z`, `GMT`, `+0000`, epochs), since feeds and CMSs print UTC
 * mechanically; `CST` is China Standard Time when the outlet's zone is UTC+8, else US Central (RFC 822).
 * A date without a time is that day, starting at local midnight.
 *
 * Returns a reason instead when the text is no date, is before 1990, or is more than a day after `now`.
 */
export function readPublicationDate(raw: string | number, ctx: DateContext): DateReading {
  const zone = validZone(ctx.zone);
  const found = typeof raw === 'number' ? fromEpoch(raw) : fromText(String(raw).normalize('NFKC').trim(), { ...ctx, zone });
  const shown = typeof raw === 'number' ? String(raw) : `"${String(raw).trim().slice(0, 60)}"`;
  if (!found || !found.dt.isValid) return { ok: false, reason: `the date ${shown} could not be read` };
  const localDt = found.dayIn === 'stated' ? found.dt : found.dt.setZone(zone);
  const date: PublicationDate = { instant: found.dt.toUTC().toISO()!, day: localDt.toISODate()! };
  if (date.day < EARLIEST_PUBLICATION) return { ok: false, reason: `the date ${shown} is before 1990` };
  if (found.dt.toMillis() > ctx.now.getTime() + FUTURE_TOLERANCE_MS) return { ok: false, reason: `the date ${shown} is in the future` };
  return { ok: true, date };
}

/**
 * The publication date of `raw`, or undefined when it cannot be read, is before 1990 or is more than a day
 * in the future (the caller reports it and dates the article by the time of ingest). See readPublicationDate
 * for the formats and zone rules.
 */
export function parsePublicationDate(raw: string | number, opts: { zone: string; now: Date }): PublicationDate | undefined {
  const reading = readPublicationDate(raw, opts);
  return reading.ok ? reading.date : undefined;
}

/** The local day (YYYY-MM-DD) of an instant in `zone`. */
export function localDayOf(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toISODate()!;
}

/** The instant a local day (YYYY-MM-DD) starts in `zone`, e.g. `2025-02-15` in Asia/Shanghai → 2025-02-14T16:00Z. */
export function startOfLocalDay(day: string, zone: string): Date {
  return DateTime.fromISO(day, { zone }).startOf('day').toJSDate();
}

/** `stated`: the text gave a non-UTC offset, so its own wall clock is the local day. */
interface Found {
  dt: DateTime;
  dayIn: 'stated' | 'zone';
}

function fromEpoch(n: number): Found | undefined {
  if (!Number.isFinite(n) || n <= 0) return undefined;
  // Seconds until the year 5138; anything larger is milliseconds (ms for 1990 are 6.3e11).
  const ms = n < 1e11 ? n * 1000 : n;
  return { dt: DateTime.fromMillis(ms, { zone: 'utc' }), dayIn: 'zone' };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

// Y-M-D with -, /, . or 年月日, then an optional time (10:30, 10:30:15, 10时30分, 上午/下午 not used by feeds).
const YMD = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[T\s]+(\d{1,2})\s*[:时點点]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2})(?:\.\d+)?\s*秒?)?\s*分?)?\s*(.*)$/u;
// M月D日 with an optional time: the year comes from the context.
const MD = /^(\d{1,2})\s*月\s*(\d{1,2})\s*日?(?:\s*(\d{1,2})\s*[:时点]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2}))?\s*分?)?\s*$/u;

function fromText(s: string, ctx: DateContext): Found | undefined {
  if (s === '') return undefined;
  if (/^\d{9,10}$|^\d{12,13}$/.test(s)) return fromEpoch(Number(s));
  if (/^\d{8}$/.test(s)) return wall(Number(s.slice(0, 4)), Number(s.slice(4, 6)), Number(s.slice(6, 8)), undefined, ctx.zone);
  return fromNumericDate(s, ctx) ?? fromMonthDay(s, ctx) ?? fromIso(s, ctx) ?? fromRfc822(s, ctx) ?? fromChrono(s, ctx);
}

/** A wall-clock date and time read in `zone` (a missing time is midnight). */
function wall(y: number, mo: number, d: number, time: [number, number, number] | undefined, zone: string | FixedOffsetZone): Found | undefined {
  const dt = DateTime.fromObject({ year: y, month: mo, day: d, hour: time?.[0] ?? 0, minute: time?.[1] ?? 0, second: time?.[2] ?? 0 }, { zone });
  if (!dt.isValid) return undefined;
  return { dt, dayIn: typeof zone === 'string' ? 'zone' : 'stated' };
}

function fromNumericDate(s: string, ctx: DateContext): Found | undefined {
  const m = YMD.exec(s);
  if (!m) return undefined;
  const time = m[4] !== undefined ? ([Number(m[4]), Number(m[5]), Number(m[6] ?? 0)] as [number, number, number]) : undefined;
  const rest = (m[7] ?? '').trim();
  let zone: string | FixedOffsetZone = ctx.zone;
  if (rest !== '') {
    const offset = offsetOf(rest, ctx);
    if (offset === undefined) return undefined;
    if (offset !== 'local') zone = offset;
  }
  const found = wall(Number(m[1]), Number(m[2]), Number(m[3]), time, zone);
  if (found && zone instanceof FixedOffsetZone && zone.offset(0) === 0) found.dayIn = 'zone';
  return found;
}

function fromMonthDay(s: string, ctx: DateContext): Found | undefined {
  const m = MD.exec(s);
  if (!m) return undefined;
  const time = m[3] !== undefined ? ([Number(m[3]), Number(m[4]), Number(m[5] ?? 0)] as [number, number, number]) : undefined;
  const thisYear = DateTime.fromJSDate(ctx.now, { zone: ctx.zone }).year;
  // News is read after it is published: the latest year that does not put the date ahead of now.
  for (const year of [thisYear + 1, thisYear, thisYear - 1]) {
    const found = wall(year, Number(m[1]), Number(m[2]), time, ctx.zone);
    if (found && found.dt.toMillis() <= ctx.now.getTime() + FUTURE_TOLERANCE_MS) return found;
  }
  return undefined;
}

/** A zone suffix: an offset (+0800, +08:00, GMT+8, UTC, Z), `CST`, or none ('local'). Undefined: not a zone. */
function offsetOf(text: string, ctx: DateContext): FixedOffsetZone | 'local' | undefined {
  const t = text.trim().replace(/^\((.*)\)$/u, '$1');
  if (t === '') return 'local';
  if (/^(?:z|ut|utc|gmt)$/iu.test(t)) return FixedOffsetZone.utcInstance;
  if (/^cst$/iu.test(t)) return FixedOffsetZone.instance(chinaZone(ctx) ? 480 : -360);
  if (/^(?:北京时间|beijing time)$/iu.test(t)) return FixedOffsetZone.instance(480);
  const m = /^(?:utc|gmt)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/iu.exec(t);
  if (!m) return undefined;
  const minutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
  return Math.abs(minutes) <= 14 * 60 ? FixedOffsetZone.instance(minutes) : undefined;
}

/** Whether the outlet's zone is UTC+8 now, where `CST` means China Standard Time rather than US Central. */
function chinaZone(ctx: DateContext): boolean {
  return DateTime.fromJSDate(ctx.now, { zone: ctx.zone }).offset === 480;
}

function fromIso(s: string, ctx: DateContext): Found | undefined {
  if (!/^\d{4}-\d{2}(?:-\d{2})?(?:[T\s]|$)/u.test(s)) return undefined;
  // Common deviations: a space for T, a space before the offset, a basic offset (+0800).
  const iso = s.replace(/^(\d{4}-\d{2}-\d{2})\s+(?=\d)/u, '$1T').replace(/\s+(?=[+-]\d{2}:?\d{2}$|Z$)/u, '');
  const dt = DateTime.fromISO(iso, { zone: ctx.zone, setZone: true });
  if (!dt.isValid) return undefined;
  const stated = /(?:[+-]\d{2}(?::?\d{2})?|Z)$/iu.test(iso) && /T/u.test(iso);
  return { dt, dayIn: stated && dt.offset !== 0 ? 'stated' : 'zone' };
}

function fromRfc822(s: string, ctx: DateContext): Found | undefined {
  // The weekday is ignored (often wrong), seconds and the zone are optional, the zone may be spelt +08:00 or GMT+8.
  const m = /^(?:[a-z]{2,9}\.?,?\s*)?(\d{1,2})[\s-]+([a-z]{3,9})\.?[\s-]+(\d{2,4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(.*)$/iu.exec(s)
    ?? swapMonthFirst(s);
  if (!m) return undefined;
  // Feb, February, Sept: the first three letters name the month.
  const month = MONTHS.indexOf((m[2] ?? '').slice(0, 3).toLowerCase()) + 1;
  if (month === 0) return undefined;
  let year = Number(m[3]);
  if (year < 100) year += year < 50 ? 2000 : 1900;
  const zoneText = (m[7] ?? '').trim();
  let zone: FixedOffsetZone | 'local' | undefined = offsetOf(zoneText, ctx);
  if (zone === undefined && /^[ecmp][sd]t$/iu.test(zoneText)) {
    // The US zone names RFC 822 defines (EST, PDT …); CST was handled above.
    const offsets: Record<string, number> = { est: -300, edt: -240, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420 };
    const minutes = offsets[zoneText.toLowerCase()];
    if (minutes !== undefined) zone = FixedOffsetZone.instance(minutes);
  }
  if (zone === undefined) return undefined;
  const found = wall(year, month, Number(m[1]), [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)], zone === 'local' ? ctx.zone : zone);
  if (found && zone !== 'local' && zone.offset(0) === 0) found.dayIn = 'zone';
  return found;
}

/** `Feb 15, 2025 07:00:00 +0800` (month first), rearranged into the RFC 822 groups. */
function swapMonthFirst(s: string): RegExpExecArray | null {
  const m = /^(?:[a-z]{2,9}\.?,?\s*)?([a-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(.*)$/iu.exec(s);
  if (!m) return null;
  const swapped = [m[0], m[2], m[1], m[3], m[4], m[5], m[6], m[7]] as unknown as RegExpExecArray;
  return swapped;
}

function fromChrono(s: string, ctx: DateContext): Found | undefined {
  const results = chrono.strict.parse(s, { instant: ctx.now, timezone: DateTime.fromJSDate(ctx.now, { zone: ctx.zone }).offset });
  const first = results[0];
  // A date somewhere inside other words is not this field's date.
  if (!first || first.text.length < s.length * 0.6 || !first.start.isCertain('year')) return undefined;
  const c = first.start;
  const y = c.get('year')!;
  const mo = c.get('month')!;
  const d = c.get('day')!;
  const time: [number, number, number] | undefined = c.isCertain('hour') ? [c.get('hour')!, c.get('minute') ?? 0, c.get('second') ?? 0] : undefined;
  if (c.isCertain('timezoneOffset')) {
    const offset = c.get('timezoneOffset')!;
    const found = wall(y, mo, d, time, FixedOffsetZone.instance(offset));
    if (found && offset === 0) found.dayIn = 'zone';
    return found;
  }
  return wall(y, mo, d, time, ctx.zone);
}
