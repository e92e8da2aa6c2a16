import { describe, expect, it } from 'vitest';
import { readTimeWords } from '../../src/search/time-words.js';

// 01:00 on Thursday 20 February 2025 in Beijing, still the 19th in UTC.
const beijingEarlyMorning = new Date('2025-02-19T17:00:00Z');
const range = (q: string, zone?: string) => readTimeWords(q, beijingEarlyMorning, zone).times.map((t) => [t.kind, t.text, t.since, t.until]);

describe('readTimeWords', () => {
  it('reads 今天 and 昨天 as days in the configured zone, not the machine clock', () => {
    expect(range('今天上海的新闻')).toEqual([['relative', '今天', '2025-02-20', '2025-02-20']]);
    expect(range('昨天特斯拉发布了什么')).toEqual([['relative', '昨天', '2025-02-19', '2025-02-19']]);
    expect(range('今天的新闻', 'UTC')).toEqual([['relative', '今天', '2025-02-19', '2025-02-19']]);
  });

  it('reads 上周, 本月 and 今年 as whole weeks, months and years', () => {
    expect(range('上周的脑机接口融资')).toEqual([['relative', '上周', '2025-02-10', '2025-02-16']]);
    expect(range('本月特斯拉')).toEqual([['relative', '本月', '2025-02-01', '2025-02-28']]);
    expect(range('这个月的新闻')).toEqual([['relative', '这个月', '2025-02-01', '2025-02-28']]);
    expect(range('今年储能收入')).toEqual([['relative', '今年', '2025-01-01', '2025-12-31']]);
    expect(range('去年的新闻')).toEqual([['relative', '去年', '2024-01-01', '2024-12-31']]);
  });

  it('reads 2月14日, 2024年 and 2024年3月 as dates the news may be about', () => {
    expect(range('2月14日特斯拉工厂')).toEqual([['absolute', '2月14日', '2025-02-14', '2025-02-14']]);
    expect(range('特斯拉2024年储能业务收入是多少')).toEqual([['absolute', '2024年', '2024-01-01', '2024-12-31']]);
    expect(range('2024年3月的新闻')).toEqual([['absolute', '2024年3月', '2024-03-01', '2024-03-31']]);
  });

  it('takes relative time words out of the question and leaves dates and other words in', () => {
    expect(readTimeWords('昨天特斯拉发布了什么', beijingEarlyMorning).question.trim()).toBe('特斯拉发布了什么');
    expect(readTimeWords('特斯拉2024年储能收入', beijingEarlyMorning).question).toBe('特斯拉2024年储能收入');
  });

  it('finds no time in a question that names none', () => {
    expect(range('特斯拉上海储能超级工厂用了几个月建成?')).toEqual([]);
    expect(range('几个月内一周一次的会议')).toEqual([]);
  });
});
