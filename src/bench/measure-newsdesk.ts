import { performance } from 'node:perf_hooks';
import { silentLogger } from '../log.js';
import { Newsdesk } from '../newsdesk.js';
import { sqliteStoreOf } from '../store/sqlite-news-store.js';
import type { Store } from '../store/store.js';
import { queryTerms } from '../text/tokenize.js';
import { addDay, type BulkCorpus } from './bench-corpus.js';
import { indexFiles, loadAndSaveBreakdown, totalBytes } from './index-files.js';
import type { JiebaDictionary } from './jieba-dictionary.js';
import { MemoryPeak, attempt, memory, perSecond, runTimed, runTimedAsync, summarizeLatencies, timedAsync, type MemorySnapshot } from './measure.js';
import type { SegmentationFigures, SetupFigures } from './report.js';

/** Holds the one open desk, so that dropping it here lets the collector take its index before the next phase. */
export interface DeskHolder {
  desk?: Newsdesk;
}

export interface PhaseContext {
  dataDir: string;
  dictionary: JiebaDictionary;
  seed: number;
  dayParagraphs: number;
  bulk: BulkCorpus;
  segmentation: SegmentationFigures;
  gc: (() => void) | undefined;
  progress: (message: string) => void;
  /** Build without the tokenizer thread, as on a one-core machine. */
  oneThread?: boolean;
}

/**
 * The SQLite store behind a desk: the benchmark stores its corpus straight into it, in bulk, as a measured step of its
 * own (and compares with SQLite FTS5), so it runs on SQLite only.
 */
export function benchStore(desk: Newsdesk): Store {
  const store = sqliteStoreOf(desk.store);
  if (!store) throw new Error('the benchmark runs on the SQLite store: unset NEWSDESK_DATABASE_URL');
  return store;
}

/**
 * The newsdesk setup, as a user runs it: the index built from the store, a day added, saved, questions through
 * `ask` (the full path) and through `index.search`, then a cold start on the saved directory. Closes the desk.
 */
export async function measureNewsdesk(ctx: PhaseContext, holder: DeskHolder): Promise<SetupFigures> {
  const { bulk, gc, progress } = ctx;
  const { corpus, questions } = bulk;
  let desk = holder.desk;
  if (!desk) throw new Error('measureNewsdesk needs an open desk');

  const beforeBuild = memory(gc);
  progress(`newsdesk: building the index from the store (the catch-up loop of Newsdesk.open, ${ctx.oneThread ? 'one thread' : 'tokenizing on a worker thread'})`);
  const build = await timedAsync(() => desk!.index.catchUp(desk!.store, ctx.oneThread ? { parallel: false } : {}));
  const afterBuild = memory(gc);
  progress('newsdesk: saving the bulk index');
  const bulkSave = attempt(() => desk!.index.save());

  progress(`newsdesk: adding a day of ${ctx.dayParagraphs.toLocaleString('en-US')} paragraphs, then saving`);
  const day = addDay({ dictionary: ctx.dictionary, seed: ctx.seed, paragraphs: ctx.dayParagraphs }, benchStore(desk), (passages) => desk!.index.add(passages));
  const save = attempt(() => desk!.index.save());
  const files = indexFiles(ctx.dataDir);
  const indexBytes = save.ok ? totalBytes(files) : null;
  const segments = (desk.index as { segmentCount?: unknown }).segmentCount;

  progress(`newsdesk: ${questions.length} questions through ask, then through index.search`);
  const peak = new MemoryPeak();
  const asked = await runTimedAsync(
    questions,
    async (q) => {
      const outcome = await desk!.ask(q.question, { top: 3 });
      if (outcome.kind !== 'hits') return { correct: false, hits: 0 };
      return { correct: outcome.passages.slice(0, 3).some((p) => p.text.includes(q.answer)), hits: outcome.totalArticles };
    },
    peak,
  );
  const termsOf = new Map(questions.map((q) => [q, queryTerms(q.question).terms]));
  const searched = runTimed(
    questions,
    (q) => {
      const hits = desk!.index.search(termsOf.get(q) ?? []);
      return { correct: hits.slice(0, 3).some((h) => h.passageId === q.passageId), hits: hits.length };
    },
    peak,
  );
  progress('newsdesk: headline suggestions (autocomplete), each question typed one character at a time');
  const firstRead = await timedAsync(() => desk!.warmHeadlines());
  const keystrokes = questions.slice(0, 200).flatMap((q) => Array.from({ length: Math.min(8, [...q.question].length) }, (_, i) => [...q.question].slice(0, i + 1).join('')));
  const suggested = await runTimedAsync(keystrokes, async (typed) => ({ correct: true, hits: (await desk!.suggestHeadlines(typed, 25)).length }), peak);
  const suggest = { articles: await desk.store.articleCount(), firstReadMs: firstRead.ms, keystroke: summarizeLatencies(suggested.latencies) };
  await desk.close();
  desk = holder.desk = undefined;

  let load: SetupFigures['load'] = { ms: null };
  let coldStart: SetupFigures['coldStart'] = { toFirstAnswerMs: null, firstAnswerMs: null };
  let afterLoad: MemorySnapshot | undefined;
  let saveBreakdown: Record<string, number> | undefined;
  if (save.ok) {
    progress('newsdesk: cold start (open the saved data dir, first answer)');
    memory(gc);
    const start = performance.now();
    let cold: Newsdesk | undefined = await Newsdesk.open({ dataDir: ctx.dataDir, log: silentLogger });
    const loadMs = performance.now() - start;
    const firstStart = performance.now();
    await cold.ask(questions[0]?.question ?? '特斯拉储能超级工厂', { top: 3 });
    const firstAnswerMs = performance.now() - firstStart;
    coldStart = { toFirstAnswerMs: performance.now() - start, firstAnswerMs };
    const outcome = cold.index.loadOutcome;
    afterLoad = memory(gc);
    await cold.close();
    cold = undefined;
    memory(gc);
    progress('newsdesk: where load and save time goes (read, decode; encode)');
    const breakdown = loadAndSaveBreakdown(files, gc);
    load = { ms: loadMs, outcome, breakdown: breakdown.load };
    saveBreakdown = breakdown.save;
  }

  const n = Math.max(1, questions.length);
  return {
    storeInsert: { ms: bulk.storeInsertMs, paragraphsPerSec: perSecond(corpus.paragraphs, bulk.storeInsertMs) },
    build: {
      ms: build.ms,
      passagesPerSec: perSecond(corpus.passages, build.ms),
      vsTokenize: build.ms / ctx.segmentation.tokenizeMs,
      ...(bulkSave.ok ? { saveMs: bulkSave.ms } : { saveMs: null, saveError: bulkSave.error }),
    },
    day: { paragraphs: day.paragraphs, passages: day.passages, addMs: day.addMs, paragraphsPerSec: perSecond(day.paragraphs, day.addMs), storeInsertMs: day.insertMs },
    save: save.ok
      ? { ms: save.ms, bytes: indexBytes, files: files.length, ...(typeof segments === 'number' ? { segments } : {}), ...(saveBreakdown ? { breakdown: saveBreakdown } : {}) }
      : { ms: null, error: save.error, bytes: null },
    load,
    coldStart,
    queries: { ask: summarizeLatencies(asked.latencies), search: summarizeLatencies(searched.latencies), meanHits: searched.hits / n, meanArticles: asked.hits / n },
    recallAt3: { ask: asked.correct / n, search: searched.correct / n },
    suggest,
    memory: { beforeBuild, afterBuild, ...(afterLoad ? { afterLoad } : {}), whileAnswering: peak.peak },
  };
}
