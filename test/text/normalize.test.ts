import * as OpenCC from 'opencc-js';
import { describe, expect, it } from 'vitest';
import { TAIWAN_VARIANTS, normalize, normalizeWithOffsets } from '../../src/text/normalize.js';
import { RARE_VARIANTS } from '../../src/text/rare-variants.js';

// Hong Kong and Taiwan variant forms beside the standard traditional and the simplified character.
const VARIANT_PAIRS: Array<[variant: string, simplified: string]> = [
  ['衞', '卫'], ['衛', '卫'], ['綫', '线'], ['線', '线'], ['裏', '里'], ['裡', '里'], ['羣', '群'], ['群', '群'],
  ['啓', '启'], ['啟', '启'], ['峯', '峰'], ['僱', '雇'], ['纔', '才'], ['敍', '叙'], ['敘', '叙'], ['枱', '台'],
  ['衹', '只'], ['粧', '妆'], ['糭', '粽'], ['着', '着'], ['爲', '为'], ['為', '为'], ['僞', '伪'], ['偽', '伪'],
  ['衆', '众'], ['眾', '众'], ['麪', '面'], ['麵', '面'], ['痺', '痹'], ['睪', '睾'], ['簷', '檐'], ['鯰', '鲇'],
];

describe('normalize', () => {
  it('folds Hong Kong and Taiwan variant characters to the simplified one', () => {
    for (const [variant, simplified] of VARIANT_PAIRS) expect(`${variant} → ${normalize(variant)}`).toBe(`${variant} → ${simplified}`);
  });

  it('reads the Hong Kong spelling of a government body as the mainland one', () => {
    expect(normalize('衞生署衞生防護中心')).toBe('卫生署卫生防护中心');
    expect(normalize('食物環境衞生署')).toBe(normalize('食物环境卫生署'));
  });

  it('takes each Taiwan variant from opencc-js, as its tw → cn converter reads the character', () => {
    const fromTaiwan = OpenCC.Converter({ from: 'tw', to: 'cn' });
    for (const [from, to] of TAIWAN_VARIANTS) expect(fromTaiwan(from)).toBe(to);
  });

  it('reads a rare variant character as its common form, so a question in either finds the other (韮菜/韭菜, 覇权/霸权)', () => {
    expect(normalize('韮菜价格')).toBe(normalize('韭菜价格'));
    expect(normalize('海上覇权')).toBe('海上霸权');
    // Character for character: highlights still point at the characters as stored.
    const { text, offsets } = normalizeWithOffsets('覇权韮菜');
    expect(text).toBe('霸权韭菜');
    expect(offsets).toEqual([0, 1, 2, 3, 4]);
  });

  it('folds only into characters OpenCC leaves as they are and that are never folded themselves', () => {
    const toCn = OpenCC.Converter({ from: 'hk', to: 'cn' });
    const folded = new Set(RARE_VARIANTS.map(([from]) => from));
    for (const [from, to] of RARE_VARIANTS) {
      expect(`${from}→${to}: ${toCn(to)} ${folded.has(to)}`).toBe(`${from}→${to}: ${to} false`);
      expect(from).toHaveLength(1);
      expect(to).toHaveLength(1);
    }
  });

  it('keeps common characters that old dictionaries call variants of one another apart (他/她, 你/妳, 著/着)', () => {
    for (const text of ['他和她', '妳好', '著作', '榛子', '晁盖']) expect(normalize(text)).toBe(text);
  });

  it('leaves mainland text as it is written (著名, 显著, 什么 keep their characters)', () => {
    const text = '著名学者显著提高了什么,这么多土著居民';
    expect(normalize(text)).toBe(text);
  });

  it('keeps offsets aligned when a variant is folded', () => {
    const { text, offsets } = normalizeWithOffsets('香港衞生署');
    expect(text).toBe('香港卫生署');
    expect(offsets).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
