import { fileURLToPath } from 'node:url';
import { ask, type AskOptions, type AskOutcome } from './search/ask.js';
import { indexOwner } from './search/index-owner.js';
import { PassageIndex } from './search/passage-index.js';
import { ingestFiles, type IngestOptions, type IngestSummary } from './ingest/ingest-files.js';
import type { Logger } from './log.js';
import { loadTokenizer } from './text/tokenize.js';
import { Store, type ArticleRecord, type InsertResult, type NewArticle, type SourceSummary } from './store/store.js';

/** The bundled sample news, resolved from the package, not the working directory. */
export const SAMPLES_DIR = fileURLToPath(new URL('../data/samples/', import.meta.url));

export interface NewsdeskDeps {
  dataDir: string;
  log: Logger;
  now?: () => Date;
  /**
   * Load the tokenizer's dictionaries at open (default true), so the first question pays nothing. A command that
   * never tokenizes (`sources`) passes false and saves about a second.
   */
  loadTokenizer?: boolean;
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
  private readonly facts: Map<number, { source: string; publishedAt: string }>;
  private readonly log: Logger;
  readonly dataDir: string;

  private constructor(store: Store, index: PassageIndex, deps: NewsdeskDeps) {
    this.store = store;
    this.index = index;
    this.now = deps.now ?? (() => new Date());
    this.log = deps.log;
    this.dataDir = deps.dataDir;
    this.facts = store.articleFacts();
  }

  /**
   * Opens the store and the index (loading the saved index, or building it from the store) and loads the
   * tokenizer's dictionaries, so that the first question after a start does no loading on the main thread.
   * @throws NewsdeskError `STORE_FAILED` when the database cannot be opened.
   */
  static open(deps: NewsdeskDeps): Newsdesk {
    const store = Store.open(deps.dataDir);
    try {
      const index = PassageIndex.open(store, deps.dataDir, deps.log, deps.segmentSize ? { segmentSize: deps.segmentSize } : {});
      if (index.loadOutcome !== 'loaded' && index.documentCount > 0) {
        deps.log.info({ passages: index.documentCount, outcome: index.loadOutcome }, 'index built from the database');
      }
      // Everything a question needs is loaded here, before the bot reports ready, not in the first `ask`.
      if (deps.loadTokenizer !== false) loadTokenizer();
      return new Newsdesk(store, index, deps);
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
  ingest(paths: readonly string[], options: Omit<IngestOptions, 'now' | 'exclude'> & { onIndexProgress?: (done: number, total: number) => void } = {}): IngestSummary {
    const { onIndexProgress, ...ingestOptions } = options;
    const summary = ingestFiles(this.store, paths, { ...ingestOptions, now: this.now, exclude: [this.dataDir] });
    this.syncFromStore(onIndexProgress);
    if (summary.passages > 0) this.saveIndex();
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
    this.learnNewArticles();
    return this.index.catchUp(this.store, onProgress ? { onProgress } : {});
  }

  /** The filterable facts of articles stored since (by any process), before their passages are indexed. */
  private learnNewArticles(): void {
    // Only articles newer than any already known: the others' facts never change.
    let known = 0;
    for (const id of this.facts.keys()) if (id > known) known = id;
    for (const [id, facts] of this.store.articleFacts(known)) this.facts.set(id, facts);
  }

  /**
   * {@link syncFromStore} for the running bot: the same catch-up in slices of about 50 ms with the event loop
   * running between them, so that interactions arriving meanwhile are acknowledged in time. Returns how many
   * passages were added. One at a time (the bot's NewsIntake runs never overlap).
   */
  async syncFromStoreInSlices(options: Parameters<PassageIndex['catchUpInSlices']>[1] = {}): Promise<number> {
    if (this.store.maxPassageId() <= this.index.lastId) return 0;
    this.learnNewArticles();
    return this.index.catchUpInSlices(this.store, options);
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

  /** Replaces an article's text (see Store#replaceArticleText); the index follows at once. */
  replaceArticleText(articleId: number, paragraphs: readonly string[]): void {
    const { updated, added } = this.store.replaceArticleText(articleId, paragraphs);
    this.index.reindex(updated);
    const first = added[0]?.id;
    // Added passages have new ids: as for new articles, passages another process stored before them come first.
    if (first !== undefined && (this.store.firstPassageIdAfter(this.index.lastId) ?? first) < first) this.syncFromStore();
    else if (added.length > 0) this.index.add(added);
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
      this.facts.set(article.id, { source: article.source, publishedAt: article.publishedAt });
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
