import { describe, expect, it } from 'vitest';
import { pickLocale, supportedLocale } from '../../src/i18n/i18n.js';

describe('pickLocale', () => {
  it.each([
    ['zh-CN', 'zh-CN'],
    ['zh-TW', 'zh-TW'],
    ['en-US', 'en'],
    ['en-GB', 'en'],
    ['zh_CN.UTF-8', 'zh-CN'],
    ['zh_SG.UTF-8', 'zh-CN'],
    ['zh_TW.Big5', 'zh-TW'],
    ['zh_HK.UTF-8', 'zh-TW'],
    ['zh-Hant', 'zh-TW'],
    ['C.UTF-8', 'en'],
    ['fr', undefined],
    ['', undefined],
  ])('reads %s as %s', (tag, locale) => {
    expect(supportedLocale(tag)).toBe(locale);
  });

  it('takes the member’s language, then the server’s, then English', () => {
    expect(pickLocale('zh-TW', 'zh-CN')).toBe('zh-TW');
    expect(pickLocale('fr', 'zh-CN')).toBe('zh-CN');
    expect(pickLocale('ja', 'de')).toBe('en');
    expect(pickLocale(undefined, null)).toBe('en');
  });
});
