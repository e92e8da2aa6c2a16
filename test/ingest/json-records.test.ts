import { describe, expect, it } from 'vitest';
import { parseJsonDocument, parseJsonLines } from '../../src/ingest/json-records.js';

describe('parseJsonLines', () => {
  it('reads one article a line with its metadata and paragraphs', () => {
    const { articles, problems } = parseJsonLines(
      [
        JSON.stringify({ id: 1, title: '标题', text: '第一段。\n\n第二段。', source: '新华社', url: 'https://example.com/a', publishedAt: '2025-02-14' }),
        JSON.stringify({ text: '只有正文。' }),
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(articles[0]).toEqual({ title: '标题', paragraphs: ['第一段。', '第二段。'], source: '新华社', url: 'https://example.com/a', publishedAt: '2025-02-14' });
    expect(articles[1]).toEqual({ paragraphs: ['只有正文。'] });
  });

  it('reports a line that does not parse by its number and keeps the others', () => {
    const { articles, problems } = parseJsonLines(['{"text":"好的。"}', '{not json', '{"title":"no text"}', '{"text":"也好。"}'].join('\n'));
    expect(articles).toHaveLength(2);
    expect(problems).toEqual([
      { at: 2, reason: 'not valid JSON' },
      { at: 3, reason: expect.stringMatching(/text/) },
    ]);
  });

  it('keeps publishedAt and timezone as written, epoch numbers included, for the date reader to judge', () => {
    const { articles, problems } = parseJsonLines('{"text":"正文。","publishedAt":1739574000}\n{"text":"正文。","publishedAt":"yesterday-ish","timezone":"Asia/Taipei"}');
    expect(problems).toEqual([]);
    expect(articles.map((a) => [a.publishedAt, a.timezone])).toEqual([['1739574000', undefined], ['yesterday-ish', 'Asia/Taipei']]);
  });
});

describe('parseJsonDocument', () => {
  it('reads an array of articles or a single one', () => {
    expect(parseJsonDocument('[{"text":"一。"},{"text":"二。"}]').articles).toHaveLength(2);
    expect(parseJsonDocument('{"text":"一。"}').articles).toHaveLength(1);
  });

  it('reports a file that is not JSON', () => {
    expect(parseJsonDocument('{oops').problems[0]?.reason).toMatch(/not valid JSON/);
  });
});
