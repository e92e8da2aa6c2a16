import type { LookupAddress } from 'node:dns';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { guardedFetch, guardedLookup, type Resolve } from '../../src/feeds/guarded-fetch.js';
import { fetchResource } from '../../src/feeds/http-fetch.js';
import { startFeedServer, xml } from './feed-server.js';
import { ADDRESSES, urlFor } from '../helpers/untrusted-fixtures.js';

const answering = (...addresses: LookupAddress[]): Resolve => (_host, callback) => callback(null, addresses);

function lookUp(resolve: Resolve, options: { all?: boolean; family?: number } = {}) {
  return new Promise<{ error: NodeJS.ErrnoException | null; address: unknown; family?: number }>((done) =>
    guardedLookup(resolve)('news.example', options, (error, address, family) => done({ error, address, ...(family !== undefined ? { family } : {}) })),
  );
}

let server: Awaited<ReturnType<typeof startFeedServer>> | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('the connection-time address check', () => {
  it('hands a public address to the connection', async () => {
    const result = await lookUp(answering({ address: '93.184.216.34', family: 4 }));
    expect(result).toEqual({ error: null, address: '93.184.216.34', family: 4 });
    const all = await lookUp(answering({ address: '93.184.216.34', family: 4 }, { address: '2606:2800:220:1::1', family: 6 }), { all: true, family: 6 });
    expect(all.address).toEqual([{ address: '2606:2800:220:1::1', family: 6 }]);
  });

  it('refuses a name that resolves to a private address, saying which', async () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '169.254.169.254', '::1']) {
      const result = await lookUp(answering({ address: '93.184.216.34', family: 4 }, { address, family: address.includes(':') ? 6 : 4 }), { all: true });
      expect(result.error?.message).toMatch(new RegExp(`news\\.example now points to ${address.replace(/\./g, '\\.')}`));
    }
  });

  it('stops DNS rebinding: a host vetted as public that resolves to loopback when connecting is never reached', async () => {
    server = await startFeedServer({ '/rss.xml': xml('<rss><channel><title>t</title></channel></rss>') });
    const port = new URL(server.url('/')).port;
    const vetted = async () => ['93.184.216.34'];
    const rebound = answering({ address: '127.0.0.1', family: 4 });
    await expect(
      fetchResource(`http://rebind.example:${port}/rss.xml`, { fetch: guardedFetch({ allowPrivate: false }, rebound), policy: { allowPrivate: false, lookup: vetted } }),
    ).rejects.toThrow(/cannot reach rebind\.example.*now points to 127\.0\.0\.1/);
    expect(server.hits('/rss.xml')).toBe(0);
    // The same rebound name through a connection that does not check is reached: the scenario is real.
    const unchecked = new Agent({ connect: { lookup: (_host, options, callback) => (options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)) } });
    const response = await undiciFetch(`http://rebind.example:${port}/rss.xml`, { dispatcher: unchecked });
    expect(response.status).toBe(200);
    await response.body?.cancel();
    expect(server.hits('/rss.xml')).toBe(1);
    await unchecked.close();
  });

  it.each(ADDRESSES.refused)('refuses to connect when a name resolves to $address ($is)', async ({ address }) => {
    const result = await lookUp(answering({ address, family: address.includes(':') ? 6 : 4 }), { all: true });
    expect(result.error?.message).toMatch(/^news\.example now points to .*, a private, loopback or link-local address/);
  });

  it.each(ADDRESSES.public)('connects when a name resolves to $address ($is)', async ({ address }) => {
    const family = address.includes(':') ? 6 : 4;
    expect(await lookUp(answering({ address, family }), { all: true })).toEqual({ error: null, address: [{ address, family }] });
  });

  it('never connects to an address literal that hides loopback, even when nothing checked the URL first', async () => {
    server = await startFeedServer({ '/secret': xml('<rss/>') });
    const port = new URL(server.url('/')).port;
    const fetch = guardedFetch({ allowPrivate: false });
    for (const host of ['[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '127.0.0.1', '0177.0.0.1', '2130706433', '127.0.0.1.']) {
      await expect(fetch(`http://${host}:${port}/secret`), host).rejects.toThrow();
    }
    expect(server.hits('/secret')).toBe(0);
  });

  it('does not follow a redirect to http://[::ffff:127.0.0.1]:PORT/ from a public feed', async () => {
    server = await startFeedServer({
      '/rss.xml': (_req, res) => res.writeHead(302, { location: `${urlFor('::ffff:127.0.0.1').replace(':8080/rss.xml', `:${port}/secret`)}` }).end(),
      '/secret': xml('<rss><channel><title>内部</title></channel></rss>'),
    });
    const port = new URL(server.url('/')).port;
    // feeds.example is public to the URL check; the connection to it lands on the local server, as a real public feed would answer.
    const toLocal = new Agent({ connect: { lookup: (_host, options, callback) => (options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)) } });
    const fetch = ((input: string | URL, init?: RequestInit) => undiciFetch(input, { ...(init as object), dispatcher: toLocal })) as unknown as typeof globalThis.fetch;
    await expect(fetchResource(`http://feeds.example:${port}/rss.xml`, { fetch, policy: { allowPrivate: false, lookup: async () => ['93.184.216.34'] } })).rejects.toThrow(
      /::ffff:7f00:1 \(127\.0\.0\.1\) points to a private, loopback or link-local address/,
    );
    expect(server.hits('/rss.xml')).toBe(1);
    expect(server.hits('/secret')).toBe(0);
    await toLocal.close();
  });

  it('is the platform fetch when the owner allows private addresses', () => {
    expect(guardedFetch({ allowPrivate: true })).toBe(globalThis.fetch);
  });
});
