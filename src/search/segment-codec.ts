import MiniSearch from 'minisearch';
import { deserialize, serialize } from 'node:v8';
import { MINISEARCH_OPTIONS, type IndexedPassage } from './minisearch-options.js';

/**
 * MiniSearch's fields that hold the index (7.2.x; minisearch is pinned for this). Everything else it has is
 * derived from the options, which are the one constant used to build and load.
 */
interface MiniSearchState {
  _index: { _tree: Map<string, unknown>; _size: number | undefined };
  _documentCount: number;
  _documentIds: Map<number, unknown>;
  _idToShortId: Map<unknown, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _nextId: number;
  _storedFields: Map<number, Record<string, unknown>>;
  _dirtCount: number;
}

const FORMAT = 'newsdesk-segment-v8-1';

/**
 * A segment as bytes, through V8's structured serializer rather than JSON: measured on 50,000 passages,
 * 0.5 s and 26 MB to save instead of 3.1 s and 40 MB, and 0.9 s to load instead of 2.7 s (JSON.parse plus
 * rebuilding every radix tree node), with no string anywhere near V8's length limit.
 */
export function encodeSegment(mini: MiniSearch<IndexedPassage>): Buffer {
  const m = mini as unknown as MiniSearchState;
  return serialize({
    format: FORMAT,
    tree: m._index._tree,
    documentCount: m._documentCount,
    documentIds: m._documentIds,
    idToShortId: m._idToShortId,
    fieldLength: m._fieldLength,
    avgFieldLength: m._avgFieldLength,
    nextId: m._nextId,
    storedFields: m._storedFields,
    dirtCount: m._dirtCount,
  });
}

export function decodeSegment(bytes: Uint8Array): MiniSearch<IndexedPassage> {
  const s = deserialize(bytes) as {
    format?: string;
    tree: Map<string, unknown>;
    documentCount: number;
    documentIds: Map<number, unknown>;
    idToShortId: Map<unknown, number>;
    fieldLength: Map<number, number[]>;
    avgFieldLength: number[];
    nextId: number;
    storedFields: Map<number, Record<string, unknown>>;
    dirtCount: number;
  };
  if (s?.format !== FORMAT || !(s.tree instanceof Map)) throw new Error('not a newsdesk index segment');
  const mini = new MiniSearch<IndexedPassage>(MINISEARCH_OPTIONS);
  const m = mini as unknown as MiniSearchState;
  m._index._tree = s.tree;
  m._index._size = undefined;
  m._documentCount = s.documentCount;
  m._documentIds = s.documentIds;
  m._idToShortId = s.idToShortId;
  m._fieldLength = s.fieldLength;
  m._avgFieldLength = s.avgFieldLength;
  m._nextId = s.nextId;
  m._storedFields = s.storedFields;
  m._dirtCount = s.dirtCount;
  return mini;
}
