import Database from 'better-sqlite3';
import iconv from 'iconv-lite';
import { Agent, fetch as undiciFetch } from 'undici';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_PAGE_ATTEMPTS, pollDueFeeds, pollFeed, type FeedDeps } from '../../src/feeds/poll-feed.js';
import { Newsdesk } from '../../src/newsdesk.js';
import { DATABASE_FILE } from '../../src/store/store.js';
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
  const desk = await Newsdesk.open({ dataDir: tempDir(), log: recordingLogger(), now: () => now });
  const deps: FeedDeps = { desk, fetch: globalThis.fetch, policy: { allowPrivate: true }, now: () => now, log: recordingLogger(), ...(limits ? { limits } : {}) };
  const add = async (path: string, name?: string) => (await desk.store.feeds.add({ url: server.url(path), everyMinutes: 15, ...(name ? { name } : {}) }, now)).feed;
  return { server, desk, deps, add, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

const answerTitle = async (desk: Newsdesk, q: string) => {
  const o = await desk.ask(q);
  return o.kind === 'hits' ? o.passages[0]!.title : o.kind;
};

describe('pollFeed', () => {
  it('turns RSS 2.0 items into articles that are answerable at once, without a restart', async () => {
    const t = await setup({
      '/rss.xml': xml(rss([{ title: '储能电站并网发电', guid: 'a1', link: 'http://example.com/a1', description: LONG_TEXT('储能电站'), pubDate: 'Sat, 15 Feb 2025 06:00:00 GMT' }])),
    });
    const result = await pollFeed(await t.add('/rss.xml'), t.deps);
    expect(result).toMatchObject({ status: 'ok', items: 1, added: 1, skipped: [] });
    expect(await answerTitle(t.desk, '储能电站并网')).toBe('储能电站并网发电');
    const [article] = await t.desk.latest(1);
    expect(article).toMatchObject({ source: '测试新闻网', publishedAt: '2025-02-15T06:00:00.000Z', url: 'http://example.com/a1' });
  });

  it('reads Atom feeds', async () => {
    const atom = `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom 新闻</title>
      <entry><id>urn:x:1</id><title>脑机接口公司完成融资</title><link rel="alternate" href="http://example.com/bci"/><updated>2025-02-14T10:00:00Z</updated>
      <content type="html">${LONG_TEXT('脑机接口').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</content></entry></feed>`;
    const t = await setup({ '/atom.xml': xml(atom, { 'content-type': 'application/atom+xml' }) });
    expect(await pollFeed(await t.add('/atom.xml'), t.deps)).toMatchObject({ status: 'ok', added: 1 });
    expect(await answerTitle(t.desk, '脑机接口融资')).toBe('脑机接口公司完成融资');
  });

  it('fetches the article page when the feed has only a summary, decoding a GBK page', async () => {
    const page = `<html><head><meta charset="gbk"><title>港口</title></head><body><nav>首页 | 新闻</nav><article><h1>双子星航运联盟首航</h1>${LONG_TEXT('双子星航运联盟')}</article><footer>版权所有</footer></body></html>`;
    const t = await setup({
      '/rss.xml': (req, res, n) => xml(rss([{ title: '双子星航运联盟首航', guid: 'g1', link: `http://${req.headers.host}/page.html`, description: '马士基与赫伯罗特…' }]))(req, res, n),
      '/page.html': html(iconv.encode(page, 'gbk'), 'text/html'),
    });
    expect(await pollFeed(await t.add('/rss.xml'), t.deps)).toMatchObject({ status: 'ok', added: 1 });
    expect(t.server.hits('/page.html')).toBe(1);
    const text = (await t.desk.store.articleParagraphs((await t.desk.latest(1))[0]!.id)).join('\n');
    expect(text).toContain('双子星航运联盟的推进将带动上下游产业协同发展');
    expect(text).not.toMatch(/首页|版权所有/);
  });

  it('skips items already seen, even when re-sent with a new date, and duplicates inside one feed', async () => {
    let body = rss([
      { title: '铁路12306售票', guid: 'x1', description: LONG_TEXT('铁路12306'), pubDate: 'Sat, 15 Feb 2025 06:00:00 GMT' },
      { title: '铁路12306售票', guid: 'x1', description: LONG_TEXT('铁路12306'), pubDate: 'Sat, 15 Feb 2025 06:00:00 GMT' },
    ]);
    const t = await setup({ '/rss.xml': (req, res, n) => xml(body)(req, res, n) });
    const feed = await t.add('/rss.xml');
    expect(await pollFeed(feed, t.deps)).toMatchObject({ items: 2, added: 1 });
    body = rss([{ title: '铁路12306售票(更新)', guid: 'x1', description: LONG_TEXT('铁路12306'), pubDate: 'Sun, 16 Feb 2025 09:00:00 GMT' }]);
    expect(await pollFeed((await t.desk.store.feeds.get(feed.id))!, t.deps)).toMatchObject({ items: 1, added: 0 });
    expect(await t.desk.store.articleCount()).toBe(1);
  });

  it('sends conditional requests and counts a 304 as success', async () => {
    const t = await setup({
      '/rss.xml': (req, res) => {
        if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
        res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"' }).end(rss([{ title: '一条', guid: '1', description: LONG_TEXT('一条新闻') }]));
      },
    });
    const feed = await t.add('/rss.xml');
    await pollFeed(feed, t.deps);
    expect(await pollFeed((await t.desk.store.feeds.get(feed.id))!, t.deps)).toMatchObject({ status: 'not-modified' });
    expect(t.server.requests.at(-1)!.headers['if-none-match']).toBe('"v1"');
  });

  it('backs off after a 500 and recovers; a feed failing again and again is marked unhealthy with the reason', async () => {
    let fail = true;
    const t = await setup({
      '/flaky.xml': (req, res, n) => (fail ? void res.writeHead(500).end('oops') : xml(rss([{ title: '恢复后的新闻', guid: 'r1', description: LONG_TEXT('恢复') }]))(req, res, n)),
    });
    const feed = await t.add('/flaky.xml');
    const first = await pollFeed(feed, t.deps);
    expect(first).toMatchObject({ status: 'failed', error: expect.stringMatching(/500/) });
    // exponential backoff: 2 × 15 min after one failure
    expect(Date.parse(first.nextPollAt) - Date.parse('2025-02-15T08:00:00Z')).toBe(30 * 60_000);
    await pollFeed((await t.desk.store.feeds.get(feed.id))!, t.deps);
    await pollFeed((await t.desk.store.feeds.get(feed.id))!, t.deps);
    expect(await t.desk.store.feeds.get(feed.id)).toMatchObject({ failures: 3, lastError: expect.stringMatching(/500/) });
    fail = false;
    expect(await pollFeed((await t.desk.store.feeds.get(feed.id))!, t.deps)).toMatchObject({ status: 'ok', added: 1 });
    expect(await t.desk.store.feeds.get(feed.id)).toMatchObject({ failures: 0, lastError: null });
  });

  it('gives up on a feed that does not answer in time, without holding up the others', async () => {
    const t = await setup(
      {
        '/slow.xml': () => {
          /* never answers */
        },
        '/ok.xml': xml(rss([{ title: '准时的新闻', guid: 'ok1', description: LONG_TEXT('准时') }])),
      },
      // Long enough for the feed that does answer, however busy the machine.
      { timeoutMs: 5_000 },
    );
    await t.add('/slow.xml');
    await t.add('/ok.xml');
    const results = await pollDueFeeds(t.deps);
    expect(results.map((r) => r.status)).toEqual(['failed', 'ok']);
    expect(results[0]!.error).toMatch(/^127\.0\.0\.1:\d+ did not answer within 5 s$/);
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
    await pollFeed(await t.add('/good.xml'), t.deps);
    const errors: Record<string, string | undefined> = {};
    for (const path of ['/broken.xml', '/page.xml', '/huge.xml', '/loop']) errors[path] = (await pollFeed(await t.add(path), t.deps)).error;
    expect(errors['/broken.xml']).toMatch(/not an RSS or Atom feed that can be read|nothing could be recovered/);
    expect(errors['/page.xml']).toMatch(/web page, not an RSS or Atom feed/);
    expect(errors['/huge.xml']).toMatch(/limit/);
    expect(errors['/loop']).toMatch(/too many redirects/);
    expect(await t.desk.store.articleCount()).toBe(1);
    expect(await answerTitle(t.desk, '已有新闻')).toBe('已有的新闻');
  });

  it('stores at the next poll an item the database was too busy to take, even from a feed that would answer 304', async () => {
    const t = await setup({
      '/rss.xml': (req, res) => {
        if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
        res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"' }).end(rss([{ title: '忙时到达的新闻', guid: 'busy1', description: LONG_TEXT('忙时到达') }]));
      },
    });
    const feed = await t.add('/rss.xml');
    // Another process holds the write lock (an ingest) for longer than the bot waits, just as the item is stored.
    const other = new Database(join(t.desk.dataDir, DATABASE_FILE));
    const store = t.desk.storeArticles.bind(t.desk);
    t.desk.storeArticles = (articles) => {
      other.exec('BEGIN IMMEDIATE');
      try {
        return store(articles);
      } finally {
        other.exec('COMMIT');
      }
    };
    const busy = await pollFeed(feed, t.deps);
    t.desk.storeArticles = store;
    await other.close();
    expect(busy.skipped).toEqual([{ item: '忙时到达的新闻', reason: expect.stringMatching(/database is busy/) }]);

    t.advance(15 * 60_000);
    expect(await pollFeed((await t.desk.store.feeds.get(feed.id))!, t.deps)).toMatchObject({ status: 'ok', added: 1 });
    expect(await answerTitle(t.desk, '忙时到达')).toBe('忙时到达的新闻');
  });

  it('keeps items with no title or no date, and skips one with nothing to recognise it by', async () => {
    const t = await setup({
      '/odd.xml': xml(rss([{ guid: 'n1', description: LONG_TEXT('没有标题的') }, { title: '没有日期', guid: 'n2', description: LONG_TEXT('没有日期的') }, { pubDate: 'Sat, 15 Feb 2025 06:00:00 GMT' }])),
    });
    const result = await pollFeed(await t.add('/odd.xml'), t.deps);
    expect(result.added).toBe(2);
    expect(result.skipped).toEqual([{ item: '(item without title or link)', reason: expect.stringMatching(/recognise/) }]);
    expect((await t.desk.latest(5)).map((a) => a.publishedAt)).toContain('2025-02-15T08:00:00.000Z');
  });

  it('refuses private addresses unless the owner allowed them', async () => {
    const t = await setup({ '/rss.xml': xml(rss([{ title: '内网', guid: 'p1', description: LONG_TEXT('内网') }])) });
    const result = await pollFeed(await t.add('/rss.xml'), { ...t.deps, policy: { allowPrivate: false } });
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
    const feed = (await t.desk.store.feeds.add({ url: `http://feeds.example:${port}/rss.xml`, everyMinutes: 15 }, new Date('2025-02-15T08:00:00Z'))).feed;
    const result = await pollFeed(feed, { ...t.deps, fetch, policy: { allowPrivate: false, lookup: async () => ['93.184.216.34'] } });
    await toLocal.close();
    expect(result).toMatchObject({ status: 'ok', added: 1 });
    expect(t.server.hits('/rss.xml')).toBe(1);
    expect(t.server.hits('/page.html')).toBe(0);
    expect(await answerTitle(t.desk, '内网链接的新闻摘要')).toBe('内网链接的新闻');
  });
});

describe('pollDueFeeds: one slow feed holds up nothing (case rel-06-slow-article-pages-hold-up-all-feeds)', () => {
  // Feed A: four summary-only items whose pages never answer; feed B, added after it. Polled one after another,
  // B waited for A's four page timeouts (a minute at 15 s each).
  it('fetches another feed before the slow feed’s article pages, and keeps the slow items with their summaries', async () => {
    let bRequested: () => void = () => {};
    const bSeen = new Promise<void>((resolve) => (bRequested = resolve));
    const pagesBeforeB: number[] = [];
    const t = await setup(
      {
        '/a.xml': (req, res, n) =>
          xml(rss([0, 1, 2, 3].map((i) => ({ title: `慢新闻${i}`, guid: `a${i}`, link: `http://${req.headers.host}/page/${i}`, description: `慢新闻${i}的摘要。` })), 'A'))(req, res, n),
        '/b.xml': (req, res, n) => {
          pagesBeforeB.push(t.server.requests.filter((r) => r.path.startsWith('/page/')).length);
          bRequested();
          xml(rss([{ title: 'B源的新闻', guid: 'b1', description: LONG_TEXT('B源') }], 'B'))(req, res, n);
        },
        // The pages hang until feed B has been fetched, then fail: the order of requests, not time, decides.
        ...Object.fromEntries([0, 1, 2, 3].map((i) => [`/page/${i}`, ((_req, res) => void bSeen.then(() => res.writeHead(503).end())) satisfies Handler])),
      },
      { timeoutMs: 30_000 },
    );
    await t.add('/a.xml', 'A');
    await t.add('/b.xml', 'B');

    const polled = pollDueFeeds(t.deps);
    await bSeen;
    const results = await polled;

    expect(pagesBeforeB).toEqual([0]);
    expect(results.map((r) => [r.url.slice(-5), r.status, r.added])).toEqual([
      ['a.xml', 'ok', 4],
      ['b.xml', 'ok', 1],
    ]);
    expect(await answerTitle(t.desk, 'B源的新闻')).toBe('B源的新闻');
    expect(await answerTitle(t.desk, '慢新闻2摘要')).toBe('慢新闻2');
  });

  it('polls feeds on different hosts at the same time, but sends one host one request at a time', async () => {
    let inFlight = 0;
    let most = 0;
    let releaseSlow: () => void = () => {};
    const slowHeld = new Promise<void>((resolve) => (releaseSlow = resolve));
    const counted =
      (body: string): Handler =>
      (req, res, n) => {
        inFlight++;
        most = Math.max(most, inFlight);
        setTimeout(() => {
          inFlight--;
          xml(body)(req, res, n);
        }, 20);
      };
    const t = await setup(
      {
        // On 127.0.0.1: answers only once the feed on the other host has been fetched.
        '/slow.xml': (req, res, n) => void slowHeld.then(() => xml(rss([{ title: '慢源新闻', guid: 's1', description: LONG_TEXT('慢源') }], '慢源'))(req, res, n)),
        '/one.xml': counted(rss([{ title: '一号新闻', guid: 'o1', description: LONG_TEXT('一号') }])),
        '/two.xml': counted(rss([{ title: '二号新闻', guid: 't1', description: LONG_TEXT('二号') }])),
        '/three.xml': counted(rss([{ title: '三号新闻', guid: 'h1', description: LONG_TEXT('三号') }])),
      },
      { timeoutMs: 10_000 },
    );
    const other = (path: string) => t.server.url(path).replace('127.0.0.1', 'localhost');
    await t.add('/slow.xml');
    for (const path of ['/one.xml', '/two.xml', '/three.xml']) await t.desk.store.feeds.add({ url: other(path), everyMinutes: 15 }, t.desk.now());
    const polled = pollDueFeeds(t.deps);
    // The feeds on localhost are all fetched while the one on 127.0.0.1 is still waiting for its answer.
    await new Promise<void>((resolve) => {
      const check = () => (t.server.hits('/three.xml') > 0 && inFlight === 0 ? resolve() : setTimeout(check, 10));
      check();
    });
    releaseSlow();
    const results = await polled;

    expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(most).toBe(1);
  });
});

describe('pollFeed: a page that fails once is not summary-only forever', () => {
  it('keeps an item whose page failed with its summary, and replaces the summary once a later poll reads the page', async () => {
    let pageUp = false;
    const t = await setup({
      '/rss.xml': (req, res) => {
        if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
        res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"' }).end(rss([{ title: '港口新航线开通', guid: 'p1', link: `http://${req.headers.host}/page.html`, description: '港口新航线今天开通。' }]));
      },
      '/page.html': (req, res, n) => (pageUp ? html(`<html><body><article><h1>港口新航线开通</h1>${LONG_TEXT('港口新航线')}</article></body></html>`)(req, res, n) : void res.writeHead(503).end()),
    });
    const feed = await t.add('/rss.xml');
    expect(await pollFeed(feed, t.deps)).toMatchObject({ status: 'ok', added: 1, completed: 0 });
    const id = (await t.desk.latest(1))[0]!.id;
    expect(await t.desk.store.articleParagraphs(id)).toEqual(['港口新航线今天开通。']);

    pageUp = true;
    t.advance(15 * 60_000);
    // The feed itself has not changed (304): the page is fetched again all the same.
    expect(await pollFeed((await t.desk.store.feeds.get(feed.id))!, t.deps)).toMatchObject({ status: 'not-modified', completed: 1 });
    expect((await t.desk.store.articleParagraphs(id)).join('')).toContain('港口新航线的推进将带动上下游产业协同发展');
    expect(await t.desk.store.articleCount()).toBe(1);
    const outcome = await t.desk.ask('上下游产业协同发展');
    expect(outcome.kind === 'hits' && outcome.passages[0]).toMatchObject({ title: '港口新航线开通', articleId: id });

    // Done: later polls leave the page alone.
    await pollFeed((await t.desk.store.feeds.get(feed.id))!, t.deps);
    expect(t.server.hits('/page.html')).toBe(2);
  });

  it('gives up on a page after three tries, keeping the summary', async () => {
    const t = await setup({
      '/rss.xml': (req, res, n) => xml(rss([{ title: '失联的页面', guid: 'q1', link: `http://${req.headers.host}/gone.html`, description: '只有摘要的新闻。' }]))(req, res, n),
      '/gone.html': (_req, res) => void res.writeHead(503).end(),
    });
    const feed = await t.add('/rss.xml');
    for (let i = 0; i < 5; i++) {
      await pollFeed((await t.desk.store.feeds.get(feed.id))!, t.deps);
      t.advance(15 * 60_000);
    }
    expect(t.server.hits('/gone.html')).toBe(MAX_PAGE_ATTEMPTS);
    expect(await t.desk.store.articleCount()).toBe(1);
    expect(await answerTitle(t.desk, '只有摘要的新闻')).toBe('失联的页面');
  });
});
