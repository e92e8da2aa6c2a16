/**
 * `npm run bench`: builds a synthetic news corpus in a temporary data directory and measures the newsdesk index
 * (segmentation floor, store insert, build, a day's incremental add, save, load, cold start, query latency,
 * Recall@3, memory) side by side with a naive MiniSearch setup on the same corpus and questions. Prints tables
 * on stdout (progress goes to stderr); `--json <file>` also writes every figure.
 */
import { Command, InvalidArgumentError } from 'commander';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { silentLogger } from '../log.js';
import { Newsdesk } from '../newsdesk.js';
import { measureSegmentation, storeBulkCorpus } from './bench-corpus.js';
import { loadJiebaDictionary } from './jieba-dictionary.js';
import { exposedGc, loadAverage, machineInfo, maxRssMB, progressLogger } from './measure.js';
import { measureNaive } from './measure-naive.js';
import { measureIntakeStall, measureStallOnly } from './measure-stall.js';
import { benchStore, measureNewsdesk, type DeskHolder, type PhaseContext } from './measure-newsdesk.js';
import { formatReport, type BenchReport } from './report.js';
import { formatProcessReport, runProcessBench } from './process-bench.js';


const wholeNumber = (min: number) => (value: string): number => {
  const n = Number(value.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number, ${min} or more`);
  return n;
};

export interface BenchCliOptions {
  paragraphs: number;
  questions: number;
  day: number;
  seed: number;
  json?: string;
  skipNaive?: boolean;
  evalDir: string;
  keep?: boolean;
  oneThread?: boolean;
  processes?: boolean;
  stallOnly?: boolean;
  dataDir?: string;
  replicateTo?: number;
  repeat: number;
}

export async function runBench(options: BenchCliOptions): Promise<BenchReport> {
  const started = performance.now();
  const progress = progressLogger(started);
  const startedAt = new Date().toISOString();
  const loadAtStart = loadAverage();
  const gc = exposedGc();
  const notes: string[] = [];
  if (!gc) notes.push('run without --expose-gc: heap and RSS figures include garbage not yet collected. For cleaner figures: NODE_OPTIONS=--expose-gc npm run bench');
  const dataDir = mkdtempSync(join(tmpdir(), 'newsdesk-bench-'));
  try {
    progress('loading the jieba dictionary');
    const dictionary = loadJiebaDictionary();
    // The desk is opened on the empty directory (an empty index), so that the build below is the index's own
    // catch-up loop, the one Newsdesk.open runs on a filled store, timed apart from the save that follows it.
    const holder: DeskHolder = { desk: await Newsdesk.open({ dataDir, log: silentLogger }) };
    const bulk = storeBulkCorpus(
      { dictionary, paragraphs: options.paragraphs, questions: options.questions, seed: options.seed, cmrcPath: join(resolve(options.evalDir), 'cmrc2018-trial.json') },
      benchStore(holder.desk!),
      progress,
    );
    progress('measuring segmentation throughput over the bulk corpus');
    const segmentation = measureSegmentation(benchStore(holder.desk!));
    bulk.corpus.tokens = segmentation.tokens;
    bulk.corpus.distinctTerms = segmentation.distinctTerms;
    const ctx: PhaseContext = { dataDir, dictionary, seed: options.seed, dayParagraphs: options.day, bulk, segmentation: segmentation.figures, gc, progress, oneThread: Boolean(options.oneThread) };
    const newsdesk = await measureNewsdesk(ctx, holder);
    const naive = options.skipNaive ? ({ skipped: true } as const) : measureNaive(ctx, newsdesk.day.paragraphs);
    progress(`newsdesk: the bot picking up a day (${options.day.toLocaleString('en-US')} paragraphs) another process stored: one call, then in slices`);
    const intakeStall = await measureIntakeStall(ctx);

    if (bulk.questions.length < options.questions) notes.push(`only ${bulk.questions.length} of ${options.questions} questions could be made (at most one per two paragraphs)`);
    if (newsdesk.load.outcome && newsdesk.load.outcome !== 'loaded') notes.push(`the saved index was not loaded at cold start (outcome: ${newsdesk.load.outcome})`);
    const machine = machineInfo(loadAtStart);
    if (Math.max(machine.loadAverage.atStart, machine.loadAverage.atEnd) > machine.cores) {
      notes.push(`the load average exceeded the ${machine.cores} cores: other work competed for the CPU, so timings (and ratios near 1) are noisy`);
    }
    return {
      startedAt,
      totalSeconds: (performance.now() - started) / 1000,
      machine,
      options: { paragraphs: options.paragraphs, questions: options.questions, dayParagraphs: options.day, seed: options.seed, skipNaive: Boolean(options.skipNaive), oneThread: Boolean(options.oneThread) },
      gc: gc ? 'forced (--expose-gc)' : 'not available',
      notes,
      corpus: bulk.corpus,
      segmentation: segmentation.figures,
      newsdesk,
      intakeStall,
      naive,
      maxRssMB: maxRssMB(),
    };
  } finally {
    if (options.keep) progress(`data directory kept: ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const program = new Command()
    .name('bench')
    .description('Measure the newsdesk index on a synthetic news corpus, side by side with a naive MiniSearch setup.')
    .option('--paragraphs <n>', 'paragraphs in the bulk corpus (1000000 for the full run)', wholeNumber(1), 50_000)
    .option('--questions <n>', 'questions, each made from a held-out paragraph', wholeNumber(1), 1000)
    .option('--day <n>', "paragraphs in the day's incremental add", wholeNumber(0), 10_000)
    .option('--seed <n>', 'seed of the corpus and question generator', wholeNumber(0), 1)
    .option('--json <file>', 'also write the JSON report to this file')
    .option('--skip-naive', 'measure the newsdesk setup only')
    .option('--eval-dir <dir>', 'where cmrc2018-trial.json is, whose paragraphs are mixed in (skipped when missing)', '../shared/eval')
    .option('--keep', 'keep the temporary data directory and print where it is')
    .option('--one-thread', 'build the index without the tokenizer thread (as on a one-core machine)')
    .option('--processes', 'measure through real processes instead (ingest, cold ask, add a day), with the start-up breakdown, beside SQLite FTS5')
    .option('--stall-only', "measure only the running bot's longest main-thread stall while it picks up and saves a day another process stored")
    .option('--data-dir <dir>', 'with --stall-only: start from this kept data directory (--keep) instead of building one (copied first)')
    .option('--replicate-to <n>', 'with --stall-only: pad the index in memory to about n passages with copies of its full segments (a stand-in for a larger index)', wholeNumber(1))
    .option('--repeat <n>', 'cold starts per setup with --processes (the median is reported)', wholeNumber(1), 3)
    .addHelpText(
      'after',
      [
        '',
        'Heap figures are cleaner after a forced garbage collection: NODE_OPTIONS=--expose-gc npm run bench',
        'Large runs need a larger heap: NODE_OPTIONS="--expose-gc --max-old-space-size=16384" npm run bench -- --paragraphs 1000000',
      ].join('\n'),
    );
  program.parse();
  const options = program.opts<BenchCliOptions>();
  if (options.processes) {
    const report = runProcessBench(
      { paragraphs: options.paragraphs, day: options.day, questions: Math.min(options.questions, 200), seed: options.seed, evalDir: resolve(options.evalDir), repeat: options.repeat, keep: Boolean(options.keep) },
      progressLogger(),
    );
    process.stdout.write(`${formatProcessReport(report)}\n`);
    if (options.json) writeFileSync(resolve(options.json), `${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  if (options.stallOnly) {
    const figures = await measureStallOnly({ paragraphs: options.paragraphs, day: options.day, seed: options.seed, cmrcPath: join(resolve(options.evalDir), 'cmrc2018-trial.json'), ...(options.dataDir ? { dataDir: resolve(options.dataDir) } : {}), ...(options.replicateTo ? { replicateTo: options.replicateTo } : {}) }, progressLogger());
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    if (options.json) writeFileSync(resolve(options.json), `${JSON.stringify(figures, null, 2)}\n`);
    return;
  }
  const report = await runBench(options);
  process.stdout.write(`${formatReport(report)}\n`);
  if (options.json) {
    writeFileSync(resolve(options.json), `${JSON.stringify(report, null, 2)}\n`);
    process.stderr.write(`JSON report written to ${resolve(options.json)}\n`);
  }
}

await main();
