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
// Keywords in both scripts: Taiwan and Hong Kong papers print 電, 訊, 記者, 本報 where the mainland prints 电, 讯, 记者, 本报.
const DISPATCH = '(?:专|專)?(?:电|電|讯|訊)';
const BAO = '(?:报|報)';
const REPORTER = '(?:记者|記者)';
const ROLE_PREFIX = `(?:本${BAO}|本刊)?(?:特约|特約|实习|實習)?`;
// 本报讯 / 本報訊 / 本刊讯 (the paper's own news, no place or date), optionally cited (据本报讯).
const OWN_NEWS = new RegExp(`^[据據]?(本${BAO}|本刊)(?:讯|訊)`, 'u');
// 【明報專訊】, 【環球網報道 記者 王五】, 【环球时报综合报道】: a paper's own dispatch in square brackets, no date.
const BRACKETED_OWN = new RegExp(
  `^【([${CJK}]{2,12}?)(?:综合|綜合)?(?:专讯|專訊|讯|訊|报道|報道|報導|消息)(?:[\\s\\u3000]*${REPORTER}[\\s\\u3000]*([${CJK}·、\\s\\u3000]{2,24}?))?[\\s\\u3000]*】`,
  'u',
);
// [（]<outlet><place>[YYYY年][M月]D日[专]电 — the wire form; the outlet and place are told apart below. Taiwan's
// Central News Agency writes it in brackets with the reporter inside and the day alone: （中央社記者王小明台北6日電）.
const WIRE = new RegExp(
  `^([(（]?)[据據]?([${CJK}、]{2,24}?)(?:(\\d{4})年)?(?:(\\d{1,2})月)?(\\d{1,2})日${DISPATCH}(?=$|[\\s(（【\\[｜|/:：)）]|[${CJK}])`,
  'u',
);
// Outlet names end in one of these (新华社, 中新网, 本报, 中国日报网, 经济日报, 中央社, 聯合報, 自由時報): the outlet is the
// shortest such name at the start of the lead (longer suffixes tried first at each length), the rest is the place.
const OUTLET = new RegExp(`^([${CJK}]+?(?:通讯社|通訊社|新闻社|新聞社|日报网|日報網|日${BAO}|晚${BAO}|时报|時報|网|網|社|${BAO}|台|臺))(.*)$`, 'u');
// Inside a bracketed dateline, the reporters before the place: 記者王小明台北, 记者张三、李四北京.
const LEAD_REPORTER = new RegExp(`^${REPORTER}((?:[${CJK}·]{2,4}、)*)([${CJK}·]+)$`, 'u');
// Places CNA and others print after a reporter's name, so that name and place can be told apart; an unknown place
// leaves a name of three characters (the common length), or two when only four characters are left.
const KNOWN_PLACES = [
  '台北', '臺北', '新北', '桃園', '台中', '臺中', '台南', '臺南', '高雄', '基隆', '新竹', '嘉義', '苗栗', '彰化', '南投', '雲林',
  '屏東', '宜蘭', '花蓮', '台東', '臺東', '澎湖', '金門', '馬祖', '香港', '澳門', '北京', '上海', '廣州', '深圳', '東京', '首爾',
  '華盛頓', '紐約', '倫敦', '巴黎', '柏林', '新加坡',
];
// The reporter credit right after a dateline, or opening a paragraph on its own: (记者 张三 李四).
const CREDIT = /^\s*[(（]([^()（）\n]{1,40})[)）]/u;
// Roles that are not the reporter's name inside a credit.
const CREDIT_ROLES = /(?:本报|本報|本刊)?(?:特约|特約|实习|實習)?(?:记者|記者|通讯员|通訊員|实习生|實習生|摄影|攝影|摄|攝|编辑|編輯|报道|報導|報道)/gu;
const NAME = new RegExp(`^[${CJK}·]{2,5}$`, 'u');
// A byline closing the text: …。本报记者 郜阳 / （记者 王五） — looked for in the last characters only.
const TRAILING_BYLINE = new RegExp(
  `(?:^|[。！？!?”」\\s])(本${BAO}|本刊)?(?:特约|特約|实习|實習)?${REPORTER}[\\s\\u3000]*([${CJK}·]{2,5}(?:[\\s\\u3000、]+[${CJK}·]{2,5}){0,3})\\s*$`,
  'u',
);
const WHOLE_BYLINE = new RegExp(`^[(（]?${ROLE_PREFIX}${REPORTER}[\\s\\u3000]*[${CJK}·]{2,5}(?:[\\s\\u3000、]+[${CJK}·]{2,5}){0,3}\\s*[)）]?$`, 'u');
const TRAILING_CREDIT = new RegExp(
  `[(（](本${BAO}|本刊)?(?:特约|特約|实习|實習)?${REPORTER}[\\s\\u3000]*([${CJK}·]{2,5}(?:[\\s\\u3000、]+[${CJK}·]{2,5}){0,3})\\s*[)）]\\s*$`,
  'u',
);
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
  const bracketed = BRACKETED_OWN.exec(text);
  const bracketOutlet = bracketed ? OUTLET.exec(bracketed[1] ?? '') : null;
  // Only a name that ends like an outlet's (明報, 環球網): 【最新消息】 and 【综合报道】 name none.
  if (bracketed && bracketOutlet && bracketOutlet[2] === '') {
    const result: Dateline = { source: bracketOutlet[1] ?? '' };
    const reporter = bracketed[2] ? names((bracketed[2] ?? '').replace(CREDIT_ROLES, ' ')) : undefined;
    if (reporter) result.reporter = reporter;
    return result;
  }
  const wire = WIRE.exec(text);
  if (wire) {
    const bracketed = (wire[1] ?? '') !== '';
    const lead = wire[2] ?? '';
    const outlet = OUTLET.exec(lead);
    // Without an outlet suffix the lead is only trusted when the dateline is set off by a space or bracket.
    const after = text.charAt(wire[0].length);
    if (!outlet && after !== '' && !/[\s(（【[｜|/:：)）]/u.test(after)) return undefined;
    // A day without its month is only a dateline in the bracketed form (（中央社台北6日電）) or after a named outlet.
    if (wire[4] === undefined && !bracketed && !outlet) return undefined;
    const result: Dateline = {};
    result.source = outlet?.[1] ?? lead;
    let place = outlet?.[2];
    let leadReporter: string | undefined;
    const inLead = place ? LEAD_REPORTER.exec(place) : null;
    if (inLead) {
      const split = splitNameAndPlace(inLead[2] ?? '');
      leadReporter = [...(inLead[1] ?? '').split('、').filter((n) => n.length > 0), split.name].join(' ');
      place = split.place;
    }
    if (place) result.place = place;
    const date = resolveDate(wire[3], wire[4] === undefined ? undefined : Number(wire[4]), Number(wire[5]), referenceDate);
    if (date) result.date = date;
    const reporter = leadReporter ?? creditReporter(text.slice(wire[0].length).replace(/^[)）]/u, ''));
    if (reporter) result.reporter = reporter;
    return result;
  }
  // A credit alone opening the paragraph names the reporter, but only when it says so (记者…).
  const credit = CREDIT.exec(text);
  if (credit && /记者|記者|通讯员|通訊員/u.test(credit[1] ?? '')) {
    const reporter = creditReporter(text);
    if (reporter) return { reporter };
  }
  return undefined;
}

// 王小明台北 → 王小明 + 台北: a known place at the end, else a name of three characters (two when four are left).
function splitNameAndPlace(text: string): { name: string; place?: string } {
  for (const place of KNOWN_PLACES) {
    const name = text.slice(0, text.length - place.length);
    if (text.endsWith(place) && name.length >= 2 && name.length <= 4) return { name, place };
  }
  if (text.length <= 3) return { name: text };
  const nameLength = text.length === 4 ? 2 : 3;
  return { name: text.slice(0, nameLength), place: text.slice(nameLength) };
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

// The year, and for a day alone (6日電) the month, come from the reference date, stepping back a month or a year when
// the date would otherwise fall after it.
function resolveDate(yearText: string | undefined, month: number | undefined, day: number, referenceDate?: string): string | undefined {
  if ((month !== undefined && (month < 1 || month > 12)) || day < 1 || day > 31) return undefined;
  const ref = /^(\d{4})-(\d{2})-(\d{2})/.exec(referenceDate ?? '');
  if (month === undefined) {
    if (!ref) return undefined;
    let year = Number(ref[1]);
    let m = Number(ref[2]);
    if (day > Number(ref[3])) {
      m -= 1;
      if (m === 0) {
        m = 12;
        year -= 1;
      }
    }
    // 31日 in a month of 30 days is no date.
    return new Date(Date.UTC(year, m - 1, day)).getUTCDate() === day ? `${year}-${pad(m)}-${pad(day)}` : undefined;
  }
  const md = `${pad(month)}-${pad(day)}`;
  if (yearText) return `${yearText}-${md}`;
  if (!ref) return undefined;
  const year = Number(ref[1]);
  // String comparison works for zero-padded MM-DD.
  return md > `${ref[2]}-${ref[3]}` ? `${year - 1}-${md}` : `${year}-${md}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
