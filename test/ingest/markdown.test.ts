import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { markdownBlocks, parseMarkdown, readFrontMatter, stripInline } from '../../src/ingest/markdown.js';
import { parsePlainText } from '../../src/ingest/plain-text.js';

const sample = (name: string) => readFileSync(new URL(`../../data/samples/${name}`, import.meta.url), 'utf8');

describe('stripInline', () => {
  it.each([
    ['**特斯拉**上海储能超级工厂', '特斯拉上海储能超级工厂'],
    ['工厂*正式*投产,__首台__下线', '工厂正式投产,首台下线'],
    ['详见[官方公告](https://example.com/a)。', '详见官方公告。'],
    ['现场图片![投产仪式](img/a.png)如下', '现场图片如下'],
    ['运行 `npm run ingest` 即可', '运行 npm run ingest 即可'],
    ['~~旧消息~~新消息', '旧消息新消息'],
    ['价格为 2\\*3 元,snake_case_name 保留', '价格为 2*3 元,snake_case_name 保留'],
    ['<span>带标签</span>的文字<br>', '带标签的文字'],
  ])('turns %s into %s', (markdown, text) => {
    expect(stripInline(markdown)).toBe(text);
  });
});

describe('readFrontMatter', () => {
  it('reads title, date, source, url and author', () => {
    const lines = ['---', 'title: "储能工厂投产"', 'date: 2025-02-14T08:00:00+08:00', 'source: 三里河', 'url: https://example.com/a', 'author: 张三', '---', '正文。'];
    expect(readFrontMatter(lines)).toEqual({
      meta: { title: '储能工厂投产', date: '2025-02-14', source: '三里河', url: 'https://example.com/a', reporter: '张三' },
      bodyStart: 7,
    });
  });

  it('leaves a document without front matter alone', () => {
    expect(readFrontMatter(['# 标题', '---'])).toEqual({ meta: {}, bodyStart: 0 });
  });
});

describe('markdownBlocks', () => {
  it('keeps a fenced code block as one paragraph with its lines', () => {
    expect(markdownBlocks(['说明。', '', '```ts', 'const a = **1**;', '', 'const b = 2;', '```', '结束。'])).toEqual([
      { kind: 'paragraph', text: '说明。' },
      { kind: 'paragraph', text: 'const a = **1**;\n\nconst b = 2;' },
      { kind: 'paragraph', text: '结束。' },
    ]);
  });

  it('reads list items, quotes and table rows as paragraphs of text', () => {
    expect(markdownBlocks(['- 第一项。', '- [官网](http://a)', '> 引用的话。', '', '| 城市 | 人口 |', '| --- | --- |', '| 上海 | 2487万 |'])).toEqual([
      { kind: 'paragraph', text: '第一项。' },
      { kind: 'paragraph', text: '官网' },
      { kind: 'paragraph', text: '引用的话。' },
      { kind: 'paragraph', text: '城市 人口' },
      { kind: 'paragraph', text: '上海 2487万' },
    ]);
  });

  it('joins soft-wrapped lines of one paragraph and keeps one-sentence lines apart', () => {
    expect(markdownBlocks(['This paragraph was wrapped', 'at a fixed width.', '中文一行一段。', '第二行。'])).toEqual([
      { kind: 'paragraph', text: 'This paragraph was wrapped at a fixed width.' },
      { kind: 'paragraph', text: '中文一行一段。' },
      { kind: 'paragraph', text: '第二行。' },
    ]);
  });

  it('reads ATX and underlined headings', () => {
    expect(markdownBlocks(['# 一级 #', '二级标题', '---', '### 三级'])).toEqual([
      { kind: 'heading', level: 1, text: '一级' },
      { kind: 'heading', level: 2, text: '二级标题' },
      { kind: 'heading', level: 3, text: '三级' },
    ]);
  });
});

describe('parseMarkdown', () => {
  const digest = [
    '---',
    'title: 今日要闻',
    'date: 2025-02-14',
    'source: 示例日报',
    '---',
    '',
    '# 甲市新建大桥通车',
    '',
    '本报讯(记者 王五)今天上午,**甲市**新建大桥正式通车。![大桥](bridge.jpg)',
    '',
    '大桥全长三公里,是连接东西两岸的重要通道。',
    '',
    '# 乙县举办农民丰收节',
    '',
    '乙县昨天举办[农民丰收节](https://example.com/fest),农户带来了特色农产品。',
    '',
    '## 相关阅读',
    '',
    '- [丙市发布新政 丙市今天发布](https://example.com/1)',
    '- [丁区开展培训 为提升教学质量](https://example.com/2)',
  ].join('\n');

  it('starts an article at each top heading of a document that has several', () => {
    const articles = parseMarkdown(digest, {});
    expect(articles.map((a) => a.title)).toEqual(['甲市新建大桥通车', '乙县举办农民丰收节']);
    expect(articles[0]?.paragraphs).toEqual(['本报讯(记者 王五)今天上午,甲市新建大桥正式通车。', '大桥全长三公里,是连接东西两岸的重要通道。']);
  });

  it('drops a related-reading list at the end of an article', () => {
    const articles = parseMarkdown(digest, {});
    expect(articles[1]?.paragraphs).toEqual(['乙县昨天举办农民丰收节,农户带来了特色农产品。']);
  });

  it('reads front matter as metadata, with hints winning except for the date', () => {
    const articles = parseMarkdown(digest, { source: '命令行来源', date: '2025-03-01' });
    expect(articles.map((a) => a.source)).toEqual(['命令行来源', '命令行来源']);
    expect(articles.map((a) => a.publishedAt)).toEqual(['2025-02-14', '2025-02-14']);
    expect(articles[0]?.reporter).toBe('王五');
    const unhinted = parseMarkdown(digest, {});
    expect(unhinted.map((a) => a.source)).toEqual(['示例日报', '示例日报']);
  });

  it('reads a document with one heading as one article titled by it, its section heads kept as text', () => {
    const md = '# 储能工厂投产\n\n开头一段。\n\n## 背景\n\n背景一段。\n\n## 影响\n\n影响一段。\n';
    expect(parseMarkdown(md, {})).toEqual([{ title: '储能工厂投产', paragraphs: ['开头一段。', '背景', '背景一段。', '影响', '影响一段。'] }]);
  });

  it('splits at second-level headings under a bare page title', () => {
    const md = '# 今日新闻\n\n## 第一条\n\n第一条正文。\n\n## 第二条\n\n第二条正文。\n';
    const articles = parseMarkdown(md, {});
    expect(articles.map((a) => [a.title, a.paragraphs])).toEqual([
      ['第一条', ['第一条正文。']],
      ['第二条', ['第二条正文。']],
    ]);
  });

  it('uses the front matter title for a one-article document', () => {
    const md = '---\ntitle: 外部标题\n---\n正文第一段。\n正文第二段。\n';
    expect(parseMarkdown(md, {})[0]?.title).toBe('外部标题');
  });

  it('reads a document without Markdown syntax as plain text would', () => {
    const text = sample('newspaper-page-shanghai.txt');
    expect(parseMarkdown(text, { date: '2025-02-12' })).toEqual(parsePlainText(text, { date: '2025-02-12' }));
  });

  it('returns no article for an empty document or one with only front matter', () => {
    expect(parseMarkdown('', {})).toEqual([]);
    expect(parseMarkdown('---\ntitle: 空\n---\n\n', {})).toEqual([]);
  });
});
