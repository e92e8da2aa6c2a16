import * as chrono from 'chrono-node';
import { DateTime } from 'luxon';

/** The zone "today" is read in when none is configured (config `NEWSDESK_TIMEZONE` passes the real one in). */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/**
 * A time a question names. `relative` words (昨天, 今天, 上周, 本月, 今年, 周一) say when the news came out: they
 * leave the search terms and put the articles published then first (a strong preference rather than a filter:
 * in 今天的路口镇 "today" means "present-day", and a question about an older article must still be answered). `absolute` dates (2024年,
 * 2月14日) are usually what the news is about (特斯拉2024年储能业务收入 is reported in 2025), so they stay in
 * the search terms and only prefer articles published in that period.
 */
export interface TimeWords {
  kind: 'relative' | 'absolute';
  /** The words as written in the question. */
  text: string;
  /** Local days (YYYY-MM-DD) in the given zone, inclusive. */
  since: string;
  until: string;
}

export interface ReadTimeWords {
  /** The question with its relative time words blanked out (same length, so highlight offsets hold). */
  question: string;
  times: TimeWords[];
}

type DayParts = { year: number; month: number; day: number };
const parts = (d: DateTime): DayParts => ({ year: d.year, month: d.month, day: d.day });

/**
 * chrono's Chinese (simplified) parser reads days (昨天, 今天, 2月14日, 2025年2月14日, 周一) but not periods;
 * this adds weeks, months and years (上周, 本周, 上个月, 本月, 今年, 去年, 2024年, 2024年3月) inside chrono, so one
 * parser reads every time word. The reference date chrono passes in carries the zone's wall clock.
 */
const PERIOD_PARSER: chrono.Parser = {
  pattern: () =>
    /(上上|上|本|这|下)(?:个)?(周|星期|礼拜)(?![一二三四五六日天1-7])|(上|本|这|下)(?:个)?月(?![份]?\d|[份]?[一二三四五六七八九十])|(今|去|前|明)年|((?:19|20)\d{2})年(?:(\d{1,2})月(?!\d{0,2}[日号]))?(?!\d{1,2}月\d)/,
  extract: (context, match) => {
    const ref = DateTime.fromObject({ year: context.refDate.getFullYear(), month: context.refDate.getMonth() + 1, day: context.refDate.getDate() }, { zone: 'utc' });
    const shift: Record<string, number> = { 上上: -2, 上: -1, 本: 0, 这: 0, 下: 1, 今: 0, 去: -1, 前: -2, 明: 1 };
    let start: DateTime;
    let end: DateTime;
    if (match[1] && match[2]) {
      start = ref.startOf('week').plus({ weeks: shift[match[1]]! });
      end = start.endOf('week');
    } else if (match[3]) {
      start = ref.startOf('month').plus({ months: shift[match[3]]! });
      end = start.endOf('month');
    } else if (match[4]) {
      start = ref.startOf('year').plus({ years: shift[match[4]]! });
      end = start.endOf('year');
    } else {
      const year = Number(match[5]);
      const month = match[6] ? Number(match[6]) : undefined;
      if (month !== undefined && (month < 1 || month > 12)) return null;
      start = DateTime.fromObject({ year, month: month ?? 1, day: 1 }, { zone: 'utc' });
      end = month ? start.endOf('month') : start.endOf('year');
    }
    return context.createParsingResult(match.index ?? 0, match[0], parts(start), parts(end));
  },
};

const parser = chrono.zh.hans.casual.clone();
parser.parsers.push(PERIOD_PARSER);

/**
 * The first or last local day a parsed time covers: a date that names no day (2024年3月) covers its month, one
 * that names no month (2024年) its year; chrono fills the missing parts from the reference date otherwise.
 */
function dayOf(c: chrono.ParsedComponents, edge: 'start' | 'end'): string | null {
  const date = DateTime.fromObject({ year: c.get('year')!, month: c.get('month')!, day: c.get('day')! }, { zone: 'utc' });
  const unit = c.isCertain('day') || c.isCertain('weekday') ? 'day' : c.isCertain('month') ? 'month' : 'year';
  return (edge === 'start' ? date.startOf(unit) : date.endOf(unit)).toISODate();
}

const OPENING = '《「『“〈（(';
const CLOSING = '》」』”〉）)';

/** True when `at` falls between an opening bracket or quote and its closing one. */
function insideQuotes(text: string, at: number): boolean {
  let depth = 0;
  for (let i = 0; i < at; i++) {
    if (OPENING.includes(text[i]!)) depth++;
    else if (CLOSING.includes(text[i]!) && depth > 0) depth--;
  }
  return depth > 0;
}

const RELATIVE = /[昨今明前后上下本这去周星期礼拜]/u;

/**
 * Finds the time words of a question (chrono-node's `zh` locale, with the periods above) relative to `now` in
 * `timeZone` (an IANA zone such as Asia/Shanghai), and blanks the relative ones out of the question.
 * @param now the clock's current instant.
 * @returns the question to search with and each time found as local days (inclusive).
 */
export function readTimeWords(question: string, now: Date, timeZone: string = DEFAULT_TIME_ZONE): ReadTimeWords {
  const local = DateTime.fromJSDate(now).setZone(timeZone);
  // chrono reads the reference through a Date's local getters: give it one whose local fields are the zone's
  // wall clock, whatever the host machine's zone.
  const reference = new Date(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  const today = local.toISODate()!;
  const times: TimeWords[] = [];
  let blanked = question;
  for (const result of parser.parse(question, reference)) {
    // Inside a title or quotation (《台视周日卡通》) a time word is part of a name.
    if (insideQuotes(question, result.index)) continue;
    // 周一 inside 一周一次 or 每周一次 counts how often, it names no day.
    const before = question[result.index - 1] ?? '';
    const after = question[result.index + result.text.length] ?? '';
    if (result.start.isCertain('weekday') && (/[一每]/u.test(before) || /[次回]/u.test(after))) continue;
    const since = dayOf(result.start, 'start');
    const until = dayOf(result.end ?? result.start, 'end');
    // News is not published in the future: 几个月内 or 明天 says nothing about which articles to read.
    if (!since || !until || since > today) continue;
    const kind = RELATIVE.test(result.text) ? 'relative' : 'absolute';
    times.push({ kind, text: result.text, since, until });
    if (kind === 'relative') blanked = blanked.slice(0, result.index) + ' '.repeat(result.text.length) + blanked.slice(result.index + result.text.length);
  }
  return { question: blanked, times };
}
