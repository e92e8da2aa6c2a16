import type { LookupAddress } from 'node:dns';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { guardedFetch, guardedLookup, type Resolve } from '../../src/feeds/guarded-fetch.js';
import { fetchResource } from '../../src/feeds/http-fetch.js';
import { startFeedServer, xml } from './feed-server.js';

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

  it('is the platform fetch when the owner allows private addresses', () => {
    expect(guardedFetch({ allowPrivate: true })).toBe(globalThis.fetch);
  });
});
