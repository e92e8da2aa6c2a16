import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { ask, type AskOptions, type AskOutcome } from './search/ask.js';
import { indexOwner } from './search/index-owner.js';
import { PassageIndex } from './search/passage-index.js';
import { ingestFiles, listInputFiles, type IngestOptions, type IngestSummary } from './ingest/ingest-files.js';
import { IndexTextWorker } from './search/index-text-worker.js';
import { statSync } from 'node:fs';
import type { Logger } from './log.js';
import { DEFAULT_TIMEZONE } from './config.js';
import { PACKAGE_ROOT } from './package-root.js';
import { Store, type ArticleFacts, type ArticleRecord, type InsertResult, type NewArticle, type SourceSummary } from './store/store.js';

/** The bundled sample news, resolved from the package, not the working directory (nor from src/ or dist/src/). */
export const SAMPLES_DIR = join(PACKAGE_ROOT, 'data', 'samples');

export interface NewsdeskDeps {
  dataDir: string;
  log: Logger;
  now?: () => Date;
  /** The outlets' zone when a feed or file names none (NEWSDESK_TIMEZONE); default Asia/Shanghai. */
  zone?: string;
  /** Passages per index segment (tests use tiny ones). */
  segmentSize?: number;
}

/**
 * From this much input (bytes; about 2,500 paragraphs of Chinese news), an ingest starts the tokenizer thread
 * before reading the files, so that the thread loads jieba's dictionaries (a second or so) while this one reads,
 * cleans and stores; the index's catch-up then tokenizes there while this thread inserts.
 */
const EARLY_TOKENIZER_MIN_BYTES = 1_000_000;
/** A catch-up this small is tokenized here even when the thread was started early (its dictionary not loaded here yet is the cost). */
const EARLY_TOKENIZER_MIN_PASSAGES = 1_000;

/**
 * The core behind every door (command line, Discord): store, index and the operations on them.
 * Knows nothing of Discord.
 */
export class Newsdesk {
  readonly store: Store;
  readonly index: PassageIndex;
  readonly now: () => Date;
  /**
   * Every article's facts, read from the store when a question first needs them (a filter): a full table scan
   * that a start, an ingest or an unfiltered question does not have to wait for.
   */
  private factsRead?: Map<number, ArticleFacts>;
  private readonly facts = { get: (articleId: number) => (this.factsRead ??= this.store.articleFacts()).get(articleId) };
  /** The outlets' default zone (NEWSDESK_TIMEZONE). */
  readonly zone: string;
  private readonly log: Logger;
  readonly dataDir: string;

  private constructor(store: Store, index: PassageIndex, deps: NewsdeskDeps) {
    this.store = store;
    this.index = index;
    this.now = deps.now ?? (() => new Date());
    this.log = deps.log;
    this.dataDir = deps.dataDir;
    this.zone = store.zone;
  }

  static open(deps: NewsdeskDeps): Newsdesk {
    const start = performance.now();
    const store = Store.open(deps.dataDir, { zone: deps.zone ?? DEFAULT_TIMEZONE });
    try {
      const storeOpened = performance.now();
      const index = PassageIndex.open(store, deps.dataDir, deps.log, deps.segmentSize ? { segmentSize: deps.segmentSize } : {});
      if (index.loadOutcome !== 'loaded' && index.documentCount > 0) {
        deps.log.info({ passages: index.documentCount, outcome: index.loadOutcome }, 'index built from the database');
      }
      const indexOpened = performance.now();
      const desk = new Newsdesk(store, index, deps);
      // Where start-up time goes, for `npm run bench -- --processes` (one mark per open, so nothing accumulates).
      performance.mark('newsdesk:opened', {
        detail: { startAt: start, storeMs: storeOpened - start, indexMs: indexOpened - storeOpened, factsMs: performance.now() - indexOpened, ...index.timings },
      });
      return desk;
    } catch (error) {
      store.close();
      throw error;
    }
  }

  ask(question: string, options: AskOptions = {}): AskOutcome {
    return ask({ store: this.store, index: this.index, articleFacts: this.facts }, question, options);
  }

  /**
   * Ingests files, each in its own transaction; the index then catches up with everything stored, in one go
   * (a large ingest tokenizes on a second thread), and is saved once.
   */
  ingest(paths: readonly string[], options: Omit<IngestOptions, 'now' | 'exclude' | 'zone'> & { onIndexProgress?: (done: number, total: number) => void } = {}): IngestSummary {
    const { onIndexProgress, ...ingestOptions } = options;
    const start = performance.now();
    const before = { ...this.index.timings };
    const early = inputBytes(paths, [this.dataDir]) >= EARLY_TOKENIZER_MIN_BYTES ? new IndexTextWorker() : undefined;
    let summary: IngestSummary;
    let stored: number;
    try {
      summary = ingestFiles(this.store, paths, { ...ingestOptions, now: this.now, zone: this.zone, exclude: [this.dataDir] });
      stored = performance.now();
      this.syncFromStore(onIndexProgress, early);
    } finally {
      early?.close();
    }
    const indexed = performance.now();
    if (summary.passages > 0) this.saveIndex();
    const after = this.index.timings;
    performance.mark('newsdesk:ingested', {
      detail: {
        startAt: start,
        filesMs: stored - start,
        indexMs: indexed - stored,
        saveMs: performance.now() - indexed,
        tokenizeMs: after.tokenizeMs - before.tokenizeMs,
        insertMs: after.insertMs - before.insertMs,
        freezeMs: after.freezeMs - before.freezeMs,
      },
    });
    this.log.info({ ...summary, skipped: summary.skipped.length, problems: summary.problems.length }, 'ingest finished');
    return summary;
  }

  /** Stores articles from elsewhere (feeds) in one transaction; the index follows at once. */
  storeArticles(articles: readonly NewArticle[]): InsertResult {
    const result = this.store.insertArticles(articles, this.now().toISOString());
    this.follow(result.added);
    return result;
  }

  /**
   * Adds to the in-memory index what other processes stored since (an `npm run ingest` while the bot runs):
   * the database is the hand-off point, passages are picked up by id. Returns how many were added.
   */
  syncFromStore(onProgress?: (done: number, total: number) => void, tokenizer?: IndexTextWorker): number {
    if (this.store.maxPassageId() <= this.index.lastId) return 0;
    // Only articles newer than any already known: the others' facts never change. Not read yet: nothing to do.
    const read = this.factsRead;
    if (read) {
      let known = 0;
      for (const id of read.keys()) if (id > known) known = id;
      for (const [id, facts] of this.store.articleFacts(known)) read.set(id, facts);
    }
    const useThread = tokenizer && this.store.countPassagesAfter(this.index.lastId) >= EARLY_TOKENIZER_MIN_PASSAGES;
    return this.index.catchUp(this.store, { ...(onProgress ? { onProgress } : {}), ...(useThread ? { parallel: true, startWorker: () => tokenizer } : {}) });
  }

  /** Saves the index, unless a running bot owns it: the bot then picks the new passages up from the database. */
  saveIndex(): void {
    const owner = indexOwner(this.dataDir);
    if (owner !== undefined) {
      this.log.info({ owner }, `the running bot (pid ${owner}) owns the index; it picks up these articles within a minute`);
      return;
    }
    this.index.save(this.now());
  }

  private follow(added: InsertResult['added']): void {
    // Another process may have stored passages between the index's last one and ours: the index only
    // remembers its highest id, so take theirs first or they would never be picked up.
    const ownFirst = added[0]?.passages[0]?.id;
    if (ownFirst !== undefined && (this.store.firstPassageIdAfter(this.index.lastId) ?? ownFirst) < ownFirst) {
      this.syncFromStore();
      return;
    }
    for (const { article, passages } of added) {
      this.factsRead?.set(article.id, { source: article.source, publishedDay: article.publishedDay });
      this.index.add(passages);
    }
  }

  sources(): SourceSummary[] {
    return this.store.sources();
  }

  latest(limit: number, source?: string): ArticleRecord[] {
    return this.store.latest(limit, source);
  }

  close(): void {
    this.store.close();
  }
}

/** Bytes of the files an ingest of `paths` would read (directories walked as the ingest walks them). */
function inputBytes(paths: readonly string[], exclude: readonly string[]): number {
  let bytes = 0;
  for (const file of listInputFiles(paths, exclude).files) {
    try {
      bytes += statSync(file).size;
    } catch {
      // Gone or unreadable: the ingest itself reports it.
    }
  }
  return bytes;
}
