import type { Options } from 'minisearch';
import { tokenize } from '../text/tokenize.js';

export interface IndexedPassage {
  id: number;
  articleId: number;
  text: string;
}

/**
 * Bump when anything that changes the indexed terms changes (tokenizer, normalisation, stopwords in the
 * index, these options) or how segments are stored (4: full segments frozen): an index saved under another
 * version is rebuilt from the database at start.
 */
export const INDEX_FORMAT_VERSION = 4;

/**
 * The key a term is stored under: the term behind a fixed-width hex code of its first character. MiniSearch's
 * radix tree scans a node's branches one by one, and a Chinese index has ~4,600 distinct first characters at
 * its root; behind a hex code every node has at most 16 branches (measured 2–5× faster builds, same ranking).
 * It gives up prefix and fuzzy search, which do not help Chinese anyway.
 */
export function termKey(term: string): string {
  const code = term.codePointAt(0) ?? 0;
  return (code > 0xffff ? `+${code.toString(16).padStart(6, '0')}` : code.toString(16).padStart(4, '0')) + term;
}

/** The term behind a key made by `termKey`. */
export function keyTerm(key: string): string {
  return key.slice(key.startsWith('+') ? 7 : 4);
}

/**
 * The one set of MiniSearch options, used to build, to load and to search. Terms arrive already normalised
 * by our tokenizer; processTerm only keys them. Queries are tokenised by the caller (with stopwords dropped)
 * and joined with spaces, hence the search-time tokenizer that just splits on them.
 */
export const MINISEARCH_OPTIONS: Options<IndexedPassage> = {
  idField: 'id',
  fields: ['text'],
  storeFields: ['articleId'],
  tokenize: (text) => tokenize(text),
  processTerm: termKey,
  searchOptions: {
    tokenize: (query) => query.split(' ').filter((t) => t.length > 0),
    processTerm: termKey,
    // Prefix and fuzzy search measured worse or no better for Chinese (−0.8 Recall@1 with prefix).
    prefix: false,
    fuzzy: false,
    combineWith: 'OR',
  },
};
