import MiniSearch from 'minisearch';
import { internals } from './minisearch-internals.js';
import { postingsFileOf, type PostingsFile } from './postings-file.js';
import { MINISEARCH_OPTIONS, type IndexedPassage } from './minisearch-options.js';

/**
 * A full segment's postings in typed arrays. Only the newest segment takes adds; a full one never changes
 * again, so keeping it as MiniSearch's radix tree of `Map`s (about 4.7 KB of heap per passage, and the time
 * to recreate every Map at load) buys nothing. Frozen, the same postings take about a sixth of the memory
 * (0.7 KB a passage, measured at a million; loaded from a framed file, only the term list and the per-passage
 * tables stay in memory and each term's postings are read when looked up: see segment-file.ts), while MiniSearch itself still
 * scores and combines them: the arrays are read through the lookups MiniSearch's query code makes
 * (`_index.get`, a term's `size`, `keys()` and `get()`, `_documentIds`, `_fieldLength`, `_storedFields`),
 * which is why minisearch is pinned to 7.2.x.
 */
export interface FrozenSegmentData {
  /**
   * Term keys (as stored by `termKey`), in code-unit order (`<`) so a lookup is a binary search rather than a `Map`
   * built at every load (segments saved before this was sorted still load, through a `Map`); term `i` owns postings
   * `offsets[i]` up to `offsets[i + 1]`.
   */
  terms: string[];
  offsets: Uint32Array;
  /** MiniSearch's short document ids, ascending within each term. */
  docs: Uint32Array;
  /** How often the term occurs in that passage, capped at 65,535. */
  freqs: Uint16Array;
  /** By short id: the passage id, or -1 where MiniSearch discarded the document. */
  passageIds: Float64Array;
  articleIds: Float64Array;
  /** By short id: the passage's length in terms (BM25's field length). */
  lengths: Uint32Array;
  documentCount: number;
  avgFieldLength: number;
}

const TEXT_FIELD = 0;

/** Turns a full segment's postings into typed arrays, in one go. */
export function freezeSegment(mini: MiniSearch<IndexedPassage>): FrozenSegmentData {
  const steps = freezeSteps(mini);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * {@link freezeSegment} in slices of about `sliceMs`, the event loop running between them (`yieldToLoop`): freezing
 * a 50,000-passage segment takes most of a second on an idle machine, far more on a busy one, and the running bot
 * must keep acknowledging interactions meanwhile. The segment must not change until the promise settles.
 */
export async function freezeSegmentInSlices(mini: MiniSearch<IndexedPassage>, sliceMs: number, yieldToLoop: () => Promise<void>): Promise<FrozenSegmentData> {
  const steps = freezeSteps(mini);
  let sliceStart = performance.now();
  const pause = async () => {
    if (performance.now() - sliceStart >= sliceMs) {
      await yieldToLoop();
      sliceStart = performance.now();
    }
  };
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await pause();
  }
}

/** The freezing work, pausing (a `yield`) every FREEZE_STEP terms or documents. */
function* freezeSteps(mini: MiniSearch<IndexedPassage>): Generator<void, FrozenSegmentData> {
  const m = internals(mini);
  const terms: string[] = [];
  const lists: Map<number, number>[] = [];
  let total = 0;
  let n = 0;
  for (const [key, fields] of m._index) {
    if (++n % FREEZE_STEP === 0) yield;
    let postings = fields.get(TEXT_FIELD);
    if (!postings) continue;
    // MiniSearch drops a discarded document's postings lazily (and counts discards in _dirtCount until a
    // vacuum); a frozen segment never sees them.
    if (m._dirtCount > 0) postings = new Map([...postings].filter(([doc]) => m._documentIds.has(doc)));
    if (postings.size === 0) continue;
    terms.push(key);
    lists.push(postings);
    total += postings.size;
  }
  yield;
  // In steps too: one sort of 250,000 terms took 0.3 s on a quiet machine and 1.3 s at a load of 20.
  const order = yield* sortedOrderSteps(terms);
  yield;
  const offsets = new Uint32Array(terms.length + 1);
  const docs = new Uint32Array(total);
  const freqs = new Uint16Array(total);
  let at = 0;
  for (let i = 0; i < order.length; i++) {
    if (i % FREEZE_STEP === 0) yield;
    const postings = lists[order[i]!]!;
    offsets[i] = at;
    const start = at;
    let sorted = true;
    for (const [doc, freq] of postings) {
      if (at > start && doc < docs[at - 1]!) sorted = false;
      docs[at] = doc;
      freqs[at] = Math.min(freq, 0xffff);
      at += 1;
    }
    // Short ids are handed out in increasing order, so a term's postings come sorted; re-adds could break that.
    if (!sorted) sortPostings(docs, freqs, start, at);
  }
  offsets[terms.length] = at;

  const size = m._nextId;
  const passageIds = new Float64Array(size).fill(-1);
  const articleIds = new Float64Array(size).fill(-1);
  const lengths = new Uint32Array(size);
  n = 0;
  for (const [shortId, id] of m._documentIds) {
    if (++n % FREEZE_STEP === 0) yield;
    passageIds[shortId] = id as number;
    articleIds[shortId] = (m._storedFields.get(shortId)?.['articleId'] as number | undefined) ?? -1;
    lengths[shortId] = m._fieldLength.get(shortId)?.[TEXT_FIELD] ?? 0;
  }
  const sortedTerms = Array.from(order, (i) => terms[i]!);
  return { terms: sortedTerms, offsets, docs, freqs, passageIds, articleIds, lengths, documentCount: m._documentCount, avgFieldLength: m._avgFieldLength[TEXT_FIELD] ?? 0 };
}

/** Positions of `terms` in code-unit order of the terms (the order a frozen segment's term list is kept in). */
export function sortedOrder(terms: readonly string[]): Uint32Array {
  const steps = sortedOrderSteps(terms);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Terms sorted in one go before the merging starts; elements moved between two pauses of the merging. */
const SORT_RUN = 4_096;
const MERGE_STEP = 16_384;

/**
 * {@link sortedOrder} as a bottom-up merge sort that pauses (a `yield`) after each sorted run and every MERGE_STEP
 * elements merged, so a freeze in slices never spends long in one sort.
 */
function* sortedOrderSteps(terms: readonly string[]): Generator<void, Uint32Array> {
  const compare = (a: number, b: number) => (terms[a]! < terms[b]! ? -1 : terms[a]! > terms[b]! ? 1 : 0);
  const n = terms.length;
  let from = Uint32Array.from(terms.keys());
  for (let start = 0; start < n; start += SORT_RUN) {
    from.subarray(start, Math.min(start + SORT_RUN, n)).sort(compare);
    yield;
  }
  let to = new Uint32Array(n);
  let moved = 0;
  for (let width = SORT_RUN; width < n; width *= 2) {
    for (let left = 0; left < n; left += 2 * width) {
      const mid = Math.min(left + width, n);
      const end = Math.min(left + 2 * width, n);
      let i = left;
      let j = mid;
      for (let k = left; k < end; k++) {
        to[k] = i < mid && (j >= end || compare(from[i]!, from[j]!) <= 0) ? from[i++]! : from[j++]!;
        if (++moved % MERGE_STEP === 0) yield;
      }
    }
    [from, to] = [to, from];
  }
  return from;
}

/** Terms or documents between two pauses of a freeze. */
const FREEZE_STEP = 2_000;

function sortPostings(docs: Uint32Array, freqs: Uint16Array, start: number, end: number): void {
  const order = Array.from({ length: end - start }, (_, i) => start + i).sort((a, b) => docs[a]! - docs[b]!);
  const d = order.map((i) => docs[i]!);
  const f = order.map((i) => freqs[i]!);
  docs.set(d, start);
  freqs.set(f, start);
}

/**
 * One term's postings as MiniSearch reads them: `size`, `keys()` in order, then `get(doc)` for the doc just
 * yielded (so `get` first looks where the last lookup left off, then falls back to a binary search).
 */
class FrozenPostings {
  private hint: number;
  constructor(
    private readonly docs: Uint32Array,
    private readonly freqs: Uint16Array,
    private readonly start: number,
    private readonly end: number,
  ) {
    this.hint = start;
  }

  get size(): number {
    return this.end - this.start;
  }

  keys(): IterableIterator<number> {
    return this.docs.subarray(this.start, this.end).values();
  }

  has(doc: number): boolean {
    return this.get(doc) !== undefined;
  }

  get(doc: number): number | undefined {
    const docs = this.docs;
    let i = this.hint;
    if (docs[i] !== doc) {
      i += 1;
      if (i >= this.end || docs[i] !== doc) {
        let lo = this.start;
        let hi = this.end - 1;
        i = -1;
        while (lo <= hi) {
          const mid = (lo + hi) >>> 1;
          const at = docs[mid]!;
          if (at === doc) {
            i = mid;
            break;
          }
          if (at < doc) lo = mid + 1;
          else hi = mid - 1;
        }
        if (i < 0) return undefined;
      }
    }
    this.hint = i;
    return this.freqs[i];
  }
}

const readOnly = (): never => {
  throw new Error('a frozen index segment is read-only: only the newest segment takes new passages');
};

/** The term dictionary MiniSearch looks terms up in. Exact lookups only: prefix and fuzzy search are off. */
class FrozenTermIndex {
  /** Only for a segment saved before term lists were sorted. */
  private readonly ordinals: Map<string, number> | undefined;
  /** Where the postings are read per term, when they were left in the segment's file. */
  private readonly file: PostingsFile | undefined;
  constructor(private readonly data: FrozenSegmentData) {
    this.file = postingsFileOf(data);
    const terms = data.terms;
    let sorted = true;
    for (let i = 1; i < terms.length && sorted; i++) sorted = terms[i - 1]! < terms[i]!;
    if (!sorted) {
      const ordinals = new Map<string, number>();
      terms.forEach((term, i) => ordinals.set(term, i));
      this.ordinals = ordinals;
    }
  }

  get size(): number {
    return this.data.terms.length;
  }

  private ordinal(key: string): number | undefined {
    if (this.ordinals) return this.ordinals.get(key);
    const terms = this.data.terms;
    let lo = 0;
    let hi = terms.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = terms[mid]!;
      if (at === key) return mid;
      if (at < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  get(key: string): Map<number, FrozenPostings> | undefined {
    const i = this.ordinal(key);
    if (i === undefined) return undefined;
    const { offsets } = this.data;
    if (this.file) {
      const { docs, freqs } = this.file.read(offsets[i]!, offsets[i + 1]!);
      return new Map([[TEXT_FIELD, new FrozenPostings(docs, freqs, 0, docs.length)]]);
    }
    const { docs, freqs } = this.data;
    return new Map([[TEXT_FIELD, new FrozenPostings(docs, freqs, offsets[i]!, offsets[i + 1]!)]]);
  }

  has(key: string): boolean {
    return this.ordinal(key) !== undefined;
  }

  fetch = readOnly;
  set = readOnly;
  delete = readOnly;
  update = readOnly;
}

/**
 * A MiniSearch that answers from frozen postings exactly as the segment it was frozen from did (same BM25
 * scores), and refuses adds and removals.
 */
export function thawSegment(data: FrozenSegmentData): MiniSearch<IndexedPassage> {
  const mini = new MiniSearch<IndexedPassage>(MINISEARCH_OPTIONS);
  const { passageIds, articleIds, lengths } = data;
  const valid = (shortId: number) => shortId >= 0 && shortId < passageIds.length && passageIds[shortId]! >= 0;
  // MiniSearch reads a field length as `_fieldLength.get(doc)[field]` right away, once per posting: one
  // reused array instead of one allocation per posting.
  const lengthOf = [0];
  Object.assign(mini as unknown as Record<string, unknown>, {
    _index: new FrozenTermIndex(data),
    _documentCount: data.documentCount,
    _avgFieldLength: [data.avgFieldLength],
    _nextId: passageIds.length,
    _documentIds: { has: valid, get: (shortId: number) => (valid(shortId) ? passageIds[shortId] : undefined), set: readOnly, delete: readOnly },
    _idToShortId: { get: () => undefined, has: () => false, set: readOnly, delete: readOnly },
    _fieldLength: {
      get: (shortId: number) => {
        lengthOf[0] = lengths[shortId] ?? 0;
        return lengthOf;
      },
      set: readOnly,
      delete: readOnly,
    },
    _storedFields: { get: (shortId: number) => (valid(shortId) ? { articleId: articleIds[shortId] } : undefined), set: readOnly, delete: readOnly },
  });
  return mini;
}


/**
 * Checks a frozen segment's term list, offsets and document tables (everything but the postings themselves) for a
 * segment with `docsLength` and `freqsLength` postings; returns them typed. Throws an Error naming the damage: the
 * index then rebuilds the segment from the database.
 */
export function checkFrozenTables(s: Partial<FrozenSegmentData>, docsLength: number, freqsLength: number): Omit<FrozenSegmentData, 'docs' | 'freqs'> {
  const { terms, offsets, passageIds, articleIds, lengths, documentCount, avgFieldLength } = s;
  const damaged = (why: string): never => {
    throw new Error(`frozen index segment is damaged: ${why}`);
  };
  if (!Array.isArray(terms) || !terms.every((t) => typeof t === 'string')) return damaged('no term list');
  if (!(offsets instanceof Uint32Array)) return damaged('no postings');
  if (!(passageIds instanceof Float64Array) || !(articleIds instanceof Float64Array) || !(lengths instanceof Uint32Array)) return damaged('no document table');
  if (typeof documentCount !== 'number' || typeof avgFieldLength !== 'number') return damaged('no counts');
  if (offsets.length !== terms.length + 1 || offsets[0] !== 0 || offsets[terms.length] !== docsLength || freqsLength !== docsLength) return damaged('postings do not add up');
  for (let i = 1; i < offsets.length; i++) if (offsets[i]! <= offsets[i - 1]!) return damaged('postings out of order');
  if (articleIds.length !== passageIds.length || lengths.length !== passageIds.length) return damaged('document table does not add up');
  return { terms, offsets, passageIds, articleIds, lengths, documentCount, avgFieldLength };
}
