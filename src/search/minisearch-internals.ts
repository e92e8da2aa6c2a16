import type MiniSearch from 'minisearch';
import type { IndexedPassage } from './minisearch-options.js';

/**
 * The parts of MiniSearch 7.2.x that newsdesk reads or sets directly, all in one place: saving a segment
 * (the radix tree and document tables), freezing a full one, document frequencies (MiniSearch has no public
 * call) and its query step without building a result for every match. This is why minisearch is pinned to
 * 7.2.x in package.json; the tests in test/search fail first if an upgrade moves any of it.
 */
export interface MiniSearchInternals {
  _index: Iterable<[string, Map<number, Map<number, number>>]> & {
    _tree: Map<string, unknown>;
    _size: number | undefined;
    get(key: string): Map<number, { size: number }> | undefined;
  };
  _documentCount: number;
  _documentIds: Map<number, unknown>;
  _idToShortId: Map<unknown, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _nextId: number;
  _storedFields: Map<number, Record<string, unknown>>;
  _dirtCount: number;
  /** Every matching document by short id, with its BM25 score and the query terms it matched. */
  executeQuery(query: string): Map<number, { score: number; terms: string[] }>;
}

export const internals = (mini: MiniSearch<IndexedPassage>): MiniSearchInternals => mini as unknown as MiniSearchInternals;
