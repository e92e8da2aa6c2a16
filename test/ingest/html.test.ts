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
