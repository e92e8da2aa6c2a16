import { readFileSync } from 'node:fs';

/** The hostile inputs of test/fixtures/untrusted/, shared by every test of what untrusted input can do. */
const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../fixtures/untrusted/${name}`, import.meta.url), 'utf8')) as T;

/** Strings an article, a feed or a server could write to take over what the bot shows: markup, mentions, controls. */
export const HOSTILE_STRINGS = fixture<Array<{ name: string; text: string }>>('hostile-strings.json');

/** Article URLs that try to escape the link the bot builds from them, or to link somewhere they should not. */
export const HOSTILE_URLS = fixture<Array<{ name: string; url: string }>>('hostile-urls.json');

interface Listed {
  address: string;
  is: string;
}
/** Every way of writing an address the bot must not fetch from, and public ones it must. */
export const ADDRESSES = fixture<{ refused: Listed[]; public: Listed[] }>('addresses.json');

/** The address as a URL's host on port 8080: IPv6 in brackets. */
export function urlFor(address: string): string {
  const bare = address.replace(/^\[|\]$/g, '');
  return bare.includes(':') ? `http://[${bare}]:8080/rss.xml` : `http://${bare}:8080/rss.xml`;
}

/** The path of a fixture file, for ingesting it as a user would. */
export const fixturePath = (name: string): string => new URL(`../fixtures/untrusted/${name}`, import.meta.url).pathname;
