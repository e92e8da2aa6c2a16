import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlainText } from '../../src/ingest/plain-text.js';

const sample = (name: string) => readFileSync(new URL(`../../data/samples/${name}`, import.meta.url), 'utf8');

describe('parsePlainText on a scraped web page (web-page-tesla.txt)', () => {
  const text = sample('web-page-tesla.txt');
  const articles = parsePlainText(text, {});
  const article = articles[0];

  it('reads the page as one article', () => {
    expect(articles).toHaveLength(1);
  });

  it('keeps every paragraph of the article, each line one paragraph, first to last', () => {
    expect(article?.paragraphs).toHaveLength(18);
    expect(article?.paragraphs[0]).toMatch(/^近日,特斯拉上海储能超级工厂在上海自贸区临港新片区正式投产/);
    expect(article?.paragraphs).toContain('纪录刷新背后是中国速度。');
    expect(article?.paragraphs.at(-1)).toMatch(/^当越来越多的集装箱从临港码头启航运往世界,/);
  });

  it('drops the tags marker and the related-article teasers after it', () => {
    const all = article?.paragraphs.join('\n') ?? '';
    expect(all).not.toContain('标签');
    expect(all).not.toContain('成都车站扩能改造工程');
    expect(all).not.toContain('上海又给特斯拉一个惊喜');
    expect(all).not.toContain('...');
  });

  it('finds the article its headline among the teasers that quote its opening', () => {
    expect(article?.title).toBe('“特斯拉速度”刷新,外企与中国市场双向奔赴');
  });

  it('still drops the teaser tail when the page has no tags marker', () => {
    const [unmarked] = parsePlainText(text.replace(/^标签:\s*$/mu, ''), {});
    expect(unmarked?.paragraphs).toEqual(article?.paragraphs);
    expect(unmarked?.title).toBe(article?.title);
  });

  it('leaves outlet and date to the hints, since the page names neither', () => {
    expect(article?.source).toBeUndefined();
    expect(article?.publishedAt).toBeUndefined();
    const [hinted] = parsePlainText(text, { source: '三里河', date: '2025-02-14', url: 'https://example.com/tesla' });
    expect(hinted).toMatchObject({ source: '三里河', publishedAt: '2025-02-14', url: 'https://example.com/tesla' });
  });
});

describe('parsePlainText on a newspaper page (newspaper-page-shanghai.txt)', () => {
  const articles = parsePlainText(sample('newspaper-page-shanghai.txt'), { date: '2025-02-12' });
  const [tesla, brain, gemini, council, procurators] = articles;
  const inOneParagraph = (i: number, text: string) => articles[i]?.paragraphs.some((p) => p.includes(text)) ?? false;

  it('finds the five articles of the page, in order, each under its own headline', () => {
    expect(articles.map((a) => a.title)).toEqual([
      '特斯拉上海储能超级工厂投产',
      '上海企业获中国植入式脑机接口最大一笔融资',
      '「双子星」航运联盟上海港首航',
      '更大力度促消费促外贸稳增长',
      '创新检察服务举措 持续提升办案质效',
    ]);
  });

  it('gives an article whose headline is printed below it (a photo headline) that headline', () => {
    expect(gemini?.paragraphs[0]).toMatch(/^本报讯\(记者 叶薇\)昨天,/);
    expect(gemini?.paragraphs).not.toContain('「双子星」航运联盟上海港首航');
    expect(council?.paragraphs).not.toContain('「双子星」航运联盟上海港首航');
  });

  it('joins paragraphs that a page break cut in the middle of a word', () => {
    expect(inOneParagraph(0, '斯耐德(Mike Snyder)表示,“我们致力于')).toBe(true);
    expect(inOneParagraph(0, '根据相关规划,该工厂')).toBe(true);
    expect(inOneParagraph(1, '技术路线,侵入式')).toBe(true);
    expect(inOneParagraph(1, '面瘫修复及脊髓损伤修复')).toBe(true);
    expect(inOneParagraph(3, '支持政策的倍增效效应')).toBe(true);
    expect(inOneParagraph(3, '《2025年上海市推进政府职能转变')).toBe(true);
    expect(inOneParagraph(4, '人民群众合法权益')).toBe(true);
  });

  it('leaves no paragraph ending in the middle of a sentence', () => {
    const unfinished = articles.flatMap((a) => a.paragraphs).filter((p) => /[表相路倍推群及]$/u.test(p));
    expect(unfinished).toEqual([]);
  });

  it('keeps sub-headlines as the first paragraph of their own article and drops the kicker', () => {
    expect(tesla?.paragraphs[0]).toMatch(/^仅用9个月,就完成从工厂开建/);
    expect(brain?.paragraphs[0]).toMatch(/^2027年前,申城计划引育5家/);
    expect(council?.paragraphs[0]).toMatch(/^龚正主持市政府常务会议/);
    expect(procurators?.paragraphs[0]).toBe('全市检察长会议召开,朱忠明出席');
    expect(articles.flatMap((a) => a.paragraphs)).not.toContain('3.5亿元');
  });

  it('keeps each article to its own text', () => {
    expect(tesla?.paragraphs.at(-1)).toMatch(/信心与力量。$/);
    expect(brain?.paragraphs.at(-1)).toMatch(/本报记者 郜阳$/);
    expect(gemini?.paragraphs.at(-1)).toMatch(/服务保障。$/);
    expect(council?.paragraphs.at(-1)).toBe('会议还研究了其他事项。');
    expect(procurators?.paragraphs.at(-1)).toBe('市检察院检察长陈勇主持会议并讲话。');
  });

  it('keeps the dateline in the text users read', () => {
    expect(tesla?.paragraphs[1]).toMatch(/^本报讯\(记者 杨硕\)今天上午,/);
  });

  it('reads outlet and reporter from datelines and bylines, and gives the page outlet to articles without one', () => {
    expect(articles.map((a) => a.source)).toEqual(['本报', '本报', '本报', '本报', '本报']);
    expect(articles.map((a) => a.reporter)).toEqual(['杨硕', '郜阳', '叶薇', undefined, undefined]);
  });

  it('dates the articles by the hint when their datelines give no date', () => {
    expect(articles.every((a) => a.publishedAt === '2025-02-12')).toBe(true);
  });

  it('does not give the page address to each of its articles, which would make them look like copies of one', () => {
    const hinted = parsePlainText(sample('newspaper-page-shanghai.txt'), { url: 'https://example.com/page-1' });
    expect(hinted.map((a) => a.url)).toEqual(Array(5).fill(undefined));
  });

  it('lets the source hint win over the outlet the text names', () => {
    const hinted = parsePlainText(sample('newspaper-page-shanghai.txt'), { source: '新民晚报' });
    expect(hinted.map((a) => a.source)).toEqual(Array(5).fill('新民晚报'));
  });
});

describe('parsePlainText on general plain text', () => {
  it('returns no article for empty or blank input', () => {
    expect(parsePlainText('', {})).toEqual([]);
    expect(parsePlainText(' \n\r\n\u3000\t\n', {})).toEqual([]);
  });

  it('takes a short first line as the title of a one-article file', () => {
    const [article, ...rest] = parsePlainText('春节假期铁路客流创新高\n\n今年春节假期,全国铁路发送旅客超过一亿人次。\n\n多地车站加开临客。\n', {});
    expect(rest).toEqual([]);
    expect(article?.title).toBe('春节假期铁路客流创新高');
    expect(article?.paragraphs).toEqual(['今年春节假期,全国铁路发送旅客超过一亿人次。', '多地车站加开临客。']);
  });

  it('reads Windows line endings and trims whitespace around paragraphs', () => {
    const [article] = parsePlainText('  标题在这里  \r\n\u3000\u3000第一段正文。\r\n第二段正文。  \r\n', {});
    expect(article?.title).toBe('标题在这里');
    expect(article?.paragraphs).toEqual(['第一段正文。', '第二段正文。']);
  });

  it('reads a dateline with place and date, resolving the year from the date hint', () => {
    const [article] = parsePlainText('中新网成都2月14日电 (记者 刘忠俊)成都车站扩能改造工程高架广场首块盖板完成浇筑。', { date: '2025-02-15' });
    expect(article).toMatchObject({ source: '中新网', reporter: '刘忠俊', publishedAt: '2025-02-14' });
  });

  it('gives a month-and-day dateline a year from today when no date hint is given, and none without either', () => {
    const text = '新华社北京3月5日电（记者 张三 李四）十四届全国人大三次会议在京开幕。';
    expect(parsePlainText(text, {}, { today: '2025-06-01' })[0]?.publishedAt).toBe('2025-03-05');
    expect(parsePlainText(text, {})[0]?.publishedAt).toBeUndefined();
  });

  it('keeps a paragraph repeated with different spacing or punctuation only once', () => {
    const [article] = parsePlainText('第一段:上海发布了新的营商环境方案。\n第二段正文内容,说明更多细节。\n第一段：上海发布了 新的营商环境方案.\n', {});
    expect(article?.paragraphs).toEqual(['第一段:上海发布了新的营商环境方案。', '第二段正文内容,说明更多细节。']);
  });

  it('lets the title hint name a one-article document', () => {
    const [article] = parsePlainText('正文第一段。\n正文第二段。', { title: '外部标题' });
    expect(article?.title).toBe('外部标题');
  });

  it('splits a synthetic two-article page with a page break in each', () => {
    const page = [
      '甲市新建大桥通车',
      '全长三公里,历时两年建成',
      '本报讯(记者 王五)今天上午,甲市新建大桥正式通车。大桥全长三公里,是连接东西两岸的重要通',
      '道,预计每天通行车辆将超过五万辆。',
      '乙县举办农民丰收节',
      '本报讯 乙县昨天举办农民丰收节,来自全县的农户带来了各自的特色农产品参加展销,现场人头攒动,热闹非',
      '凡。',
    ].join('\n\n');
    const articles = parsePlainText(page, {});
    expect(articles.map((a) => a.title)).toEqual(['甲市新建大桥通车', '乙县举办农民丰收节']);
    expect(articles[0]?.paragraphs).toEqual([
      '全长三公里,历时两年建成',
      '本报讯(记者 王五)今天上午,甲市新建大桥正式通车。大桥全长三公里,是连接东西两岸的重要通道,预计每天通行车辆将超过五万辆。',
    ]);
    expect(articles[1]?.paragraphs).toEqual(['本报讯 乙县昨天举办农民丰收节,来自全县的农户带来了各自的特色农产品参加展销,现场人头攒动,热闹非凡。']);
    expect(articles.map((a) => a.reporter)).toEqual(['王五', undefined]);
  });

  it('keeps section heads inside one article instead of splitting it', () => {
    const text = '一篇长文\n\n开头一段。\n\n一、背景\n\n第一部分的内容。\n\n二、影响\n\n第二部分的内容。';
    const articles = parsePlainText(text, {});
    expect(articles).toHaveLength(1);
    expect(articles[0]?.paragraphs).toEqual(['开头一段。', '一、背景', '第一部分的内容。', '二、影响', '第二部分的内容。']);
  });

  it('reads a page of thousands of paragraphs into one article without losing any', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `第${i}段:${'这是一段很长的正文,用于检验处理是否与输入成正比。'.repeat(10)}`);
    const articles = parsePlainText(lines.join('\n'), {});
    expect(articles).toHaveLength(1);
    expect(articles[0]?.paragraphs).toHaveLength(3000);
  });
});
