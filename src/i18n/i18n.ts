import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';
import i18next, { type Resource } from 'i18next';

/**
 * The languages the bot writes in. One catalogue per language beside this file (`en.json`, `zh-CN.json`,
 * `zh-TW.json`); article text is never translated, only the bot's own words.
 */
export const LOCALES = ['en', 'zh-CN', 'zh-TW'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

export type Catalogue = Record<string, unknown>;

/** The catalogue of one language as stored (nested keys, i18next plural suffixes such as `_one`/`_other`). */
export function readCatalogue(locale: Locale): Catalogue {
  // From the package root: the same file whether this runs from src/ (tsx) or bundled into dist/ (npm run build).
  return JSON.parse(readFileSync(join(PACKAGE_ROOT, 'src', 'i18n', `${locale}.json`), 'utf8')) as Catalogue;
}

const resources: Resource = Object.fromEntries(LOCALES.map((l) => [l, { translation: readCatalogue(l) as Resource[string]['translation'] }]));

// One instance for the process, initialised synchronously (the catalogues are already in memory).
const instance = i18next.createInstance();
void instance.init({
  resources,
  lng: DEFAULT_LOCALE,
  fallbackLng: DEFAULT_LOCALE,
  supportedLngs: [...LOCALES],
  initAsync: false,
  // Discord is not HTML: the bot escapes markdown and mentions itself (src/discord/escape.ts), where it must.
  interpolation: { escapeValue: false },
  returnNull: false,
  // i18next otherwise prints an advertisement on standard output, into the command line's answers.
  showSupportNotice: false,
});

/**
 * Words in one language: `t('ask.noMore')`, `t('common.articles', { count: 3 })` (i18next's plural rules from
 * `Intl.PluralRules`, so Chinese has one form and English two). An unknown key comes back as the key itself; the
 * catalogue test keeps every key the code uses in every language.
 */
export type Translate = (key: string, values?: Record<string, unknown>) => string;

const translators = new Map<Locale, Translate>();

export function translator(locale: Locale = DEFAULT_LOCALE): Translate {
  let t = translators.get(locale);
  if (!t) {
    const fixed = instance.getFixedT(locale);
    t = (key, values) => String(values ? fixed(key, values) : fixed(key));
    translators.set(locale, t);
  }
  return t;
}

/**
 * The language a locale tag names, or undefined for one the bot does not write in. Accepts Discord's tags
 * (`zh-CN`, `zh-TW`, `en-US`, `en-GB`) and POSIX ones (`zh_CN.UTF-8`, `zh_TW.Big5`, `en_US.UTF-8`, `C`).
 * Traditional Chinese is written for Taiwan, Hong Kong and Macau tags and `zh-Hant`; simplified for the rest of `zh`.
 */
export function supportedLocale(tag: string | null | undefined): Locale | undefined {
  if (!tag) return undefined;
  const t = tag.split(/[.@]/)[0]!.replace(/_/g, '-').toLowerCase();
  if (t === 'c' || t === 'posix' || t === 'en' || t.startsWith('en-')) return 'en';
  if (t === 'zh' || t.startsWith('zh-')) {
    return /^zh-(tw|hk|mo|hant)\b/.test(t) ? 'zh-TW' : 'zh-CN';
  }
  return undefined;
}

/**
 * The first of the candidates (most specific first) the bot writes in, else English. Discord: the member's
 * `locale`, then the guild's `preferred_locale`. Command line: NEWSDESK_LOCALE, then LC_ALL, LC_MESSAGES, LANG.
 */
export function pickLocale(...candidates: ReadonlyArray<string | null | undefined>): Locale {
  for (const c of candidates) {
    const locale = supportedLocale(c);
    if (locale) return locale;
  }
  return DEFAULT_LOCALE;
}

/** Quoted words as a list in the language's own marks: "a", "b" · “a”、“b” · 「a」、「b」. */
export function quotedList(t: Translate, words: readonly string[]): string {
  return words.map((w) => t('common.quote', { text: w })).join(t('common.listSeparator'));
}

/** A plain list in the language's own separator: a, b · a、b. */
export function plainList(t: Translate, items: readonly string[]): string {
  return items.join(t('common.listSeparator'));
}
