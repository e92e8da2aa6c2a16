import MiniSearch from 'minisearch';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { setImmediate as setImmediatePromise } from 'node:timers/promises';
import { describeError } from '../errors.js';
import type { Logger } from '../log.js';
import type { NewsStore } from '../store/news-store.js';
import { isSqliteError, type PassageRecord } from '../store/store.js';
import { writeFileAtomic, writeFileAtomicAsync } from './atomic-write.js';
import { SAVE_SLICE_MS, encodeInSlices, type EncodedSegment, type SaveSlicing } from './segment-save.js';
import { frozenSegmentFile, postingsLeftInFile, segmentFrames } from './segment-frames.js';
import { removeLeftovers } from './leftover-files.js';
import { freezeSegment, freezeSegmentInSlices, thawSegment, type FrozenSegmentData } from './frozen-segment.js';
import { encodeSegment, type SegmentContent } from './segment-codec.js';
import { openSegmentFile } from './segment-file.js';
import { FramedFile, postingsFileOf, type PostingsFile } from './postings-file.js';
import { INDEX_FORMAT_VERSION, MINISEARCH_OPTIONS, indexText, keyTerm, queryText, termKey, type IndexedPassage } from './minisearch-options.js';
import { IndexTextWorker } from './index-text-worker.js';
import { internals } from './minisearch-internals.js';
import { TopHits } from './top-hits.js';
import { SegmentBuilder } from './segment-builder.js';

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

/**
 * A responsive catch-up (the bot's) works for about this long, then lets the event loop run: far below Discord's
 * 3 s, and below the 200 ms that issue 11 allows any stall of the bot's main thread.
 */
export const CATCH_UP_SLICE_MS = 50;
/** At most this many passages in one slice of a responsive catch-up, however fast the machine. */
const CATCH_UP_SLICE_MAX = 2_000;
/**
 * Passages read and tokenized between two looks at the clock in a responsive catch-up: about 5 ms of work on an idle
 * machine, so that a slice overruns its 50 ms by little even when other processes take most of the CPU.
 */
const CATCH_UP_CHUNK = 20;

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
  /** CRC-32 of the file's bytes: a segment that fails it is rebuilt from the database (absent in older manifests). */
  crc32?: number;
}

interface Manifest {
  format: 'newsdesk-index';
  version: number;
  /** Every passage with an id up to this one is in the index; later ones are added at load. */
  lastPassageId: number;
  documentCount: number;
  savedAt: string;
  segments: SegmentMeta[];
  /** The last entry of the store's change log applied; removals after it are applied at load. */
  changeSeq?: number;
  /** Articles removed from the store whose passages are still in a segment: hidden from every search. */
  removedArticles?: number[];
  /** How many of `documentCount` belong to removed articles. */
  removedPassages?: number;
}

/** One segment of the index (exported for the stall bench, which pads an index with copies of its segments). */
export interface Segment {
  /** Searches the segment; over `frozen` when the segment is full. */
  mini: MiniSearch<IndexedPassage>;
  frozen?: FrozenSegmentData;
  firstId: number;
  lastId: number;
  /** The file holding this segment as last saved; undefined until saved. */
  file?: string;
  /** CRC-32 of that file's bytes. */
  crc32?: number;
  dirty: boolean;
  /** Full, and being frozen in slices (`catchUpInSlices`): it must not change meanwhile. */
  freezing?: boolean;
  /** Its passages as the manifest counts them, for a saved segment whose contents are decoded when first read. */
  savedCount?: number;
}

/** Passages in a segment, without decoding one that was not read yet. */
const countOf = (segment: Segment): number => segment.savedCount ?? segment.mini.documentCount;

export interface IndexHit {
  passageId: number;
  articleId: number;
  score: number;
  /** Distinct query terms found in the passage. */
  matchedTerms: string[];
}

export type LoadOutcome = 'loaded' | 'built' | 'rebuilt';

/** What a catch-up needs of the tokenizer thread (an `IndexTextWorker`). */
export type IndexTextThread = Pick<IndexTextWorker, 'submit' | 'take' | 'close'> & Partial<Pick<IndexTextWorker, 'ready'>>;

export interface CatchUpOptions {
  /** Tokenize on a worker thread; by default only from PARALLEL_CATCH_UP_MIN passages on. */
  parallel?: boolean;
  startWorker?: () => IndexTextThread;
  /** Index texts of passages tokenized ahead (by passage id; see `EarlyTokenizer`); used and removed from the map. */
  tokenized?: Map<number, string>;
  /** Passages per batch; CATCH_UP_BATCH by default. */
  batchSize?: number;
  /** Called after each batch with the passages added so far and the number there were to add. */
  onProgress?: (done: number, total: number) => void;
}

const newSegment = (): Segment => ({ mini: new MiniSearch(MINISEARCH_OPTIONS), firstId: 0, lastId: 0, dirty: true });

let generation = 0;
/** A file name no earlier save used, so a save never overwrites a file the current manifest points to. */
const segmentFileName = (n: number) => `seg-${String(n).padStart(4, '0')}-p${process.pid}-${Date.now().toString(36)}${(generation++).toString(36)}.bin`;

/**
 * The full-text index of passages, in segments. The database is the truth; the index on disk is a cache of
 * it that can always be rebuilt, so a missing, corrupt or outdated index costs time, never data.
 */
export class PassageIndex {
  private segments: Segment[];
  private lastPassageId: number;
  /**
   * Removed articles whose passages are still in a segment. A frozen segment cannot drop a document, so removal
   * hides: search skips them, and a rebuild (which reads only what the store holds) leaves them out for good.
   */
  private removedArticles = new Set<number>();
  private removedPassages = 0;
  private changeSeq = 0;
  /** The save in slices under way, and one asked for meanwhile (saves never overlap). */
  private runningSave: Promise<void> | undefined;
  private queuedSave: Promise<void> | undefined;
  private readonly segmentSize: number;
  /** The segment a catch-up is filling through a SegmentBuilder (it joins the search when full). */
  private building: { segment: Segment; builder: SegmentBuilder } | undefined;
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
  static async open(store: NewsStore, dataDir: string, log: Logger, options: { segmentSize?: number; decodeWhenRead?: boolean } & CatchUpOptions = {}): Promise<PassageIndex> {
    const segmentSize = options.segmentSize ?? SEGMENT_SIZE;
    const dir = join(dataDir, INDEX_DIR);
    const hadFiles = existsSync(join(dir, MANIFEST_FILE)) || LEGACY_FILES.some((f) => existsSync(join(dataDir, f)));
    // Taken before reading any passage: a removal committed during a rebuild is then applied again (harmlessly).
    const changeSeqAtStart = await store.articles.lastChangeSeq();
    PassageIndex.removeLeftovers(dir, log);
    const loaded = await PassageIndex.tryLoad(dir, dataDir, store, log, options.decodeWhenRead === true);
    const index = loaded
      ? new PassageIndex(loaded.segments, loaded.lastPassageId, dir, 'loaded', segmentSize, log)
      : new PassageIndex([], 0, dir, hadFiles ? 'rebuilt' : 'built', segmentSize, log);
    let changed = false;
    if (loaded) {
      index.openFiles = loaded.openFiles;
      index.removedArticles = loaded.removedArticles;
      index.removedPassages = loaded.removedPassages;
      index.changeSeq = loaded.changeSeq;
      changed = loaded.changed;
      Object.assign(index.timings, loaded.timings);
    } else {
      index.changeSeq = changeSeqAtStart;
    }
    const added = await index.catchUp(store, options);
    if (added > 0 || changed || index.loadOutcome !== 'loaded' || loaded?.repaired) {
      index.save();
      for (const f of LEGACY_FILES) rmSync(join(dataDir, f), { force: true });
      if (index.loadOutcome === 'loaded') log.info({ added }, 'index caught up with the database');
    }
    return index;
  }

  /** Removes temp and segment files an interrupted save left behind (see `removeLeftovers`), saying so. */
  private static removeLeftovers(dir: string, log: Logger): void {
    const keep = new Set([MANIFEST_FILE, OWNER_FILE]);
    try {
      const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Partial<Manifest>;
      for (const s of Array.isArray(manifest.segments) ? manifest.segments : []) keep.add(s.file);
    } catch {
      // No readable manifest names nothing to keep; the segments it may have named are rebuilt anyway.
    }
    const removed = removeLeftovers(dir, keep);
    if (removed.length > 0) log.info({ dir, files: removed }, `removed ${removed.length} file(s) left by an interrupted index save`);
  }

  private static async tryLoad(
    dir: string,
    dataDir: string,
    store: NewsStore,
    log: Logger,
    decodeWhenRead: boolean,
  ): Promise<
    | {
        segments: Segment[];
        openFiles: PostingsFile[];
        lastPassageId: number;
        removedArticles: Set<number>;
        removedPassages: number;
        changeSeq: number;
        changed: boolean;
        repaired: boolean;
        timings: { readMs: number; decodeMs: number };
      }
    | undefined
  > {
    const manifestPath = join(dir, MANIFEST_FILE);
    if (!existsSync(manifestPath)) {
      if (LEGACY_FILES.some((f) => existsSync(join(dataDir, f)))) log.warn({ dir }, 'saved index is from another version: rebuilding it from the database');
      else if ((await store.passageCount()) > 0) log.info({ dir }, 'no saved index: building it from the database');
      return undefined;
    }
    try {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Partial<Manifest>;
      if (manifest.format !== 'newsdesk-index' || manifest.version !== INDEX_FORMAT_VERSION || !Array.isArray(manifest.segments)) {
        log.warn({ dir, version: manifest.version, expected: INDEX_FORMAT_VERSION }, 'saved index is from another version: rebuilding it from the database');
        return undefined;
      }
      const lastPassageId = manifest.lastPassageId ?? 0;
      const changeSeq = manifest.changeSeq ?? 0;
      const pending = (await store.articles.changesAfter(changeSeq)).filter((c) => c.kind === 'removed');
      // An index that holds passages the database no longer has (a restored or replaced database) is stale; passages
      // of removed articles are accounted for (those removed since the save are counted once the segments are read).
      const expected = (await store.countPassagesUpTo(lastPassageId)) + (manifest.removedPassages ?? 0);
      if (pending.length === 0 && expected !== manifest.documentCount) {
        log.warn({ dir }, 'saved index does not match the database: rebuilding it');
        return undefined;
      }
      let repaired = false;
      const timings = { readMs: 0, decodeMs: 0 };
      const segments: Segment[] = [];
      const openFiles: PostingsFile[] = [];
      for (const [n, meta] of manifest.segments.entries()) segments.push(await (async (): Promise<Segment> => {
        const readStart = performance.now();
        const file = openSegmentFile(join(dir, meta.file));
        const crc = file.crc32;
        if (meta.crc32 !== undefined && crc !== meta.crc32) {
          // The database holds every passage of the segment: rebuild just this one rather than the whole index.
          const rebuilt = await rebuildSegment(store, meta, n < manifest.segments!.length - 1);
          log.warn({ dir, file: meta.file, passages: meta.count }, `index segment ${meta.file} failed its checksum: rebuilt it from the database (${meta.count} passages)`);
          repaired = true;
          return rebuilt;
        }
        const decodeStart = performance.now();
        timings.readMs += decodeStart - readStart;
        const decode = () => {
          const start = performance.now();
          const content = fromContent(file.decode());
          const postings = content.frozen && postingsFileOf(content.frozen);
          if (postings) openFiles.push(postings);
          timings.decodeMs += performance.now() - start;
          if (content.mini.documentCount !== meta.count) throw new Error(`${meta.file} holds ${content.mini.documentCount} passages, the manifest says ${meta.count}`);
          return content;
        };
        const saved = { firstId: meta.firstId, lastId: meta.lastId, file: meta.file, crc32: crc, dirty: false };
        // A full segment never changes: an ingest, which only adds to the newest one, need not decode the others.
        if (decodeWhenRead && n < manifest.segments!.length - 1) return decodedWhenRead({ ...saved, savedCount: meta.count }, decode);
        const { mini, frozen } = decode();
        return { mini, ...(frozen ? { frozen } : {}), ...saved };
      })());
      const removedArticles = new Set(manifest.removedArticles ?? []);
      let removedPassages = manifest.removedPassages ?? 0;
      const fresh = new Set(pending.map((c) => c.articleId).filter((id) => !removedArticles.has(id)));
      if (fresh.size > 0) {
        removedPassages += countDocumentsOf(segments, fresh);
        for (const id of fresh) removedArticles.add(id);
        log.info({ articles: fresh.size }, 'index applied removals made since it was saved');
      }
      if ((await store.countPassagesUpTo(lastPassageId)) + removedPassages !== manifest.documentCount) {
        log.warn({ dir }, 'saved index does not match the database: rebuilding it');
        return undefined;
      }
      const lastSeq = pending.length > 0 ? Math.max(changeSeq, ...pending.map((c) => c.seq)) : changeSeq;
      return { segments, openFiles, lastPassageId, removedArticles, removedPassages, changeSeq: lastSeq, changed: fresh.size > 0, repaired, timings };
    } catch (error) {
      // The database failing is not the index's fault: rebuilding from it would fail the same way.
      if (isSqliteError(error)) throw error;
      log.warn({ dir, error: describeError(error) }, 'saved index is corrupt: rebuilding it from the database');
      return undefined;
    }
  }

  /**
   * Adds every stored passage the index has not seen; returns how many. A large catch-up tokenizes each batch
   * on a worker thread while inserting the one before; should the thread fail, the rest is tokenized here.
   */
  async catchUp(store: NewsStore, options: CatchUpOptions = {}): Promise<number> {
    const pending = await store.countPassagesAfter(this.lastPassageId);
    const large = pending >= PARALLEL_CATCH_UP_MIN;
    // A large catch-up (a rebuild at start) takes minutes: say so at the start and now and then, not only at the end.
    if (large) this.log.info({ passages: pending }, `indexing ${pending.toLocaleString('en-US')} passages from the database`);
    let reported = 0;
    const parallel = (options.parallel ?? large) && pending > 0;
    let worker: IndexTextThread | undefined = parallel ? (options.startWorker ?? (() => new IndexTextWorker()))() : undefined;
    const known = options.tokenized;
    // Batches in passage order; `texts` is set once tokenized (here, or taken from the thread).
    const inFlight: { batch: PassageRecord[]; texts?: string[] }[] = [];
    let atWorker = 0;
    let added = 0;
    const tokenizeHere = (batch: readonly PassageRecord[]) => {
      const start = performance.now();
      const texts = batch.map((p) => {
        const text = known?.get(p.id);
        if (text === undefined) return indexText(p.text);
        known!.delete(p.id);
        return text;
      });
      this.timings.tokenizeMs += performance.now() - start;
      return texts;
    };
    /** Inserts the oldest batch; false when its texts are still on the thread and `wait` is false. */
    const insertOldest = (wait: boolean): boolean => {
      const entry = inFlight[0]!;
      if (!entry.texts) {
        if (!wait && !worker?.ready?.()) return false;
        const tokenizeStart = performance.now();
        if (worker) {
          try {
            entry.texts = worker.take();
            atWorker -= 1;
          } catch (error) {
            this.log.warn({ error: describeError(error) }, 'tokenizing on the main thread instead: the index builds more slowly but completely');
            worker.close();
            worker = undefined;
          }
        }
        this.timings.tokenizeMs += performance.now() - tokenizeStart;
        entry.texts ??= tokenizeHere(entry.batch);
      }
      inFlight.shift();
      const { batch, texts } = entry;
      this.addCatchingUp(batch.map((p, i) => ({ id: p.id, articleId: p.articleId, text: texts[i]! })), Math.max(0, pending - added - batch.length));
      added += batch.length;
      options.onProgress?.(added, pending);
      if (large && (added - reported >= PROGRESS_LOG_EVERY || added === pending)) {
        reported = added;
        this.log.info({ done: added, total: pending }, `indexed ${added.toLocaleString('en-US')} of ${pending.toLocaleString('en-US')} passages`);
      }
      return true;
    };
    const enqueue = (batch: PassageRecord[]) => {
      // Tokenized ahead (while an ingest read its files), or by the thread while this one inserts the batch before;
      // when the thread already has two batches of a large catch-up to do, this thread tokenizes the next one itself
      // rather than wait (a small one would first have to load jieba's dictionaries here, about a second).
      if (worker && (atWorker < 2 || !large) && !(known && known.has(batch[0]!.id))) {
        worker.submit(batch.map((p) => p.text));
        atWorker += 1;
        inFlight.push({ batch });
      } else inFlight.push({ batch, texts: tokenizeHere(batch) });
      while (inFlight.length > 0 && insertOldest(false));
      // One batch tokenizing while the one before is inserted keeps both threads busy.
      while (inFlight.length > 2) insertOldest(true);
    };
    try {
      // One read per batch, by id range (keyset paging): no statement or cursor stays open, whichever the database.
      for (let after = this.lastPassageId; ; ) {
        const batch = await store.passagesAfter(after, options.batchSize ?? CATCH_UP_BATCH);
        if (batch.length === 0) break;
        after = batch[batch.length - 1]!.id;
        enqueue(batch);
      }
      while (inFlight.length > 0) insertOldest(true);
    } finally {
      worker?.close();
      // Only when fewer passages came than were counted (or on an error): what was built stays, as a smaller segment.
      this.finishBuilding();
    }
    return added;
  }

  /**
   * Adds a catch-up's passages (already `indexText`), `moreToCome` passages still to follow. A segment the catch-up
   * fills from empty is built directly in its frozen form (`SegmentBuilder`: the same data as inserting into MiniSearch
   * and freezing, several times faster); the rest goes into the open segment's MiniSearch as usual.
   */
  private addCatchingUp(passages: readonly IndexedPassage[], moreToCome: number): void {
    let at = 0;
    while (at < passages.length) {
      if (!this.building) {
        const last = this.segments[this.segments.length - 1]!;
        const full = last.frozen !== undefined || last.freezing === true || last.mini.documentCount >= this.segmentSize;
        const empty = !full && last.mini.documentCount === 0;
        if (!(full || empty) || passages.length - at + moreToCome < this.segmentSize) {
          const room = full ? this.segmentSize : this.segmentSize - last.mini.documentCount;
          const slice = passages.slice(at, at + room);
          this.addIndexed(slice);
          at += slice.length;
          continue;
        }
        if (full) this.segments.push(newSegment());
        this.building = { segment: this.segments[this.segments.length - 1]!, builder: new SegmentBuilder() };
      }
      const start = performance.now();
      const { segment, builder } = this.building;
      const slice = passages.slice(at, at + this.segmentSize - builder.count);
      builder.addAll(slice);
      for (const p of slice) {
        if (segment.firstId === 0 || p.id < segment.firstId) segment.firstId = p.id;
        if (p.id > segment.lastId) segment.lastId = p.id;
      }
      at += slice.length;
      this.timings.insertMs += performance.now() - start;
      if (builder.count >= this.segmentSize) this.finishBuilding();
    }
  }

  /** The segment being built directly, frozen and searchable from now on; nothing when none is being built. */
  private finishBuilding(): void {
    const building = this.building;
    if (!building) return;
    this.building = undefined;
    const start = performance.now();
    const { segment, builder } = building;
    if (builder.count > 0) {
      segment.frozen = builder.finish();
      segment.mini = thawSegment(segment.frozen);
      segment.dirty = true;
      if (segment.lastId > this.lastPassageId) this.lastPassageId = segment.lastId;
    }
    this.timings.freezeMs += performance.now() - start;
  }

  /**
   * Indexes passages whose text changed under the same id (a feed item's summary replaced by its page). A passage
   * of a frozen segment cannot change: it keeps the terms it was indexed with (it is still shown with its new text)
   * until the index is next rebuilt. Passages the index does not hold yet are left to `add` or a catch-up.
   */
  reindex(passages: readonly PassageRecord[]): void {
    for (const p of passages) {
      const segment = this.segments.find((s) => !s.frozen && !s.freezing && p.id >= s.firstId && p.id <= s.lastId && s.mini.has(p.id));
      if (!segment) continue;
      segment.mini.replace({ id: p.id, articleId: p.articleId, text: indexText(p.text) });
      segment.dirty = true;
    }
  }

  /**
   * Like {@link catchUp}, for a process that must stay responsive (the bot, whose interactions Discord drops when
   * not acknowledged within 3 s): the work is done in slices of about `sliceMs` (CATCH_UP_SLICE_MS) and at most
   * `maxPerSlice` passages, tokenized on this thread, and between slices the event loop runs (`yieldToLoop`,
   * setImmediate by default). Passages are read by id range, so no statement stays open while others use the
   * database. Returns how many passages were added. The only longer step is freezing a segment that fills up
   * (once per SEGMENT_SIZE passages).
   */
  async catchUpInSlices(store: NewsStore, options: { sliceMs?: number; maxPerSlice?: number; yieldToLoop?: () => Promise<void>; onSlice?: (added: number) => void } = {}): Promise<number> {
    const sliceMs = options.sliceMs ?? CATCH_UP_SLICE_MS;
    const maxPerSlice = options.maxPerSlice ?? CATCH_UP_SLICE_MAX;
    const yieldToLoop = options.yieldToLoop ?? (() => setImmediatePromise());
    let added = 0;
    // Read a slice's worth at a time (one query, not one per chunk), tokenized and inserted chunk by chunk.
    let read: PassageRecord[] = [];
    for (;;) {
      if (read.length === 0) read = await store.passagesAfter(this.lastPassageId, maxPerSlice);
      const started = performance.now();
      let inSlice = 0;
      let indexed = 0;
      while (inSlice < maxPerSlice && performance.now() - started < sliceMs) {
        const chunk = read.splice(0, Math.min(CATCH_UP_CHUNK, maxPerSlice - inSlice));
        if (chunk.length === 0) break;
        inSlice += chunk.length;
        // Rows read earlier that something else indexed meanwhile (between slices) are not added twice.
        const rows = chunk.filter((p) => p.id > this.lastPassageId);
        this.addIndexed(rows.map((p) => ({ id: p.id, articleId: p.articleId, text: indexText(p.text) })), { deferFreeze: true });
        indexed += rows.length;
      }
      // A segment that filled up is frozen in slices too: in one go it stopped the bot for most of a second, or
      // several on a busy machine.
      for (const segment of this.segments) {
        if (segment.frozen || segment.freezing || segment.mini.documentCount < this.segmentSize) continue;
        segment.freezing = true;
        try {
          const frozen = await freezeSegmentInSlices(segment.mini, sliceMs, yieldToLoop);
          segment.frozen = frozen;
          segment.mini = thawSegment(frozen);
          segment.dirty = true;
        } finally {
          segment.freezing = false;
        }
      }
      if (inSlice === 0) return added;
      added += indexed;
      options.onSlice?.(added);
      await yieldToLoop();
    }
  }

  add(passages: readonly PassageRecord[]): void {
    const start = performance.now();
    const indexed = passages.map((p) => ({ id: p.id, articleId: p.articleId, text: indexText(p.text) }));
    this.timings.tokenizeMs += performance.now() - start;
    this.addIndexed(indexed);
  }

  /** Adds passages whose text is already their `indexText`. */
  private addIndexed(passages: readonly IndexedPassage[], options: { deferFreeze?: boolean } = {}): void {
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
      if (segment.mini.documentCount >= this.segmentSize && !options.deferFreeze) {
        const freezeStart = performance.now();
        freeze(segment);
        freezeMs += performance.now() - freezeStart;
      }
    }
    this.timings.freezeMs += freezeMs;
    this.timings.insertMs += performance.now() - start - freezeMs;
  }

  /**
   * Hides the passages of articles removed from the store since the index last looked (the store's change log
   * after `changeSeq`). Returns how many articles were newly hidden. Idempotent: an article already hidden, or
   * never indexed, costs nothing.
   */
  async applyRemovals(store: NewsStore): Promise<number> {
    const changes = await store.articles.changesAfter(this.changeSeq);
    if (changes.length === 0) return 0;
    const fresh = new Set(changes.filter((c) => c.kind === 'removed' && !this.removedArticles.has(c.articleId)).map((c) => c.articleId));
    if (fresh.size > 0) {
      this.removedPassages += countDocumentsOf(this.segments, fresh);
      for (const id of fresh) this.removedArticles.add(id);
    }
    this.changeSeq = changes[changes.length - 1]!.seq;
    return fresh.size;
  }

  /** The last entry of the store's change log this index has applied. */
  get appliedChangeSeq(): number {
    return this.changeSeq;
  }

  /** The highest passage id in the index: everything stored up to it is searchable. */
  /** Segment files whose postings questions read (see segment-file.ts), as segments are decoded. */
  private openFiles: PostingsFile[] = [];

  /** Closes the segment files questions read postings from; the index answers nothing after. */
  close(): void {
    for (const file of this.openFiles.splice(0)) file.close();
  }

  get lastId(): number {
    return this.lastPassageId;
  }

  /** Searchable passages (those of removed articles not counted). */
  get documentCount(): number {
    return this.storedCount - this.removedPassages;
  }

  /** Passages held in the segments, hidden ones included. */
  private get storedCount(): number {
    return this.segments.reduce((n, s) => n + countOf(s), 0);
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
    const removed = this.removedArticles;
    const filter = removed.size > 0 ? (id: number) => !removed.has(id) && (options.filter?.(id) ?? true) : options.filter;
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

  /** The manifest naming `segments` as saved in the files `saved` gives for each (one step: it must describe exactly those files). */
  private manifestOf(segments: readonly Segment[], saved: (segment: Segment, n: number) => { file: string; crc32: number | undefined }, now: Date): Manifest {
    return {
      format: 'newsdesk-index',
      version: INDEX_FORMAT_VERSION,
      lastPassageId: this.lastPassageId,
      documentCount: this.storedCount,
      savedAt: now.toISOString(),
      segments: segments.map((s, n) => {
        const { file, crc32 } = saved(s, n);
        return { file, firstId: s.firstId, lastId: s.lastId, count: countOf(s), ...(crc32 !== undefined ? { crc32 } : {}) };
      }),
      changeSeq: this.changeSeq,
      removedArticles: [...this.removedArticles],
      removedPassages: this.removedPassages,
    };
  }

  /**
   * Saves the segments that changed, each to a new file, then the manifest that names them, atomically:
   * an interrupted save leaves the previous manifest and every file it names intact.
   */
  save(now: Date = new Date()): void {
    // Its files and manifest would cross those of the save in slices (one could delete a file the other names).
    if (this.runningSave) throw new Error('an index save in slices is under way: await saveInSlices() before saving in one go');
    const start = performance.now();
    mkdirSync(this.dir, { recursive: true });
    const replaced: string[] = [];
    const files = this.segments.map((segment, n) => {
      if (!segment.dirty && segment.file) return { file: segment.file, crc32: segment.crc32 };
      const file = segmentFileName(n + 1);
      // A full segment in frames, so that a load leaves its postings in the file (segment-file.ts).
      const chunks = segment.frozen ? frozenSegmentFile(segment.frozen) : [encodeSegment({ kind: 'live', mini: segment.mini })];
      writeFileAtomic(join(this.dir, file), chunks);
      if (segment.file) replaced.push(segment.file);
      return { file, crc32: chunks.reduce((crc, chunk) => crc32(chunk, crc), 0) };
    });
    const manifest = this.manifestOf(this.segments, (_, n) => files[n]!, now);
    writeFileAtomic(join(this.dir, MANIFEST_FILE), [JSON.stringify(manifest, null, 1)]);
    this.segments.forEach((s, n) => {
      s.file = files[n]!.file;
      const crc = files[n]!.crc32;
      if (crc !== undefined) s.crc32 = crc;
      s.dirty = false;
    });
    // Earlier generations of the segments this save replaced, and leftovers of a crash once they are old
    // enough that no other process can still be writing them.
    for (const f of replaced) rmSync(join(this.dir, f), { force: true });
    const keep = new Set([...files.map((f) => f.file), MANIFEST_FILE, OWNER_FILE]);
    for (const f of readdirSync(this.dir)) {
      if (keep.has(f)) continue;
      const path = join(this.dir, f);
      if (now.getTime() - statSync(path).mtimeMs > LEFTOVER_AGE_MS) rmSync(path, { force: true });
    }
    this.timings.saveMs += performance.now() - start;
  }

  /**
   * {@link save} for the running bot, whose main thread must keep acknowledging interactions: each changed segment
   * is encoded in slices of about `sliceMs` (SAVE_SLICE_MS) with the event loop running between them (the framed
   * format of segment-frames.ts; a frozen segment's arrays are not even copied), and every file is written and
   * flushed on libuv's thread pool. As atomic as `save`: segment files first, each under a new name, then the
   * manifest, so an interrupted save leaves the previous manifest and every file it names intact. The manifest
   * describes the index as it was when the last changed segment was encoded: passages added meanwhile (the index
   * keeps answering and taking them) are in the next save, or in the catch-up at the next start.
   *
   * Saves never overlap: called during one, it returns a save that starts when that one ends (callers in the
   * meantime share it). Resolves when saved; rejects with the file system's error (the previous index stays).
   */
  saveInSlices(now: () => Date = () => new Date(), slicing: Partial<SaveSlicing> = {}): Promise<void> {
    if (this.queuedSave) return this.queuedSave;
    const previous = this.runningSave;
    const options: SaveSlicing = { sliceMs: slicing.sliceMs ?? SAVE_SLICE_MS, yieldToLoop: slicing.yieldToLoop ?? (() => setImmediatePromise()) };
    const run = (previous ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => {
        if (this.queuedSave === run) this.queuedSave = undefined;
        return this.saveSlicedNow(now(), options);
      });
    if (previous) this.queuedSave = run;
    this.runningSave = run;
    run
      .finally(() => {
        if (this.runningSave === run) this.runningSave = undefined;
      })
      .catch(() => undefined);
    return run;
  }

  /**
   * A full segment this process froze, once saved, reads its postings from its file from then on (as one loaded at
   * start does): the running bot's memory stays what a restart would give it, not 25–30 MB more for each segment
   * filled since. Nothing is decoded; on any failure the segment simply stays in memory.
   */
  private leavePostingsInFile(segment: Segment): void {
    const frozen = segment.frozen;
    if (!frozen || !segment.file || postingsFileOf(frozen)) return;
    let file: FramedFile | undefined;
    try {
      file = FramedFile.open(join(this.dir, segment.file));
      const data = postingsLeftInFile(frozen, file);
      segment.frozen = data;
      segment.mini = thawSegment(data);
      this.openFiles.push(postingsFileOf(data)!);
    } catch (error) {
      file?.close();
      this.log.warn({ file: segment.file, error: describeError(error) }, 'keeping a full index segment in memory');
    }
  }

  /** The save in slices under way (or queued), if any: the bot awaits it before it closes. */
  get saveUnderWay(): Promise<void> | undefined {
    return this.runningSave;
  }

  private async saveSlicedNow(now: Date, slicing: SaveSlicing): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const encoded = new Map<Segment, { stamp: SegmentStamp; content: EncodedSegment }>();
    const current = (s: Segment) => {
      const e = encoded.get(s);
      return e !== undefined && sameStamp(e.stamp, stampOf(s));
    };
    const unsaved = (s: Segment) => s.dirty || !s.file;
    // Until every changed segment is encoded as it is now: one that took passages while others were encoded is
    // encoded again (the bot's adds come in slices of their own, so this settles).
    for (;;) {
      for (const segment of [...this.segments]) {
        if (!unsaved(segment) || current(segment)) continue;
        const stamp = stampOf(segment);
        const frames = segmentFrames(segment.frozen ? { kind: 'frozen', data: segment.frozen } : { kind: 'live', mini: segment.mini });
        const content = await encodeInSlices(frames, () => sameStamp(stamp, stampOf(segment)), slicing);
        if (content) encoded.set(segment, { stamp, content });
        else encoded.delete(segment);
      }
      if (this.segments.every((s) => !unsaved(s) || current(s))) break;
    }
    // From here to the manifest object, one synchronous step: it describes exactly what the files hold.
    const segments = [...this.segments];
    const writes = segments.flatMap((s, n) => (unsaved(s) ? [{ segment: s, file: segmentFileName(n + 1), ...encoded.get(s)! }] : []));
    const fileOf = (s: Segment) => writes.find((w) => w.segment === s)?.file ?? s.file!;
    const crcOf = (s: Segment) => writes.find((w) => w.segment === s)?.content.crc32 ?? s.crc32;
    const replaced = writes.flatMap((w) => (w.segment.file ? [w.segment.file] : []));
    const manifest = this.manifestOf(segments, (s) => ({ file: fileOf(s), crc32: crcOf(s) }), now);
    for (const w of writes) await writeFileAtomicAsync(join(this.dir, w.file), w.content.chunks);
    await writeFileAtomicAsync(join(this.dir, MANIFEST_FILE), [Buffer.from(JSON.stringify(manifest, null, 1))]);
    for (const w of writes) {
      w.segment.file = w.file;
      w.segment.crc32 = w.content.crc32;
      // Still unsaved if it took passages while the files were written.
      w.segment.dirty = !sameStamp(w.stamp, stampOf(w.segment));
    }
    for (const w of writes) if (!w.segment.dirty) this.leavePostingsInFile(w.segment);
    for (const f of replaced) await rm(join(this.dir, f), { force: true });
    // Leftovers of a crash, once old enough that no other process can still be writing them (as in `save`).
    const keep = new Set([...manifest.segments.map((s) => s.file), MANIFEST_FILE, OWNER_FILE]);
    for (const f of await readdir(this.dir)) {
      if (keep.has(f)) continue;
      const path = join(this.dir, f);
      // Gone meanwhile (another process's temp file renamed): nothing to remove.
      const info = await stat(path).catch(() => undefined);
      if (info && now.getTime() - info.mtimeMs > LEFTOVER_AGE_MS) await rm(path, { force: true });
    }
  }
}

/** What a segment was when it was encoded for a save: it changed since if any of this differs. */
interface SegmentStamp {
  mini: MiniSearch<IndexedPassage>;
  frozen: FrozenSegmentData | undefined;
  nextId: number;
  count: number;
  dirt: number;
}

function stampOf(segment: Segment): SegmentStamp {
  const m = internals(segment.mini);
  // Every add and replace takes a new short id (`_nextId`), a discard counts in `_dirtCount`, a freeze swaps both objects.
  return { mini: segment.mini, frozen: segment.frozen, nextId: m._nextId, count: m._documentCount, dirt: m._dirtCount };
}

const sameStamp = (a: SegmentStamp, b: SegmentStamp) => a.mini === b.mini && a.frozen === b.frozen && a.nextId === b.nextId && a.count === b.count && a.dirt === b.dirt;

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

/** How many passages in the segments belong to these articles. */
function countDocumentsOf(segments: readonly Segment[], articles: ReadonlySet<number>): number {
  let n = 0;
  for (const segment of segments) {
    if (segment.frozen) {
      for (const id of segment.frozen.articleIds) if (articles.has(id)) n++;
    } else {
      for (const fields of internals(segment.mini)._storedFields.values()) if (articles.has(fields!['articleId'] as number)) n++;
    }
  }
  return n;
}

/** `segment` with its `mini` and `frozen` decoded (by `decode`) when first read. */
function decodedWhenRead(segment: Omit<Segment, 'mini' | 'frozen'>, decode: () => Pick<Segment, 'mini' | 'frozen'>): Segment {
  let content: Pick<Segment, 'mini' | 'frozen'> | undefined;
  const read = () => (content ??= decode());
  for (const key of ['mini', 'frozen'] as const) {
    Object.defineProperty(segment, key, {
      configurable: true,
      enumerable: true,
      get: () => read()[key],
      set: (value: unknown) => Object.defineProperty(segment, key, { value, writable: true, configurable: true, enumerable: true }),
    });
  }
  return segment as Segment;
}

function fromContent(content: SegmentContent): Pick<Segment, 'mini' | 'frozen'> {
  return content.kind === 'frozen' ? { mini: thawSegment(content.data), frozen: content.data } : { mini: content.mini };
}

/**
 * A segment rebuilt from the database: the passages with ids from `meta.firstId` to `meta.lastId` (segments fill in
 * id order). Frozen when it is not the newest (only the newest takes adds). Throws when the database does not hold
 * the `meta.count` passages the manifest recorded: then the whole index is rebuilt.
 */
async function rebuildSegment(store: NewsStore, meta: SegmentMeta, full: boolean): Promise<Segment> {
  const segment = newSegment();
  const batch: IndexedPassage[] = [];
  for (let after = meta.firstId - 1, done = false; !done; ) {
    const rows = await store.passagesAfter(after, CATCH_UP_BATCH);
    if (rows.length === 0) break;
    for (const p of rows) {
      if (p.id > meta.lastId) {
        done = true;
        break;
      }
      batch.push({ id: p.id, articleId: p.articleId, text: indexText(p.text) });
    }
    after = rows[rows.length - 1]!.id;
  }
  if (batch.length !== meta.count) throw new Error(`${meta.file} is damaged and the database holds ${batch.length} of its ${meta.count} passages`);
  segment.firstId = meta.firstId;
  segment.lastId = meta.lastId;
  if (full) {
    const builder = new SegmentBuilder();
    builder.addAll(batch);
    segment.frozen = builder.finish();
    segment.mini = thawSegment(segment.frozen);
  } else segment.mini.addAll(batch);
  return segment;
}

/** Turns a full segment's MiniSearch maps into typed arrays; the maps become garbage. */
function freeze(segment: Segment): void {
  if (segment.frozen || segment.freezing) return;
  segment.frozen = freezeSegment(segment.mini);
  segment.mini = thawSegment(segment.frozen);
  segment.dirty = true;
}
