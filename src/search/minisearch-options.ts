import type { Options } from 'minisearch';
import { tokenize } from '../text/tokenize.js';

export interface IndexedPassage {
  id: number;
  articleId: number;
  text: string;
}

/**
 * Bump when anything that changes the indexed terms changes (tokenizer, normalisation, stopwords in the
 * index, these options): an index saved under another version is rebuilt from the database at start.
 */
export const INDEX_FORMAT_VERSION = 1;

/**
 * The one set of MiniSearch options, used to build, to load and to search. Terms arrive already normalised
 * by our tokenizer, so processTerm is the identity; queries are tokenised by the caller (with stopwords
 * dropped) and joined with spaces, hence the search-time tokenizer that just splits on them.
 */
export const MINISEARCH_OPTIONS: Options<IndexedPassage> = {
  idField: 'id',
  fields: ['text'],
  storeFields: ['articleId'],
  tokenize: (text) => tokenize(text),
  processTerm: (term) => term,
  searchOptions: {
    tokenize: (query) => query.split(' ').filter((t) => t.length > 0),
    processTerm: (term) => term,
    // Prefix and fuzzy search measured worse or no better for Chinese (−0.8 Recall@1 with prefix).
    prefix: false,
    fuzzy: false,
    combineWith: 'OR',
  },
};
