import { describe, expect, it } from 'vitest';
import { localDayOf, parsePublicationDate, readPublicationDate, startOfLocalDay } from '../../src/text/publication-date.js';

const now = new Date('2026-11-30T06:00:00Z');
const shanghai = { zone: 'Asia/Shanghai', now };
const read = (raw: string | number, ctx = shanghai) => parsePublicationDate(raw, ctx);

describe('parsePublicationDate', () => {
  it('reads a Beijing-morning RFC 822 date as published on its own day', () => {
    expect(read('Sat, 15 Feb 2025 07:00:00 +0800')).toEqual({ instant: '2025-02-14T23:00:00.000Z', day: '2025-02-15' });
  });

  it('gives a UTC stamp the local day of the outlet, as RSSHub and CMSs print UTC mechanically', () => {
    for (const raw of ['Fri, 14 Feb 2025 23:00:00 GMT', 'Fri, 14 Feb 2025 23:00:00 +0000', '2025-02-14T23:00:00Z', 1739574000, 1739574000000]) {
      expect(read(raw)).toEqual({ instant: '2025-02-14T23:00:00.000Z', day: '2025-02-15' });
    }
    expect(read('2025-02-14T23:00:00Z', { zone: 'Europe/London', now })?.day).toBe('2025-02-14');
  });

  it('keeps the day a non-UTC offset states, wherever the outlet is configured', () => {
    expect(read('Fri, 14 Feb 2025 20:00:00 -0500')).toEqual({ instant: '2025-02-15T01:00:00.000Z', day: '2025-02-14' });
  });

  it('reads the common deviations from RFC 822: no weekday, wrong weekday, full month, no seconds, GMT+8, +08:00, 2-digit year', () => {
    for (const raw of [
      '15 Feb 2025 07:00:00 +0800',
      'Mon, 15 Feb 2025 07:00:00 +0800',
      'Saturday, 15 February 2025 07:00:00 +0800',
      'Sat, 15 Feb 2025 07:00 +0800',
      'Sat, 15 Feb 2025 07:00:00 GMT+8',
      'Sat, 15 Feb 2025 07:00:00 +08:00',
      'Sat, 15 Feb 25 07:00:00 +0800',
      'Sat,15 Feb 2025 07:00:00 +0800',
      'Feb 15, 2025 07:00:00 +0800',
    ]) {
      expect(read(raw), raw).toEqual({ instant: '2025-02-14T23:00:00.000Z', day: '2025-02-15' });
    }
  });

  it('takes CST for China Standard Time where the outlet is in UTC+8, and for US Central elsewhere', () => {
    expect(read('Sat, 15 Feb 2025 07:00:00 CST')?.instant).toBe('2025-02-14T23:00:00.000Z');
    expect(read('Sat, 15 Feb 2025 07:00:00 CST', { zone: 'America/Chicago', now })?.instant).toBe('2025-02-15T13:00:00.000Z');
  });

  it('reads ISO 8601 with its deviations: a space for T, a basic offset, a space before the offset', () => {
    for (const raw of ['2025-02-13T10:30:00+08:00', '2025-02-13T10:30:00+0800', '2025-02-13 10:30:00+08:00', '2025-02-13 10:30:00 +08:00', '2025-02-13T02:30:00.000Z']) {
      expect(read(raw), raw).toEqual({ instant: '2025-02-13T02:30:00.000Z', day: '2025-02-13' });
    }
  });

  it('reads Chinese and numeric forms in the outlet zone, never the host zone', () => {
    for (const raw of ['2025年02月13日 10:30', '2025年2月13日 10时30分', '2025-02-13 10:30', '2025/2/13 10:30', '2025.02.13 10:30', '２０２５年２月１３日　１０:３０', '2025-02-13T10:30']) {
      expect(read(raw), raw).toEqual({ instant: '2025-02-13T02:30:00.000Z', day: '2025-02-13' });
    }
    expect(read('2025-02-13 10:30', { zone: 'America/New_York', now })).toEqual({ instant: '2025-02-13T15:30:00.000Z', day: '2025-02-13' });
  });

  it('reads a date without a time as that local day, starting at local midnight', () => {
    for (const raw of ['2025/2/13', '2025-02-13', '2025年2月13日', '20250213']) expect(read(raw), raw).toEqual({ instant: '2025-02-12T16:00:00.000Z', day: '2025-02-13' });
  });

  it('gives 02月13日 the year of the context: the latest that does not put it ahead of now', () => {
    expect(read('02月13日')?.day).toBe('2026-02-13');
    expect(read('11月27日 23:58')).toEqual({ instant: '2026-11-27T15:58:00.000Z', day: '2026-11-27' });
    expect(read('12月31日')?.day).toBe('2025-12-31');
    expect(read('12月31日', { zone: 'Asia/Shanghai', now: new Date('2026-01-01T02:00:00Z') })?.day).toBe('2025-12-31');
  });

  it('reads epoch seconds and milliseconds, as numbers or digit strings', () => {
    for (const raw of [1739574000, 1739574000000, '1739574000', '1739574000000']) expect(read(raw)?.instant).toBe('2025-02-14T23:00:00.000Z');
  });

  it('reads other English forms through chrono-node in the outlet zone', () => {
    expect(read('February 15, 2025 7:00 AM')).toEqual({ instant: '2025-02-14T23:00:00.000Z', day: '2025-02-15' });
  });

  it('refuses, with the reason, what is no date, before 1990 or more than a day ahead; never 1970', () => {
    expect(readPublicationDate('上周五', shanghai)).toEqual({ ok: false, reason: 'the date "上周五" could not be read' });
    expect(readPublicationDate('', shanghai)).toMatchObject({ ok: false });
    expect(readPublicationDate(0, shanghai)).toMatchObject({ ok: false });
    expect(readPublicationDate('1970-01-01T00:00:00Z', shanghai)).toEqual({ ok: false, reason: 'the date "1970-01-01T00:00:00Z" is before 1990' });
    expect(readPublicationDate('1989-12-31', shanghai)).toMatchObject({ ok: false, reason: expect.stringContaining('before 1990') });
    expect(readPublicationDate('2026-12-02T06:00:00Z', shanghai)).toMatchObject({ ok: false, reason: expect.stringContaining('in the future') });
    expect(readPublicationDate('2026-12-01T05:00:00Z', shanghai)).toMatchObject({ ok: true });
    expect(readPublicationDate('Sat, 31 Feb 2025 07:00:00 +0800', shanghai)).toMatchObject({ ok: false });
    expect(readPublicationDate('Updated 2025-02-13 by the editor who wrote a long note', shanghai)).toMatchObject({ ok: false });
  });
});

describe('local days', () => {
  it('names the local day of an instant and the instant a local day starts, daylight saving included', () => {
    expect(localDayOf(new Date('2025-02-14T23:00:00Z'), 'Asia/Shanghai')).toBe('2025-02-15');
    expect(startOfLocalDay('2025-02-15', 'Asia/Shanghai').toISOString()).toBe('2025-02-14T16:00:00.000Z');
    expect(startOfLocalDay('2025-07-01', 'America/New_York').toISOString()).toBe('2025-07-01T04:00:00.000Z');
  });
});
