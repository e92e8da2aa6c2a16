import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { NewsdeskError } from '../errors.js';

export type Lookup = (hostname: string) => Promise<string[]>;

export const systemLookup: Lookup = async (hostname) => (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/**
 * True for addresses a guild admin must not be able to point the bot at: loopback, private ranges,
 * link-local (cloud metadata lives at 169.254.169.254), carrier-grade NAT, multicast, unspecified.
 */
export function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 4) {
    const [a, b] = address.split('.').map(Number) as [number, number];
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224;
  }
  const v6 = address.toLowerCase().replace(/^\[|\]$/g, '');
  if (v6 === '::' || v6 === '::1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6);
  if (mapped) return isPrivateAddress(mapped[1]!);
  return /^(fc|fd)/.test(v6) || /^fe[89ab]/.test(v6) || /^ff/.test(v6);
}

export interface UrlPolicy {
  /** The owner's setting (NEWSDESK_ALLOW_PRIVATE_URLS): allow private, loopback and link-local addresses. */
  allowPrivate: boolean;
  lookup?: Lookup;
}

/** Parses and vets a URL before the bot fetches it: http(s) only, and no private address unless allowed. */
export async function checkUrl(raw: string, policy: UrlPolicy): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new NewsdeskError('PARSE_FAILED', `"${raw}" is not a URL: give the full address, e.g. https://example.com/rss.xml`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NewsdeskError('PARSE_FAILED', `${url.protocol} URLs cannot be followed: only http and https.`);
  }
  if (policy.allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : await (policy.lookup ?? systemLookup)(host).catch(() => {
    throw new NewsdeskError('NOT_FOUND', `${host} does not resolve: check the address.`);
  });
  if (addresses.length === 0 || addresses.some(isPrivateAddress)) {
    throw new NewsdeskError(
      'PARSE_FAILED',
      `${host} points to a private, loopback or link-local address, which the bot does not fetch. The bot's owner can allow it with NEWSDESK_ALLOW_PRIVATE_URLS=true in .env.`,
    );
  }
  return url;
}
