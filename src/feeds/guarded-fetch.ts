import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import { NewsdeskError } from '../errors.js';
import type { FetchFn } from './http-fetch.js';
import { isPrivateAddress, type UrlPolicy } from './safe-url.js';

export type Resolve = (hostname: string, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

const systemResolve: Resolve = (hostname, callback) => dnsLookup(hostname, { all: true, verbatim: true }, callback);

/**
 * `checkUrl` vets a host's addresses before a fetch, but the connection looks the name up again: a hostile DNS
 * server can answer a public address to the first lookup and 127.0.0.1 to the second (DNS rebinding). This
 * lookup is the connection's own, so the address connected to is an address vetted.
 */
export function guardedLookup(resolve: Resolve = systemResolve): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, (error, addresses) => {
      if (error) return callback(error, '');
      const usable = addresses.filter((a) => options.family === undefined || options.family === 0 || a.family === options.family);
      const refused = usable.find((a) => isPrivateAddress(a.address));
      if (refused || usable.length === 0) {
        const why = refused ? `${hostname} now points to ${refused.address}, a private, loopback or link-local address, which the bot does not fetch` : `${hostname} has no usable address`;
        return callback(Object.assign(new NewsdeskError('PARSE_FAILED', why), { code: 'ENOTFOUND' }), '');
      }
      if (options.all) return callback(null, usable);
      return callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}

/**
 * The connection's own check. A name goes through `guardedLookup`; an address literal (`http://[::ffff:127.0.0.1]/`,
 * or one a redirect names) is never looked up by the system, so it is checked here, before any socket is opened.
 */
export function guardedConnector(resolve?: Resolve): buildConnector.connector {
  const connect = buildConnector({ lookup: guardedLookup(resolve) });
  return (options, callback) => {
    if (isIP(options.hostname) && isPrivateAddress(options.hostname)) {
      const why = `${options.hostname} is a private, loopback or link-local address, which the bot does not fetch`;
      return callback(Object.assign(new NewsdeskError('PARSE_FAILED', why), { code: 'ECONNREFUSED' }), null);
    }
    connect(options, callback);
  };
}

/**
 * The fetch the bot polls feeds with. Unless the owner allows private addresses, it connects only through
 * `guardedConnector`; with them allowed it is the platform's fetch.
 */
export function guardedFetch(policy: UrlPolicy, resolve?: Resolve): FetchFn {
  if (policy.allowPrivate) return globalThis.fetch;
  const dispatcher = new Agent({ connect: guardedConnector(resolve) });
  return ((input: Parameters<FetchFn>[0], init?: Parameters<FetchFn>[1]) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher })) as unknown as FetchFn;
}
