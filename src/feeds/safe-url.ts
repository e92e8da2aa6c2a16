import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { NewsdeskError } from '../errors.js';

export type Lookup = (hostname: string) => Promise<string[]>;

export const systemLookup: Lookup = async (hostname) => (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** Global unicast IPv6 (RFC 4291 §2.4, IANA): everything else is special-purpose, unassigned or local. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');
/** The well-known NAT64 prefix (RFC 6052): a public IPv4 address behind it is reached through the translator. */
const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96');

/** The four bytes of `bytes` at `offset` as an IPv4 address, each byte XORed with `mask` (Teredo obfuscates its client). */
function ipv4At(bytes: number[], offset: number, mask = 0): ipaddr.IPv4 {
  return new ipaddr.IPv4(bytes.slice(offset, offset + 4).map((b) => b ^ mask));
}

/**
 * Whether the bot may connect to this address when private ones are not allowed: only public unicast. An IPv6
 * address that carries an IPv4 address is judged by that IPv4 address, since that is what it reaches: IPv4-mapped
 * (`::ffff:0:0/96`, RFC 4291) and IPv4-translated (`::ffff:0:0:0/96`, RFC 6145) by the one inside, NAT64
 * (`64:ff9b::/96`, RFC 6052) by the one it translates to, 6to4 (`2002::/16`, RFC 3056) by its relay's, Teredo
 * (`2001::/32`, RFC 4380) by its server's and its client's. IPv4-compatible (`::/96`, deprecated), local-use NAT64
 * (`64:ff9b:1::/48`, RFC 8215) and every other special-purpose range (ipaddr.js's table: loopback, private,
 * link-local, carrier-grade NAT, multicast, documentation, benchmarking, reserved, unique local, discard…) is refused.
 */
function isPublic(address: Address): boolean {
  if (address.kind() === 'ipv4') return address.range() === 'unicast';
  const v6 = address as ipaddr.IPv6;
  const bytes = v6.toByteArray();
  switch (v6.range()) {
    case 'unicast':
      return v6.match(GLOBAL_UNICAST_V6);
    case 'ipv4Mapped':
    case 'rfc6145':
      return isPublic(ipv4At(bytes, 12));
    case 'rfc6052':
      return v6.match(NAT64_WELL_KNOWN) && isPublic(ipv4At(bytes, 12));
    case '6to4':
      return isPublic(ipv4At(bytes, 2));
    case 'teredo':
      return isPublic(ipv4At(bytes, 4)) && isPublic(ipv4At(bytes, 12, 0xff));
    default:
      return false;
  }
}

/**
 * An address in any form the system resolver or a URL may give it (`127.0.0.1`, `0177.0.0.1`, `0x7f.1`, `2130706433`,
 * `[::ffff:127.0.0.1]`, `::ffff:7f00:1`, `fe80::1%eth0`, a trailing dot), parsed by ipaddr.js; undefined if it is none.
 */
function parseAddress(written: string): Address | undefined {
  const bare = written.trim().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  return ipaddr.isValid(bare) ? ipaddr.parse(bare) : undefined;
}

/**
 * True for addresses a guild admin must not be able to point the bot at: anything but public unicast (see
 * `isPublic`): loopback, private ranges, link-local (cloud metadata lives at 169.254.169.254), carrier-grade NAT,
 * multicast, unspecified, and the same hidden inside IPv6 (`::ffff:127.0.0.1`, `64:ff9b::7f00:1`, `2002:7f00:1::`).
 * Something that is not an address at all is refused too.
 */
export function isPrivateAddress(address: string): boolean {
  const parsed = parseAddress(address);
  return !parsed || !isPublic(parsed);
}

/** The plain IPv4 form of an IPv4-mapped address, for messages ("::ffff:7f00:1 (127.0.0.1)"); else the address as parsed. */
function plainForm(address: string): string {
  const parsed = parseAddress(address);
  if (!parsed) return address;
  return (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress() ? (parsed as ipaddr.IPv6).toIPv4Address() : parsed).toString();
}

/** RFC 6761: `localhost` and every name under it are loopback whatever DNS says; never asked. */
const LOCALHOST_NAME = /(^|\.)localhost\.?$/i;

export interface UrlPolicy {
  /** The owner's setting (NEWSDESK_ALLOW_PRIVATE_URLS): allow private, loopback and link-local addresses. */
  allowPrivate: boolean;
  lookup?: Lookup;
}

/**
 * Parses and vets a URL before the bot fetches it (and before each redirect hop): WHATWG URL parsing, http(s) only,
 * and, unless the owner allowed private addresses, a host that is neither `localhost` nor resolves (by
 * `policy.lookup`, else the system resolver) to any address `isPrivateAddress` refuses. Returns the parsed URL.
 * Throws NewsdeskError PARSE_FAILED (not a URL, not http(s), a private address: the message names the setting that
 * allows it) or NOT_FOUND (the name does not resolve).
 */
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
  // WHATWG URL has already turned octal, hex and short IPv4 forms into dotted decimal; IPv6 keeps its brackets.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const refuse = (shown: string) =>
    new NewsdeskError('PARSE_FAILED', `${shown} points to a private, loopback or link-local address, which the bot does not fetch. The bot's owner can allow it with NEWSDESK_ALLOW_PRIVATE_URLS=true in .env.`);
  if (LOCALHOST_NAME.test(host)) throw refuse(host);
  const addresses = isIP(host) ? [host] : await (policy.lookup ?? systemLookup)(host).catch(() => {
    throw new NewsdeskError('NOT_FOUND', `${host} does not resolve: check the address.`);
  });
  if (addresses.length === 0) throw new NewsdeskError('NOT_FOUND', `${host} does not resolve: check the address.`);
  const refused = addresses.find(isPrivateAddress);
  if (refused !== undefined) {
    // Say what the address really is when it is written in disguise ("::ffff:7f00:1 (127.0.0.1)").
    const written = isIP(host) ? host : refused;
    const plain = plainForm(written) === written ? '' : plainForm(written);
    throw refuse(isIP(host) ? `${host}${plain ? ` (${plain})` : ''}` : `${host} (${refused}${plain ? ` = ${plain}` : ''})`);
  }
  return url;
}
