/**
 * `npm run bench -- --processes`: newsdesk measured from the outside, a fresh process per command as an owner and
 * the bot meet it (`newsdesk ingest` into an empty data directory, `newsdesk ask` cold, `newsdesk ingest` of a
 * day's news), with where each process's time goes, side by side with SQLite FTS5 over the same jieba tokens.
 * Every spawned process preloads process-probe.mjs (through NODE_OPTIONS), which reports its boot, nodejieba's
 * dictionary load, time inside SQLite transactions, the core's `newsdesk:*` marks and its memory.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SAMPLES_DIR } from '../newsdesk.js';
import { PACKAGE_ROOT } from '../package-root.js';
import type { NewArticle } from '../store/store.js';
import { tokenize } from '../text/tokenize.js';
import { DAYS, FIRST_DAY } from './bench-corpus.js';
import { loadJiebaDictionary } from './jieba-dictionary.js';
import { loadAverage, type LatencySummary } from './measure.js';
import { questionFrom } from './questions.js';
import { Rng } from './rng.js';
import { generateArticles, inBatches, readRealParagraphs } from './synthetic-corpus.js';

const PROBE = pathToFileURL(join(PACKAGE_ROOT, 'src', 'bench', 'process-probe.mjs')).href;
const ARTICLES_PER_FILE = 500;
const DAY_MS = 86_400_000;

export interface ProcessBenchOptions {
  paragraphs: number;
  day: number;
  questions: number;
  seed: number;
  evalDir: string;
  /** Cold starts per setup; the median is reported. */
  repeat: number;
  keep?: boolean;
}

/** One line of process-probe.mjs: a process's own account of itself. */
interface Probe {
  pid: number;
  argv: string[];
  code: number;
  /** ms from the process's start to the probe (Node's own boot). */
  bootMs: number;
  exitAt: number;
  jiebaLoadMs: number;
  jiebaLoadAt: number | null;
  sqliteTxMs: number;
  marks: { name: string; at: number; detail: Record<string, number> | null }[];
  rssMB: number;
  maxRssMB: number;
  cpuMs: number;
}

export interface RunFigures {
  /** From spawn to exit, every process of the command included. */
  wallMs: number;
  /** Where the time went, in ms, in order; sums to `wallMs`. */
  breakdown: Record<string, number>;
  rssMB: number;
  maxRssMB: number;
  /** CPU time (user and system, all threads) of every process of the command: steadier than wall time under load. */
  cpuMs: number;
  loadAverage: number;
}

export interface SetupProcessFigures {
  build: RunFigures;
  coldStart: RunFigures;
  day: RunFigures;
  latency: LatencySummary | null;
}

export interface ProcessReport {
  startedAt: string;
  options: ProcessBenchOptions;
  launcher: string;
  machine: { cores: number; loadAverageAtStart: number; loadAverageAtEnd: number };
  corpus: { paragraphs: number; characters: number; articles: number; dayParagraphs: number; questions: number; files: number };
  /** Node starting and exiting with no code at all: the floor under every command. */
  bareNodeMs: number;
  /** newsdesk's tokenizer alone over the corpus, in this process (the floor under any build). */
  tokenizeMs: number;
  newsdesk: SetupProcessFigures;
  fts5: SetupProcessFigures;
}

export function runProcessBench(options: ProcessBenchOptions, progress: (message: string) => void): ProcessReport {
  const startedAt = new Date().toISOString();
  const loadAtStart = loadAverage();
  const root = mkdtempSync(join(tmpdir(), 'newsdesk-processes-'));
  try {
    const bulkDir = join(root, 'input', 'bulk');
    const dayDir = join(root, 'input', 'day');
    const deskDir = join(root, 'newsdesk');
    const ftsDir = join(root, 'fts5');
    for (const dir of [bulkDir, dayDir, deskDir, ftsDir]) mkdirSync(dir, { recursive: true });

    progress(`writing ${options.paragraphs.toLocaleString('en-US')} paragraphs and a day of ${options.day.toLocaleString('en-US')} as .jsonl files`);
    const dictionary = loadJiebaDictionary();
    const real = readRealParagraphs(SAMPLES_DIR, join(options.evalDir, 'cmrc2018-trial.json'));
    const bulk = writeJsonl(bulkDir, generateArticles({ dictionary, seed: options.seed, paragraphs: options.paragraphs, realParagraphs: real.paragraphs, firstDay: FIRST_DAY, days: DAYS }));
    const dayFirst = new Date(Date.parse(`${FIRST_DAY}T00:00:00Z`) + DAYS * DAY_MS).toISOString().slice(0, 10);
    const day = writeJsonl(dayDir, generateArticles({ dictionary, seed: options.seed, stream: 3, paragraphs: options.day, firstDay: dayFirst, days: 1, keyPrefix: 'day' }));

    const rng = Rng.derive(options.seed, 7);
    const questions: string[] = [];
    const step = Math.max(1, Math.floor(bulk.paragraphs.length / (options.questions * 2)));
    for (let i = 0; i < bulk.paragraphs.length && questions.length < options.questions; i += step) {
      const q = questionFrom(bulk.paragraphs[i]!, rng, dictionary.frequencyOf);
      if (q) questions.push(q);
    }
    const questionsFile = join(root, 'questions.json');
    writeFileSync(questionsFile, JSON.stringify(questions));

    progress('the tokenizer alone over the corpus, in this process');
    tokenize('预热');
    const tokenizeStart = performance.now();
    for (const p of bulk.paragraphs) tokenize(p);
    const tokenizeMs = performance.now() - tokenizeStart;

    const probeFile = join(root, 'probe.jsonl');
    const env = (dataDir: string): NodeJS.ProcessEnv => ({
      ...process.env,
      NEWSDESK_DATA_DIR: dataDir,
      NEWSDESK_PROBE_OUT: probeFile,
      NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --import=${PROBE}`.trim(),
      LOG_LEVEL: 'warn',
      FORCE_COLOR: '0',
    });
    const run = (label: string, argv: string[], dataDir: string): { wallMs: number; stdout: string; probes: Probe[]; loadAverage: number } => {
      progress(label);
      rmSync(probeFile, { force: true });
      const load = loadAverage();
      const start = performance.now();
      const result = spawnSync(argv[0]!, argv.slice(1), { cwd: PACKAGE_ROOT, env: env(dataDir), encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
      const wallMs = performance.now() - start;
      if (result.status !== 0) throw new Error(`${label} failed (exit ${result.status}): ${result.stderr.slice(-2000)}`);
      const probes = existsSync(probeFile)
        ? readFileSync(probeFile, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as Probe)
        : [];
      return { wallMs, stdout: result.stdout, probes, loadAverage: Math.max(load, loadAverage()) };
    };

    const newsdesk = [process.execPath, join(PACKAGE_ROOT, 'bin', 'newsdesk.js')];
    const script = (name: string) => (import.meta.url.endsWith('.ts') ? [process.execPath, '--import', 'tsx', fileURLToPath(new URL(`./${name}.ts`, import.meta.url))] : [process.execPath, fileURLToPath(new URL(`./${name}.js`, import.meta.url))]);
    const bareNodeMs = median(Array.from({ length: 3 }, () => run('bare node (node -e 0)', [process.execPath, '-e', '0'], deskDir).wallMs));

    const median3 = (label: string, make: (q: string) => string[], dataDir: string, account: (r: ReturnType<typeof run>) => RunFigures): RunFigures => {
      const runs = Array.from({ length: options.repeat }, (_, i) => account(run(`${label} (${i + 1} of ${options.repeat})`, make(questions[i % questions.length] ?? '新闻'), dataDir)));
      runs.sort((a, b) => a.wallMs - b.wallMs);
      return runs[Math.floor(runs.length / 2)]!;
    };

    const deskFigures: SetupProcessFigures = {
      build: deskIngest(run('newsdesk: ingest the corpus into an empty data directory', [...newsdesk, 'ingest', bulkDir], deskDir)),
      coldStart: median3('newsdesk: cold start to the first answer', (q) => [...newsdesk, 'ask', q], deskDir, deskAsk),
      latency: JSON.parse(run('newsdesk: query latency', [...script('desk-latency'), deskDir, questionsFile], deskDir).stdout) as LatencySummary,
      day: deskIngest(run("newsdesk: add a day's paragraphs (start, add, save, exit)", [...newsdesk, 'ingest', dayDir], deskDir)),
    };
    const ftsDb = join(ftsDir, 'fts5.db');
    const ftsFigures: SetupProcessFigures = {
      build: ftsIngest(run('FTS5: build over the same tokens', [...script('fts5-setup'), 'build', bulkDir, ftsDb], ftsDir)),
      coldStart: median3('FTS5: cold start to the first answer', (q) => [...script('fts5-setup'), 'ask', ftsDb, q], ftsDir, ftsAsk),
      latency: JSON.parse(run('FTS5: query latency', [...script('fts5-setup'), 'latency', ftsDb, questionsFile], ftsDir).stdout) as LatencySummary,
      day: ftsIngest(run("FTS5: add a day's paragraphs", [...script('fts5-setup'), 'add', dayDir, ftsDb], ftsDir)),
    };
    return {
      startedAt,
      options,
      launcher: import.meta.url.endsWith('.ts') ? 'TypeScript through tsx' : 'compiled JavaScript',
      machine: { cores: cpus().length, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadAverage() },
      corpus: {
        paragraphs: bulk.paragraphs.length,
        characters: bulk.characters,
        articles: bulk.articles,
        dayParagraphs: day.paragraphs.length,
        questions: questions.length,
        files: bulk.files,
      },
      bareNodeMs,
      tokenizeMs,
      newsdesk: deskFigures,
      fts5: ftsFigures,
    };
  } finally {
    if (options.keep) progress(`kept: ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
}

function writeJsonl(dir: string, articles: Iterable<NewArticle>): { paragraphs: string[]; characters: number; articles: number; files: number } {
  const paragraphs: string[] = [];
  let characters = 0;
  let count = 0;
  let files = 0;
  for (const batch of inBatches(articles, ARTICLES_PER_FILE)) {
    const lines = batch.map((a) => {
      paragraphs.push(...a.paragraphs);
      for (const p of a.paragraphs) characters += p.length;
      return JSON.stringify({ id: a.dedupeKey, title: a.title, text: a.paragraphs.join('\n\n'), source: a.source, publishedAt: a.publishedAt });
    });
    count += batch.length;
    writeFileSync(join(dir, `part-${String(++files).padStart(4, '0')}.jsonl`), `${lines.join('\n')}\n`);
  }
  return { paragraphs, characters, articles: count, files };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

const markOf = (p: Probe, name: string) => p.marks.find((m) => m.name === name);

/** The process that did the work: the one that left the named mark (a launcher's processes leave none). */
function worker(probes: Probe[], mark: string): Probe {
  const found = probes.find((p) => markOf(p, mark));
  if (!found) throw new Error(`no process reported the ${mark} mark: is process-probe.mjs preloaded?`);
  return found;
}

/** Splits `wallMs` into the launcher's processes, Node's boot, loading the code, and `phases` (the rest is "exit"). */
function account(r: { wallMs: number; probes: Probe[]; loadAverage: number }, p: Probe, codeStartsAt: number, phases: [string, number][]): RunFigures {
  const underTsx = r.probes.some((q) => q.argv.some((a) => a.includes('tsx')) || q.argv.some((a) => a.endsWith('.ts')));
  const breakdown: Record<string, number> = {
    [`spawn and exit${r.probes.length > 1 ? `, ${r.probes.length - 1} launcher process${r.probes.length > 2 ? 'es' : ''}` : ''}`]: r.wallMs - p.exitAt,
    'Node start-up': p.bootMs,
    [underTsx ? 'loading the code (transpiling under tsx)' : 'loading the code']: codeStartsAt - p.bootMs,
  };
  let accounted = codeStartsAt;
  for (const [name, ms] of phases) {
    breakdown[name] = (breakdown[name] ?? 0) + ms;
    accounted += ms;
  }
  const rest = p.exitAt - accounted;
  if (Math.abs(rest) >= 0.5) breakdown['the rest (output, exit)'] = rest;
  const cpuMs = r.probes.reduce((sum, q) => sum + (q.cpuMs ?? 0), 0);
  return { wallMs: r.wallMs, breakdown, rssMB: p.rssMB, maxRssMB: p.maxRssMB, cpuMs, loadAverage: r.loadAverage };
}

function openPhases(d: Record<string, number>): [string, number][] {
  const n = (k: string) => d[k] ?? 0;
  return [
    ['opening the database', n('storeMs')],
    ['reading segment files', n('readMs')],
    ['decoding segments', n('decodeMs')],
    ['rest of opening the index', n('indexMs') - n('readMs') - n('decodeMs')],
    ["reading article facts", n('factsMs')],
  ];
}

function deskAsk(r: { wallMs: number; probes: Probe[]; loadAverage: number }): RunFigures {
  const p = worker(r.probes, 'newsdesk:opened');
  const d = markOf(p, 'newsdesk:opened')!.detail ?? {};
  const opened = openPhases(d);
  const openedAt = (d['startAt'] ?? 0) + opened.reduce((s, [, ms]) => s + ms, 0);
  // The dictionary loads at the first tokenize: during the question, unless something loaded it earlier.
  const jiebaInQuestion = p.jiebaLoadAt !== null && p.jiebaLoadAt >= openedAt ? p.jiebaLoadMs : 0;
  return account(r, p, d['startAt'] ?? 0, [
    ...opened,
    ['nodejieba dictionary load', jiebaInQuestion],
    ['first question (ask, print, exit)', p.exitAt - openedAt - jiebaInQuestion],
  ]);
}

function deskIngest(r: { wallMs: number; probes: Probe[]; loadAverage: number }): RunFigures {
  const p = worker(r.probes, 'newsdesk:ingested');
  const o = markOf(p, 'newsdesk:opened')!.detail ?? {};
  const d = markOf(p, 'newsdesk:ingested')!.detail ?? {};
  const n = (k: string) => d[k] ?? 0;
  const opened = openPhases(o);
  const between = n('startAt') - ((o['startAt'] ?? 0) + opened.reduce((s, [, ms]) => s + ms, 0));
  const catchUpRest = n('indexMs') - n('tokenizeMs') - n('insertMs') - n('freezeMs');
  return account(r, p, o['startAt'] ?? 0, [
    ...opened,
    ['between open and ingest', between],
    ['reading and cleaning input', n('filesMs') - p.sqliteTxMs],
    ['SQLite writes', p.sqliteTxMs],
    ['tokenizing (or waiting for the tokenizer thread)', n('tokenizeMs')],
    ['building segments, inserting into MiniSearch', n('insertMs')],
    ['freezing or finishing full segments', n('freezeMs')],
    ['reading passages back, rest of catch-up', catchUpRest],
    ['saving the index', n('saveMs')],
  ]);
}

function ftsIngest(r: { wallMs: number; probes: Probe[]; loadAverage: number }): RunFigures {
  const p = worker(r.probes, 'bench:ingested');
  const d = markOf(p, 'bench:ingested')!.detail ?? {};
  const main = markOf(p, 'bench:main')!.at;
  const n = (k: string) => d[k] ?? 0;
  return account(r, p, main, [
    ['reading input', n('readMs')],
    ['tokenizing (jieba dictionary load included)', n('tokenizeMs')],
    ['SQLite writes (store and FTS5)', p.sqliteTxMs],
  ]);
}

function ftsAsk(r: { wallMs: number; probes: Probe[]; loadAverage: number }): RunFigures {
  const p = worker(r.probes, 'bench:opened');
  const main = markOf(p, 'bench:main')!.at;
  const opened = markOf(p, 'bench:opened')!.at;
  return account(r, p, main, [
    ['loading modules, opening the database', opened - main],
    ['nodejieba dictionary load', p.jiebaLoadMs],
    ['first question (ask, print)', Math.max(0, p.exitAt - opened - p.jiebaLoadMs)],
  ]);
}

const sec = (ms: number) => (ms / 1000).toFixed(2);
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');

/** The report as plain-text tables: the side-by-side figures, then where each command's time went. */
export function formatProcessReport(r: ProcessReport): string {
  const d = r.newsdesk;
  const f = r.fts5;
  const rows: [string, string, string, string][] = [
    ['build (ingest into an empty data dir) s', sec(d.build.wallMs), sec(f.build.wallMs), ratio(d.build.wallMs, f.build.wallMs)],
    ['cold start to the first answer s (median)', sec(d.coldStart.wallMs), sec(f.coldStart.wallMs), ratio(d.coldStart.wallMs, f.coldStart.wallMs)],
    ["add a day (start, add, save, exit) s", sec(d.day.wallMs), sec(f.day.wallMs), ratio(d.day.wallMs, f.day.wallMs)],
    ['  the same three in CPU s (all processes, threads)', `${sec(d.build.cpuMs)} ${sec(d.coldStart.cpuMs)} ${sec(d.day.cpuMs)}`, `${sec(f.build.cpuMs)} ${sec(f.coldStart.cpuMs)} ${sec(f.day.cpuMs)}`, ''],
    ['query p50 / p95 ms', `${d.latency?.p50Ms.toFixed(1)} / ${d.latency?.p95Ms.toFixed(1)}`, `${f.latency?.p50Ms.toFixed(1)} / ${f.latency?.p95Ms.toFixed(1)}`, ratio(d.latency?.p50Ms ?? 0, f.latency?.p50Ms ?? 0)],
    ['resident MB after load and one answer', d.coldStart.rssMB.toFixed(0), f.coldStart.rssMB.toFixed(0), ratio(d.coldStart.rssMB, f.coldStart.rssMB)],
  ];
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const table = [
    `${'through real processes'.padEnd(w0)}  ${'newsdesk'.padStart(13)}  ${'SQLite FTS5'.padStart(13)}  ${'newsdesk/FTS5'.padStart(13)}`,
    ...rows.map(([a, b, c, e]) => `${a.padEnd(w0)}  ${b.padStart(13)}  ${c.padStart(13)}  ${e.padStart(13)}`),
  ];
  const breakdown = (title: string, run: RunFigures) => {
    const entries = Object.entries(run.breakdown);
    const w = Math.max(...entries.map(([k]) => k.length));
    return [
      `${title}: ${sec(run.wallMs)} s wall, ${sec(run.cpuMs)} s CPU (load average ${run.loadAverage.toFixed(1)}, max resident ${run.maxRssMB.toFixed(0)} MB)`,
      ...entries.map(([k, ms]) => `  ${k.padEnd(w)}  ${ms.toFixed(0).padStart(7)} ms`),
    ].join('\n');
  };
  return [
    `newsdesk through real processes (${r.launcher}): ${r.corpus.paragraphs.toLocaleString('en-US')} paragraphs (${(r.corpus.characters / 1e6).toFixed(1)} M characters, ${r.corpus.articles.toLocaleString('en-US')} articles in ${r.corpus.files} .jsonl files), a day of ${r.corpus.dayParagraphs.toLocaleString('en-US')}, ${r.corpus.questions} questions`,
    `${r.machine.cores} cores, load average ${r.machine.loadAverageAtStart.toFixed(1)} at start, ${r.machine.loadAverageAtEnd.toFixed(1)} at end${Math.max(r.machine.loadAverageAtStart, r.machine.loadAverageAtEnd) > r.machine.cores ? ' (above the core count: other work competed, timings are noisy)' : ''}`,
    `bare Node start and exit (node -e 0): ${r.bareNodeMs.toFixed(0)} ms; the tokenizer alone over the corpus: ${sec(r.tokenizeMs)} s`,
    '',
    ...table,
    '',
    breakdown('newsdesk ingest into an empty data directory', d.build),
    breakdown('newsdesk ask, cold', d.coldStart),
    breakdown("newsdesk ingest of a day's news", d.day),
    breakdown('FTS5 build', f.build),
    breakdown('FTS5 ask, cold', f.coldStart),
    breakdown("FTS5 add a day", f.day),
  ].join('\n');
}
