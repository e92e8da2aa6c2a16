/**
 * `npm run bench`: builds a synthetic news corpus in a temporary data directory and measures the newsdesk
 * index (build, incremental add, save, load, cold start, query latency, Recall@3, memory) side by side with
 * a naive MiniSearch setup on the same corpus and questions. Prints a table; `--json` also writes the figures.
 */
import { Command, InvalidArgumentError } from 'commander';
import MiniSearch from 'minisearch';
import nodejieba from 'nodejieba';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { silentLogger } from '../log.js';
import { Newsdesk, SAMPLES_DIR } from '../newsdesk.js';
import { MINISEARCH_OPTIONS } from '../search/minisearch-options.js';
import { INDEX_FILE } from '../search/passage-index.js';
import { Store, type NewArticle, type PassageRecord } from '../store/store.js';
import { normalize } from '../text/normalize.js';
import { queryTerms, tokenize } from '../text/tokenize.js';
import { loadJiebaDictionary } from './jieba-dictionary.js';
import {
  MemoryPeak,
  Stopwatch,
  exposedGc,
  machineInfo,
  maxRssMB,
  memory,
  perSecond,
  summarizeLatencies,
  timed,
  type MemorySnapshot,
} from './measure.js';
import { createNaiveIndex, loadNaive, saveNaive, searchNaive, type NaiveDocument } from './naive-index.js';
import { QuestionPicker, type BenchQuestion } from './questions.js';
import { formatReport, type BenchReport, type CorpusFigures, type SegmentationFigures, type SetupFigures } from './report.js';
import { Rng } from './rng.js';
import { generateArticles, inBatches, readRealParagraphs } from './synthetic-corpus.js';

const FIRST_DAY = '2025-01-01';
const DAYS = 100;
const ARTICLES_PER_TRANSACTION = 500;
const WARM_UP_QUESTIONS = 20;
const MEMORY_SAMPLE_EVERY = 25;
const DEFAULT_CMRC = '/work/shared/eval/cmrc2018-trial.json';

const positiveInt = (value: string): number => {
  const n = Number(value.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
};
const nonNegativeInt = (value: string): number => {
  const n = Number(value.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number, 0 or more');
  return n;
};

interface CliOptions {
  paragraphs: number;
  questions: number;
  day: number;
  seed: number;
  json?: string;
  skipNaive?: boolean;
  cmrc: string;
  keep?: boolean;
}

const started = performance.now();
const progress = (message: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);

function main(): void {
  const program = new Command()
    .name('bench')
    .description('Measure the newsdesk index on a synthetic news corpus, side by side with a naive MiniSearch setup.')
    .option('--paragraphs <n>', 'paragraphs in the bulk corpus (1000000 for the full run)', positiveInt, 50_000)
    .option('--questions <n>', 'questions, each made from a held-out paragraph', positiveInt, 1000)
    .option('--day <n>', "paragraphs in the day's incremental add", nonNegativeInt, 10_000)
    .option('--seed <n>', 'seed of the corpus and question generator', nonNegativeInt, 1)
    .option('--json <file>', 'also write the JSON report to this file')
    .option('--skip-naive', 'measure the newsdesk index only')
    .option('--cmrc <file>', 'CMRC 2018 trial set whose paragraphs are mixed in (skipped when missing)', DEFAULT_CMRC)
    .option('--keep', 'keep the temporary data directory and print where it is')
    .addHelpText('after', '\nFor heap figures taken after a garbage collection: NODE_OPTIONS=--expose-gc npm run bench');
  program.parse();
  const options = program.opts<CliOptions>();
  const report = runBench(options);
  process.stdout.write(`${formatReport(report)}\n`);
  if (options.json) {
    writeFileSync(resolve(options.json), `${JSON.stringify(report, null, 2)}\n`);
    progress(`JSON report written to ${resolve(options.json)}`);
  }
}

function runBench(options: CliOptions): BenchReport {
  const startedAt = new Date().toISOString();
  const gc = exposedGc();
  const notes: string[] = [];
  if (!gc) {
    notes.push('run without --expose-gc: heap and RSS figures include garbage not yet collected. For cleaner figures: NODE_OPTIONS=--expose-gc npm run bench');
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'newsdesk-bench-'));
  try {
    const bulk = buildCorpus(options, dataDir);
    const segmentation = measureSegmentation(dataDir);
    bulk.corpus.tokens = segmentation.tokens;
    bulk.corpus.distinctTerms = segmentation.distinctTerms;
    const newsdesk = measureNewsdesk(options, dataDir, bulk, segmentation.figures, gc);
    const naive = options.skipNaive ? ({ skipped: true } as const) : measureNaive(dataDir, bulk, segmentation.figures, newsdesk.day.paragraphs, gc);
    if (bulk.questions.length < options.questions) {
      notes.push(`only ${bulk.questions.length} of ${options.questions} questions could be made (at most one per two paragraphs)`);
    }
    if (newsdesk.load.outcome !== 'loaded') notes.push(`the saved index was not loaded at cold start (outcome: ${newsdesk.load.outcome})`);
    return {
      startedAt,
      totalSeconds: (performance.now() - started) / 1000,
      machine: machineInfo(),
      options: { paragraphs: options.paragraphs, questions: options.questions, dayParagraphs: options.day, seed: options.seed, skipNaive: Boolean(options.skipNaive) },
      gc: gc ? 'forced (--expose-gc)' : 'not available',
      notes,
      corpus: bulk.corpus,
      segmentation: segmentation.figures,
      newsdesk,
      naive,
      maxRssMB: maxRssMB(),
    };
  } finally {
    if (options.keep) progress(`data directory kept: ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

interface BulkCorpus {
  corpus: CorpusFigures;
  questions: BenchQuestion[];
  lastBulkPassageId: number;
  storeInsertMs: number;
  dictionary: ReturnType<typeof loadJiebaDictionary>;
}

function* take<T>(iterator: Iterator<T>, n: number): Generator<T> {
  for (let i = 0; i < n; i++) {
    const next = iterator.next();
    if (next.done) return;
    yield next.value;
  }
}

/** Generates the bulk corpus in batches straight into the store, choosing the held-out questions on the way. */
function buildCorpus(options: CliOptions, dataDir: string): BulkCorpus {
  progress('loading the jieba dictionary');
  const dictionary = loadJiebaDictionary();
  const real = readRealParagraphs(SAMPLES_DIR, options.cmrc);
  progress(`generating ${options.paragraphs.toLocaleString('en-US')} paragraphs into the store (real paragraphs: ${real.sources.join(', ') || 'none found'})`);
  const store = Store.open(dataDir);
  const picker = new QuestionPicker(options.paragraphs, options.questions, Rng.derive(options.seed, 2), dictionary.frequencyOf);
  const generate = new Stopwatch();
  const insert = new Stopwatch();
  const ingestedAt = new Date(Date.parse(`${FIRST_DAY}T00:00:00Z`) + DAYS * 86_400_000).toISOString();
  const articles = generateArticles({ dictionary, seed: options.seed, paragraphs: options.paragraphs, realParagraphs: real.paragraphs, firstDay: FIRST_DAY, days: DAYS });
  let position = 0;
  let articleCount = 0;
  let passageCount = 0;
  let characters = 0;
  let realCount = 0;
  const realSet = new Set(real.paragraphs);
  let nextProgress = 100_000;
  try {
    for (;;) {
      const batch: NewArticle[] = generate.run(() => [...take(articles, ARTICLES_PER_TRANSACTION)]);
      if (batch.length === 0) break;
      const result = insert.run(() => store.insertArticles(batch, ingestedAt));
      if (result.duplicates > 0 || result.added.length !== batch.length) throw new Error('generated articles collided on their dedupe keys');
      result.added.forEach(({ passages }, i) => {
        for (const text of batch[i]?.paragraphs ?? []) {
          characters += text.length;
          if (realSet.has(text)) realCount++;
          picker.offer(position++, text, () => passages.find((p) => p.text === text)?.id);
        }
        passageCount += passages.length;
      });
      articleCount += batch.length;
      if (position >= nextProgress) {
        progress(`  ${position.toLocaleString('en-US')} paragraphs stored`);
        nextProgress += 100_000;
      }
    }
    return {
      corpus: {
        paragraphs: position,
        realParagraphs: realCount,
        realSources: real.sources,
        articles: articleCount,
        passages: passageCount,
        characters,
        tokens: 0,
        distinctTerms: 0,
        questions: picker.questions.length,
        dictionaryWords: dictionary.words.length,
        generateMs: generate.ms,
      },
      questions: picker.questions,
      lastBulkPassageId: store.maxPassageId(),
      storeInsertMs: insert.ms,
      dictionary,
    };
  } finally {
    store.close();
  }
}

/** The floor under any index build: segmenting the same text, by nodejieba alone and by our tokenizer. */
function measureSegmentation(dataDir: string): { figures: SegmentationFigures; tokens: number; distinctTerms: number } {
  progress('measuring segmentation throughput over the bulk corpus');
  const store = Store.open(dataDir);
  try {
    // The first call loads jieba's dictionary (about a second): not part of the throughput.
    tokenize('预热 warm-up 2025年');
    nodejieba.cut('预热', false);
    const cut = new Stopwatch();
    const norm = new Stopwatch();
    const tok = new Stopwatch();
    const terms = new Set<string>();
    let tokens = 0;
    let characters = 0;
    for (const batch of inBatches(store.iteratePassages(), 5000)) {
      const texts = batch.map((p) => p.text);
      for (const t of texts) characters += t.length;
      cut.run(() => {
        for (const t of texts) nodejieba.cut(t, false);
      });
      norm.run(() => {
        for (const t of texts) normalize(t);
      });
      const out = tok.run(() => texts.map((t) => tokenize(t)));
      for (const list of out) {
        tokens += list.length;
        for (const term of list) terms.add(term);
      }
    }
    return {
      figures: {
        characters,
        jiebaCutMs: cut.ms,
        jiebaCutCharsPerSec: perSecond(characters, cut.ms),
        normalizeMs: norm.ms,
        tokenizeMs: tok.ms,
        tokenizeCharsPerSec: perSecond(characters, tok.ms),
      },
      tokens,
      distinctTerms: terms.size,
    };
  } finally {
    store.close();
  }
}

interface QueryRun {
  latencies: number[];
  /** Questions whose answer paragraph is in the top 3. */
  correct: number;
  /** Hits returned, summed over the questions. */
  hits: number;
}

/** Runs every question (after a few uncounted warm-up ones), timing each and sampling memory now and then. */
function runQuestions(questions: readonly BenchQuestion[], answer: (q: BenchQuestion) => { correct: boolean; hits: number }, peak: MemoryPeak): QueryRun {
  for (const q of questions.slice(0, WARM_UP_QUESTIONS)) answer(q);
  const run: QueryRun = { latencies: [], correct: 0, hits: 0 };
  questions.forEach((q, i) => {
    const start = performance.now();
    const { correct, hits } = answer(q);
    run.latencies.push(performance.now() - start);
    if (correct) run.correct++;
    run.hits += hits;
    if (i % MEMORY_SAMPLE_EVERY === 0) peak.sample();
  });
  return run;
}

function measureNewsdesk(options: CliOptions, dataDir: string, bulk: BulkCorpus, seg: SegmentationFigures, gc: (() => void) | undefined): SetupFigures {
  const { corpus, questions } = bulk;
  const beforeBuild = memory(gc);
  progress('newsdesk: building the index (Newsdesk.open on the filled store)');
  const openStart = performance.now();
  let desk: Newsdesk | undefined = Newsdesk.open({ dataDir, log: silentLogger });
  const openMs = performance.now() - openStart;
  // Newsdesk.open builds, saves once and reads the article facts: time the last two again to leave the build.
  const bulkSaveMs = timed(() => desk!.index.save()).ms;
  const factsMs = timed(() => desk!.store.articleFacts().size).ms;
  const buildMs = Math.max(0, openMs - bulkSaveMs - factsMs);
  const afterBuild = memory(gc);

  progress(`newsdesk: adding a day of ${options.day.toLocaleString('en-US')} paragraphs`);
  const day = addDay(options, bulk, (articles, ingestedAt) => desk!.store.insertArticles(articles, ingestedAt).added.flatMap((a) => a.passages), (passages) => desk!.index.add(passages));
  const save = timed(() => desk!.index.save());
  const indexPath = join(dataDir, INDEX_FILE);
  const indexBytes = statSync(indexPath).size;

  progress(`newsdesk: ${questions.length} questions through ask and through search`);
  const peak = new MemoryPeak();
  const asked = runQuestions(
    questions,
    (q) => {
      const outcome = desk!.ask(q.question, { top: 3 });
      const passages = outcome.kind === 'hits' ? outcome.passages : [];
      return { correct: passages.slice(0, 3).some((p) => p.text.includes(q.answer)), hits: outcome.kind === 'hits' ? outcome.totalArticles : 0 };
    },
    peak,
  );
  const termsOf = new Map(questions.map((q) => [q, queryTerms(q.question).terms]));
  const searched = runQuestions(
    questions,
    (q) => {
      const hits = desk!.index.search(termsOf.get(q) ?? []);
      return { correct: hits.slice(0, 3).some((h) => h.passageId === q.passageId), hits: hits.length };
    },
    peak,
  );

  progress('newsdesk: cold start (open the saved data dir, first answer)');
  desk.close();
  desk = undefined;
  memory(gc);
  const coldStart = performance.now();
  let cold: Newsdesk | undefined = Newsdesk.open({ dataDir, log: silentLogger });
  const loadMs = performance.now() - coldStart;
  const firstQuestion = questions[0]?.question ?? '特斯拉储能超级工厂';
  const firstStart = performance.now();
  cold.ask(firstQuestion, { top: 3 });
  const firstAnswerMs = performance.now() - firstStart;
  const toFirstAnswerMs = performance.now() - coldStart;
  const outcome = cold.index.loadOutcome;
  const afterLoad = memory(gc);
  cold.close();
  cold = undefined;
  memory(gc);

  progress('newsdesk: load and save breakdown');
  const breakdown = loadAndSaveBreakdown(indexPath, gc);

  return {
    storeInsert: { ms: bulk.storeInsertMs, paragraphsPerSec: perSecond(corpus.paragraphs, bulk.storeInsertMs) },
    build: { ms: buildMs, passagesPerSec: perSecond(corpus.passages, buildMs), vsTokenize: buildMs / seg.tokenizeMs, openMs, saveMs: bulkSaveMs, factsMs },
    day: { paragraphs: day.paragraphs, passages: day.passages, addMs: day.addMs, paragraphsPerSec: perSecond(day.paragraphs, day.addMs), storeInsertMs: day.insertMs },
    save: { ms: save.ms, bytes: indexBytes, breakdown: breakdown.save },
    load: { ms: loadMs, outcome, breakdown: breakdown.load },
    coldStart: { toFirstAnswerMs, firstAnswerMs },
    queries: { ask: summarizeLatencies(asked.latencies), search: summarizeLatencies(searched.latencies), meanHits: searched.hits / Math.max(1, questions.length) },
    recallAt3: { ask: asked.correct / Math.max(1, questions.length), search: searched.correct / Math.max(1, questions.length) },
    memory: { beforeBuild, afterBuild, afterLoad, whileAnswering: peak.peak },
  };
}

interface DayFigures {
  paragraphs: number;
  passages: number;
  addMs: number;
  insertMs: number;
}

/** The day's articles (dated the day after the bulk corpus), stored and then added to an index, timed apart. */
function addDay(
  options: CliOptions,
  bulk: BulkCorpus,
  insert: (articles: NewArticle[], ingestedAt: string) => PassageRecord[],
  add: (passages: PassageRecord[]) => void,
): DayFigures {
  const dayDate = new Date(Date.parse(`${FIRST_DAY}T00:00:00Z`) + DAYS * 86_400_000).toISOString().slice(0, 10);
  const articles = generateArticles({ dictionary: bulk.dictionary, seed: options.seed, stream: 3, paragraphs: options.day, firstDay: dayDate, days: 1, keyPrefix: 'day' });
  const insertWatch = new Stopwatch();
  const addWatch = new Stopwatch();
  let paragraphs = 0;
  let passages = 0;
  for (const batch of inBatches(articles, 200)) {
    paragraphs += batch.reduce((n, a) => n + a.paragraphs.length, 0);
    const stored = insertWatch.run(() => insert(batch, `${dayDate}T12:00:00.000Z`));
    passages += stored.length;
    addWatch.run(() => add(stored));
  }
  return { paragraphs, passages, addMs: addWatch.ms, insertMs: insertWatch.ms };
}

/** Where load and save time goes: reading the file, JSON.parse, rebuilding MiniSearch's tree; toJSON, stringify. */
function loadAndSaveBreakdown(indexPath: string, gc: (() => void) | undefined): { load: Record<string, number>; save: Record<string, number> } {
  // Each intermediate is dropped as soon as the next step has it, as in the real load, so GC work is comparable.
  let start = performance.now();
  let raw: string | undefined = readFileSync(indexPath, 'utf8');
  const readMs = performance.now() - start;
  start = performance.now();
  let parsed: Parameters<typeof MiniSearch.loadJS>[0] | undefined = JSON.parse(raw.slice(raw.indexOf('\n') + 1));
  const parseMs = performance.now() - start;
  raw = undefined;
  start = performance.now();
  let loaded: MiniSearch | undefined = MiniSearch.loadJS(parsed!, MINISEARCH_OPTIONS);
  const loadJsMs = performance.now() - start;
  parsed = undefined;
  memory(gc);
  start = performance.now();
  let plain: object | undefined = loaded.toJSON();
  const toJsonMs = performance.now() - start;
  loaded = undefined;
  start = performance.now();
  JSON.stringify(plain);
  const stringifyMs = performance.now() - start;
  plain = undefined;
  memory(gc);
  return {
    load: { 'read file': readMs, 'JSON.parse': parseMs, 'MiniSearch.loadJS': loadJsMs },
    save: { 'MiniSearch.toJSON': toJsonMs, 'JSON.stringify': stringifyMs },
  };
}

function measureNaive(dataDir: string, bulk: BulkCorpus, seg: SegmentationFigures, dayParagraphs: number, gc: (() => void) | undefined): SetupFigures {
  const { corpus, questions } = bulk;
  const store = Store.open(dataDir);
  try {
    const beforeBuild = memory(gc);
    progress('naive: one MiniSearch, addAll of the bulk corpus');
    let docs: NaiveDocument[] = [];
    for (const p of store.iteratePassages()) {
      if (p.id > bulk.lastBulkPassageId) break;
      docs.push({ id: p.id, text: p.text });
    }
    let mini: ReturnType<typeof createNaiveIndex> | undefined = createNaiveIndex();
    const build = timed(() => mini!.addAll(docs));
    docs = [];
    const afterBuild = memory(gc);

    progress('naive: adding the same day');
    const dayDocs: NaiveDocument[] = [];
    for (const p of store.iteratePassages(bulk.lastBulkPassageId)) dayDocs.push({ id: p.id, text: p.text });
    const dayAdd = timed(() => mini!.addAll(dayDocs));

    progress(`naive: ${questions.length} questions through search`);
    const termsOf = new Map(questions.map((q) => [q, queryTerms(q.question).terms]));
    const peak = new MemoryPeak();
    const searched = runQuestions(
      questions,
      (q) => {
        const ids = searchNaive(mini!, termsOf.get(q) ?? []);
        return { correct: ids.slice(0, 3).includes(q.passageId), hits: ids.length };
      },
      peak,
    );

    progress('naive: JSON.stringify save, loadJSON, first answer');
    const path = join(dataDir, 'naive-index.json');
    const saved = saveNaive(mini, path);
    mini = undefined;
    memory(gc);
    let load: SetupFigures['load'] = { ms: null };
    let coldStart: SetupFigures['coldStart'] = { toFirstAnswerMs: null, firstAnswerMs: null };
    let afterLoad: MemorySnapshot | undefined;
    if (saved.ok) {
      const loaded = loadNaive(path);
      const firstStart = performance.now();
      searchNaive(loaded.mini, termsOf.get(questions[0]!) ?? ['特斯拉']);
      const firstAnswerMs = performance.now() - firstStart;
      load = { ms: loaded.readMs + loaded.loadJsonMs, breakdown: { 'read file': loaded.readMs, 'MiniSearch.loadJSON': loaded.loadJsonMs } };
      coldStart = { toFirstAnswerMs: loaded.readMs + loaded.loadJsonMs + firstAnswerMs, firstAnswerMs };
      afterLoad = memory(gc);
    }
    return {
      build: { ms: build.ms, passagesPerSec: perSecond(corpus.passages, build.ms), vsTokenize: build.ms / seg.tokenizeMs },
      day: { paragraphs: dayParagraphs, passages: dayDocs.length, addMs: dayAdd.ms, paragraphsPerSec: perSecond(dayParagraphs, dayAdd.ms) },
      save: saved.ok
        ? { ms: saved.stringifyMs + saved.writeMs, bytes: saved.bytes, breakdown: { 'JSON.stringify': saved.stringifyMs, 'write file': saved.writeMs } }
        : { ms: null, error: saved.error, bytes: null },
      load,
      coldStart,
      queries: { search: summarizeLatencies(searched.latencies), meanHits: searched.hits / Math.max(1, questions.length) },
      recallAt3: { search: searched.correct / Math.max(1, questions.length) },
      memory: { beforeBuild, afterBuild, ...(afterLoad ? { afterLoad } : {}), whileAnswering: peak.peak },
    };
  } finally {
    store.close();
  }
}

main();
