import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { NewsdeskError } from '../errors.js';

export interface FeedItem {
  guid?: string;
  link?: string;
  title?: string;
  /** HTML or text the feed carries for the item (full content when it has it, else the summary). */
  content?: string;
  /** ISO date-time, when the feed gives a parseable one. */
  published?: string;
}

export interface ParsedFeed {
  title?: string;
  items: FeedItem[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  // Feeds are data, not markup to expand: no entity tricks beyond the standard ones.
  processEntities: true,
  htmlEntities: true,
  isArray: (name) => name === 'item' || name === 'entry' || name === 'link',
});

type Node = Record<string, unknown>;

const text = (v: unknown): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' || typeof v === 'number') return String(v).trim() || undefined;
  if (Array.isArray(v)) return text(v[0]);
  if (typeof v === 'object') return text((v as Node)['#text']);
  return undefined;
};

const isoDate = (v: unknown): string | undefined => {
  const s = text(v);
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
};

/** An item with only the fields the feed gave (no keys holding undefined). */
const feedItem = (fields: Record<keyof FeedItem, string | undefined>): FeedItem =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as FeedItem;

function atomLink(links: unknown): string | undefined {
  if (!Array.isArray(links)) return text(links);
  const nodes = links as Node[];
  const alternate = nodes.find((l) => typeof l === 'object' && (l['@rel'] === undefined || l['@rel'] === 'alternate'));
  const chosen = alternate ?? nodes[0];
  return typeof chosen === 'object' ? (chosen['@href'] as string | undefined) : text(chosen);
}

/** Reads RSS 2.0, RSS 1.0 (RDF) and Atom. Throws PARSE_FAILED for malformed XML or a page that is not a feed. */
export function parseFeed(xml: string): ParsedFeed {
  const trimmed = xml.trimStart();
  if (/^<!doctype html|^<html/i.test(trimmed)) {
    throw new NewsdeskError('PARSE_FAILED', 'this address serves a web page, not an RSS or Atom feed: look for the site’s feed link (often /rss or /feed)');
  }
  const valid = XMLValidator.validate(trimmed);
  if (valid !== true) {
    throw new NewsdeskError('PARSE_FAILED', `the feed is not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`);
  }
  const doc = parser.parse(trimmed) as Node;
  const rss = doc['rss'] as Node | undefined;
  const rdf = doc['rdf:RDF'] as Node | undefined;
  const atom = doc['feed'] as Node | undefined;
  if (rss || rdf) {
    const channel = ((rss?.['channel'] ?? rdf?.['channel']) as Node | undefined) ?? {};
    const items = ((channel['item'] ?? rdf?.['item'] ?? []) as Node[]).map((item) =>
      feedItem({
        guid: text(item['guid']),
        link: text(item['link']),
        title: text(item['title']),
        content: text(item['content:encoded']) ?? text(item['description']),
        published: isoDate(item['pubDate'] ?? item['dc:date']),
      }),
    );
    const title = text(channel['title']);
    return title ? { title, items } : { items };
  }
  if (atom) {
    const items = ((atom['entry'] ?? []) as Node[]).map((entry) =>
      feedItem({
        guid: text(entry['id']),
        link: atomLink(entry['link']),
        title: text(entry['title']),
        content: text(entry['content']) ?? text(entry['summary']),
        published: isoDate(entry['published'] ?? entry['updated']),
      }),
    );
    const title = text(atom['title']);
    return title ? { title, items } : { items };
  }
  throw new NewsdeskError('PARSE_FAILED', 'this is XML but not an RSS or Atom feed');
}
