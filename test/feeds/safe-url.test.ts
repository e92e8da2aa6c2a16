import { describe, expect, it } from 'vitest';
import { checkUrl, isPrivateAddress } from '../../src/feeds/safe-url.js';

describe('isPrivateAddress', () => {
  it('flags loopback, private, link-local, CGNAT and unspecified addresses', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1']) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
  });

  it('lets public addresses through', () => {
    for (const a of ['8.8.8.8', '172.32.0.1', '203.0.113.9', '2606:4700::1111']) expect(isPrivateAddress(a), a).toBe(false);
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

  it('accepts public hosts, and private ones when the owner allowed them', async () => {
    expect((await checkUrl('https://news.example/rss', { allowPrivate: false, lookup: publicLookup })).host).toBe('news.example');
    expect((await checkUrl('http://127.0.0.1:9/rss', { allowPrivate: true })).port).toBe('9');
  });
});
