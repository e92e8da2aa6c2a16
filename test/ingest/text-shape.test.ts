import { describe, expect, it } from 'vitest';
import { endsSentence, hasUnclosedBracket, isEnumerated, looksLikeHeading } from '../../src/ingest/text-shape.js';

describe('text shape', () => {
  it.each(['会议还研究了其他事项。', '助力特斯拉开拓更多市场。”', '他问:是这样吗?', '会议强调：', 'It opened today.'])('%s ends a sentence', (text) => {
    expect(endsSentence(text)).toBe(true);
  });

  it.each(['再次刷新“特斯拉速度”“上海速度”', '根据相', '为提升教学质量,推动特色办学,20...', '3.5亿元'])('%s does not end a sentence', (text) => {
    expect(endsSentence(text)).toBe(false);
  });

  it('tells headlines from body text', () => {
    expect(looksLikeHeading('创新检察服务举措 持续提升办案质效')).toBe(true);
    expect(looksLikeHeading('全市检察长会议召开,朱忠明出席')).toBe(true);
    expect(looksLikeHeading('纪录刷新背后是中国速度。')).toBe(false);
    expect(looksLikeHeading('此前披露的信息显示,工厂已开工。根据相')).toBe(false);
    expect(looksLikeHeading('来自全县的农户带来了特色农产品,')).toBe(false);
  });

  it('sees an open quote or book-title mark', () => {
    expect(hasUnclosedBracket('会议原则同意《2025年上海市推')).toBe(true);
    expect(hasUnclosedBracket('再次刷新“特斯拉速度”')).toBe(false);
  });

  it('recognises enumerated section heads', () => {
    expect(isEnumerated('一、背景')).toBe(true);
    expect(isEnumerated('（二）影响')).toBe(true);
    expect(isEnumerated('3. 结论')).toBe(true);
    expect(isEnumerated('3.5亿元')).toBe(false);
  });
});
