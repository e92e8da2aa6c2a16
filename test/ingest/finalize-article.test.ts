import { describe, expect, it } from 'vitest';
import { finalizeArticle } from '../../src/ingest/ingest-files.js';

const now = new Date('2025-03-01T08:00:00Z');
const ctx = { now, zone: 'Asia/Shanghai' };
const finalized = (raw: Parameters<typeof finalizeArticle>[0], hints: Parameters<typeof finalizeArticle>[1] = {}, more: Partial<Parameters<typeof finalizeArticle>[2]> = {}) =>
  finalizeArticle(raw, hints, { ...ctx, ...more });

describe('finalizeArticle', () => {
  it('keeps the outlet the text names over --source, which is for files that do not say', () => {
    expect(finalized({ paragraphs: ['正文。'], source: '中新网' }, { source: '我的订阅' }).article.source).toBe('中新网');
    expect(finalized({ paragraphs: ['正文。'] }, { source: '我的订阅' }).article.source).toBe('我的订阅');
  });

  it('lets --source name the paper behind a self-reference such as 本报', () => {
    expect(finalized({ paragraphs: ['正文。'], source: '本报' }, { source: '新民晚报' }).article.source).toBe('新民晚报');
    expect(finalized({ paragraphs: ['正文。'], source: '本报' }).article.source).toBe('本报');
  });

  it('dates an article by its text, then the hint, then the time of ingest', () => {
    expect(finalized({ paragraphs: ['a'], publishedAt: '2025-02-14' }, { date: '2025-01-01' }).article.publishedDay).toBe('2025-02-14');
    expect(finalized({ paragraphs: ['a'] }, { date: '2025-01-01' }).article.publishedDay).toBe('2025-01-01');
    const undated = finalized({ paragraphs: ['a'] });
    expect(undated.article.publishedAt).toBe(now.toISOString());
    expect(undated.article.publishedDay).toBe('2025-03-01');
    expect(undated.dateProblem).toBeUndefined();
  });

  it('files a Beijing-morning time under its own day, not the UTC day before', () => {
    const { article } = finalized({ paragraphs: ['a'], publishedAt: 'Sat, 15 Feb 2025 07:00:00 +0800' });
    expect(article.publishedDay).toBe('2025-02-15');
    expect(article.publishedAt).toBe('2025-02-14T23:00:00.000Z');
  });

  it('reads a time without an offset in the zone the file states, else in NEWSDESK_TIMEZONE', () => {
    expect(finalized({ paragraphs: ['a'], publishedAt: '2025-02-13 10:30' }).article.publishedAt).toBe('2025-02-13T02:30:00.000Z');
    expect(finalized({ paragraphs: ['a'], publishedAt: '2025-02-13 10:30' }, { timezone: 'Europe/Berlin' }).article.publishedAt).toBe('2025-02-13T09:30:00.000Z');
    expect(finalized({ paragraphs: ['a'], publishedAt: '2025-02-13 10:30', timezone: 'America/New_York' }, { timezone: 'Europe/Berlin' }).article.publishedAt).toBe(
      '2025-02-13T15:30:00.000Z',
    );
    // A zone that does not exist is not trusted over the configured one.
    expect(finalized({ paragraphs: ['a'], publishedAt: '2025-02-13 10:30' }, { timezone: 'Mars/Olympus' }).article.publishedAt).toBe('2025-02-13T02:30:00.000Z');
  });

  it('dates by the time of ingest, and says why, when the stated date is unreadable, before 1990 or in the future', () => {
    for (const [publishedAt, why] of [
      ['上周五', 'could not be read'],
      ['1970-01-01T00:00:00Z', 'before 1990'],
      ['2031-06-01', 'in the future'],
    ] as const) {
      const { article, dateProblem } = finalized({ paragraphs: ['a'], publishedAt });
      expect(article.publishedAt).toBe(now.toISOString());
      expect(article.publishedDay).toBe('2025-03-01');
      expect(dateProblem).toContain(why);
      expect(dateProblem).toContain('dated by the time of ingest');
    }
  });

  it('does not give a page URL to every article of a multi-article page (they would dedupe into one)', () => {
    const hints = { url: 'https://paper.example.com/page1' };
    const a = finalized({ paragraphs: ['甲文。'] }, hints, { origin: 'page.txt', singleArticle: false }).article;
    const b = finalized({ paragraphs: ['乙文。'] }, hints, { origin: 'page.txt', singleArticle: false }).article;
    expect(a.url).toBeUndefined();
    expect(a.dedupeKey).not.toBe(b.dedupeKey);
    expect(finalized({ paragraphs: ['甲文。'] }, hints, { origin: 'one.txt', singleArticle: true }).article.url).toBe(hints.url);
  });
});
