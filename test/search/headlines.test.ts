import { describe, expect, it } from 'vitest';
import { HeadlineIndex, type Headline } from '../../src/search/headlines.js';

function indexOf(rows: Headline[]) {
  const stored = [...rows];
  const index = new HeadlineIndex((afterId) => stored.filter((r) => r.articleId > afterId));
  return { index, add: (row: Headline) => stored.push(row) };
}

const row = (articleId: number, title: string, publishedAt: string, source = '本报'): Headline => ({ articleId, title, source, publishedAt });

describe('HeadlineIndex', () => {
  it('puts a headline holding the whole typed text first, then by words matched, newest first among equals', () => {
    const { index } = indexOf([
      row(1, '上海储能工厂投产', '2025-02-12'),
      row(2, '储能产业观察', '2025-02-14'),
      row(3, '上海港首航', '2025-02-13'),
      row(4, '上海储能工厂投产一周年', '2025-02-10'),
      row(5, '脑机接口融资', '2025-02-15'),
    ]);

    expect(index.search('上海储能', 25).map((h) => h.articleId)).toEqual([1, 4, 2, 3]);
  });

  it('matches traditional, full-width and upper-case typing', () => {
    const { index } = indexOf([row(1, '特斯拉Megapack储能工厂', '2025-02-12'), row(2, '上海港首航', '2025-02-13')]);

    expect(index.search('儲能工廠', 25).map((h) => h.articleId)).toEqual([1]);
    expect(index.search('ＭＥＧＡＰＡＣＫ', 25).map((h) => h.articleId)).toEqual([1]);
  });

  it('offers the newest headlines when nothing is typed, and never more than asked', () => {
    const rows = Array.from({ length: 40 }, (_, i) => row(i + 1, `新闻${i + 1}`, `2025-01-${String((i % 28) + 1).padStart(2, '0')}`));
    const { index } = indexOf(rows);

    const top = index.search('', 25);
    expect(top).toHaveLength(25);
    expect(top[0]).toMatchObject({ publishedAt: '2025-01-28', articleId: 28 });
    const dates = top.map((h) => h.publishedAt);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('follows articles stored after it was first read, and skips articles without a headline', () => {
    const { index, add } = indexOf([row(1, '上海港首航', '2025-02-13')]);
    expect(index.search('上海', 25)).toHaveLength(1);

    add(row(2, '上海储能工厂投产', '2025-02-14', '三里河'));
    add(row(3, '', '2025-02-15', '新华社'));
    expect(index.search('上海', 25).map((h) => h.articleId)).toEqual([2, 1]);
    expect(index.get(2)?.title).toBe('上海储能工厂投产');
    expect(index.get(3)).toBeUndefined();
    // Its outlet is known all the same.
    expect(index.searchOutlets('新華', 25)).toEqual(['新华社']);
  });

  it('keeps to one outlet when asked, still filling the list from word matches', () => {
    const rows = [
      ...Array.from({ length: 30 }, (_, i) => row(i + 1, `上海储能新闻${i}`, '2025-02-14', '三里河')),
      row(31, '储能电站并网', '2025-02-10', '本报'),
      row(32, '上海储能工厂投产', '2025-02-12', '本报'),
    ];
    const { index } = indexOf(rows);

    expect(index.search('上海储能', 25, '本报').map((h) => h.articleId)).toEqual([32, 31]);
  });

  it('suggests outlets holding the typed text in either script, those starting with it first', () => {
    const { index } = indexOf([row(1, 'a', '2025-02-13', '三里河'), row(2, 'b', '2025-02-13', '河北日报'), row(3, 'c', '2025-02-13', '本报')]);

    expect(index.searchOutlets('河', 25)).toEqual(['河北日报', '三里河']);
    expect(index.searchOutlets('本報', 25)).toEqual(['本报']);
    expect(index.searchOutlets('', 25)).toHaveLength(3);
  });
});
