import iconv from 'iconv-lite';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { pollDueFeeds, pollFeed, type FeedDeps } from '../../src/feeds/poll-feed.js';
import { Newsdesk } from '../../src/newsdesk.js';
import { recordingLogger, useTempDir } from '../helpers/temp-dir.js';
import { LONG_TEXT, html, rss, startFeedServer, xml, type Handler } from './feed-server.js';

const tempDir = useTempDir();
const servers: Array<{ close: () => Promise<void> }> = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function setup(routes: Record<string, Handler>, limits?: FeedDeps['limits']) {
  const server = await startFeedServer(routes);
  servers.push(server);
  let now = new Date('2025-02-15T08:00:00Z');
  const desk = Newsdesk.open({ dataDir: tempDir(), log: recordingLogger(), now: () => now });
  const deps: FeedDeps = { desk, fetch: globalThis.fetch, policy: { allowPrivate: true }, now: () => now, log: recordingLogger(), ...(limits ? { limits } : {}) };
  const add = (path: string, name?: string) => desk.store.feeds.add({ url: server.url(path), everyMinutes: 15, ...(name ? { name } : {}) }, now).feed;
  return { server, desk, deps, add, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

const answerTitle = (desk: Newsdesk, q: string) => {
  const o = desk.ask(q);
  return o.kind === 'hits' ? o.passages[0]!.title : o.kind;
};

describe('pollFeed', () => {
  it('turns RSS 2.0 items into articles that are answerable at once, without a restart', async () => {
    const t = await setup({
      '/rss.xml': xml(rss([{ title: '储能电站并网发电', guid: 'a1', link: 'http://example.com/a1', description: LONG_TEXT('储能电站'), pubDate: 'Sat, 15 Feb 2025 06:00:00 GMT' }])),
    });
    const result = await pollFeed(t.add('/rss.xml'), t.deps);
    expect(result).toMatchObject({ status: 'ok', items: 1, added: 1, skipped: [] });
    expect(answerTitle(t.desk, '储能电站并网')).toBe('储能电站并网发电');
    const [article] = t.desk.latest(1);
    expect(article).toMatchObject({ source: '测试新闻网', publishedAt: '2025-02-15T06:00:00.000Z', url: 'http://example.com/a1' });
  });

  it('reads Atom feeds', async () => {
    const atom = `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom 新闻</title>
      <entry><id>urn:x:1</id><title>脑机接口公司完成融资</title><link rel="alternate" href="http://example.com/bci"/><updated>2025-02-14T10:00:00Z</updated>
      <content type="html">${LONG_TEXT('脑机接口').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</content></entry></feed>`;
    const t = await setup({ '/atom.xml': xml(atom, { 'content-type': 'application/atom+xml' }) });
    expect(await pollFeed(t.add('/atom.xml'), t.deps)).toMatchObject({ status: 'ok', added: 1 });
    expect(answerTitle(t.desk, '脑机接口融资')).toBe('脑机接口公司完成融资');
  });

  it('fetches the article page when the feed has only a summary, decoding a GBK page', async () => {
    const page = `<html><head><meta charset="gbk"><title>港口</title></head><body><nav>首页 | 新闻</nav><article><h1>双子星航运联盟首航</h1>${LONG_TEXT('双子星航运联盟')}</article><footer>版权所有</footer></body></html>`;
    const t = await setup({
      '/rss.xml': (req, res, n) => xml(rss([{ title: '双子星航运联盟首航', guid: 'g1', link: `http://${req.headers.host}/page.html`, description: '马士基与赫伯罗特…' }]))(req, res, n),
      '/page.html': html(iconv.encode(page, 'gbk'), 'text/html'),
    });
    expect(await pollFeed(t.add('/rss.xml'), t.deps)).toMatchObject({ status: 'ok', added: 1 });
    expect(t.server.hits('/page.html')).toBe(1);
    const text = t.desk.store.articleParagraphs(t.desk.latest(1)[0]!.id).join('\n');
    expect(text).toContain('双子星航运联盟的推进将带动上下游产业协同发展');
    expect(text).not.toMatch(/首页|版权所有/);
  });

  it('skips items already seen, even when re-sent with a new date, and duplicates inside one feed', async () => {
    let body = rss([
      { title: '铁路12306售票', guid: 'x1', description: LONG_TEXT('铁路12306'), pubDate: 'Sat, 15 Feb 2025 06:00:00 GMT' },
      { title: '铁路12306售票', guid: 'x1', description: LONG_TEXT('铁路12306'), pubDate: 'Sat, 15 Feb 2025 06:00:00 GMT' },
    ]);
    const t = await setup({ '/rss.xml': (req, res, n) => xml(body)(req, res, n) });
    const feed = t.add('/rss.xml');
    expect(await pollFeed(feed, t.deps)).toMatchObject({ items: 2, added: 1 });
    body = rss([{ title: '铁路12306售票(更新)', guid: 'x1', description: LONG_TEXT('铁路12306'), pubDate: 'Sun, 16 Feb 2025 09:00:00 GMT' }]);
    expect(await pollFeed(t.desk.store.feeds.get(feed.id)!, t.deps)).toMatchObject({ items: 1, added: 0 });
    expect(t.desk.store.articleCount()).toBe(1);
  });

  it('sends conditional requests and counts a 304 as success', async () => {
    const t = await setup({
      '/rss.xml': (req, res) => {
        if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
        res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"' }).end(rss([{ title: '一条', guid: '1', description: LONG_TEXT('一条新闻') }]));
      },
    });
    const feed = t.add('/rss.xml');
    await pollFeed(feed, t.deps);
    expect(await pollFeed(t.desk.store.feeds.get(feed.id)!, t.deps)).toMatchObject({ status: 'not-modified' });
    expect(t.server.requests.at(-1)!.headers['if-none-match']).toBe('"v1"');
  });

  it('backs off after a 500 and recovers; a feed failing again and again is marked unhealthy with the reason', async () => {
    let fail = true;
    const t = await setup({
      '/flaky.xml': (req, res, n) => (fail ? void res.writeHead(500).end('oops') : xml(rss([{ title: '恢复后的新闻', guid: 'r1', description: LONG_TEXT('恢复') }]))(req, res, n)),
    });
    const feed = t.add('/flaky.xml');
    const first = await pollFeed(feed, t.deps);
    expect(first).toMatchObject({ status: 'failed', error: expect.stringMatching(/500/) });
    // exponential backoff: 2 × 15 min after one failure
    expect(Date.parse(first.nextPollAt) - Date.parse('2025-02-15T08:00:00Z')).toBe(30 * 60_000);
    await pollFeed(t.desk.store.feeds.get(feed.id)!, t.deps);
    await pollFeed(t.desk.store.feeds.get(feed.id)!, t.deps);
    expect(t.desk.store.feeds.get(feed.id)).toMatchObject({ failures: 3, lastError: expect.stringMatching(/500/) });
    fail = false;
    expect(await pollFeed(t.desk.store.feeds.get(feed.id)!, t.deps)).toMatchObject({ status: 'ok', added: 1 });
    expect(t.desk.store.feeds.get(feed.id)).toMatchObject({ failures: 0, lastError: null });
  });

  it('gives up on a feed that does not answer in time, without holding up the others', async () => {
    const t = await setup(
      {
        '/slow.xml': () => {
          /* never answers */
        },
        '/ok.xml': xml(rss([{ title: '准时的新闻', guid: 'ok1', description: LONG_TEXT('准时') }])),
      },
      { timeoutMs: 300 },
    );
    t.add('/slow.xml');
    t.add('/ok.xml');
    const results = await pollDueFeeds(t.deps);
    expect(results.map((r) => r.status)).toEqual(['failed', 'ok']);
    expect(results[0]!.error).toMatch(/did not answer within 0.3 s/);
  });

  it('reports a document no feed can be read from, an HTML page posing as a feed, a huge response and a redirect loop, keeping what is stored', async () => {
    const t = await setup(
      {
        '/good.xml': xml(rss([{ title: '已有的新闻', guid: 'k1', description: LONG_TEXT('已有') }])),
        '/broken.xml': xml('<?xml version="1.0"?><<<not a feed &&& >>>'),
        '/page.xml': html('<!doctype html><html><body><p>Welcome</p></body></html>'),
        '/huge.xml': (_req, res) => {
          res.writeHead(200, { 'content-type': 'application/rss+xml' });
          const chunk = Buffer.alloc(1024 * 1024, 'a');
          let sent = 0;
          const pump = () => {
            while (sent < 100 && res.write(chunk)) sent++;
            if (sent < 100) res.once('drain', pump);
            else res.end();
          };
          pump();
        },
        '/loop': (_req, res) => void res.writeHead(302, { location: '/loop' }).end(),
      },
      { maxBytes: 2 * 1024 * 1024 },
    );
    await pollFeed(t.add('/good.xml'), t.deps);
    const errors: Record<string, string | undefined> = {};
    for (const path of ['/broken.xml', '/page.xml', '/huge.xml', '/loop']) errors[path] = (await pollFeed(t.add(path), t.deps)).error;
    expect(errors['/broken.xml']).toMatch(/not an RSS or Atom feed that can be read|nothing could be recovered/);
    expect(errors['/page.xml']).toMatch(/web page, not an RSS or Atom feed/);
    expect(errors['/huge.xml']).toMatch(/limit/);
    expect(errors['/loop']).toMatch(/too many redirects/);
    expect(t.desk.store.articleCount()).toBe(1);
    expect(answerTitle(t.desk, '已有新闻')).toBe('已有的新闻');
  });

  it('keeps items with no title or no date, and skips one with nothing to recognise it by', async () => {
    const t = await setup({
      '/odd.xml': xml(rss([{ guid: 'n1', description: LONG_TEXT('没有标题的') }, { title: '没有日期', guid: 'n2', description: LONG_TEXT('没有日期的') }, { pubDate: 'Sat, 15 Feb 2025 06:00:00 GMT' }])),
    });
    const result = await pollFeed(t.add('/odd.xml'), t.deps);
    expect(result.added).toBe(2);
    expect(result.skipped).toEqual([{ item: '(item without title or link)', reason: expect.stringMatching(/recognise/) }]);
    expect(t.desk.latest(5).map((a) => a.publishedAt)).toContain('2025-02-15T08:00:00.000Z');
  });

  it('refuses private addresses unless the owner allowed them', async () => {
    const t = await setup({ '/rss.xml': xml(rss([{ title: '内网', guid: 'p1', description: LONG_TEXT('内网') }])) });
    const result = await pollFeed(t.add('/rss.xml'), { ...t.deps, policy: { allowPrivate: false } });
    expect(result).toMatchObject({ status: 'failed', error: expect.stringMatching(/private, loopback or link-local.*NEWSDESK_ALLOW_PRIVATE_URLS/) });
  });
});

describe('pollFeed with private addresses refused', () => {
  it('never fetches an item page at http://[::ffff:127.0.0.1]:PORT/ and keeps the item with its summary', async () => {
    const t = await setup({
      '/rss.xml': (req, res, n) =>
        xml(rss([{ title: '内网链接的新闻', guid: 'm1', link: `http://[::ffff:127.0.0.1]:${new URL(`http://${req.headers.host}`).port}/page.html`, description: '内网链接的新闻摘要只有一句。' }]))(req, res, n),
      '/page.html': html(`<html><body><article><h1>内部</h1>${LONG_TEXT('内部资料')}</article></body></html>`),
    });
    const port = new URL(t.server.url('/')).port;
    // feeds.example is public to the URL check, and its connection lands on the local server, as a public feed would answer.
    const toLocal = new Agent({ connect: { lookup: (_host, options, callback) => (options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)) } });
    const fetch = ((input: string | URL, init?: RequestInit) => undiciFetch(input, { ...(init as object), dispatcher: toLocal })) as unknown as typeof globalThis.fetch;
    const feed = t.desk.store.feeds.add({ url: `http://feeds.example:${port}/rss.xml`, everyMinutes: 15 }, new Date('2025-02-15T08:00:00Z')).feed;
    const result = await pollFeed(feed, { ...t.deps, fetch, policy: { allowPrivate: false, lookup: async () => ['93.184.216.34'] } });
    await toLocal.close();
    expect(result).toMatchObject({ status: 'ok', added: 1 });
    expect(t.server.hits('/rss.xml')).toBe(1);
    expect(t.server.hits('/page.html')).toBe(0);
    expect(answerTitle(t.desk, '内网链接的新闻摘要')).toBe('内网链接的新闻');
  });
});
