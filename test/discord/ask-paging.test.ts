import { describe, expect, it } from 'vitest';
import { decodeAskPage, encodeAskPage, hashQuestion } from '../../src/discord/ask-paging.js';

describe('ask paging state', () => {
  it('round-trips through a custom_id within 100 characters', () => {
    const page = { offset: 6, hide: true, questionHash: hashQuestion('特斯拉上海储能超级工厂用了多久建成?'), source: '三里河' };
    const id = encodeAskPage(page);
    expect(id.length).toBeLessThanOrEqual(100);
    expect(decodeAskPage(id)).toEqual(page);
  });

  it('keeps the period a More button pages within, and still reads buttons made before periods existed', () => {
    const questionHash = hashQuestion('上海');
    const page = { offset: 3, hide: false, questionHash, source: '本报', period: '30d' as const };
    const id = encodeAskPage(page);
    expect(id.length).toBeLessThanOrEqual(100);
    expect(decodeAskPage(id)).toEqual(page);
    expect(decodeAskPage(`ask|3|0|${questionHash}|`)).toEqual({ offset: 3, hide: false, questionHash });
    expect(decodeAskPage(`ask|3|0|${questionHash}||forever`)).toBeUndefined();
  });

  it('rejects forged or foreign ids', () => {
    for (const id of ['ask|x|0|abcdefghijkl|', 'ask|3|2|abcdefghijkl|', 'ask|3|0|short|', 'other|1', 'ask|99999|0|abcdefghijkl|', '']) {
      expect(decodeAskPage(id)).toBeUndefined();
    }
  });
});
