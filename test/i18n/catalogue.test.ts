import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as OpenCC from 'opencc-js';
import { describe, expect, it } from 'vitest';
import { LOCALES, readCatalogue, translator, type Catalogue, type Locale } from '../../src/i18n/i18n.js';

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** Every entry of a catalogue as dotted key → text. */
function entries(catalogue: Catalogue, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of entries(value as Catalogue, path)) out.set(k, v);
  }
  return out;
}

const catalogues = new Map(LOCALES.map((l) => [l, entries(readCatalogue(l))] as const));
/** Keys without plural suffixes: what the code asks for. */
const baseKeys = (l: Locale) => new Set([...catalogues.get(l)!.keys()].map((k) => k.replace(PLURAL_SUFFIX, '')));
const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

/** Every literal key passed to t(…) in the bot's and the command line's code. */
function keysUsedInCode(): Set<string> {
  const used = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        const text = readFileSync(path, 'utf8');
        for (const m of text.matchAll(/\bt\(\s*'([\w.-]+)'/g)) used.add(m[1]!);
        for (const m of text.matchAll(/\bnamed\([^,]+,\s*'([\w.-]+)'/g)) for (const part of ['name', 'description']) used.add(`${m[1]}.${part}`);
        for (const m of text.matchAll(/\bt\(\s*created \? '([\w.-]+)' : '([\w.-]+)'/g)) used.add(m[1]!).add(m[2]!);
      }
    }
  };
  walk('src');
  walk('commands');
  return used;
}

describe('the catalogues', () => {
  it('have the same keys in every language (a key in one and not another fails)', () => {
    const en = baseKeys('en');
    for (const locale of LOCALES) {
      const keys = baseKeys(locale);
      expect({ locale, missing: [...en].filter((k) => !keys.has(k)) }).toEqual({ locale, missing: [] });
      expect({ locale, extra: [...keys].filter((k) => !en.has(k)) }).toEqual({ locale, extra: [] });
    }
  });

  it('give every plural key the forms the language needs (English one and other, Chinese other)', () => {
    for (const locale of LOCALES) {
      const needed = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
      const keys = [...catalogues.get(locale)!.keys()];
      const plurals = new Set(keys.filter((k) => PLURAL_SUFFIX.test(k)).map((k) => k.replace(PLURAL_SUFFIX, '')));
      for (const base of plurals) for (const form of needed) expect(keys).toContain(`${base}_${form}`);
    }
  });

  it('fill in the same values in every language', () => {
    const en = catalogues.get('en')!;
    for (const locale of LOCALES) {
      for (const [key, text] of catalogues.get(locale)!) {
        const english = en.get(key) ?? en.get(key.replace(PLURAL_SUFFIX, '_other'))!;
        expect({ key, locale, placeholders: placeholders(text) }).toEqual({ key, locale, placeholders: placeholders(english) });
      }
    }
  });

  it('hold every key the code asks for', () => {
    const used = keysUsedInCode();
    expect(used.size).toBeGreaterThan(60);
    for (const locale of LOCALES) {
      const keys = baseKeys(locale);
      expect({ locale, missing: [...used].filter((k) => !keys.has(k)) }).toEqual({ locale, missing: [] });
    }
  });

  it('write zh-CN in simplified characters only and zh-TW in traditional only', () => {
    const toTraditional = OpenCC.Converter({ from: 'cn', to: 't' });
    const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });
    const mixed = (locale: Locale, convert: (s: string) => string) =>
      [...catalogues.get(locale)!].filter(([key, text]) => !key.startsWith('language.') && convert(text) !== text).map(([key, text]) => `${key}: ${text}`);
    expect(mixed('zh-CN', toSimplified)).toEqual([]);
    expect(mixed('zh-TW', toTraditional)).toEqual([]);
  });

  it('say things the Taiwan way in zh-TW, not as mainland wording converted character by character', () => {
    // Mainland term (in traditional characters, as a converter would leave it) → what Taiwan says.
    const mainland = ['服務器', '鏈接', '默認', '運行', '字符', '導入', '文件', '信息', '設置', '命令', '添加', '刪除', '列表', '關注'];
    const text = [...catalogues.get('zh-TW')!.values()].join('\n');
    expect(mainland.filter((w) => text.includes(w))).toEqual([]);
    for (const w of ['伺服器', '連結', '預設', '執行', '字元', '匯入', '檔案', '訊息', '設定', '指令', '新增', '移除', '清單', '追蹤']) expect(text).toContain(w);
  });
});

describe('translator', () => {
  it('counts in each language’s own way', () => {
    expect(translator('en')('common.articles', { count: 1 })).toBe('1 article');
    expect(translator('en')('common.articles', { count: 5 })).toBe('5 articles');
    expect(translator('zh-CN')('common.stories', { count: 1 })).toBe('1 条新闻');
    expect(translator('zh-TW')('common.stories', { count: 5 })).toBe('5 則新聞');
  });

  it('puts values in as they are, leaving escaping to the Discord layer', () => {
    expect(translator('en')('feeds.notFound', { ref: '<b>&"' })).toBe('No feed "<b>&"". /feeds list shows them.');
  });
});
