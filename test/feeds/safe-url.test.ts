import { describe, expect, it } from 'vitest';
import { checkUrl, isPrivateAddress } from '../../src/feeds/safe-url.js';
import { ADDRESSES, urlFor } from '../helpers/untrusted-fixtures.js';

const noLookup = async (host: string): Promise<string[]> => {
  throw new Error(`an address literal was looked up: ${host}`);
};

describe('isPrivateAddress', () => {
  it.each(ADDRESSES.refused)('refuses $address ($is)', ({ address }) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(ADDRESSES.public)('lets $address through ($is)', ({ address }) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  it('refuses what is not an address at all rather than guess', () => {
    for (const junk of ['', 'localhost', '1.2.3.4.5', '::ffff:999.0.0.1']) expect(isPrivateAddress(junk), junk).toBe(true);
  });
});

describe('checkUrl', () => {
  const publicLookup = async () => ['93.184.216.34'];
  it('refuses URLs that are not http(s)', async () => {
    await expect(checkUrl('file:///etc/passwd', { allowPrivate: true })).rejects.toThrow(/only http and https/);
    await expect(checkUrl('not a url', { allowPrivate: true })).rejects.toThrow(/is not a URL/);
  });

  it('refuses a host name that resolves to a private address, and says how the owner can allow it', async () => {
    await expect(checkUrl('http://intranet.example/rss', { allowPrivate: false, lookup: async () => ['10.0.0.5'] })).rejects.toThrow(/NEWSDESK_ALLOW_PRIVATE_URLS/);
    await expect(checkUrl('http://[::1]:8080/rss', { allowPrivate: false })).rejects.toThrow(/private/);
  });

  it('refuses a feed at http://[::ffff:127.0.0.1]:PORT/ like one at 127.0.0.1, naming the address it hides (rel-01)', async () => {
    await expect(checkUrl('http://[::ffff:127.0.0.1]:8080/feed.xml', { allowPrivate: false, lookup: noLookup })).rejects.toThrow(
      /^::ffff:7f00:1 \(127\.0\.0\.1\) points to a private, loopback or link-local address, which the bot does not fetch\. .*NEWSDESK_ALLOW_PRIVATE_URLS=true/,
    );
  });

  it.each(ADDRESSES.refused)('refuses a feed URL whose host is $address ($is)', async ({ address }) => {
    // A zone id (fe80::1%eth0) is not even a URL; everything else is refused as private, without asking DNS.
    await expect(checkUrl(urlFor(address), { allowPrivate: false, lookup: noLookup })).rejects.toThrow(/points to a private, loopback or link-local address|is not a URL/);
  });

  it.each(ADDRESSES.refused)('refuses a host name that resolves to $address ($is)', async ({ address }) => {
    await expect(checkUrl('http://feeds.example/rss.xml', { allowPrivate: false, lookup: async () => ['93.184.216.34', address] })).rejects.toThrow(
      /^feeds\.example \(.*\) points to a private, loopback or link-local address/,
    );
  });

  it.each(ADDRESSES.public)('accepts a feed URL whose host is $address ($is)', async ({ address }) => {
    expect((await checkUrl(urlFor(address), { allowPrivate: false, lookup: noLookup })).port).toBe('8080');
  });

  it('refuses localhost and every name under it, with or without a trailing dot, without asking DNS (RFC 6761)', async () => {
    for (const host of ['localhost', 'localhost.', 'LOCALHOST', 'feeds.localhost', 'feeds.localhost.']) {
      await expect(checkUrl(`http://${host}:8080/rss.xml`, { allowPrivate: false, lookup: noLookup }), host).rejects.toThrow(/points to a private, loopback or link-local address/);
    }
  });

  it('accepts public hosts, and private ones when the owner allowed them', async () => {
    expect((await checkUrl('https://news.example/rss', { allowPrivate: false, lookup: publicLookup })).host).toBe('news.example');
    expect((await checkUrl('http://127.0.0.1:9/rss', { allowPrivate: true })).port).toBe('9');
    expect((await checkUrl('http://[::ffff:127.0.0.1]:9/rss', { allowPrivate: true })).port).toBe('9');
  });
});
