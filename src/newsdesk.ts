import { statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Locale } from './i18n/i18n.js';
import { ask, type AnswerPassage, type AskOptions, type AskOutcome } from './search/ask.js';
import { normalize } from './text/normalize.js';
import { HeadlineIndex, type Headline } from './search/headlines.js';
import { indexOwner } from './search/index-owner.js';
import { PassageIndex } from './search/passage-index.js';
import { ingestFiles, listInputFiles, type IngestOptions, type IngestSummary } from './ingest/ingest-files.js';
import { IndexTextWorker } from './search/index-text-worker.js';
import { EarlyTokenizer } from './search/early-tokenizer.js';
import { PACKAGE_ROOT } from './package-root.js';
import type { Logger } from './log.js';
import { describeError } from './errors.js';
import { DEFAULT_TIMEZONE } from './config.js';
import { startOfLocalDay } from './text/publication-date.js';
import { loadTokenizer } from './text/tokenize.js';
import type { ArticleEdit } from './store/article-admin.js';
import type { NewsStore } from './store/news-store.js';
import { openStore } from './store/open-store.js';
import { sqliteStoreOf } from './store/sqlite-news-store.js';
import { isStoreDamage, storeDamaged, type ArticleFacts, type ArticleRecord, type InsertResult, type NewArticle, type SourceSummary } from './store/store.js';

/** What `removeForGuild` did. */
export type GuildRemoval =
  | { kind: 'removed'; article: ArticleRecord; passages: number }
  | { kind: 'not-found' }
  | { kind: 'not-theirs'; article: ArticleRecord }
  | { kind: 'ambiguous'; candidates: ArticleRecord[] };

/** The bundled sample news, resolved from the package, not the working directory (nor from src/ or dist/src/). */
export const SAMPLES_DIR = join(PACKAGE_ROOT, 'data', 'samples');

/**
 * From this much input (bytes; about 2,500 paragraphs of Chinese news), an ingest starts the tokenizer thread
 * before reading the files, so that the thread loads jieba's dictionaries (a second or so) while this one reads,
 * cleans and stores; the index's catch-up then tokenizes there while this thread inserts.
 */
const EARLY_TOKENIZER_MIN_BYTES = 1_000_000;
/** A catch-up this small is tokenized here even when the thread was started early (its dictionary not loaded here yet is the cost). */
const EARLY_TOKENIZER_MIN_PASSAGES = 1_000;
/** Passages a catch-up reads and inserts at a time when an ingest tokenized them ahead. */
const TOKENIZED_AHEAD_BATCH = 1_000;

export interface NewsdeskDeps {
  dataDir: string;
  log: Logger;
  now?: () => Date;
  /** The outlets' zone when a feed or file names none (NEWSDESK_TIMEZONE); default Asia/Shanghai. */
  zone?: string;
  /** NEWSDESK_DATABASE_URL: PostgreSQL instead of the SQLite database in `dataDir` (see openStore). */
  databaseUrl?: string;
  /**
   * Load the tokenizer's dictionaries at open (default true), so the first question pays nothing. A command that
   * never tokenizes (`sources`) passes false and saves about a second.
   */
  loadTokenizer?: boolean;
  /**
   * Decode the saved index's full segments only when something first reads them (default false: all at open, so the
   * first question pays nothing). An ingest, which adds to the newest segment only, passes true.
   */
  decodeSegmentsWhenRead?: boolean;
  /** Passages per index segment (tests use tiny ones). */
  segmentSize?: number;
  /** Told of a rebuild or catch-up at open, after each batch: passages added so far and how many there are to add. */
  onIndexProgress?: (done: number, total: number) => void;
  /** Check every page of the database before anything else (the bot does, once at start; SQLite only). */
  checkStore?: boolean;
  /**
   * Save the index in slices, its files written off the main thread (`PassageIndex.saveInSlices`), rather than in
   * one synchronous call: the running bot does, so that a save never keeps it from acknowledging interactions.
   */
  saveInBackground?: boolean;
}

/**
 * The core behind every door (command line, Discord): store, index and the operations on them.
 * Knows nothing of Discord.
 */
export class Newsdesk {
  readonly store: NewsStore;
  readonly index: PassageIndex;
  readonly now: () => Date;
  /**
   * Every article's facts (outlet, local day), read from the store when a question first needs them (ranking and
   * filters do): a full table scan that an ingest or the bot's start does not wait for. Changes logged since are
   * applied as they come, whether or not the facts were read yet (reading them later reads them as they are then).
   */
  private factsRead: Map<number, ArticleFacts> | undefined;
  private factsReading: Promise<Map<number, ArticleFacts>> | undefined;
  /** The outlets' default zone (NEWSDESK_TIMEZONE). */
  readonly zone: string;
  /** The last entry of the store's change log (removals, corrections) applied to `facts` and the index. */
  private factsSeq: number;
  /** Headlines and outlets for suggestions; read from the database on first use. */
  private readonly headlines: HeadlineIndex;
  /** Headlines read from the store and not yet taken in by `headlines`; the highest article id read so far. */
  private readonly unreadHeadlines: Headline[] = [];
  private headlinesReadUpTo = 0;
  private readonly log: Logger;
  readonly dataDir: string;
  private readonly saveInBackground: boolean;

  private constructor(store: NewsStore, index: PassageIndex, deps: NewsdeskDeps, state: { factsSeq: number }) {
    this.store = store;
    this.index = index;
    this.now = deps.now ?? (() => new Date());
    this.log = deps.log;
    this.dataDir = deps.dataDir;
    this.saveInBackground = deps.saveInBackground ?? false;
    this.zone = store.zone;
    this.factsSeq = state.factsSeq;
    // The index takes in what `readHeadlines` fetched (the store answers asynchronously, the index scans synchronously).
    this.headlines = new HeadlineIndex(() => this.unreadHeadlines.splice(0));
  }

  /**
   * Opens the store and the index (loading the saved index, or building it from the store) and loads the
   * tokenizer's dictionaries, so that the first question after a start does no loading on the main thread.
   * A damaged database is named as such (STORE_DAMAGED, with its path and what to do) before the index is
   * touched, never taken for a damaged index.
   * @throws NewsdeskError `STORE_FAILED` when the database cannot be opened, `STORE_DAMAGED` when it is damaged.
   */
  static async open(deps: NewsdeskDeps): Promise<Newsdesk> {
    const start = performance.now();
    const store = await openStore({ dataDir: deps.dataDir, zone: deps.zone ?? DEFAULT_TIMEZONE, ...(deps.databaseUrl !== undefined ? { databaseUrl: deps.databaseUrl } : {}) });
    try {
      if (deps.checkStore) sqliteStoreOf(store)?.checkIntegrity();
      const storeOpened = performance.now();
      const index = await PassageIndex.open(store, deps.dataDir, deps.log, {
        ...(deps.segmentSize ? { segmentSize: deps.segmentSize } : {}),
        ...(deps.decodeSegmentsWhenRead ? { decodeWhenRead: true } : {}),
        ...(deps.onIndexProgress ? { onProgress: deps.onIndexProgress } : {}),
      });
      if (index.loadOutcome !== 'loaded' && index.documentCount > 0) {
        deps.log.info({ passages: index.documentCount, outcome: index.loadOutcome }, 'index built from the database');
      }
      // Everything a question needs is loaded here, before the bot reports ready, not in the first `ask`.
      const indexOpened = performance.now();
      // Everything a question needs is loaded here, before the bot reports ready, not in the first `ask`.
      if (deps.loadTokenizer !== false) loadTokenizer();
      const tokenizerLoaded = performance.now();
      // Read before the facts: a change in between is applied again, which is harmless.
      const factsSeq = await store.articles.lastChangeSeq();
      await index.applyRemovals(store);
      const desk = new Newsdesk(store, index, deps, { factsSeq });
      // Where start-up time goes, for `npm run bench -- --processes` (one mark per open, so nothing accumulates).
      performance.mark('newsdesk:opened', {
        detail: {
          startAt: start,
          storeMs: storeOpened - start,
          indexMs: indexOpened - storeOpened,
          tokenizerMs: tokenizerLoaded - indexOpened,
          factsMs: performance.now() - tokenizerLoaded,
          ...index.timings,
        },
      });
      return desk;
    } catch (error) {
      await store.close();
      throw isStoreDamage(error) ? storeDamaged(store.location, error) : error;
    }
  }

  async ask(question: string, options: AskOptions = {}): Promise<AskOutcome> {
    const facts = await this.facts();
    // Time words (昨天, 本月) are read against this desk's clock in the outlets' zone (NEWSDESK_TIMEZONE).
    return ask({ store: this.store, index: this.index, articleFacts: facts, now: this.now, timeZone: this.zone }, question, options);
  }

  /**
   * Ingests files, each in its own transaction; the index then catches up with everything stored, in one go
   * (a large ingest tokenizes on a second thread), and is saved once.
   */
  async ingest(paths: readonly string[], options: Omit<IngestOptions, 'now' | 'exclude' | 'zone'> & { onIndexProgress?: (done: number, total: number) => void } = {}): Promise<IngestSummary> {
    const { onIndexProgress, ...ingestOptions } = options;
    const start = performance.now();
    const before = { ...this.index.timings };
    const early = inputBytes(paths, [this.dataDir]) >= EARLY_TOKENIZER_MIN_BYTES ? new IndexTextWorker() : undefined;
    // The thread tokenizes each file's passages while this thread reads the next file.
    const ahead = early ? new EarlyTokenizer(early, this.index.lastId) : undefined;
    const onProgress = async (done: number, total: number, file: string) => {
      await ahead?.feed(this.store);
      await ingestOptions.onProgress?.(done, total, file);
    };
    let summary: IngestSummary;
    let stored: number;
    try {
      summary = await ingestFiles(this.store, paths, { ...ingestOptions, onProgress, now: this.now, zone: this.zone, exclude: [this.dataDir] });
      // Committed news into the database file itself now, not only the write-ahead log (which a crash can lose).
      sqliteStoreOf(this.store)?.checkpoint();
      stored = performance.now();
      const tokenized = await ahead?.finish(this.store);
      await this.syncFromStore(onIndexProgress, ahead?.threadUsable === false ? undefined : early, tokenized);
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
  async storeArticles(articles: readonly NewArticle[]): Promise<InsertResult> {
    const result = await this.store.insertArticles(articles, this.now().toISOString());
    await this.follow(result.added);
    return result;
  }

  /**
   * Adds to the in-memory index what other processes stored since (an `npm run ingest` while the bot runs):
   * the database is the hand-off point, passages are picked up by id. Returns how many were added.
   */
  async syncFromStore(onProgress?: (done: number, total: number) => void, tokenizer?: IndexTextWorker, tokenized?: Map<number, string>): Promise<number> {
    await this.applyChanges();
    if ((await this.store.maxPassageId()) <= this.index.lastId) return 0;
    await this.learnNewArticles();
    const useThread = tokenizer && (await this.store.countPassagesAfter(this.index.lastId)) >= EARLY_TOKENIZER_MIN_PASSAGES;
    // Small batches when texts come tokenized ahead: each is inserted as soon as the thread has done it, while the
    // thread still tokenizes the last file's passages, instead of waiting for two files' worth.
    const batching = tokenized ? { tokenized, batchSize: TOKENIZED_AHEAD_BATCH } : {};
    return this.index.catchUp(this.store, { ...(onProgress ? { onProgress } : {}), ...batching, ...(useThread ? { parallel: true, startWorker: () => tokenizer } : {}) });
  }

  /**
   * The facts of every article, read from the store once, when first needed (one read however many questions ask
   * at once). The bot reads them at start (`warmFacts`), so no member's question waits for the scan.
   */
  private async facts(): Promise<Map<number, ArticleFacts>> {
    if (this.factsRead) return this.factsRead;
    this.factsReading ??= this.store.articleFacts().then((read) => (this.factsRead = read));
    return this.factsReading;
  }

  /** Reads every article's facts now rather than at the first question (the bot does, before it reports ready). */
  async warmFacts(): Promise<void> {
    await this.facts();
  }

  /** The facts as read so far, waiting for a read under way: undefined when nobody has asked for them yet. */
  private async factsIfRead(): Promise<Map<number, ArticleFacts> | undefined> {
    return this.factsReading ? this.factsReading : undefined;
  }

  /** The filterable facts of articles stored since (by any process), before their passages are indexed. */
  private async learnNewArticles(): Promise<void> {
    // Only articles newer than any already known: the others' facts never change. Not read yet: nothing to do.
    const read = await this.factsIfRead();
    if (!read) return;
    let known = 0;
    for (const id of read.keys()) if (id > known) known = id;
    for (const [id, facts] of await this.store.articleFacts(known)) read.set(id, facts);
  }

  /**
   * {@link syncFromStore} for the running bot: the same catch-up in slices of about 50 ms with the event loop
   * running between them, so that interactions arriving meanwhile are acknowledged in time. Returns how many
   * passages were added. One at a time (the bot's NewsIntake runs never overlap).
   */
  async syncFromStoreInSlices(options: Parameters<PassageIndex['catchUpInSlices']>[1] = {}): Promise<number> {
    if ((await this.store.maxPassageId()) <= this.index.lastId) return 0;
    await this.learnNewArticles();
    return this.index.catchUpInSlices(this.store, options);
  }

  /**
   * Applies removals and corrections logged in the store since this process last looked (by this process or
   * another, e.g. `newsdesk articles remove` while the bot runs): removed articles leave the answers, corrected
   * outlets and dates reach the filters. Returns how many changes were applied.
   */
  async applyChanges(): Promise<number> {
    const changes = await this.store.articles.changesAfter(this.factsSeq);
    if (changes.length === 0) return 0;
    const read = await this.factsIfRead();
    const edited = new Set<number>();
    for (const c of changes) {
      if (c.kind === 'removed') {
        read?.delete(c.articleId);
        edited.delete(c.articleId);
      } else edited.add(c.articleId);
    }
    if (read) for (const [id, a] of await this.store.getArticles([...edited])) read.set(id, { source: a.source, publishedDay: a.publishedDay });
    this.factsSeq = changes[changes.length - 1]!.seq;
    await this.index.applyRemovals(this.store);
    return changes.length;
  }

  /**
   * Removes articles from the store and the index together: one transaction removes them (leaving tombstones so
   * they are not stored again) and logs the removal; the index then applies the log and is saved. Should the
   * process stop in between, the next one to open the index applies the logged removal, so answers never show
   * a removed article. Unknown ids are ignored.
   */
  async removeArticles(ids: readonly number[], options: { by?: string; reason?: string } = {}): Promise<{ removed: ArticleRecord[]; passages: number }> {
    const result = await this.store.articles.remove(ids, { now: this.now(), ...options });
    if (result.removed.length > 0) {
      await this.applyChanges();
      this.saveIndex();
      this.log.info({ articles: result.removed.map((a) => a.id), passages: result.passages, by: options.by }, 'articles removed');
    }
    return result;
  }

  /**
   * A server admin's removal: only an article one of the server's own feeds brought (another server's or the owner's
   * news is not theirs to take down). `ref` is an id, an address or title words that must point to one such article.
   */
  async removeForGuild(guildId: string, ref: string, by: string): Promise<GuildRemoval> {
    const matches = await this.findArticles(ref, 50);
    if (matches.length === 0) return { kind: 'not-found' };
    const theirs = await this.store.articles.broughtByGuild(guildId);
    const own = matches.filter((a) => theirs.has(a.id));
    if (own.length === 0) return { kind: 'not-theirs', article: matches[0]! };
    if (own.length > 1) return { kind: 'ambiguous', candidates: own.slice(0, 10) };
    const result = await this.removeArticles([own[0]!.id], { by, reason: `removed by a server admin (guild ${guildId})` });
    return { kind: 'removed', article: own[0]!, passages: result.passages };
  }

  /** Corrects an article's title, outlet, date or URL; the filters of this and every other process follow. */
  async editArticle(id: number, changes: ArticleEdit): Promise<{ before: ArticleRecord; after: ArticleRecord } | undefined> {
    // A corrected day is the article's local day; its instant is that day's start where the outlets are.
    const day = changes.publishedAt !== undefined && changes.publishedDay === undefined && /^\d{4}-\d{2}-\d{2}$/.test(changes.publishedAt) ? changes.publishedAt : undefined;
    const dated: ArticleEdit = day ? { ...changes, publishedDay: day, publishedAt: startOfLocalDay(day, this.zone).toISOString() } : changes;
    const result = await this.store.articles.edit(id, dated, this.now());
    if (result) {
      await this.applyChanges();
      this.log.info({ article: id, changes }, 'article corrected');
    }
    return result;
  }

  /** Saves the index, unless a running bot owns it: the bot then picks the new passages up from the database. */
  saveIndex(): void {
    const owner = indexOwner(this.dataDir);
    if (owner !== undefined) {
      this.log.info({ owner }, `the running bot (pid ${owner}) owns the index; it picks up these articles within a minute`);
      return;
    }
    if (this.saveInBackground) {
      // Failures are logged, not thrown: the index on disk stays the previous one, and the next save tries again.
      this.index.saveInSlices(this.now).catch((error: unknown) => this.log.error({ error: describeError(error) }, 'index save failed: the saved index stays the previous one'));
      return;
    }
    this.index.save(this.now());
  }

  /** Resolves when no index save is under way (with `saveInBackground`); never rejects (a failed save is logged). */
  async indexSaved(): Promise<void> {
    for (let save = this.index.saveUnderWay; save; save = this.index.saveUnderWay) await save.catch(() => undefined);
  }

  /** Replaces an article's text (see Store#replaceArticleText); the index follows at once. */
  async replaceArticleText(articleId: number, paragraphs: readonly string[]): Promise<void> {
    const { updated, added } = await this.store.replaceArticleText(articleId, paragraphs);
    this.index.reindex(updated);
    const first = added[0]?.id;
    // Added passages have new ids: as for new articles, passages another process stored before them come first.
    if (first !== undefined && ((await this.store.firstPassageIdAfter(this.index.lastId)) ?? first) < first) await this.syncFromStore();
    else if (added.length > 0) this.index.add(added);
  }

  private async follow(added: InsertResult['added']): Promise<void> {
    // Another process may have stored passages between the index's last one and ours: the index only
    // remembers its highest id, so take theirs first or they would never be picked up.
    const ownFirst = added[0]?.passages[0]?.id;
    if (ownFirst !== undefined && ((await this.store.firstPassageIdAfter(this.index.lastId)) ?? ownFirst) < ownFirst) {
      await this.syncFromStore();
      return;
    }
    const read = await this.factsIfRead();
    for (const { article, passages } of added) {
      read?.set(article.id, { source: article.source, publishedDay: article.publishedDay });
      this.index.add(passages);
    }
  }

  /**
   * The articles an owner means by `ref`: an id (`12` or `#12`), an address (compared without tracking parameters),
   * or words of the title (as the tokenizer compares them). At most `limit`, newest first for a title.
   */
  async findArticles(ref: string, limit = 20): Promise<ArticleRecord[]> {
    const s = ref.trim();
    if (/^#?\d+$/.test(s)) {
      const found = await this.store.getArticles([Number(s.replace('#', ''))]);
      return [...found.values()];
    }
    if (/^https?:\/\//i.test(s)) return (await this.store.articles.byUrl(s)).slice(0, limit);
    return this.store.articles.byTitle(s, limit);
  }

  /** Articles about these words: title matches first, then the articles of the best passages in the index. */
  async searchArticleIds(words: string, limit = 50): Promise<number[]> {
    const ids = (await this.store.articles.byTitle(words, limit)).map((a) => a.id);
    const outcome = await this.ask(words, { top: limit });
    if (outcome.kind === 'hits') for (const p of outcome.passages) if (!ids.includes(p.articleId)) ids.push(p.articleId);
    return ids.slice(0, limit);
  }

  /**
   * Up to `limit` headlines matching what a member has typed so far, best match first and newest first among
   * equals (see {@link HeadlineIndex.search}); a scan of titles in memory, cheap enough to answer every keystroke.
   */
  async suggestHeadlines(typed: string, limit: number, source?: string): Promise<Headline[]> {
    await this.readHeadlines();
    return this.headlines.search(typed, limit, source);
  }

  /** Up to `limit` indexed outlets whose name holds what was typed, in either Chinese script. */
  async suggestSources(typed: string, limit: number): Promise<string[]> {
    await this.readHeadlines();
    return this.headlines.searchOutlets(typed, limit);
  }

  /** One article's headline (for a suggestion a member picked). */
  async headline(articleId: number): Promise<Headline | undefined> {
    await this.readHeadlines();
    return this.headlines.get(articleId);
  }

  /** Reads the headlines now rather than at the first suggestion (a large index takes a few hundred ms once). */
  async warmHeadlines(): Promise<void> {
    await this.readHeadlines();
    this.headlines.catchUp();
  }

  /** Fetches the headlines of articles stored since the last read (by any process), for `headlines` to take in. */
  private async readHeadlines(): Promise<void> {
    for (const h of await this.store.headlines(this.headlinesReadUpTo)) {
      this.unreadHeadlines.push(h);
      if (h.articleId > this.headlinesReadUpTo) this.headlinesReadUpTo = h.articleId;
    }
  }

  sources(): Promise<SourceSummary[]> {
    return this.store.sources();
  }

  latest(limit: number, source?: string): Promise<ArticleRecord[]> {
    return this.store.latest(limit, source);
  }

  /**
   * The newest `limit` articles about a topic (/latest topic:): of the 100 articles that match its words best, those
   * holding every word (in the passage found or the headline), else those holding any, newest first. A topic with
   * nothing to search for or no match comes back as `ask`'s outcome, its message in `locale`.
   */
  async latestAbout(topic: string, limit: number, options: { source?: string; locale?: Locale } = {}): Promise<{ kind: 'articles'; articles: AnswerPassage[] } | Exclude<AskOutcome, { kind: 'hits' }>> {
    const outcome = await this.ask(topic, { top: 100, ...options });
    if (outcome.kind !== 'hits') return outcome;
    const all = outcome.passages.filter((p) => {
      const text = normalize(`${p.title ?? ''} ${p.text}`);
      return outcome.terms.every((term) => text.includes(term));
    });
    const articles = (all.length > 0 ? all : outcome.passages).sort((a, b) => (a.publishedAt < b.publishedAt ? 1 : a.publishedAt > b.publishedAt ? -1 : b.articleId - a.articleId));
    return { kind: 'articles', articles: articles.slice(0, limit) };
  }

  close(): Promise<void> {
    this.index.close();
    return this.store.close();
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
