import { InvalidArgumentError } from 'commander';
import { calendarDay } from '../text/calendar-date.js';

/**
 * Option parsers for commander: each returns the checked value or throws InvalidArgumentError with one line saying
 * what is accepted, which commander prints (`error: option '--since <date>' argument '2025-02-30' is invalid. …`)
 * before the program exits with status 2 (usage). A bad value never reaches the store.
 */

/** A real calendar day, YYYY-MM-DD (checked by Luxon: 2025-02-30 is refused, not read as 2 March). */
export function dayOption(value: string): string {
  const day = calendarDay(value);
  if (!day) throw new InvalidArgumentError('expected a calendar date as YYYY-MM-DD, e.g. 2025-02-14.');
  return day;
}

/** A whole number from `min` to `max` inclusive, written in plain digits (no 1.5, 1e3, 0x10 or -1 for a count). */
export function wholeNumber(min: number, max: number): (value: string) => number {
  return (value: string) => {
    const s = value.trim();
    const n = /^-?\d+$/.test(s) ? Number(s) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    return n;
  };
}

/** An article id: a whole number from 1. */
export const articleId = wholeNumber(1, Number.MAX_SAFE_INTEGER);

/** Non-empty text, trimmed (an outlet or title given as "" is a mistake, not a value). */
export function nonEmpty(what: string): (value: string) => string {
  return (value: string) => {
    const s = value.trim();
    if (!s) throw new InvalidArgumentError(`expected ${what}, not an empty value.`);
    return s;
  };
}

/** An http(s) address, or "" / "none" to clear it. */
export function urlOrNone(value: string): string | null {
  const s = value.trim();
  if (s === '' || s.toLowerCase() === 'none') return null;
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    throw new InvalidArgumentError('expected an http or https address (or "none" to clear it).');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError('expected an http or https address (or "none" to clear it).');
  return url.toString();
}
