import type { Options } from 'minisearch';
import { indexTerms } from '../text/tokenize.js';

/** A passage as MiniSearch indexes it: `text` is its `indexText`, not the passage as written. */
export interface IndexedPassage {
  id: number;
  articleId: number;
  text: string;
}

/**
 * Bump when anything that changes the indexed terms changes (tokenizer, normalisation, stopwords in the
 * index, these options) or how segments are stored (4: full segments frozen; 6: rare variant characters folded):
 * an index saved under another version is rebuilt from the database at start.
 */
export const INDEX_FORMAT_VERSION = 6;

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

/** Separates the terms of the text MiniSearch is given; the tokenizer never yields a term with a space in it. */
const TERM_SEPARATOR = ' ';

/**
 * What MiniSearch is given to index for a passage: its terms from the one tokenizer (`tokenize`, the same as
 * for questions), keyed, joined by spaces. Tokenizing before MiniSearch rather than inside it lets a bulk
 * build tokenize in a worker thread while MiniSearch inserts on the main one.
 */
export function indexText(text: string): string {
  return indexTerms(text).map(termKey).join(TERM_SEPARATOR);
}

/** What MiniSearch is asked for a question's (already tokenised, stopword-free) terms. */
export function queryText(terms: readonly string[]): string {
  return terms.map(termKey).join(TERM_SEPARATOR);
}

const splitTerms = (text: string): string[] => (text.length === 0 ? [] : text.split(TERM_SEPARATOR));

/**
 * The one set of MiniSearch options, used to build, to load and to search. Passages and questions arrive
 * already tokenised and keyed (`indexText`, `queryText`): MiniSearch only splits them, the same way for both.
 */
export const MINISEARCH_OPTIONS: Options<IndexedPassage> = {
  idField: 'id',
  fields: ['text'],
  storeFields: ['articleId'],
  tokenize: splitTerms,
  processTerm: (term) => term,
  searchOptions: {
    tokenize: splitTerms,
    processTerm: (term) => term,
    // Prefix and fuzzy search measured worse or no better for Chinese (−0.8 Recall@1 with prefix).
    prefix: false,
    fuzzy: false,
    combineWith: 'OR',
  },
};
