import { TERMINAL_DISPLAY } from '../../src/cli/terminal-text.js';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { renderAnswer, PLAIN_MARKS, answerJson } from '../../src/cli/render-answer.js';
import { describeFeed } from '../../src/feeds/describe-feed.js';
import { pollFeed, type FeedDeps } from '../../src/feeds/poll-feed.js';
import { Newsdesk } from '../../src/newsdesk.js';
import { recordingLogger, useTempDir } from '../helpers/temp-dir.js';
import { html, startFeedServer, xml, type Handler } from './feed-server.js';

// The feeds of the issue-10 cases (../shared/cases/01, 03, 04, 06, 08, 12), served from 127.0.0.1 and
// polled as `feeds poll` does; each test asserts what a reader of the answer sees.
const fixture = (name: string) => readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url), 'utf8');

const tempDir = useTempDir();
const servers: Array<{ close: () => Promise<void> }> = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function follow(routes: Record<string, Handler>, path: string, options: { name?: string; timezone?: string; now?: string; zone?: string } = {}) {
  const server = await startFeedServer(routes);
  servers.push(server);
  const now = new Date(options.now ?? '2026-11-30T06:00:00Z');
  const desk = await Newsdesk.open({ dataDir: tempDir(), log: recordingLogger(), now: () => now, ...(options.zone ? { zone: options.zone } : {}) });
  const deps: FeedDeps = { desk, fetch: globalThis.fetch, policy: { allowPrivate: true }, now: () => now, log: recordingLogger() };
  const feed = (await desk.store.feeds.add({ url: server.url(path), everyMinutes: 15, ...(options.name ? { name: options.name } : {}), ...(options.timezone ? { timezone: options.timezone } : {}) }, now)).feed;
  const result = await pollFeed(feed, deps);
  return { desk, result, server, listed: async () => describeFeed((await desk.store.feeds.get(feed.id))!, TERMINAL_DISPLAY) };
}

/** The day the command line shows under the first answer (`— title · outlet · 2025-02-15 · url`). */
const shownDay = async (desk: Newsdesk, question: string, filters: { since?: string; until?: string } = {}) => {
  const text = renderAnswer(await desk.ask(question, filters), PLAIN_MARKS);
  return /— .*?(\d{4}-\d{2}-\d{2})/u.exec(text)?.[1] ?? text;
};

describe('feeds from real publishers (issue 10)', () => {
  it('shows a Beijing-morning item under its own day and finds it with --since that day (case 01)', async () => {
    const { desk } = await follow({ '/feed.xml': xml(fixture('01-beijing-morning.xml')) }, '/feed.xml');
    expect(await shownDay(desk, '存款准备金率')).toBe('2025-02-15');
    expect(await shownDay(desk, '存款准备金率', { since: '2025-02-15' })).toBe('2025-02-15');
    expect((await desk.ask('存款准备金率', { until: '2025-02-14' })).kind).toBe('no-match');
    expect((await desk.latest(1))[0]).toMatchObject({ publishedDay: '2025-02-15', publishedAt: '2025-02-14T23:00:00.000Z' });
    expect(await desk.sources()).toEqual([expect.objectContaining({ source: '早间新闻', newest: '2025-02-15' })]);
  });

  it('shows the same day for a UTC-stamped copy of that item, as RSSHub writes it', async () => {
    const utc = fixture('01-beijing-morning.xml').replace('Sat, 15 Feb 2025 07:00:00 +0800', 'Fri, 14 Feb 2025 23:00:00 GMT');
    const { desk } = await follow({ '/feed.xml': xml(utc) }, '/feed.xml');
    expect(await shownDay(desk, '存款准备金率')).toBe('2025-02-15');
  });

  it('keeps a pubDate written the Chinese way instead of dating the item by the poll (case 03)', async () => {
    const { desk, result } = await follow({ '/feed.xml': xml(fixture('03-chinese-date.xml')) }, '/feed.xml');
    expect(await shownDay(desk, '春运 交通运输部')).toBe('2025-02-13');
    expect((await desk.latest(1))[0]?.publishedAt).toBe('2025-02-13T02:30:00.000Z');
    expect(result.warnings).toEqual([]);
  });

  it('reads a zone-less time in the zone the feed was added with', async () => {
    const { desk } = await follow({ '/feed.xml': xml(fixture('03-chinese-date.xml')) }, '/feed.xml', { timezone: 'Europe/Berlin' });
    expect((await desk.latest(1))[0]?.publishedAt).toBe('2025-02-13T09:30:00.000Z');
  });

  it('reports an item whose date is unreadable or absurd and dates it by the poll, never 1970', async () => {
    const feed = fixture('03-chinese-date.xml').replace('2025年02月13日 10:30', '1970-01-01T00:00:00Z');
    const { desk, result, listed } = await follow({ '/feed.xml': xml(feed) }, '/feed.xml');
    expect(await shownDay(desk, '春运 交通运输部')).toBe('2026-11-30');
    expect(result.warnings).toEqual([expect.stringMatching(/^"交通运输部介绍春运形势": the date "1970-01-01T00:00:00Z" is before 1990; dated by the time of ingest/u)]);
    expect((await listed())).toContain('before 1990');
  });

  it('resolves a relative link against the feed address, fetches the page and links the answer to it (case 04)', async () => {
    const { desk, server } = await follow(
      { '/feed.xml': xml(fixture('04-relative-link/feed.xml')), '/news/0214/rel.html': html(fixture('04-relative-link/news/0214/rel.html')) },
      '/feed.xml',
    );
    const answer = await desk.ask('老旧小区 加装电梯');
    expect(answer.kind).toBe('hits');
    if (answer.kind !== 'hits') return;
    expect(answer.passages[0]?.url).toBe(server.url('/news/0214/rel.html'));
    expect(answer.passages.some((p) => p.text.includes('加装电梯'))).toBe(true);
  });

  it('resolves links against a feed URL reached through a redirect', async () => {
    const { desk, server } = await follow(
      {
        '/old-feed': (_req, res) => void res.writeHead(301, { location: '/news/feed.xml' }).end(),
        '/news/feed.xml': xml(fixture('04-relative-link/feed.xml').replace('/news/0214/rel.html', '0214/rel.html')),
        '/news/0214/rel.html': html(fixture('04-relative-link/news/0214/rel.html')),
      },
      '/old-feed',
    );
    expect((await desk.latest(1))[0]?.url).toBe(server.url('/news/0214/rel.html'));
  });

  it('stores the paragraphs of Atom content of type xhtml (case 06)', async () => {
    const { desk, result } = await follow({ '/atom.xml': xml(fixture('06-atom-xhtml.xml')) }, '/atom.xml');
    expect(result).toMatchObject({ added: 1, skipped: [] });
    const answer = await desk.ask('居民消费价格 飞机票');
    expect(answer.kind === 'hits' && answer.passages.map((p) => p.source)).toEqual(['统计快报']);
    expect(await desk.store.articleParagraphs((await desk.latest(1))[0]!.id)).toHaveLength(2);
    expect(await shownDay(desk, '居民消费价格')).toBe('2025-02-14');
  });

  it('keeps two flash items with the same title and no guid or link as two articles (case 08)', async () => {
    const { desk, result } = await follow({ '/feed.xml': xml(fixture('08-same-title-no-guid.xml')) }, '/feed.xml');
    expect(result).toMatchObject({ items: 2, added: 2, skipped: [] });
    expect(answerJson(await desk.ask('外汇储备'))).toMatchObject({ kind: 'hits', passages: [expect.objectContaining({ source: '快讯频道', publishedAt: '2025-02-14' })] });
    expect(answerJson(await desk.ask('暴雪 预警'))).toMatchObject({ kind: 'hits', passages: [expect.objectContaining({ source: '快讯频道', publishedAt: '2025-02-14' })] });
  });

  it('takes nothing twice when the same flash items come again', async () => {
    const { desk, server } = await follow({ '/feed.xml': xml(fixture('08-same-title-no-guid.xml')) }, '/feed.xml');
    const again = await pollFeed((await desk.store.feeds.list())[0]!, { desk, fetch: globalThis.fetch, policy: { allowPrivate: true }, now: desk.now, log: recordingLogger() });
    expect(again).toMatchObject({ items: 2, added: 0, skipped: [] });
    expect(server.hits('/feed.xml')).toBe(2);
    expect(await desk.store.articleCount()).toBe(2);
  });

  it('reads a feed with raw ampersands in a link and a title, and says so in its health (case 12)', async () => {
    const { desk, result, listed } = await follow({ '/feed.xml': xml(fixture('12-raw-ampersand.xml')) }, '/feed.xml');
    expect(result).toMatchObject({ status: 'ok', items: 2, added: 2 });
    expect((await desk.ask('发电装机容量')).kind).toBe('hits');
    const cars = await desk.ask('新能源汽车 产销');
    expect(cars.kind === 'hits' && cars.passages[0]?.title).toBe('新能源车 & 以旧换新：一月产销两旺');
    expect((await desk.latest(5)).map((a) => a.url)).toContain('http://news.example.invalid/show.php?id=101&type=energy');
    expect((await listed())).toMatch(/· ok · .*\n {4}1 warning: not well-formed XML \(line 3: .*&.*\); read leniently/su);
  });

  it('skips and reports an item holding only entity references left from an entity-expansion attack', async () => {
    const lol =
      '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol9 "&lol2;&lol2;&lol2;">]>' +
      '<rss version="2.0"><channel><title>攻击源</title>' +
      '<item><title>&lol9;</title><description>&lol9;&lol9;</description></item>' +
      '<item><title>正常新闻</title><guid>ok-1</guid><description>&lt;p&gt;长江流域今年首次实施全面禁渔,渔民转产安置工作进展顺利。&lt;/p&gt;</description></item>' +
      '</channel></rss>';
    const { desk, result, listed } = await follow({ '/feed.xml': xml(lol) }, '/feed.xml');
    expect(result.added).toBe(1);
    expect(result.skipped).toEqual([{ item: '(item without title or link)', reason: expect.stringMatching(/no real text .*never expanded/u) }]);
    expect((await desk.ask('禁渔')).kind).toBe('hits');
    expect((await desk.ask('lol')).kind).toBe('no-match');
    expect((await listed())).toMatch(/skipped 1: "\(item without title or link\)": no real text/u);
  });

  it('never shows escaped markup as tags in a title or a passage, whatever the field type says', async () => {
    const text = '国家统计局今天发布数据显示,全国规模以上工业增加值同比增长百分之五点九,制造业增长较快,高技术产业保持两位数增长。'.repeat(2);
    const feed =
      '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>统计</title><id>urn:s</id>' +
      `<entry><id>urn:s:1</id><title type="html">&amp;lt;b&amp;gt;工业&amp;lt;/b&amp;gt;增加值&amp;amp;利润</title><summary type="text">&lt;p&gt;${text}&lt;/p&gt;&lt;p&gt;第二段&lt;br/&gt;换行&lt;/p&gt;</summary></entry>` +
      `<entry><id>urn:s:2</id><title>社会消费品零售总额</title><content type="html">&amp;lt;p&amp;gt;${text.replace('工业增加值', '社会消费品零售总额')}&amp;lt;/p&amp;gt;</content></entry>` +
      '</feed>';
    const { desk } = await follow({ '/atom.xml': xml(feed) }, '/atom.xml');
    for (const question of ['工业增加值', '社会消费品零售总额']) {
      const answer = await desk.ask(question, { top: 5 });
      expect(answer.kind).toBe('hits');
      if (answer.kind !== 'hits') continue;
      for (const p of answer.passages) {
        expect(p.title).not.toMatch(/[<>]|&\w+;/u);
        expect(p.text).not.toMatch(/<\/?(?:p|b|br)\b|&lt;|&gt;/u);
      }
    }
    expect((await desk.latest(5)).map((a) => a.title).sort()).toEqual(['工业增加值&利润', '社会消费品零售总额']);
  });

  it('reads an RSS 1.0 (RDF) feed with dc:date and relative links', async () => {
    const rdf =
      '<?xml version="1.0" encoding="utf-8"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">' +
      '<channel rdf:about="/rdf"><title>地方日报</title><link>/</link></channel>' +
      '<item rdf:about="/a/1.html"><title>地铁新线开通</title><link>/a/1.html</link><dc:date>2025-02-15T06:30:00+08:00</dc:date>' +
      '<description>本市地铁新线今天早上六点半开通试运营,沿线居民出行更加便利,首日客流超过十万人次,地铁运营方增加了早高峰的班次密度,并在主要换乘站安排志愿者引导乘客。各站点秩序井然,乘客普遍反映新线车厢宽敞舒适,换乘方便快捷。</description></item></rdf:RDF>';
    const { desk, server } = await follow({ '/rdf.xml': xml(rdf) }, '/rdf.xml');
    expect((await desk.latest(1))[0]).toMatchObject({ title: '地铁新线开通', url: server.url('/a/1.html'), publishedDay: '2025-02-15' });
  });
});
