/**
 * The headline inside a page's `<title>`. Chinese sites name themselves after the headline with `_`, `|`, `-` or
 * `--` and no spaces (`央行宣布下调存款准备金率_新闻中心_新浪网`, `标题-新华网`, `标题--时政--人民网`,
 * `标题 | 人民网`), so a cleanup that counts words by spaces (Readability's) never finds a headline long enough to
 * cut. Rules after python-readability's `shorten_title` (pull request #193) and newspaper's title splitting (#87).
 */

// Separators between headline and site: `_`, `|`, full-width ｜ and 丨 anywhere; a dash with spaces around it;
// `-` and `--` without spaces (xinhuanet, people.com.cn). A bare `-`, `－` or `——` is only ever cut when what follows
// looks like a site name (COVID-19 and 奋进新征程——记某某 stay whole).
const SEPARATOR = /(\s+[-–—|]\s+|\s*[_|｜丨]\s*|-{2}|——|[-－])/u;
const WEAK_SEPARATOR = /^(?:-|－|——)$/u;
// The ends of site and channel names: 新浪网, 人民日报, 新华社, 央视网(cctv.com), 新闻中心, 滚动新闻, 澎湃新闻, 凤凰网资讯…
const SITE_SUFFIX = /(?:网|報|报|社|台|臺|新闻|新聞|频道|頻道|中心|资讯|資訊|在线|在線|客户端|客戶端|门户|官网|官網|站|号|號|报道|報導)(?:\s*[(（][^()（）]*[)）])?$/u;
// A web address as a name: Chinadaily.com.cn, cctv.com.
const DOMAIN = /^[\w-]+(?:\.[\w-]+)*\.(?:com|cn|net|org|gov|hk|tw)(?:\.[a-z]{2})?$/iu;
// A Latin-letter name after a Chinese headline (The Paper, Caixin Global).
const LATIN_NAME = /^[A-Za-z][A-Za-z .&'’]*$/u;
// A name ending in its Latin initials: 中央社 CNA, 联合早报 ZB.
const INITIALS = /\s[A-Z]{2,6}$/u;
// A channel name following the headline once a site name was cut: 时政, 财经, 国内新闻.
const MAX_CHANNEL = 6;
// A name after a separator, this short, next to a headline at least twice as long, is the site's (网易科技).
const MAX_SHORT_NAME = 8;
const MAX_SITE = 20;
const CJK = /\p{Script=Han}/u;

/**
 * The headline of a page titled `title`.
 * - `headlines` are what the page itself calls its headline (og:title, ArticleTitle, JSON-LD headline, the `h1`s):
 *   one the title starts or ends with, set off by a separator, is the answer.
 * - Else trailing parts that look like site or channel names (or equal one of `siteNames`) are cut, and a leading
 *   part equal to one of `siteNames`.
 * Returns the title unchanged when nothing looks like a site name.
 */
export function headlineFromTitle(title: string, headlines: readonly string[] = [], siteNames: readonly string[] = []): string {
  const text = squash(title);
  for (const raw of headlines) {
    const headline = squash(raw);
    if (headline.length === 0) continue;
    if (text === headline) return headline;
    if (text.startsWith(headline) && startsWithSeparator(text.slice(headline.length))) return headline;
    // A site name before the headline (央视网 | 标题) is shorter than it; an h1 holding the site's logo text
    // (新浪网 in 标题_新浪网) is not the headline.
    const before = text.slice(0, text.length - headline.length);
    if (text.endsWith(headline) && endsWithSeparator(before) && headline.length > before.length) return headline;
  }
  return stripSiteName(text, siteNames);
}

/** `title` without site and channel names around it (see {@link headlineFromTitle}); unchanged when none is found. */
export function stripSiteName(title: string, siteNames: readonly string[] = []): string {
  const parts = squash(title).split(SEPARATOR);
  // parts alternate: segment, separator, segment, …
  const known = new Set(siteNames.map(squash).filter((s) => s.length > 0));
  const isCJKTitle = CJK.test(parts[0] ?? '');
  const looksLikeSite = (segment: string) =>
    known.has(segment) ||
    (segment.length <= MAX_SITE && (SITE_SUFFIX.test(segment) || DOMAIN.test(segment) || INITIALS.test(segment) || (isCJKTitle && LATIN_NAME.test(segment))));
  let cut = false;
  while (parts.length >= 3) {
    const last = (parts[parts.length - 1] ?? '').trim();
    const first = (parts[0] ?? '').trim();
    // A bare dash cuts only a site name; the other separators also cut a short name after a much longer headline
    // (网易科技), and a channel name once a site name was cut (时政 in 标题--时政--人民网).
    const strong = !WEAK_SEPARATOR.test(parts[parts.length - 2] ?? '');
    const short = strong && last.length <= MAX_SHORT_NAME && first.length >= 2 * last.length;
    const channel = strong && cut && last.length <= MAX_CHANNEL && first.length >= last.length;
    if (!looksLikeSite(last) && !short && !channel) break;
    parts.splice(-2, 2);
    cut = true;
  }
  while (parts.length >= 3 && known.has((parts[0] ?? '').trim())) parts.splice(0, 2);
  const result = parts.join('').trim();
  return result.length > 0 ? result : squash(title);
}

function squash(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

function startsWithSeparator(rest: string): boolean {
  const match = SEPARATOR.exec(rest);
  return match !== null && match.index === 0;
}

function endsWithSeparator(rest: string): boolean {
  return /(?:\s+[-–—|]\s*|\s*[_|｜丨]\s*|-{1,2}|——|－)$/u.test(rest);
}
