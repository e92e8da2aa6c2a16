import MiniSearch from 'minisearch';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describeError } from '../errors.js';
import type { Logger } from '../log.js';
import type { PassageRecord, Store } from '../store/store.js';
import { writeFileAtomic } from './atomic-write.js';
import { freezeSegment, thawSegment, type FrozenSegmentData } from './frozen-segment.js';
import { decodeSegment, encodeSegment, type SegmentContent } from './segment-codec.js';
import { INDEX_FORMAT_VERSION, MINISEARCH_OPTIONS, indexText, keyTerm, queryText, termKey, type IndexedPassage } from './minisearch-options.js';
import { IndexTextWorker } from './index-text-worker.js';
import { internals } from './minisearch-internals.js';
import { TopHits } from './top-hits.js';

/** The index lives in this directory of the data directory: a manifest and one file per segment. */
export const INDEX_DIR = 'index';
export const MANIFEST_FILE = 'manifest.json';
/** Held by the running bot: while it exists and its process lives, only the bot writes the index. */
export const OWNER_FILE = 'owner.pid';
const LEFTOVER_AGE_MS = 3_600_000;
/** Index files of earlier versions, removed once the index is rebuilt. */
const LEGACY_FILES = ['index.json'];

/**
 * Passages per segment. Each segment is its own MiniSearch, saved to its own file: no save or load ever
 * builds one giant string (V8 caps strings near 512 MB; one index of a million passages is far bigger), a
 * full segment is frozen into typed arrays and written once, and only the newest one changes with
 * incremental adds.
 */
export const SEGMENT_SIZE = 50_000;

/** Passages read, tokenized and inserted at a time while catching up. */
const CATCH_UP_BATCH = 5000;
/**
 * From this many passages to catch up with (a rebuild, a large ingest), tokenizing moves to a worker thread
 * while this one inserts; below it, starting the thread (loading jieba's dictionary again) costs more than it saves.
 */
export const PARALLEL_CATCH_UP_MIN = 20_000;
const PROGRESS_LOG_EVERY = 100_000;

interface SegmentMeta {
  file: string;
  firstId: number;
  lastId: number;
  count: number;
}

interface Manifest {
  format: 'newsdesk-index';
  version: number;
  /** Every passage with an id up to this one is in the index; later ones are added at load. */
  lastPassageId: number;
  documentCount: number;
  savedAt: string;
  segments: SegmentMeta[];
}

interface Segment {
  /** Searches the segment; over `frozen` when the segment is full. */
  mini: MiniSearch<IndexedPassage>;
  frozen?: FrozenSegmentData;
  firstId: number;
  lastId: number;
  /** The file holding this segment as last saved; undefined until saved. */
  file?: string;
  dirty: boolean;
}

export interface IndexHit {
  passageId: number;
  articleId: number;
  score: number;
  /** Distinct query terms found in the passage. */
  matchedTerms: string[];
}

export type LoadOutcome = 'loaded' | 'built' | 'rebuilt';

/** What a catch-up needs of the tokenizer thread (an `IndexTextWorker`). */
export type IndexTextThread = Pick<IndexTextWorker, 'submit' | 'take' | 'close'>;

export interface CatchUpOptions {
  /** Tokenize on a worker thread; by default only from PARALLEL_CATCH_UP_MIN passages on. */
  parallel?: boolean;
  startWorker?: () => IndexTextThread;
  /** Passages per batch; CATCH_UP_BATCH by default. */
  batchSize?: number;
  /** Called after each batch with the passages added so far and the number there were to add. */
  onProgress?: (done: number, total: number) => void;
}

const newSegment = (): Segment => ({ mini: new MiniSearch(MINISEARCH_OPTIONS), firstId: 0, lastId: 0, dirty: true });

let generation = 0;
/** A file name no earlier save used, so a save never overwrites a file the current manifest points to. */
const segmentFileName = (n: number) => `seg-${String(n).padStart(4, '0')}-${Date.now().toString(36)}${(generation++).toString(36)}.bin`;

/**
 * The full-text index of passages, in segments. The database is the truth; the index on disk is a cache of
 * it that can always be rebuilt, so a missing, corrupt or outdated index costs time, never data.
 */
export class PassageIndex {
  private segments: Segment[];
  private lastPassageId: number;
  private readonly segmentSize: number;
  private readonly log: Logger;
  readonly dir: string;
  readonly loadOutcome: LoadOutcome;
  /**
   * Where this index's time went since it was opened, in ms (summed; tokenizing on the worker thread shows as
   * the main thread's wait for it). Read by `npm run bench -- --processes` through the core's performance marks.
   */
  readonly timings = { readMs: 0, decodeMs: 0, tokenizeMs: 0, insertMs: 0, freezeMs: 0, saveMs: 0 };

  private constructor(segments: Segment[], lastPassageId: number, dir: string, loadOutcome: LoadOutcome, segmentSize: number, log: Logger) {
    this.segmentSize = segmentSize;
    this.log = log;
    this.segments = segments.length > 0 ? segments : [newSegment()];
    this.lastPassageId = lastPassageId;
    this.dir = dir;
    this.loadOutcome = loadOutcome;
  }

  /** Loads the saved index, or rebuilds it from the store (saying why), then adds passages stored since it was saved. */
  static open(store: Store, dataDir: string, log: Logger, options: { segmentSize?: number } & CatchUpOptions = {}): PassageIndex {
    const segmentSize = options.segmentSize ?? SEGMENT_SIZE;
    const dir = join(dataDir, INDEX_DIR);
    const hadFiles = existsSync(join(dir, MANIFEST_FILE)) || LEGACY_FILES.some((f) => existsSync(join(dataDir, f)));
    const loaded = PassageIndex.tryLoad(dir, dataDir, store, log);
    const index = loaded
      ? new PassageIndex(loaded.segments, loaded.lastPassageId, dir, 'loaded', segmentSize, log)
      : new PassageIndex([], 0, dir, hadFiles ? 'rebuilt' : 'built', segmentSize, log);
    if (loaded) Object.assign(index.timings, loaded.timings);
    const added = index.catchUp(store, options);
    if (added > 0 || index.loadOutcome !== 'loaded') {
      index.save();
      for (const f of LEGACY_FILES) rmSync(join(dataDir, f), { force: true });
      if (index.loadOutcome === 'loaded') log.info({ added }, 'index caught up with the database');
    }
    return index;
  }

  private static tryLoad(dir: string, dataDir: string, store: Store, log: Logger): { segments: Segment[]; lastPassageId: number; timings: { readMs: number; decodeMs: number } } | undefined {
    const manifestPath = join(dir, MANIFEST_FILE);
    if (!existsSync(manifestPath)) {
      if (LEGACY_FILES.some((f) => existsSync(join(dataDir, f)))) log.warn({ dir }, 'saved index is from another version: rebuilding it from the database');
      else if (store.passageCount() > 0) log.info({ dir }, 'no saved index: building it from the database');
      return undefined;
    }
    try {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Partial<Manifest>;
      if (manifest.format !== 'newsdesk-index' || manifest.version !== INDEX_FORMAT_VERSION || !Array.isArray(manifest.segments)) {
        log.warn({ dir, version: manifest.version, expected: INDEX_FORMAT_VERSION }, 'saved index is from another version: rebuilding it from the database');
        return undefined;
      }
      const lastPassageId = manifest.lastPassageId ?? 0;
      // An index that holds passages the database no longer has (a restored or replaced database) is stale.
      if (store.countPassagesUpTo(lastPassageId) !== manifest.documentCount) {
        log.warn({ dir }, 'saved index does not match the database: rebuilding it');
        return undefined;
      }
      const timings = { readMs: 0, decodeMs: 0 };
      const segments = manifest.segments.map((meta): Segment => {
        const readStart = performance.now();
        const bytes = readFileSync(join(dir, meta.file));
        const decodeStart = performance.now();
        const { mini, frozen } = fromContent(decodeSegment(bytes));
        timings.readMs += decodeStart - readStart;
        timings.decodeMs += performance.now() - decodeStart;
        if (mini.documentCount !== meta.count) throw new Error(`${meta.file} holds ${mini.documentCount} passages, the manifest says ${meta.count}`);
        return { mini, ...(frozen ? { frozen } : {}), firstId: meta.firstId, lastId: meta.lastId, file: meta.file, dirty: false };
      });
      return { segments, lastPassageId, timings };
    } catch (error) {
      log.warn({ dir, error: describeError(error) }, 'saved index is corrupt: rebuilding it from the database');
      return undefined;
    }
  }

  /**
   * Adds every stored passage the index has not seen; returns how many. A large catch-up tokenizes each batch
   * on a worker thread while inserting the one before; should the thread fail, the rest is tokenized here.
   */
  catchUp(store: Store, options: CatchUpOptions = {}): number {
    const pending = store.countPassagesAfter(this.lastPassageId);
    const large = pending >= PARALLEL_CATCH_UP_MIN;
    // A large catch-up (a rebuild at start) takes minutes: say so at the start and now and then, not only at the end.
    if (large) this.log.info({ passages: pending }, `indexing ${pending.toLocaleString('en-US')} passages from the database`);
    let reported = 0;
    const parallel = (options.parallel ?? large) && pending > 0;
    let worker: IndexTextThread | undefined = parallel ? (options.startWorker ?? (() => new IndexTextWorker()))() : undefined;
    const inFlight: PassageRecord[][] = [];
    let added = 0;
    const insertOldest = () => {
      const batch = inFlight.shift()!;
      let texts: string[] | undefined;
      const tokenizeStart = performance.now();
      if (worker) {
        try {
          texts = worker.take();
        } catch (error) {
          this.log.warn({ error: describeError(error) }, 'tokenizing on the main thread instead: the index builds more slowly but completely');
          worker.close();
          worker = undefined;
        }
      }
      texts ??= batch.map((p) => indexText(p.text));
      this.timings.tokenizeMs += performance.now() - tokenizeStart;
      this.addIndexed(batch.map((p, i) => ({ id: p.id, articleId: p.articleId, text: texts[i]! })));
      added += batch.length;
      options.onProgress?.(added, pending);
      if (large && (added - reported >= PROGRESS_LOG_EVERY || added === pending)) {
        reported = added;
        this.log.info({ done: added, total: pending }, `indexed ${added.toLocaleString('en-US')} of ${pending.toLocaleString('en-US')} passages`);
      }
    };
    const enqueue = (batch: PassageRecord[]) => {
      worker?.submit(batch.map((p) => p.text));
      inFlight.push(batch);
      // One batch tokenizing while the one before is inserted keeps both threads busy.
      if (inFlight.length > 1) insertOldest();
    };
    try {
      let batch: PassageRecord[] = [];
      for (const passage of store.iteratePassages(this.lastPassageId)) {
        batch.push(passage);
        if (batch.length === (options.batchSize ?? CATCH_UP_BATCH)) {
          enqueue(batch);
          batch = [];
        }
      }
      if (batch.length > 0) enqueue(batch);
      while (inFlight.length > 0) insertOldest();
    } finally {
      worker?.close();
    }
    return added;
  }

  add(passages: readonly PassageRecord[]): void {
    const start = performance.now();
    const indexed = passages.map((p) => ({ id: p.id, articleId: p.articleId, text: indexText(p.text) }));
    this.timings.tokenizeMs += performance.now() - start;
    this.addIndexed(indexed);
  }

  /** Adds passages whose text is already their `indexText`. */
  private addIndexed(passages: readonly IndexedPassage[]): void {
    const start = performance.now();
    let freezeMs = 0;
    let at = 0;
    while (at < passages.length) {
      let segment = this.segments[this.segments.length - 1]!;
      if (segment.frozen || segment.mini.documentCount >= this.segmentSize) {
        segment = newSegment();
        this.segments.push(segment);
      }
      const room = this.segmentSize - segment.mini.documentCount;
      const slice = passages.slice(at, at + room);
      segment.mini.addAll(slice);
      for (const p of slice) {
        if (segment.firstId === 0 || p.id < segment.firstId) segment.firstId = p.id;
        if (p.id > segment.lastId) segment.lastId = p.id;
        if (p.id > this.lastPassageId) this.lastPassageId = p.id;
      }
      segment.dirty = true;
      at += slice.length;
      if (segment.mini.documentCount >= this.segmentSize) {
        const freezeStart = performance.now();
        freeze(segment);
        freezeMs += performance.now() - freezeStart;
      }
    }
    this.timings.freezeMs += freezeMs;
    this.timings.insertMs += performance.now() - start - freezeMs;
  }

  /** The highest passage id in the index: everything stored up to it is searchable. */
  get lastId(): number {
    return this.lastPassageId;
  }

  get documentCount(): number {
    return this.segments.reduce((n, s) => n + s.mini.documentCount, 0);
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  /**
   * In how many passages a term occurs. MiniSearch has no public document-frequency call; this reads its
   * inverted index (field 0 is `text`), which is why minisearch is pinned to 7.2.x in package.json.
   */
  documentFrequency(term: string): number {
    const key = termKey(term);
    let df = 0;
    for (const segment of this.segments) {
      df += internals(segment.mini)._index.get(key)?.get(0)?.size ?? 0;
    }
    return df;
  }

  /**
   * BM25 hits for the given (already tokenised) terms across all segments, best first. MiniSearch scores each
   * segment (its query step, with MiniSearch.search's own final weighting: the score times the number of
   * query terms matched); only the best `limit` are kept, without building or sorting a result for every
   * passage that merely shares a common word with the question.
   */
  search(terms: readonly string[], options: { filter?: (articleId: number) => boolean; limit?: number } = {}): IndexHit[] {
    if (terms.length === 0) return [];
    const filter = options.filter;
    const query = queryText(terms);
    const top = new TopHits<IndexHit>(options.limit ?? Infinity);
    for (const segment of this.segments) {
      const raw = internals(segment.mini).executeQuery(query);
      const docs = documentsOf(segment);
      for (const [shortId, r] of raw) {
        const score = r.score * (r.terms.length || 1);
        const passageId = docs.passageId(shortId);
        if (!top.admits(score, passageId)) continue;
        const articleId = docs.articleId(shortId);
        if (filter && !filter(articleId)) continue;
        top.offer({ passageId, articleId, score, matchedTerms: r.terms.map(keyTerm) });
      }
    }
    return top.best();
  }

  /**
   * Saves the segments that changed, each to a new file, then the manifest that names them, atomically:
   * an interrupted save leaves the previous manifest and every file it names intact.
   */
  save(now: Date = new Date()): void {
    const start = performance.now();
    mkdirSync(this.dir, { recursive: true });
    const replaced: string[] = [];
    const files = this.segments.map((segment, n) => {
      if (!segment.dirty && segment.file) return segment.file;
      const file = segmentFileName(n + 1);
      writeFileAtomic(join(this.dir, file), [encodeSegment(segment.frozen ? { kind: 'frozen', data: segment.frozen } : { kind: 'live', mini: segment.mini })]);
      if (segment.file) replaced.push(segment.file);
      return file;
    });
    const manifest: Manifest = {
      format: 'newsdesk-index',
      version: INDEX_FORMAT_VERSION,
      lastPassageId: this.lastPassageId,
      documentCount: this.documentCount,
      savedAt: now.toISOString(),
      segments: this.segments.map((s, n) => ({ file: files[n]!, firstId: s.firstId, lastId: s.lastId, count: s.mini.documentCount })),
    };
    writeFileAtomic(join(this.dir, MANIFEST_FILE), [JSON.stringify(manifest, null, 1)]);
    this.segments.forEach((s, n) => {
      s.file = files[n];
      s.dirty = false;
    });
    // Earlier generations of the segments this save replaced, and leftovers of a crash once they are old
    // enough that no other process can still be writing them.
    for (const f of replaced) rmSync(join(this.dir, f), { force: true });
    const keep = new Set([...files, MANIFEST_FILE, OWNER_FILE]);
    for (const f of readdirSync(this.dir)) {
      if (keep.has(f)) continue;
      const path = join(this.dir, f);
      if (now.getTime() - statSync(path).mtimeMs > LEFTOVER_AGE_MS) rmSync(path, { force: true });
    }
    this.timings.saveMs += performance.now() - start;
  }
}

interface SegmentDocuments {
  passageId(shortId: number): number;
  articleId(shortId: number): number;
}

function documentsOf(segment: Segment): SegmentDocuments {
  const frozen = segment.frozen;
  if (frozen) return { passageId: (s) => frozen.passageIds[s]!, articleId: (s) => frozen.articleIds[s]! };
  const m = internals(segment.mini);
  return { passageId: (s) => m._documentIds.get(s) as number, articleId: (s) => m._storedFields.get(s)!['articleId'] as number };
}

function fromContent(content: SegmentContent): Pick<Segment, 'mini' | 'frozen'> {
  return content.kind === 'frozen' ? { mini: thawSegment(content.data), frozen: content.data } : { mini: content.mini };
}

/** Turns a full segment's MiniSearch maps into typed arrays; the maps become garbage. */
function freeze(segment: Segment): void {
  if (segment.frozen) return;
  segment.frozen = freezeSegment(segment.mini);
  segment.mini = thawSegment(segment.frozen);
  segment.dirty = true;
}
