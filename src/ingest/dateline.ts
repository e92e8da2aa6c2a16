/**
 * Datelines and bylines: the outlet, place, date and reporter that Chinese news prints around an article
 * (本报讯(记者 杨硕)…, 中新网成都2月14日电 (记者 刘忠俊)…, …本报记者 郜阳).
 */

export interface Dateline {
  source?: string;
  place?: string;
  reporter?: string;
  /** YYYY-MM-DD */
  date?: string;
}

export interface Byline {
  source?: string;
  reporter: string;
}

const CJK = '\\u3400-\\u9fff';
// 本报讯 / 本刊讯 (the paper's own news, no place or date), optionally cited (据本报讯).
const OWN_NEWS = new RegExp(`^据?(本报|本刊)讯`, 'u');
// <outlet><place>[YYYY年]M月D日电 — the wire form; the outlet and place are told apart below.
const WIRE = new RegExp(`^据?([${CJK}]{2,14}?)(?:(\\d{4})年)?(\\d{1,2})月(\\d{1,2})日(?:电|讯)(?=$|[\\s(（【\\[｜|/:：]|[${CJK}])`, 'u');
// Outlet names end in one of these (新华社, 中新网, 本报, 中国日报网, 经济日报): the outlet is the shortest such name
// at the start of the lead (longer suffixes tried first at each length), the rest is the place.
const OUTLET = new RegExp(`^([${CJK}]+?(?:通讯社|新闻社|日报网|日报|晚报|时报|网|社|报|台))(.*)$`, 'u');
// The reporter credit right after a dateline, or opening a paragraph on its own: (记者 张三 李四).
const CREDIT = /^\s*[(（]([^()（）\n]{1,40})[)）]/u;
// Roles that are not the reporter's name inside a credit.
const CREDIT_ROLES = /(?:本报|本刊)?(?:特约|实习)?(?:记者|通讯员|实习生|摄影|摄|编辑|报道)/gu;
const NAME = new RegExp(`^[${CJK}·]{2,5}$`, 'u');
// A byline closing the text: …。本报记者 郜阳 / （记者 王五） — looked for in the last characters only.
const TRAILING_BYLINE = new RegExp(
  `(?:^|[。！？!?”」\\s])(本报|本刊)?(?:特约|实习)?记者[\\s\\u3000]*([${CJK}·]{2,5}(?:[\\s\\u3000、]+[${CJK}·]{2,5}){0,3})\\s*$`,
  'u',
);
const WHOLE_BYLINE = new RegExp(`^[(（]?(?:本报|本刊)?(?:特约|实习)?记者[\\s\\u3000]*[${CJK}·]{2,5}(?:[\\s\\u3000、]+[${CJK}·]{2,5}){0,3}\\s*[)）]?$`, 'u');
const TRAILING_CREDIT = new RegExp(`[(（](本报|本刊)?(?:特约|实习)?记者[\\s\\u3000]*([${CJK}·]{2,5}(?:[\\s\\u3000、]+[${CJK}·]{2,5}){0,3})\\s*[)）]\\s*$`, 'u');
// A byline holds a few names; the tail searched is bounded so the regex stays linear in the paragraph.
const BYLINE_WINDOW = 48;

/**
 * Reads a dateline at the start of a paragraph: outlet, place, date and reporter.
 * A month and day without a year take the year of `referenceDate` (YYYY-MM-DD), stepping back a year when that
 * would put the article after the reference (news is dated before it is read); without a reference the date is
 * left out rather than guessed. Returns undefined when the paragraph does not open with a dateline.
 */
export function parseDateline(paragraph: string, referenceDate?: string): Dateline | undefined {
  const text = paragraph.trimStart();
  const own = OWN_NEWS.exec(text);
  if (own) {
    const result: Dateline = { source: own[1] ?? '本报' };
    const reporter = creditReporter(text.slice(own[0].length));
    if (reporter) result.reporter = reporter;
    return result;
  }
  const wire = WIRE.exec(text);
  if (wire) {
    const lead = wire[1] ?? '';
    const outlet = OUTLET.exec(lead);
    // Without an outlet suffix the lead is only trusted when the dateline is set off by a space or bracket.
    const after = text.charAt(wire[0].length);
    if (!outlet && after !== '' && !/[\s(（【[｜|/:：]/u.test(after)) return undefined;
    const result: Dateline = {};
    result.source = outlet?.[1] ?? lead;
    const place = outlet?.[2];
    if (place) result.place = place;
    const date = resolveDate(wire[2], Number(wire[3]), Number(wire[4]), referenceDate);
    if (date) result.date = date;
    const reporter = creditReporter(text.slice(wire[0].length));
    if (reporter) result.reporter = reporter;
    return result;
  }
  // A credit alone opening the paragraph names the reporter, but only when it says so (记者…).
  const credit = CREDIT.exec(text);
  if (credit && /记者|通讯员/u.test(credit[1] ?? '')) {
    const reporter = creditReporter(text);
    if (reporter) return { reporter };
  }
  return undefined;
}

/** Whether the paragraph opens with a dateline, which marks the first paragraph of an article. */
export function opensWithDateline(paragraph: string): boolean {
  return parseDateline(paragraph) !== undefined;
}

/** Reads a byline that closes a paragraph (…并进行公示。本报记者 郜阳), or undefined when there is none. */
export function parseByline(paragraph: string): Byline | undefined {
  const text = paragraph.trimEnd();
  // A cut-off window must not let the byline pattern match at the cut as if it were the paragraph's start.
  const tail = text.length > BYLINE_WINDOW ? `\u0001${text.slice(-BYLINE_WINDOW)}` : text;
  const match = TRAILING_CREDIT.exec(tail) ?? TRAILING_BYLINE.exec(tail);
  if (!match) return undefined;
  const reporter = names((match[2] ?? '').replace(CREDIT_ROLES, ' '));
  if (!reporter) return undefined;
  return match[1] ? { source: match[1], reporter } : { reporter };
}

/** Whether the whole paragraph is a byline (本报记者 郜阳), which closes an article rather than heading one. */
export function isBylineOnly(paragraph: string): boolean {
  const text = paragraph.trim();
  if (text.length > BYLINE_WINDOW) return false;
  return WHOLE_BYLINE.test(text) && parseByline(text) !== undefined;
}

function creditReporter(rest: string): string | undefined {
  const credit = CREDIT.exec(rest);
  if (!credit) return undefined;
  return names((credit[1] ?? '').replace(CREDIT_ROLES, ' '));
}

// Names are kept only when every token is name-shaped, so a column tag such as (经济观察) is not a reporter.
function names(raw: string): string | undefined {
  const tokens = raw.split(/[\s\u3000、,，]+/u).filter((t) => t.length > 0);
  if (tokens.length === 0 || tokens.length > 6 || !tokens.every((t) => NAME.test(t))) return undefined;
  return tokens.join(' ');
}

function resolveDate(yearText: string | undefined, month: number, day: number, referenceDate?: string): string | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const md = `${pad(month)}-${pad(day)}`;
  if (yearText) return `${yearText}-${md}`;
  const ref = /^(\d{4})-(\d{2})-(\d{2})/.exec(referenceDate ?? '');
  if (!ref) return undefined;
  const year = Number(ref[1]);
  // String comparison works for zero-padded MM-DD.
  return md > `${ref[2]}-${ref[3]}` ? `${year - 1}-${md}` : `${year}-${md}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
