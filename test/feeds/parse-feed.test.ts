import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/feeds/parse-feed.js';

const FEED_URL = 'https://news.example.com/rss/china.xml';
const rss = (items: string, channel = '') => `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>示例</title>${channel}${items}</channel></rss>`;
const atom = (entries: string, attrs = '') => `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"${attrs}><title>示例</title><id>urn:x</id>${entries}</feed>`;

describe('parseFeed: links', () => {
  it('resolves relative RSS links against the feed address: root-relative, path-relative and protocol-relative', () => {
    const { items } = parseFeed(rss('<item><link>/a.html</link></item><item><link>b/c.html</link></item><item><link>//cdn.example.com/d.html</link></item>'), FEED_URL);
    expect(items.map((i) => i.link)).toEqual(['https://news.example.com/a.html', 'https://news.example.com/rss/b/c.html', 'https://cdn.example.com/d.html']);
  });

  it('resolves Atom links through xml:base on the feed, the entry and the link, in that order', () => {
    const { items } = parseFeed(
      atom(
        '<entry><id>1</id><title>一</title><link href="x.html"/></entry>' +
          '<entry xml:base="2025/"><id>2</id><title>二</title><link href="y.html"/></entry>' +
          '<entry xml:base="2025/"><id>3</id><title>三</title><link xml:base="/other/" href="z.html"/></entry>' +
          '<entry><id>4</id><title>四</title><link rel="enclosure" href="a.mp3"/><link rel="alternate" href="http://elsewhere.example.org/w"/></entry>',
        ' xml:base="/news/"',
      ),
      FEED_URL,
    );
    expect(items.map((i) => i.link)).toEqual([
      'https://news.example.com/news/x.html',
      'https://news.example.com/news/2025/y.html',
      'https://news.example.com/other/z.html',
      'http://elsewhere.example.org/w',
    ]);
  });

  it('takes a permalink guid as the link when there is none, and drops links that are not http(s)', () => {
    const { items } = parseFeed(
      rss('<item><guid>https://news.example.com/p/1</guid></item><item><guid isPermaLink="false">https://x/1</guid></item><item><link>javascript:alert(1)</link></item>'),
      FEED_URL,
    );
    expect(items.map((i) => i.link)).toEqual(['https://news.example.com/p/1', undefined, undefined]);
  });
});

describe('parseFeed: content and titles', () => {
  it('reads Atom xhtml content as the inner div, html as HTML and text as text', () => {
    const { items } = parseFeed(
      atom(
        '<entry><id>1</id><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>第一段</p><p>第二段</p></div></content></entry>' +
          '<entry><id>2</id><content type="html">&lt;p&gt;转义的&lt;b&gt;HTML&lt;/b&gt;&lt;/p&gt;</content></entry>' +
          '<entry><id>3</id><summary type="text">a &lt; b 且 c &gt; d</summary></entry>',
      ),
    );
    expect(items[0]?.content).toBe('<p>第一段</p><p>第二段</p>');
    expect(items[1]?.content).toBe('<p>转义的<b>HTML</b></p>');
    expect(items[2]?.content).toBe('a &lt; b 且 c &gt; d');
  });

  it('turns escaped markup and entities in titles into plain text', () => {
    const { items } = parseFeed(rss('<item><title>&lt;b&gt;重磅&lt;/b&gt;：央行&amp;nbsp;降准 &amp;quot;0.5&amp;quot;</title></item>'));
    expect(items[0]?.title).toBe('重磅：央行 降准 "0.5"');
    expect(parseFeed(atom('<entry><id>1</id><title type="html">&lt;em&gt;快讯&lt;/em&gt; 股市 &amp;amp; 债市</title></entry>')).items[0]?.title).toBe('快讯 股市 & 债市');
  });

  it('prefers content:encoded over the description and keeps the summary beside it', () => {
    const xml = `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>
      <item><description>摘要</description><content:encoded><![CDATA[<p>全文</p>]]></content:encoded></item></channel></rss>`;
    expect(parseFeed(xml).items[0]).toMatchObject({ content: '<p>全文</p>', summary: '摘要' });
  });

  it('keeps the date exactly as the feed writes it, for the date reader', () => {
    const { items } = parseFeed(rss('<item><title>a</title><pubDate>2025年02月13日 10:30</pubDate></item>'));
    expect(items[0]?.published).toBe('2025年02月13日 10:30');
    expect(parseFeed(atom('<entry><id>1</id><updated>2025-02-14T10:00:00+08:00</updated></entry>')).items[0]?.published).toBe('2025-02-14T10:00:00+08:00');
  });
});

describe('parseFeed: leniency', () => {
  it('reads raw ampersands, HTML entities XML does not define and control characters, naming each fault', () => {
    const parsed = parseFeed(rss('<item><title>D&D 与 AT&T&nbsp;合作\u0001</title><link>http://x.example.com/s.php?id=1&type=2</link><description>x\u000by</description></item>'), FEED_URL);
    expect(parsed.items[0]).toMatchObject({ title: 'D&D 与 AT&T 合作', link: 'http://x.example.com/s.php?id=1&type=2', content: 'xy' });
    expect(parsed.warnings).toEqual([expect.stringMatching(/^2 control characters XML does not allow removed$/u), expect.stringMatching(/not well-formed XML \(line 1: .*\); read leniently/u)]);
  });

  it('reads the items before a cut-off end', () => {
    const parsed = parseFeed(rss('<item><title>完整的</title><guid>1</guid></item>').replace('</channel></rss>', '<item><title>断'));
    expect(parsed.items[0]).toMatchObject({ title: '完整的', guid: '1' });
    expect(parsed.warnings).toHaveLength(1);
  });

  it('has no warnings for a well-formed feed', () => {
    expect(parseFeed(rss('<item><title>a</title></item>')).warnings).toEqual([]);
  });

  it('refuses what no feed can be read from: a web page, text, XML of another kind', () => {
    expect(() => parseFeed('<!doctype html><html><body>hi</body></html>')).toThrow(/web page/);
    expect(() => parseFeed('just some words')).toThrow(/not an RSS or Atom feed/);
    expect(() => parseFeed('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>')).toThrow(/not an RSS or Atom feed/);
  });
});
