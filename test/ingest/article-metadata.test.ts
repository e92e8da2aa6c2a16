import { describe, expect, it } from 'vitest';
import { finishArticles } from '../../src/ingest/article-metadata.js';

describe('finishArticles', () => {
  const drafts = [
    { title: '甲文', leading: [], body: ['中新网成都2月14日电 (记者 刘忠俊)正文。'] },
    { title: '乙文', leading: ['乙文副题'], body: ['没有电头的正文。'] },
  ];

  it('reads outlet, date and reporter from the dateline, and gives the page outlet to an article without one', () => {
    const articles = finishArticles(drafts, { hints: { date: '2025-02-20' }, teasers: [] });
    expect(articles).toEqual([
      { title: '甲文', paragraphs: ['中新网成都2月14日电 (记者 刘忠俊)正文。'], source: '中新网', reporter: '刘忠俊', publishedAt: '2025-02-14' },
      { title: '乙文', paragraphs: ['乙文副题', '没有电头的正文。'], source: '中新网', publishedAt: '2025-02-20' },
    ]);
  });

  it('uses today only to give a year to a dateline, never as the article date', () => {
    const articles = finishArticles(drafts, { hints: {}, teasers: [], today: '2025-03-01' });
    expect(articles.map((a) => a.publishedAt)).toEqual(['2025-02-14', undefined]);
  });

  it('lets the source hint win and keeps the title hint for one-article pages', () => {
    const articles = finishArticles(drafts, { hints: { source: '外部来源', title: '外部标题' }, teasers: [] });
    expect(articles.map((a) => [a.source, a.title])).toEqual([
      ['外部来源', '甲文'],
      ['外部来源', '乙文'],
    ]);
    const [single] = finishArticles([drafts[1]!], { hints: { title: '外部标题' }, teasers: [] });
    expect(single?.title).toBe('外部标题');
  });

  it('takes the reporter and outlet from a closing byline', () => {
    const [article] = finishArticles([{ leading: [], body: ['正文第一段。', '正文最后一段。本报记者 郜阳'] }], { hints: {}, teasers: [] });
    expect(article).toMatchObject({ source: '本报', reporter: '郜阳' });
  });

  it('titles an untitled article from a teaser that quotes its opening', () => {
    const [article] = finishArticles([{ leading: [], body: ['近日,某市储能超级工厂在临港新片区正式投产。'] }], {
      hints: {},
      teasers: ['储能工厂投产 近日,某市储能超级工厂在临港新片区'],
    });
    expect(article?.title).toBe('储能工厂投产');
  });
});
