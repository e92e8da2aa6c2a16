import { describe, expect, it } from 'vitest';
import { finalizeArticle } from '../../src/ingest/ingest-files.js';

const now = new Date('2025-03-01T08:00:00Z');

describe('finalizeArticle', () => {
  it('keeps the outlet the text names over --source, which is for files that do not say', () => {
    expect(finalizeArticle({ paragraphs: ['正文。'], source: '中新网' }, { source: '我的订阅' }, now).source).toBe('中新网');
    expect(finalizeArticle({ paragraphs: ['正文。'] }, { source: '我的订阅' }, now).source).toBe('我的订阅');
  });

  it('lets --source name the paper behind a self-reference such as 本报', () => {
    expect(finalizeArticle({ paragraphs: ['正文。'], source: '本报' }, { source: '新民晚报' }, now).source).toBe('新民晚报');
    expect(finalizeArticle({ paragraphs: ['正文。'], source: '本报' }, {}, now).source).toBe('本报');
  });

  it('dates an article by its text, then the hint, then the time of ingest', () => {
    expect(finalizeArticle({ paragraphs: ['a'], publishedAt: '2025-02-14' }, { date: '2025-01-01' }, now).publishedAt).toBe('2025-02-14');
    expect(finalizeArticle({ paragraphs: ['a'] }, { date: '2025-01-01' }, now).publishedAt).toBe('2025-01-01');
    expect(finalizeArticle({ paragraphs: ['a'] }, {}, now).publishedAt).toBe(now.toISOString());
  });

  it('does not give a page URL to every article of a multi-article page (they would dedupe into one)', () => {
    const hints = { url: 'https://paper.example.com/page1' };
    const a = finalizeArticle({ paragraphs: ['甲文。'] }, hints, now, 'page.txt', false);
    const b = finalizeArticle({ paragraphs: ['乙文。'] }, hints, now, 'page.txt', false);
    expect(a.url).toBeUndefined();
    expect(a.dedupeKey).not.toBe(b.dedupeKey);
    expect(finalizeArticle({ paragraphs: ['甲文。'] }, hints, now, 'one.txt', true).url).toBe(hints.url);
  });
});
