import { DateTime } from 'luxon';

/** A publication time: the instant, and the day it was in the outlet's zone. */
export interface PublicationDate {
  /** ISO 8601 UTC instant, e.g. 2025-07-10T01:30:00.000Z. */
  instant: string;
  /** YYYY-MM-DD, the local day in the zone the date was read in. */
  day: string;
}

// Publication dates before this are typing errors, not news (the rule).
const EARLIEST = DateTime.fromISO('1990-01-01T00:00:00Z');
// A publication time may run ahead of the reader's clock by time-zone slips, not by more.
const MAX_AHEAD_MS = 24 * 60 * 60 * 1000;
// Formats with no zone, read in `zone` (Luxon tokens).
const LOCAL_FORMATS = ['yyyy-MM-dd HH:mm:ss', 'yyyy-MM-dd HH:mm', 'yyyy-M-d H:mm', 'yyyy/M/d H:mm:ss', 'yyyy/M/d H:mm', 'yyyy/M/d', 'yyyy-M-d'];

/**
 * Reads a publication time as publishers write it: ISO 8601 (with or without an offset), `YYYY-MM-DD HH:mm[:ss]`,
 * `YYYY/M/D[ H:mm]`, RFC 2822, and Unix epoch seconds or milliseconds. A time without a zone is read in `zone`
 * (an IANA name such as Asia/Shanghai), never in the host's zone. Returns undefined for text that is no date, and
 * for a date before 1990 or more than a day after `now`.
 *
 * Minimal version for the page reader; the feed work brings the full set of formats under the same signature.
 */
export function parsePublicationDate(raw: string | number, opts: { zone: string; now: Date }): PublicationDate | undefined {
  const parsed = typeof raw === 'number' ? fromEpoch(raw, opts.zone) : fromText(raw.trim(), opts.zone);
  if (!parsed?.isValid) return undefined;
  if (parsed < EARLIEST || parsed.toMillis() > opts.now.getTime() + MAX_AHEAD_MS) return undefined;
  const instant = parsed.toUTC().toISO();
  const day = parsed.setZone(opts.zone).toISODate();
  return instant && day ? { instant, day } : undefined;
}

function fromEpoch(value: number, zone: string): DateTime | undefined {
  if (!Number.isFinite(value)) return undefined;
  // Seconds until the year 5138; a larger number is milliseconds.
  return DateTime.fromMillis(value < 1e11 ? value * 1000 : value, { zone });
}

function fromText(text: string, zone: string): DateTime | undefined {
  if (text === '') return undefined;
  if (/^\d{10}(\d{3})?$/.test(text)) return fromEpoch(Number(text), zone);
  const iso = DateTime.fromISO(text, { zone, setZone: true });
  if (iso.isValid) return iso;
  for (const format of LOCAL_FORMATS) {
    const local = DateTime.fromFormat(text, format, { zone });
    if (local.isValid) return local;
  }
  const rfc = DateTime.fromRFC2822(text, { zone, setZone: true });
  return rfc.isValid ? rfc : undefined;
}
