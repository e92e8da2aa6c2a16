import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderIngestSummary } from '../../src/cli/ingest-report.js';
import { Newsdesk } from '../../src/newsdesk.js';
import { recordingLogger, useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const now = new Date('2026-11-30T06:00:00Z');

async function desk(zone?: string) {
  return await Newsdesk.open({ dataDir: join(tempDir(), 'data'), log: recordingLogger(), now: () => now, ...(zone ? { zone } : {}) });
}

const dayOf = async (d: Newsdesk, question: string) => {
  const o = await d.ask(question);
  return o.kind === 'hits' ? o.passages[0]!.publishedDay : o.kind;
};

describe('dates of ingested files', () => {
  it('reads the date forms publishers use in JSON records, epoch seconds and milliseconds included', async () => {
    const dir = tempDir();
    const records = [
      { text: '甲城今天开通了第一条地铁线路。', publishedAt: 1739574000 },
      { text: '乙城今天开通了第一座跨江大桥。', publishedAt: 1739574000000 },
      { text: '丙城今天开放了第一座城市公园。', publishedAt: '2025年02月13日 10:30' },
      { text: '丁城今天启用了第一座新机场航站楼。', publishedAt: '2025/2/13' },
      { text: '戊城今天举办了第一届国际马拉松。', publishedAt: 'Sat, 15 Feb 2025 07:00:00 +0800' },
    ];
    writeFileSync(join(dir, 'news.jsonl'), records.map((r) => JSON.stringify(r)).join('\n'));
    const d = await desk();
    const summary = await d.ingest([join(dir, 'news.jsonl')]);
    expect(summary).toMatchObject({ articles: 5, dateProblems: [] });
    expect([await dayOf(d, '地铁线路'), await dayOf(d, '跨江大桥'), await dayOf(d, '城市公园'), await dayOf(d, '航站楼'), await dayOf(d, '马拉松')]).toEqual([
      '2025-02-15',
      '2025-02-15',
      '2025-02-13',
      '2025-02-13',
      '2025-02-15',
    ]);
    await d.close();
  });

  it('keeps an article whose date cannot be used, dates it by the ingest and names it in the summary', async () => {
    const dir = tempDir();
    const records = [
      { title: '零点新闻', text: '这条新闻的日期是零,不能显示成1970年。', publishedAt: 0 },
      { title: '未来新闻', text: '这条新闻的日期在五年以后。', publishedAt: '2031-06-01' },
      { title: '看不懂的日期', text: '这条新闻的日期写成了文字。', publishedAt: '上周五' },
    ];
    writeFileSync(join(dir, 'bad.jsonl'), records.map((r) => JSON.stringify(r)).join('\n'));
    const d = await desk();
    const summary = await d.ingest([join(dir, 'bad.jsonl')]);
    expect(summary.articles).toBe(3);
    expect(await dayOf(d, '1970年')).toBe('2026-11-30');
    expect((await d.latest(5)).map((a) => a.publishedDay)).toEqual(['2026-11-30', '2026-11-30', '2026-11-30']);
    const report = renderIngestSummary(summary);
    expect(report).toContain('Dated by the time of ingest (3 articles whose date could not be used):');
    expect(report).toMatch(/bad\.jsonl: "零点新闻": the date "0" could not be read/u);
    expect(report).toMatch(/"未来新闻": the date "2031-06-01" is in the future/u);
    expect(report).toMatch(/"看不懂的日期": the date "上周五" could not be read/u);
    await d.close();
  });

  it('reads zone-less times in the zone a record, a sidecar or NEWSDESK_TIMEZONE gives', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'taipei.jsonl'), JSON.stringify({ text: '台北今天举行灯会开幕式。', publishedAt: '2025-02-13 23:30', timezone: 'Asia/Taipei' }));
    writeFileSync(join(dir, 'berlin.jsonl'), JSON.stringify({ text: '柏林今天举行电影节开幕式。', publishedAt: '2025-02-13 20:30' }));
    writeFileSync(join(dir, 'berlin.meta.json'), JSON.stringify({ timezone: 'Europe/Berlin' }));
    writeFileSync(join(dir, 'beijing.jsonl'), JSON.stringify({ text: '北京今天举行冰雪节开幕式。', publishedAt: '2025-02-13 23:30' }));
    const d = await desk();
    await d.ingest([dir]);
    const instant = async (q: string) => {
      const o = await d.ask(q);
      return o.kind === 'hits' ? o.passages[0]!.publishedAt : o.kind;
    };
    expect(await instant('灯会')).toBe('2025-02-13T15:30:00.000Z');
    expect(await instant('电影节')).toBe('2025-02-13T19:30:00.000Z');
    expect(await instant('冰雪节')).toBe('2025-02-13T15:30:00.000Z');
    await d.close();
    const ny = await desk('America/New_York');
    await ny.ingest([join(dir, 'beijing.jsonl')]);
    expect((await ny.latest(1))[0]).toMatchObject({ publishedAt: '2025-02-14T04:30:00.000Z', publishedDay: '2025-02-13' });
    await ny.close();
  });

  it('gives a dateline without a year the year of the local day, not of the UTC day', async () => {
    const dir = tempDir();
    // 2027-01-01 07:00 in Beijing is still 2026-12-31 in UTC: 中新网…1月1日电 is this new year's day.
    writeFileSync(join(dir, 'new-year.txt'), '中新网北京1月1日电 (记者 张三) 新年第一天,北京各大公园迎来大批游客。\n');
    const d = await Newsdesk.open({ dataDir: join(tempDir(), 'data'), log: recordingLogger(), now: () => new Date('2026-12-31T23:00:00Z') });
    await d.ingest([join(dir, 'new-year.txt')]);
    expect((await d.latest(1))[0]?.publishedDay).toBe('2027-01-01');
    await d.close();
  });

  it('filters --since/--until by the article’s local day', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'morning.jsonl'), JSON.stringify({ text: '早间央行宣布降低存款准备金率。', publishedAt: '2025-02-15T06:30:00+08:00' }));
    const d = await desk();
    await d.ingest([join(dir, 'morning.jsonl')]);
    expect((await d.ask('存款准备金率', { since: '2025-02-15', until: '2025-02-15' })).kind).toBe('hits');
    expect((await d.ask('存款准备金率', { until: '2025-02-14' })).kind).toBe('no-match');
    await d.close();
  });
});
