import { safeUrl } from '../../src/discord/escape.js';
import type { TestArticle } from './articles.js';
import { markupOf, type Markup } from './discord-markup.js';
import { HOSTILE_STRINGS, HOSTILE_URLS } from './untrusted-fixtures.js';

/** The word every hostile article carries, so one question finds them all. */
export const HOSTILE_KEYWORD = '恶意样本';

/**
 * One article per hostile string, written by someone hostile throughout: the string is its title, its outlet and
 * part of its text; the first articles also carry the hostile URLs.
 */
export function hostileArticles(): TestArticle[] {
  return HOSTILE_STRINGS.map(({ text }, i) => ({
    title: text,
    source: text,
    text: `${HOSTILE_KEYWORD}第${i + 1}号：${text}`,
    publishedAt: '2025-02-19',
    ...(HOSTILE_URLS[i] ? { url: HOSTILE_URLS[i]!.url } : {}),
  }));
}

/** The only link targets the bot may write for these articles: their URLs through `safeUrl`. */
export const BOT_LINK_TARGETS = new Set(HOSTILE_URLS.map((u) => safeUrl(u.url)).filter((u): u is string => u !== undefined));

/**
 * The markup in `markdown` that the bot did not write: anything but bold (the bot's rank numbers, matched words and
 * outlet names) holding plain text, and links to one of `BOT_LINK_TARGETS`. Empty when the message is the bot's own.
 */
export function foreignMarkup(markdown: string, allowed: ReadonlySet<string> = new Set(['strong', 'link'])): Markup[] {
  return markupOf(markdown).filter((m) => !allowed.has(m.type) || (m.type === 'link' && !BOT_LINK_TARGETS.has(m.target ?? '')));
}
