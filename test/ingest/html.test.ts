import iconv from 'iconv-lite';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/ingest/decode.js';
import { declaredHtmlCharset, parseHtml } from '../../src/ingest/html.js';

const html = readFileSync('test/fixtures/html/article.html', 'utf8');

describe('parseHtml', () => {
  it('keeps the article paragraphs and drops navigation, scripts, sidebars and footers', () => {
    const [article] = parseHtml(html);
    const text = article!.paragraphs.join('\n');
    expect(text).toContain('仅仅9个月时间');
    expect(text).toContain('储能规模近40GWh');
    for (const chrome of ['首页', '广告代码', '热门推荐', '版权所有', 'color: red']) expect(text).not.toContain(chrome);
  });

  it('reads title, outlet, date and canonical link from the page metadata', () => {
    const [article] = parseHtml(html);
    expect(article).toMatchObject({
      title: '特斯拉上海储能超级工厂投产',
      source: '示例新闻网',
      publishedAt: '2025-02-11T10:30:00+08:00',
      url: 'https://news.example.com/2025/02/11/tesla.html',
    });
  });

  it('decodes a GBK page that declares its charset', () => {
    const gbk = iconv.encode(html.replace('charset="utf-8"', 'charset="gbk"'), 'gbk');
    expect(declaredHtmlCharset(gbk)).toBe('gbk');
    const [article] = parseHtml(decodeText(gbk, 'page.html', declaredHtmlCharset(gbk)).text);
    expect(article!.paragraphs.join('')).toContain('特斯拉上海储能超级工厂于2024年5月');
  });

  it('finds the text of a short page with no article markup', () => {
    const [article] = parseHtml('<html><body><nav>首页</nav><div>今天上海晴,最高气温12度。</div></body></html>');
    expect(article!.paragraphs.join('')).toContain('今天上海晴');
  });
});

describe('parseHtml on Chinese news and government pages', () => {
  const page = (name: string) => parseHtml(readFileSync(`test/fixtures/pages/${name}.html`, 'utf8'), { zone: 'Asia/Shanghai', now: new Date('2025-08-01T00:00:00Z') })[0]!;

  it('titles a page with its headline, not the site suffix of its <title> (case 14)', () => {
    expect(page('sina-style').title).toBe('央行宣布下调存款准备金率');
    expect(page('people-style').title).toBe('一月份居民消费价格同比上涨0.5%');
  });

  it('dates a government page from PubDate and credits ContentSource as its outlet (case 15)', () => {
    const article = page('gov-page');
    expect(article.title).toBe('国务院常务会议研究部署稳外资政策措施');
    expect(article.source).toBe('新华社');
    expect(article.publishedAt?.slice(0, 10)).toBe('2025-02-14');
    expect(new Date(article.publishedAt!).toISOString()).toBe('2025-02-14T10:30:00.000Z');
  });

  it('reads date and outlet from the visible info line and keeps that line out of the text', () => {
    const article = page('info-line-page');
    expect(article).toMatchObject({ title: '长江流域进入主汛期 多地启动防汛应急响应', source: '示例日报' });
    expect(article.publishedAt?.slice(0, 10)).toBe('2025-07-10');
    expect(new Date(article.publishedAt!).toISOString()).toBe('2025-07-10T01:30:00.000Z');
    expect(article.paragraphs.join('\n')).not.toMatch(/来源|09:30|编辑/);
    expect(article.paragraphs[0]).toMatch(/^记者从水利部获悉/);
  });

  it('reads a JSON-LD NewsArticle: a Beijing-morning time keeps its own day', () => {
    const article = page('json-ld-page');
    expect(article).toMatchObject({ title: '早盘：沪指高开 半导体板块走强', source: '示例财经', reporter: '王五' });
    expect(article.publishedAt?.slice(0, 10)).toBe('2025-07-10');
    expect(new Date(article.publishedAt!).toISOString()).toBe('2025-07-09T23:05:00.000Z');
  });

  it('reads a lower-case publishdate and a source meta that carries its own 来源： label', () => {
    expect(page('people-meta-page')).toMatchObject({ title: '暑期文旅消费持续升温', source: '人民网－人民日报', publishedAt: '2025-07-10' });
  });

  it('claims no outlet or date for a page that names none, so --source and the sidecar can', () => {
    const article = page('plain-page');
    expect(article.title).toBe('社区食堂开进老旧小区');
    expect(article.source).toBeUndefined();
    expect(article.publishedAt).toBeUndefined();
  });

  it('does not believe a page date in the future or before 1990', () => {
    const at = (date: string) =>
      parseHtml(`<html><head><meta name="PubDate" content="${date}"><title>t</title></head><body><p>${'正文内容。'.repeat(30)}</p></body></html>`, {
        now: new Date('2025-08-01T00:00:00Z'),
      })[0]!.publishedAt;
    expect(at('2030-01-01 10:00')).toBeUndefined();
    expect(at('1970-01-01 08:00')).toBeUndefined();
    expect(at('2025-07-31 10:00')).toBe('2025-07-31T10:00:00+08:00');
  });

  it('reads a Big5 page that declares its charset', () => {
    const big5Html =
      '<html><head><meta charset="big5"><title>高雄港貨櫃量創新高 - 中央社 CNA</title></head><body><article><p>' +
      '高雄港今年上半年貨櫃裝卸量創下歷史新高，港務公司表示，轉口貨櫃成長是主要原因，下半年將持續擴充碼頭設施。'.repeat(2) +
      '</p></article></body></html>';
    const bytes = iconv.encode(big5Html, 'big5');
    const [article] = parseHtml(decodeText(bytes, 'cna.html', declaredHtmlCharset(bytes)).text);
    expect(article!.title).toBe('高雄港貨櫃量創新高');
    expect(article!.paragraphs[0]).toMatch(/^高雄港今年上半年貨櫃裝卸量/);
  });
});

describe('parseHtml: the meta names and info lines Chinese sites use', () => {
  const body = `<article><p>${'水利部门加强堤防巡查和水库调度，确保安全度汛。'.repeat(4)}</p></article>`;
  const read = (head: string, extraBody = '') =>
    parseHtml(`<html><head><meta charset="utf-8"><title>长江防汛</title>${head}</head><body>${extraBody}${body}</body></html>`, {
      zone: 'Asia/Shanghai',
      now: new Date('2025-08-01T00:00:00Z'),
    })[0]!;

  it.each([
    ['<meta name="PubDate" content="2025-07-10 09:30">', '2025-07-10T09:30:00+08:00'],
    ['<meta name="publishdate" content="2025-07-10">', '2025-07-10'],
    ['<meta name="pubdate" content="2025-07-10T09:30:00+08:00">', '2025-07-10T09:30:00+08:00'],
    ['<meta name="publishtime" content="2025-07-10 09:30">', '2025-07-10T09:30:00+08:00'],
    ['<meta property="article:published_time" content="2025-07-09T23:30:00Z">', '2025-07-10T07:30:00+08:00'],
    ['<meta itemprop="datePublished" content="2025-07-10T09:30:00+08:00">', '2025-07-10T09:30:00+08:00'],
  ])('dates the page from %s', (meta, expected) => {
    expect(read(meta).publishedAt).toBe(expected);
  });

  it.each([
    ['<meta name="ContentSource" content="新华社"><meta name="SiteName" content="中国政府网">', '新华社'],
    ['<meta name="SiteName" content="中国政府网">', '中国政府网'],
    ['<meta property="og:site_name" content="示例新闻网">', '示例新闻网'],
    ['<meta name="source" content="来源：央视新闻客户端">', '央视新闻客户端'],
  ])('takes the outlet from %s', (meta, expected) => {
    expect(read(meta).source).toBe(expected);
  });

  it.each([
    ['<div class="info">2025-07-10 09:30　来源：示例日报</div>', '2025-07-10T09:30:00+08:00', '示例日报'],
    ['<p class="info">发布时间：2025年07月10日 09:30 来源：新华社</p>', '2025-07-10T09:30:00+08:00', '新华社'],
    ['<div class="meta"><span>2025-07-10 09:30:15</span> | <span>来源: <a href="#">央视新闻客户端</a></span></div>', '2025-07-10T09:30:15+08:00', '央视新闻客户端'],
    ['<div class="meta">来源：人民日报 2025年07月10日</div>', '2025-07-10', '人民日报'],
    ['<div class="meta">來源：中央社 2025/07/10 09:30</div>', '2025-07-10T09:30:00+08:00', '中央社'],
  ])('reads the visible info line %s', (line, date, source) => {
    const article = read('', line);
    expect(article.publishedAt).toBe(date);
    expect(article.source).toBe(source);
    expect(article.paragraphs.join('')).not.toMatch(/来源|來源/);
  });

  it('reads a JSON-LD article whose @type is a list, and passes over a broken JSON-LD block', () => {
    const article = read(
      '<script type="application/ld+json">{broken</script>' +
        '<script type="application/ld+json">[{"@type":["NewsArticle","Article"],"datePublished":"2025-07-10T09:30:00+08:00","publisher":"示例晚报"}]</script>',
    );
    expect(article).toMatchObject({ publishedAt: '2025-07-10T09:30:00+08:00', source: '示例晚报' });
  });

  it('prefers the meta date to an info line, and a credited source to the site name', () => {
    const article = read(
      '<meta name="PubDate" content="2025-07-10 09:30"><meta property="og:site_name" content="示例网">',
      '<div class="info">2025-07-11 10:00　来源：示例日报</div>',
    );
    expect(article).toMatchObject({ publishedAt: '2025-07-10T09:30:00+08:00', source: '示例日报' });
  });
});

describe('parseHtml: article text that looks like an info line', () => {
  it('keeps a flash that quotes its source and date as text', () => {
    const flash = '2025年7月10日，长江流域全面进入主汛期。（来源：新华社）';
    const [article] = parseHtml(`<html><body><article><p>${flash}</p></article></body></html>`);
    expect(article!.paragraphs).toEqual([flash]);
  });
});
