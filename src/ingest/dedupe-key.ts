import { createHash } from 'node:crypto';
import { normalize } from '../text/normalize.js';
import type { RawArticle } from './types.js';

// Parameters that say who shared a link, not which article it is.
const TRACKING_PARAM = /^(utm_\w+|spm|from|share_?\w*|fbclid|gclid|mc_cid|mc_eid|ref|src|isappinstalled|scene|clicktime|enterid)$/i;

/** A URL with tracking parameters, the fragment and a trailing slash removed, so reshared links compare equal. */
export function canonicalUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  for (const key of [...url.searchParams.keys()]) if (TRACKING_PARAM.test(key)) url.searchParams.delete(key);
  url.searchParams.sort();
  url.hostname = url.hostname.toLowerCase();
  let out = url.toString();
  if (url.pathname.length > 1 && out.endsWith('/')) out = out.slice(0, -1);
  return out;
}

/**
 * The key that makes re-ingesting the same article a no-op: its URL where there is one, else a hash of
 * its normalised text (so whitespace, punctuation width and script variants do not make a copy new).
 */
export function dedupeKey(article: RawArticle): string {
  const url = article.url && canonicalUrl(article.url);
  if (url) return `url:${url}`;
  const body = normalize(article.paragraphs.join('')).replace(/[^\p{L}\p{N}]/gu, '');
  return `text:${createHash('sha256').update(body).digest('hex').slice(0, 32)}`;
}
