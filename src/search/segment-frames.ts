import MiniSearch from 'minisearch';
import { deserialize, serialize } from 'node:v8';
import { checkFrozenTables, type FrozenSegmentData } from './frozen-segment.js';
import { internals } from './minisearch-internals.js';
import { MINISEARCH_OPTIONS, type IndexedPassage } from './minisearch-options.js';
import { PostingsFile, withPostingsFile, type FramedFile } from './postings-file.js';
import type { SegmentContent } from './segment-codec.js';

/**
 * A segment file written in frames, so that the running bot can produce it a little at a time with the event loop
 * running between (`encodeSegmentInSlices` in segment-save.ts): V8's serializer writes one value in one go, and the
 * newest segment as one value (MiniSearch's radix tree of `Map`s) took 0.5–1.5 s of the main thread at 50,000
 * passages. Here it is many small values, each a part of the tree or of a document table, and a frozen segment's
 * typed arrays are written as they are (no copy at all on the main thread).
 *
 * Layout: MAGIC, then frames. A frame is a 4-byte little-endian payload length, a 1-byte type (V8 value or raw
 * bytes), 3 bytes of padding, the payload, and zero bytes up to a multiple of 8, so that every payload starts
 * 8-byte aligned in the file and a typed array loads as a view into the file's bytes. The first frame is a header
 * value naming the kind; the last one an end value with the number of frames before it, so a cut file fails
 * to load (as would its CRC-32 in the manifest). Loaded by `decodeSegment` beside the one-value formats, which
 * the command line's saves still write.
 */
export const FRAMED_MAGIC = Buffer.from('NDSEGF1\n', 'latin1');

const VALUE = 0;
const RAW = 1;
const FRAME_HEADER_BYTES = 8;
const ALIGN = 8;

const LIVE_FRAMED = 'newsdesk-live-framed-1';
const FROZEN_FRAMED = 'newsdesk-frozen-framed-1';

/**
 * About this many tree nodes and postings go into one frame of the newest segment: serializing them takes about
 * 10 ms on an idle machine (measured 0.5 µs per posting), so a slice stays far below 200 ms even when other work
 * slows this process five-fold.
 */
export const FRAME_WEIGHT = 20_000;
/** Entries of a document table (ids, lengths, stored fields) per frame. */
const TABLE_ROWS = 10_000;
/** Terms of a frozen segment's dictionary per frame. */
const TERM_ROWS = 20_000;

/** One frame as the buffers to write: the frame header, the payload and its padding. */
export type Frame = Uint8Array[];

const PADDING = new Uint8Array(ALIGN);

function frame(type: number, payload: Uint8Array): Frame {
  const head = Buffer.alloc(FRAME_HEADER_BYTES);
  head.writeUInt32LE(payload.byteLength, 0);
  head.writeUInt8(type, 4);
  const pad = (ALIGN - (payload.byteLength % ALIGN)) % ALIGN;
  return pad > 0 ? [head, payload, PADDING.subarray(0, pad)] : [head, payload];
}

const valueFrame = (value: unknown): Frame => frame(VALUE, serialize(value));

/** The document tables of a live segment, by the MiniSearch field that holds each. */
const TABLES = ['_documentIds', '_idToShortId', '_fieldLength', '_storedFields'] as const;
type TableName = (typeof TABLES)[number];

/** A piece of the radix tree: the keys from the root to a node's parent, the node's key last, and the node. */
type TreePiece = [path: string[], node: unknown];

/**
 * The frames of a live (newest) segment, one at a time: each `next()` does a bounded amount of work (FRAME_WEIGHT).
 * The segment must not change between two `next()` calls (the caller checks, and starts over if it did).
 */
export function* liveSegmentFrames(mini: MiniSearch<IndexedPassage>, frameWeight = FRAME_WEIGHT): Generator<Frame, number> {
  const m = internals(mini);
  let frames = 0;
  yield valueFrame({ format: LIVE_FRAMED, documentCount: m._documentCount, avgFieldLength: m._avgFieldLength, nextId: m._nextId, dirtCount: m._dirtCount });
  frames++;
  let group: TreePiece[] = [];
  let weight = 0;
  for (const [piece, pieceWeight] of treePieces(m._index._tree, [], frameWeight)) {
    group.push(piece);
    weight += pieceWeight;
    if (weight >= frameWeight) {
      yield valueFrame({ tree: group });
      frames++;
      group = [];
      weight = 0;
    }
  }
  if (group.length > 0) {
    yield valueFrame({ tree: group });
    frames++;
  }
  for (const table of TABLES) {
    let rows: [unknown, unknown][] = [];
    for (const row of m[table] as Map<unknown, unknown>) {
      rows.push(row);
      if (rows.length === TABLE_ROWS) {
        yield valueFrame({ table, rows });
        frames++;
        rows = [];
      }
    }
    if (rows.length > 0) {
      yield valueFrame({ table, rows });
      frames++;
    }
  }
  yield valueFrame({ end: frames });
  return frames + 1;
}

/**
 * The tree in pieces of at most about `limit` weight (nodes and postings), in the tree's own order, so that
 * putting them back in that order rebuilds every `Map` with its entries in the same order. A node too heavy for
 * one piece is split into its entries; a leaf (key '') is always one piece, however many postings it holds.
 */
function* treePieces(node: Map<string, unknown>, path: string[], limit: number): Generator<[TreePiece, number]> {
  for (const [key, child] of node) {
    const at = [...path, key];
    if (key === '') {
      yield [[at, child], leafWeight(child)];
      continue;
    }
    const weight = weightUpTo(child as Map<string, unknown>, limit);
    if (weight < limit) yield [[at, child], weight];
    else yield* treePieces(child as Map<string, unknown>, at, limit);
  }
}

/** A leaf's postings (field id → document → frequency): one unit per posting. */
function leafWeight(leaf: unknown): number {
  let n = 1;
  for (const postings of (leaf as Map<number, Map<number, number>>).values()) n += postings.size;
  return n;
}

/** The weight of a subtree, counted only up to `limit` (so deciding to split a large node costs little). */
function weightUpTo(node: Map<string, unknown>, limit: number): number {
  let n = 0;
  const stack: Map<string, unknown>[] = [node];
  while (stack.length > 0 && n < limit) {
    for (const [key, child] of stack.pop()!) {
      n += 1;
      if (key === '') n += leafWeight(child);
      else stack.push(child as Map<string, unknown>);
    }
  }
  return n;
}

const TYPED = { Uint32Array, Uint16Array, Float64Array } as const;
type TypedName = keyof typeof TYPED;
const ARRAYS: [keyof FrozenSegmentData, TypedName][] = [
  ['offsets', 'Uint32Array'],
  ['docs', 'Uint32Array'],
  ['freqs', 'Uint16Array'],
  ['passageIds', 'Float64Array'],
  ['articleIds', 'Float64Array'],
  ['lengths', 'Uint32Array'],
];

/** The frames of a frozen segment: the term dictionary in parts, then each typed array's own bytes (not copied). */
export function* frozenSegmentFrames(data: FrozenSegmentData): Generator<Frame, number> {
  let frames = 0;
  yield valueFrame({ format: FROZEN_FRAMED, documentCount: data.documentCount, avgFieldLength: data.avgFieldLength });
  frames++;
  for (let at = 0; at < data.terms.length; at += TERM_ROWS) {
    yield valueFrame({ terms: data.terms.slice(at, at + TERM_ROWS) });
    frames++;
  }
  for (const [name, type] of ARRAYS) {
    const array = data[name] as Uint32Array | Uint16Array | Float64Array;
    yield [...valueFrame({ array: name, type, length: array.length }), ...frame(RAW, new Uint8Array(array.buffer, array.byteOffset, array.byteLength))];
    frames += 2;
  }
  yield valueFrame({ end: frames });
  return frames + 1;
}

/** A frozen segment's whole file as buffers in order (the magic, then its frames), for a save in one go. */
export function frozenSegmentFile(data: FrozenSegmentData): Uint8Array[] {
  return [FRAMED_MAGIC, ...[...frozenSegmentFrames(data)].flat()];
}

/** The frames of either kind of segment. */
export function segmentFrames(content: SegmentContent, frameWeight = FRAME_WEIGHT): Generator<Frame, number> {
  return content.kind === 'frozen' ? frozenSegmentFrames(content.data) : liveSegmentFrames(content.mini, frameWeight);
}

/** Whether these bytes are a framed segment file (else one of the one-value formats). */
export function isFramedSegment(bytes: Uint8Array): boolean {
  return bytes.byteLength >= FRAMED_MAGIC.byteLength && Buffer.from(bytes.buffer, bytes.byteOffset, FRAMED_MAGIC.byteLength).equals(FRAMED_MAGIC);
}

/**
 * Reads a framed segment file back. A frozen segment's typed arrays are views into `bytes` where aligned (copies
 * otherwise). Throws an Error naming what is wrong when the file is cut, damaged or not a segment; the index then
 * rebuilds from the database.
 */
export function decodeFramedSegment(bytes: Uint8Array): SegmentContent {
  const frames = readFrames(bytes);
  const header = frames.next();
  if (header.done || header.value.type !== VALUE) throw new Error('framed index segment has no header');
  const head = deserialize(header.value.payload) as Record<string, unknown> | null;
  if (head?.['format'] === LIVE_FRAMED) return { kind: 'live', mini: readLive(head, frames) };
  if (head?.['format'] === FROZEN_FRAMED) return { kind: 'frozen', data: readFrozen(head, frames) };
  throw new Error('not a newsdesk index segment');
}

interface RawFrame {
  type: number;
  payload: Uint8Array;
}

function* readFrames(bytes: Uint8Array): Generator<RawFrame> {
  if (!isFramedSegment(bytes)) throw new Error('not a framed index segment');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = FRAMED_MAGIC.byteLength;
  while (at < bytes.byteLength) {
    if (at + FRAME_HEADER_BYTES > bytes.byteLength) throw new Error('framed index segment is cut short');
    const length = view.getUint32(at, true);
    const type = view.getUint8(at + 4);
    const start = at + FRAME_HEADER_BYTES;
    if (start + length > bytes.byteLength) throw new Error('framed index segment is cut short');
    yield { type, payload: bytes.subarray(start, start + length) };
    at = start + length + ((ALIGN - (length % ALIGN)) % ALIGN);
  }
}

/** The values of the frames after the header up to the end frame, checking their count and that nothing follows. */
function* values(frames: Generator<RawFrame>): Generator<Record<string, unknown>> {
  let count = 1;
  for (const f of frames) {
    if (f.type !== VALUE) throw new Error('framed index segment has raw bytes out of place');
    const value = deserialize(f.payload) as Record<string, unknown> | null;
    if (value === null || typeof value !== 'object') throw new Error('framed index segment holds a frame of another kind');
    if ('end' in value) {
      if (value['end'] !== count || !frames.next().done) throw new Error('framed index segment does not add up');
      return;
    }
    count++;
    yield value;
    if (value['array'] !== undefined) count++;
  }
  throw new Error('framed index segment is cut short');
}

function readLive(head: Record<string, unknown>, frames: Generator<RawFrame>): MiniSearch<IndexedPassage> {
  const tree = new Map<string, unknown>();
  const tables = new Map<TableName, Map<unknown, unknown>>(TABLES.map((t) => [t, new Map()]));
  for (const value of values(frames)) {
    if (Array.isArray(value['tree'])) {
      for (const piece of value['tree'] as unknown[]) putPiece(tree, piece);
    } else if (tables.has(value['table'] as TableName) && Array.isArray(value['rows'])) {
      const table = tables.get(value['table'] as TableName)!;
      for (const [k, v] of value['rows'] as [unknown, unknown][]) table.set(k, v);
    } else throw new Error('framed index segment holds a frame of another kind');
  }
  const { documentCount, avgFieldLength, nextId, dirtCount } = head;
  if (typeof documentCount !== 'number' || !Array.isArray(avgFieldLength) || typeof nextId !== 'number' || typeof dirtCount !== 'number') {
    throw new Error('framed index segment has no counts');
  }
  if (tables.get('_documentIds')!.size !== documentCount) throw new Error('framed index segment does not add up');
  const mini = new MiniSearch<IndexedPassage>(MINISEARCH_OPTIONS);
  const m = internals(mini);
  m._index._tree = tree;
  m._index._size = undefined;
  Object.assign(m, {
    _documentCount: documentCount,
    _avgFieldLength: avgFieldLength,
    _nextId: nextId,
    _dirtCount: dirtCount,
    ...Object.fromEntries(tables),
  });
  return mini;
}

/** Puts a piece back where it was: its path's nodes are made in the order the pieces come, as they were. */
function putPiece(tree: Map<string, unknown>, piece: unknown): void {
  if (!Array.isArray(piece) || !Array.isArray(piece[0]) || piece[0].length === 0 || !(piece[1] instanceof Map)) {
    throw new Error('framed index segment holds a damaged tree piece');
  }
  const path = piece[0] as unknown[];
  let node = tree;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i];
    if (typeof key !== 'string') throw new Error('framed index segment holds a damaged tree piece');
    let next = node.get(key);
    if (next === undefined) {
      next = new Map<string, unknown>();
      node.set(key, next);
    }
    if (!(next instanceof Map)) throw new Error('framed index segment holds a damaged tree piece');
    node = next as Map<string, unknown>;
  }
  const last = path[path.length - 1];
  if (typeof last !== 'string' || node.has(last)) throw new Error('framed index segment holds a damaged tree piece');
  node.set(last, piece[1]);
}

function readFrozen(head: Record<string, unknown>, frames: Generator<RawFrame>): FrozenSegmentData {
  const terms: string[] = [];
  const arrays = new Map<string, Uint32Array | Uint16Array | Float64Array>();
  for (const value of values(frames)) {
    if (Array.isArray(value['terms'])) {
      for (const t of value['terms'] as unknown[]) terms.push(t as string);
      continue;
    }
    const type = ARRAYS.find(([name]) => name === value['array'])?.[1];
    const raw = frames.next();
    if (!type || value['type'] !== type || raw.done || raw.value.type !== RAW) throw new Error('framed index segment holds a damaged array');
    const Typed = TYPED[type];
    const { payload } = raw.value;
    if (payload.byteLength !== (value['length'] as number) * Typed.BYTES_PER_ELEMENT) throw new Error('framed index segment holds a damaged array');
    // A view when the bytes sit aligned for the type (they do in a file read whole), else a copy.
    const array =
      payload.byteOffset % Typed.BYTES_PER_ELEMENT === 0
        ? new Typed(payload.buffer as ArrayBuffer, payload.byteOffset, payload.byteLength / Typed.BYTES_PER_ELEMENT)
        : new Typed(new Uint8Array(payload).buffer);
    arrays.set(value['array'] as string, array);
  }
  return { terms, ...Object.fromEntries(arrays), documentCount: head['documentCount'], avgFieldLength: head['avgFieldLength'] } as unknown as FrozenSegmentData;
}

/** The two arrays a question reads one term's slice of: left in the file (see segment-file.ts). */
const POSTING_ARRAYS = new Set(['docs', 'freqs']);

/** A frame's place in an open framed file: its type, its payload's byte range, and where the next frame starts. */
interface FileFrame {
  type: number;
  start: number;
  length: number;
  next: number;
}

/** The frame whose header is at byte `at` of `file`; throws when the file is cut short there. */
function frameInFile(file: FramedFile, at: number): FileFrame {
  if (at + FRAME_HEADER_BYTES > file.size) throw new Error('framed index segment is cut short');
  const head = Buffer.from(file.read(at, FRAME_HEADER_BYTES));
  const length = head.readUInt32LE(0);
  const start = at + FRAME_HEADER_BYTES;
  if (start + length > file.size) throw new Error('framed index segment is cut short');
  return { type: head.readUInt8(4), start, length, next: start + length + ((ALIGN - (length % ALIGN)) % ALIGN) };
}

/** The value a VALUE frame holds; throws when the frame is raw bytes or holds no object. */
function valueInFile(file: FramedFile, f: FileFrame): Record<string, unknown> {
  if (f.type !== VALUE) throw new Error('framed index segment has raw bytes out of place');
  const value = deserialize(file.read(f.start, f.length)) as Record<string, unknown> | null;
  if (value === null || typeof value !== 'object') throw new Error('framed index segment holds a frame of another kind');
  return value;
}

/**
 * A frozen segment from an open framed file, its postings left in the file: the term list and the document tables
 * are read now, `docs` and `freqs` per term when a question asks (`PostingsFile`). Returns undefined when the file
 * holds the newest segment (decoded whole instead). Throws an Error naming what is wrong when the file is cut,
 * damaged or not a segment, as `decodeFramedSegment` does.
 */
export function readFramedFrozenHead(file: FramedFile): FrozenSegmentData | undefined {
  const frameAt = (at: number) => frameInFile(file, at);
  const valueAt = (f: FileFrame) => valueInFile(file, f);
  let f = frameAt(FRAMED_MAGIC.byteLength);
  const head = valueAt(f);
  if (head['format'] === LIVE_FRAMED) return undefined;
  if (head['format'] !== FROZEN_FRAMED) throw new Error('not a newsdesk index segment');
  const terms: string[] = [];
  const arrays = new Map<string, Uint32Array | Uint16Array | Float64Array>();
  const postingsAt = new Map<string, { start: number; length: number }>();
  let count = 1;
  for (;;) {
    if (f.next >= file.size) throw new Error('framed index segment is cut short');
    f = frameAt(f.next);
    const value = valueAt(f);
    if ('end' in value) {
      if (value['end'] !== count || f.next < file.size) throw new Error('framed index segment does not add up');
      break;
    }
    count++;
    if (Array.isArray(value['terms'])) {
      for (const t of value['terms'] as unknown[]) terms.push(t as string);
      continue;
    }
    const name = value['array'] as string;
    const type = ARRAYS.find(([n]) => n === name)?.[1];
    if (f.next >= file.size) throw new Error('framed index segment is cut short');
    const raw = frameAt(f.next);
    const Typed = type && TYPED[type];
    if (!Typed || value['type'] !== type || raw.type !== RAW || raw.length !== (value['length'] as number) * Typed.BYTES_PER_ELEMENT) {
      throw new Error('framed index segment holds a damaged array');
    }
    count++;
    f = raw;
    if (POSTING_ARRAYS.has(name)) postingsAt.set(name, { start: raw.start, length: value['length'] as number });
    else {
      const array = new Typed(value['length'] as number);
      file.read(raw.start, raw.length, new Uint8Array(array.buffer));
      arrays.set(name, array);
    }
  }
  const docs = postingsAt.get('docs');
  const freqs = postingsAt.get('freqs');
  if (!docs || !freqs) throw new Error('frozen index segment is damaged: no postings');
  const tables = Object.fromEntries(arrays) as Partial<Pick<FrozenSegmentData, 'offsets' | 'passageIds' | 'articleIds' | 'lengths'>>;
  const data = checkFrozenTables({ terms, ...tables, documentCount: head['documentCount'] as number, avgFieldLength: head['avgFieldLength'] as number }, docs.length, freqs.length);
  const { passageIds } = data;
  const postings = new PostingsFile(file, docs.start, freqs.start, docs.length, (doc) => doc < passageIds.length && passageIds[doc]! >= 0);
  return withPostingsFile(data, postings);
}

/**
 * A frozen segment this process just wrote to `file` (with `frozenSegmentFrames`), its postings now read from the
 * file instead of held in memory: the term list and the document tables are `data`'s own (nothing is decoded), and
 * only the frame headers are read, to find the postings. Throws an Error when the file does not hold `data`'s frames.
 */
export function postingsLeftInFile(data: FrozenSegmentData, file: FramedFile): FrozenSegmentData {
  const docsLength = data.docs.length;
  const raws: FileFrame[] = [];
  for (let at = FRAMED_MAGIC.byteLength; at < file.size && raws.length < 3; ) {
    const f = frameInFile(file, at);
    if (f.type === RAW) raws.push(f);
    at = f.next;
  }
  // The raw frames come in ARRAYS' order: offsets, docs, freqs, then the document tables.
  const [, docs, freqs] = raws;
  if (ARRAYS[1]![0] !== 'docs' || ARRAYS[2]![0] !== 'freqs' || docs?.length !== docsLength * 4 || freqs?.length !== docsLength * 2) {
    throw new Error(`${file.path} does not hold the segment just written`);
  }
  const { terms, offsets, passageIds, articleIds, lengths, documentCount, avgFieldLength } = data;
  const postings = new PostingsFile(file, docs.start, freqs.start, docsLength, (doc) => doc < passageIds.length && passageIds[doc]! >= 0);
  return withPostingsFile({ terms, offsets, passageIds, articleIds, lengths, documentCount, avgFieldLength }, postings);
}

/** Whether `file` starts as a framed frozen segment does (its magic, then a header naming that kind); never throws. */
export function holdsFrozenFrames(file: FramedFile): boolean {
  try {
    if (file.size < FRAMED_MAGIC.byteLength || !Buffer.from(file.read(0, FRAMED_MAGIC.byteLength)).equals(FRAMED_MAGIC)) return false;
    return valueInFile(file, frameInFile(file, FRAMED_MAGIC.byteLength))['format'] === FROZEN_FRAMED;
  } catch {
    return false;
  }
}
