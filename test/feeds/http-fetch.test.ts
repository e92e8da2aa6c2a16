import { afterEach, describe, expect, it } from 'vitest';
import { fetchResource } from '../../src/feeds/http-fetch.js';
import { startFeedServer, type Handler } from './feed-server.js';

const servers: Array<{ close: () => Promise<void> }> = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function serve(routes: Record<string, Handler>) {
  const server = await startFeedServer(routes);
  servers.push(server);
  return server;
}

const open = { fetch: globalThis.fetch, policy: { allowPrivate: true } };

describe('fetchResource', () => {
  // Seen live: a reused keep-alive connection the server had just closed failed with "other side closed", and the
  // item's page was never fetched again.
  it('gets a page whose first connection the server drops before answering, by asking once more', async () => {
    const server = await serve({
      '/page.html': (req, res, n) => (n === 1 ? void req.socket.destroy() : void res.writeHead(200, { 'content-type': 'text/html' }).end('<p>正文</p>')),
    });
    const page = await fetchResource(server.url('/page.html'), open);
    expect(Buffer.from(page.body).toString()).toBe('<p>正文</p>');
    expect(server.hits('/page.html')).toBe(2);
  });

  it('asks only once more: a server that drops every connection is reported by host, not retried forever', async () => {
    const server = await serve({ '/page.html': (req) => void req.socket.destroy() });
    const host = new URL(server.url('/')).host;
    await expect(fetchResource(server.url('/page.html'), open)).rejects.toThrow(new RegExp(`^${host} closed the connection before answering, twice`));
    expect(server.hits('/page.html')).toBe(2);
  });

  // Issue 16: "The operation was aborted due to timeout" said neither which server nor which limit.
  it('names the host and the limit when a server starts answering but does not finish sending in time', async () => {
    const server = await serve({
      '/slow.xml': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.write('<?xml version="1.0"?><rss>');
      },
    });
    const host = new URL(server.url('/')).host;
    await expect(fetchResource(server.url('/slow.xml'), { ...open, limits: { timeoutMs: 300 } })).rejects.toThrow(`${host} did not finish sending within 0.3 s`);
  });

  it('names the host and the limit when a server does not answer in time', async () => {
    const server = await serve({ '/hang.xml': () => {} });
    const host = new URL(server.url('/')).host;
    await expect(fetchResource(server.url('/hang.xml'), { ...open, limits: { timeoutMs: 300 } })).rejects.toThrow(`${host} did not answer within 0.3 s`);
  });

  it('names the host and the size limit when an answer is too big', async () => {
    const server = await serve({ '/big.xml': (_req, res) => void res.writeHead(200).end(Buffer.alloc(3 * 1024 * 1024, 'a')) });
    const host = new URL(server.url('/')).host;
    await expect(fetchResource(server.url('/big.xml'), { ...open, limits: { maxBytes: 1024 * 1024 } })).rejects.toThrow(new RegExp(`^${host} sent (3 MB, over|more than) the 1 MB limit`));
  });
});
