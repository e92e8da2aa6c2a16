import { describe, expect, it } from 'vitest';
import { splitArticles } from '../../src/ingest/split-articles.js';

describe('splitArticles', () => {
  it('titles an article by the headline above it and keeps its sub-headline as the first paragraph', () => {
    expect(splitArticles(['甲市新建大桥通车', '全长三公里,历时两年建成', '本报讯 今天上午,大桥通车。'])).toEqual([
      { title: '甲市新建大桥通车', leading: ['全长三公里,历时两年建成'], body: ['本报讯 今天上午,大桥通车。'] },
    ]);
  });

  it('drops a short kicker above the headline', () => {
    const [draft] = splitArticles(['3.5亿元', '上海企业获中国植入式脑机接口最大一笔融资', '申城企业传来好消息。']);
    expect(draft?.title).toBe('上海企业获中国植入式脑机接口最大一笔融资');
    expect(draft?.leading).toEqual([]);
  });

  it('starts a new article at a dateline when the page prints no headline above it', () => {
    const drafts = splitArticles(['标题一', '甲文正文。', '本报讯(记者 叶薇)乙文正文。', '乙文第二段。']);
    expect(drafts.map((d) => d.body)).toEqual([['甲文正文。'], ['本报讯(记者 叶薇)乙文正文。', '乙文第二段。']]);
  });

  it('gives a headline printed after an untitled article to that article', () => {
    const drafts = splitArticles([
      '标题一',
      '甲文正文。本报记者 张三',
      '本报讯(记者 叶薇)乙文正文。',
      '乙文第二段。',
      '乙文的图片标题',
      '丙文的标题',
      '丙文的副标题,说明更多',
      '本报讯 丙文正文。',
    ]);
    expect(drafts.map((d) => d.title)).toEqual(['标题一', '乙文的图片标题', '丙文的标题']);
    expect(drafts[2]?.leading).toEqual(['丙文的副标题,说明更多']);
    expect(drafts[1]?.body).toEqual(['本报讯(记者 叶薇)乙文正文。', '乙文第二段。']);
  });

  it('does not give a following headline to an untitled article that did not open with a dateline', () => {
    const drafts = splitArticles(['没有电头的正文。', '乙文的标题', '乙文的副标题', '乙文正文。']);
    expect(drafts.map((d) => d.title)).toEqual([undefined, '乙文的标题']);
  });

  it('takes a headline at the end of the page as the title of the untitled article above it', () => {
    const drafts = splitArticles(['本报讯(记者 叶薇)正文。', '第二段。', '图片标题在文后']);
    expect(drafts).toEqual([{ title: '图片标题在文后', leading: [], body: ['本报讯(记者 叶薇)正文。', '第二段。'] }]);
  });

  it('keeps closing short lines of an ordinary article as its text', () => {
    const drafts = splitArticles(['正文第一段。', '正文第二段。', '（完）']);
    expect(drafts).toEqual([{ leading: [], body: ['正文第一段。', '正文第二段。', '（完）'] }]);
  });

  it('starts a new article at a single headline after a closing byline', () => {
    const drafts = splitArticles(['标题一', '甲文正文。', '本报记者 张三', '标题二', '乙文正文。']);
    expect(drafts.map((d) => d.title)).toEqual(['标题一', '标题二']);
    expect(drafts[0]?.body).toEqual(['甲文正文。', '本报记者 张三']);
  });

  it('keeps a single section head inside the article', () => {
    const drafts = splitArticles(['标题', '第一段。', '小标题', '第二段。']);
    expect(drafts).toHaveLength(1);
    expect(drafts[0]?.body).toEqual(['第一段。', '小标题', '第二段。']);
  });
});
