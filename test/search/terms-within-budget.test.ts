import { describe, expect, it } from 'vitest';
import { POSTINGS_BUDGET, termsWithinBudget } from '../../src/search/ask.js';

describe('termsWithinBudget', () => {
  it('keeps every term while their postings fit the budget', () => {
    expect(termsWithinBudget(['特斯拉', '储能', '上海'], () => 1_000)).toEqual(['特斯拉', '储能', '上海']);
  });

  it('leaves out the most common terms first when a huge index would make the question slow', () => {
    const df: Record<string, number> = { 上海: POSTINGS_BUDGET, 企业: POSTINGS_BUDGET / 2, 脑机接口: 40 };
    expect(termsWithinBudget(['上海', '企业', '脑机接口'], (t) => df[t]!)).toEqual(['企业', '脑机接口']);
  });

  it('always keeps the rarest term, so a question never becomes empty', () => {
    expect(termsWithinBudget(['上海', '中国'], (t) => (t === '上海' ? 900_000 : 800_000))).toEqual(['中国']);
  });
});
