import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { ask, type AskOptions, type AskOutcome } from './search/ask.js';
import { indexOwner } from './search/index-owner.js';
import { PassageIndex } from './search/passage-index.js';
import { ingestFiles, type IngestOptions, type IngestSummary } from './ingest/ingest-files.js';
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
 * The core behind every door (command line, Discord): store, index and the operations on them.
 * Knows nothing of Discord.
 */
export class Newsdesk {
  readonly store: Store;
  readonly index: PassageIndex;
  readonly now: () => Date;
  private readonly facts: Map<number, ArticleFacts>;
  /** The outlets' default zone (NEWSDESK_TIMEZONE). */
  readonly zone: string;
  private readonly log: Logger;
  readonly dataDir: string;

  private constructor(store: Store, index: PassageIndex, facts: Map<number, ArticleFacts>, deps: NewsdeskDeps) {
    this.store = store;
    this.index = index;
    this.now = deps.now ?? (() => new Date());
    this.log = deps.log;
    this.dataDir = deps.dataDir;
    this.zone = store.zone;
    this.facts = facts;
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
      const desk = new Newsdesk(store, index, store.articleFacts(), deps);
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
    const summary = ingestFiles(this.store, paths, { ...ingestOptions, now: this.now, zone: this.zone, exclude: [this.dataDir] });
    const stored = performance.now();
    this.syncFromStore(onIndexProgress);
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
  syncFromStore(onProgress?: (done: number, total: number) => void): number {
    if (this.store.maxPassageId() <= this.index.lastId) return 0;
    // Only articles newer than any already known: the others' facts never change.
    let known = 0;
    for (const id of this.facts.keys()) if (id > known) known = id;
    for (const [id, facts] of this.store.articleFacts(known)) this.facts.set(id, facts);
    return this.index.catchUp(this.store, onProgress ? { onProgress } : {});
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
      this.facts.set(article.id, { source: article.source, publishedDay: article.publishedDay });
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
