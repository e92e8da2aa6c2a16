import MiniSearch from 'minisearch';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describeError } from '../errors.js';
import type { Logger } from '../log.js';
import type { PassageRecord, Store } from '../store/store.js';
import { writeFileAtomic } from './atomic-write.js';
import { INDEX_FORMAT_VERSION, MINISEARCH_OPTIONS, type IndexedPassage } from './minisearch-options.js';

export const INDEX_FILE = 'index.json';

interface IndexFileMeta {
  format: 'newsdesk-index';
  version: number;
  /** Every passage with an id up to this one is in the index; later ones are added at load. */
  lastPassageId: number;
  documentCount: number;
  savedAt: string;
}

export interface IndexHit {
  passageId: number;
  articleId: number;
  score: number;
  /** Distinct query terms found in the passage. */
  matchedTerms: string[];
}

export type LoadOutcome = 'loaded' | 'built' | 'rebuilt';

/**
 * The full-text index of passages. The database is the truth; the index on disk is a cache of it
 * that can always be rebuilt, so a missing, corrupt or outdated index costs time, never data.
 */
export class PassageIndex {
  private mini: MiniSearch<IndexedPassage>;
  private lastPassageId: number;
  readonly path: string;
  readonly loadOutcome: LoadOutcome;

  private constructor(mini: MiniSearch<IndexedPassage>, lastPassageId: number, path: string, loadOutcome: LoadOutcome) {
    this.mini = mini;
    this.lastPassageId = lastPassageId;
    this.path = path;
    this.loadOutcome = loadOutcome;
  }

  /** Loads the saved index, or rebuilds it from the store (saying why), then adds passages stored since it was saved. */
  static open(store: Store, dataDir: string, log: Logger): PassageIndex {
    const path = join(dataDir, INDEX_FILE);
    const loaded = PassageIndex.tryLoad(path, store, log);
    let index: PassageIndex;
    if (loaded) {
      index = new PassageIndex(loaded.mini, loaded.lastPassageId, path, 'loaded');
    } else {
      index = new PassageIndex(new MiniSearch(MINISEARCH_OPTIONS), 0, path, existsSync(path) ? 'rebuilt' : 'built');
    }
    const added = index.catchUp(store);
    if (added > 0 || index.loadOutcome !== 'loaded') {
      index.save();
      if (index.loadOutcome === 'loaded') log.info({ added }, 'index caught up with the database');
    }
    return index;
  }

  private static tryLoad(path: string, store: Store, log: Logger): { mini: MiniSearch<IndexedPassage>; lastPassageId: number } | undefined {
    if (!existsSync(path)) {
      if (store.passageCount() > 0) log.info({ path }, 'no saved index: building it from the database');
      return undefined;
    }
    try {
      const raw = readFileSync(path, 'utf8');
      const newline = raw.indexOf('\n');
      const meta = JSON.parse(newline < 0 ? raw : raw.slice(0, newline)) as Partial<IndexFileMeta>;
      if (meta.format !== 'newsdesk-index' || meta.version !== INDEX_FORMAT_VERSION) {
        log.warn({ path, version: meta.version, expected: INDEX_FORMAT_VERSION }, 'saved index is from another version: rebuilding it from the database');
        return undefined;
      }
      const lastPassageId = meta.lastPassageId ?? 0;
      // An index that holds passages the database no longer has (a restored or replaced database) is stale.
      if (store.countPassagesUpTo(lastPassageId) !== meta.documentCount) {
        log.warn({ path }, 'saved index does not match the database: rebuilding it');
        return undefined;
      }
      const mini = MiniSearch.loadJSON<IndexedPassage>(raw.slice(newline + 1), MINISEARCH_OPTIONS);
      return { mini, lastPassageId };
    } catch (error) {
      log.warn({ path, error: describeError(error) }, 'saved index is corrupt: rebuilding it from the database');
      return undefined;
    }
  }

  /** Adds every stored passage the index has not seen; returns how many. */
  catchUp(store: Store): number {
    let added = 0;
    let batch: PassageRecord[] = [];
    for (const passage of store.iteratePassages(this.lastPassageId)) {
      batch.push(passage);
      if (batch.length === 5000) {
        this.add(batch);
        added += batch.length;
        batch = [];
      }
    }
    this.add(batch);
    return added + batch.length;
  }

  add(passages: readonly PassageRecord[]): void {
    if (passages.length === 0) return;
    this.mini.addAll(passages.map((p) => ({ id: p.id, articleId: p.articleId, text: p.text })));
    for (const p of passages) if (p.id > this.lastPassageId) this.lastPassageId = p.id;
  }

  /** The highest passage id in the index: everything stored up to it is searchable. */
  get lastId(): number {
    return this.lastPassageId;
  }

  get documentCount(): number {
    return this.mini.documentCount;
  }

  /** BM25 hits for the given (already tokenised) terms, best first. */
  search(terms: readonly string[], options: { filter?: (articleId: number) => boolean; limit?: number } = {}): IndexHit[] {
    if (terms.length === 0) return [];
    const filter = options.filter;
    const results = this.mini.search(terms.join(' '), {
      ...(filter ? { filter: (r) => filter(r['articleId'] as number) } : {}),
    });
    const limit = options.limit ?? results.length;
    return results.slice(0, limit).map((r) => ({
      passageId: r.id as number,
      articleId: r['articleId'] as number,
      score: r.score,
      matchedTerms: r.queryTerms,
    }));
  }

  /** Saves atomically: an interrupted save leaves the previous index intact. */
  save(now: Date = new Date()): void {
    const meta: IndexFileMeta = {
      format: 'newsdesk-index',
      version: INDEX_FORMAT_VERSION,
      lastPassageId: this.lastPassageId,
      documentCount: this.mini.documentCount,
      savedAt: now.toISOString(),
    };
    writeFileAtomic(this.path, [JSON.stringify(meta), '\n', JSON.stringify(this.mini)]);
  }

  static remove(dataDir: string): void {
    rmSync(join(dataDir, INDEX_FILE), { force: true });
  }
}
