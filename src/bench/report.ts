import type { LatencySummary, MachineInfo, MemorySnapshot } from './measure.js';
import type { IntakeStallFigures } from './measure-stall.js';

export interface BenchOptions {
  paragraphs: number;
  questions: number;
  dayParagraphs: number;
  seed: number;
  skipNaive: boolean;
  oneThread?: boolean;
}

export interface CorpusFigures {
  paragraphs: number;
  realParagraphs: number;
  realSources: string[];
  articles: number;
  passages: number;
  characters: number;
  /** Terms the tokenizer emits over the bulk corpus, and how many distinct ones. */
  tokens: number;
  distinctTerms: number;
  questions: number;
  dictionaryWords: number;
  generateMs: number;
}

export interface SegmentationFigures {
  characters: number;
  jiebaCutMs: number;
  jiebaCutCharsPerSec: number;
  normalizeMs: number;
  tokenizeMs: number;
  tokenizeCharsPerSec: number;
}

/** One setup's figures; fields a setup does not have (the naive one has no store) are left out. */
export interface SetupFigures {
  storeInsert?: { ms: number; paragraphsPerSec: number };
  build: { ms: number; passagesPerSec: number; vsTokenize: number; saveMs?: number | null; saveError?: string };
  day: { paragraphs: number; passages: number; addMs: number; paragraphsPerSec: number; storeInsertMs?: number };
  /** files: how many files the saved index takes; segments: how many MiniSearch instances the index holds, when it says. */
  save: { ms: number | null; error?: string; bytes: number | null; files?: number; segments?: number; breakdown?: Record<string, number> };
  load: { ms: number | null; outcome?: string; breakdown?: Record<string, number> };
  coldStart: { toFirstAnswerMs: number | null; firstAnswerMs: number | null };
  /** meanHits: passages index.search returns per question; meanArticles: articles ask ranks after collapsing. */
  queries: { ask?: LatencySummary; search: LatencySummary; meanHits: number; meanArticles?: number };
  recallAt3: { ask?: number; search: number };
  /**
   * /ask autocomplete (newsdesk only): reading every headline once (`firstReadMs`, the bot does it at start), then
   * one suggestion list per keystroke of each question typed character by character (1 to 8 characters).
   */
  suggest?: { articles: number; firstReadMs: number; keystroke: LatencySummary };
  memory: { beforeBuild: MemorySnapshot; afterBuild: MemorySnapshot; afterLoad?: MemorySnapshot; whileAnswering: MemorySnapshot };
}

export interface BenchReport {
  startedAt: string;
  totalSeconds: number;
  machine: MachineInfo;
  options: BenchOptions;
  gc: 'forced (--expose-gc)' | 'not available';
  notes: string[];
  corpus: CorpusFigures;
  segmentation: SegmentationFigures;
  newsdesk: SetupFigures;
  /** The running bot's longest main-thread stall while it picks up news another process stored. */
  intakeStall?: IntakeStallFigures;
  naive: SetupFigures | { skipped: true };
  maxRssMB: number;
}

type Cell = number | string | null | undefined;

const thousands = (x: number, digits = 0) => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const seconds = (ms: Cell) => (typeof ms === 'number' ? `${(ms / 1000).toFixed(2)} s` : ms ?? '—');
const millis = (ms: Cell) => (typeof ms === 'number' ? `${ms.toFixed(2)} ms` : ms ?? '—');
const perSec = (unit: string) => (x: Cell) => (typeof x === 'number' ? `${thousands(x)} ${unit}/s` : x ?? '—');
const mb = (x: Cell) => (typeof x === 'number' ? `${thousands(x, 1)} MB` : x ?? '—');
const kb = (x: Cell) => (typeof x === 'number' ? `${thousands(x, 2)} KB` : x ?? '—');
const ratio = (x: Cell) => (typeof x === 'number' ? `${x.toFixed(2)}×` : x ?? '—');
const fraction = (x: Cell) => (typeof x === 'number' ? x.toFixed(3) : x ?? '—');
const count = (x: Cell) => (typeof x === 'number' ? thousands(x, x % 1 === 0 ? 0 : 1) : x ?? '—');

function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...(r[i] ?? '')].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c + ' '.repeat(Math.max(0, (widths[i] ?? 0) - [...c].length))).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

interface Row {
  label: string;
  core: Cell;
  naive?: Cell;
  format: (x: Cell) => string;
}

const isNaive = (n: BenchReport['naive']): n is SetupFigures => !('skipped' in n);

export function formatReport(report: BenchReport): string {
  const { machine: m, corpus: c, segmentation: s, newsdesk: d, options: o } = report;
  const naive = isNaive(report.naive) ? report.naive : undefined;
  const gcForced = report.gc !== 'not available';
  const out: string[] = [];
  out.push(`# newsdesk bench — ${report.startedAt}, ${report.totalSeconds.toFixed(0)} s in all`);
  out.push('');
  out.push(
    `Machine: ${m.cores} cores, ${m.cpuModel}, ${m.totalMemoryGB.toFixed(1)} GB RAM, Node ${m.node} (${m.platform}), V8 heap limit ${thousands(m.v8HeapLimitMB)} MB; load average ${m.loadAverage.atStart.toFixed(2)} at start, ${m.loadAverage.atEnd.toFixed(2)} at end`,
  );
  out.push(`Options: --paragraphs ${o.paragraphs} --questions ${o.questions} --day ${o.dayParagraphs} --seed ${o.seed}${o.skipNaive ? ' --skip-naive' : ''}${o.oneThread ? ' --one-thread' : ''}; GC before memory figures: ${report.gc}`);
  for (const note of report.notes) out.push(`Note: ${note}`);
  out.push('');

  out.push(
    markdownTable(
      ['corpus and tokenizer', 'value'],
      [
        ['bulk paragraphs (of which real)', `${count(c.paragraphs)} (${count(c.realParagraphs)})`],
        ['articles / passages', `${count(c.articles)} / ${count(c.passages)}`],
        ['characters', count(c.characters)],
        ['tokens / distinct terms', `${count(c.tokens)} / ${count(c.distinctTerms)}`],
        ['questions (held-out paragraphs)', count(c.questions)],
        ['corpus generation', seconds(c.generateMs)],
        ['nodejieba.cut alone', `${perSec('chars')(s.jiebaCutCharsPerSec)} (${seconds(s.jiebaCutMs)})`],
        ['normalize alone', `${perSec('chars')(perSecond(s.characters, s.normalizeMs))} (${seconds(s.normalizeMs)})`],
        ['tokenize (normalize + Latin runs + jieba)', `${perSec('chars')(s.tokenizeCharsPerSec)} (${seconds(s.tokenizeMs)})`],
      ],
    ),
  );
  out.push('');

  const rows: Row[] = [
    { label: `store insert, ${count(c.paragraphs)} paragraphs`, core: d.storeInsert?.ms, format: seconds },
    { label: 'store insert throughput', core: d.storeInsert?.paragraphsPerSec, format: perSec('para') },
    { label: `index build, ${count(c.passages)} passages`, core: d.build.ms, naive: naive?.build.ms, format: seconds },
    { label: 'index build throughput', core: d.build.passagesPerSec, naive: naive?.build.passagesPerSec, format: perSec('passages') },
    { label: 'index build ÷ tokenize time', core: d.build.vsTokenize, naive: naive?.build.vsTokenize, format: ratio },
    { label: 'save after bulk build (all of it)', core: d.build.saveMs ?? d.build.saveError, format: seconds },
    { label: `add a day (${count(d.day.paragraphs)} paragraphs) to the index`, core: d.day.addMs, naive: naive?.day.addMs, format: seconds },
    { label: 'day add throughput', core: d.day.paragraphsPerSec, naive: naive?.day.paragraphsPerSec, format: perSec('para') },
    { label: 'store insert of the day', core: d.day.storeInsertMs, format: seconds },
    { label: "save after the day's add", core: d.save.ms ?? d.save.error, naive: naive ? naive.save.ms ?? naive.save.error : undefined, format: seconds },
    { label: 'index size on disk', core: bytesToMB(d.save.bytes), naive: naive ? bytesToMB(naive.save.bytes) ?? naive.save.error : undefined, format: mb },
    { label: 'load (open saved data dir)', core: d.load.ms, naive: naive ? naive.load.ms ?? 'not saved' : undefined, format: seconds },
    { label: 'cold start to first answer', core: d.coldStart.toFirstAnswerMs, naive: naive ? naive.coldStart.toFirstAnswerMs ?? 'not saved' : undefined, format: seconds },
    { label: 'first answer after load', core: d.coldStart.firstAnswerMs, naive: naive?.coldStart.firstAnswerMs, format: millis },
    ...(report.intakeStall
      ? ([
          { label: `bot picks up a day stored elsewhere (${count(report.intakeStall.passages)} passages): one call = one stall`, core: report.intakeStall.oneCallMs, format: millis },
          { label: 'index save after the one-call pick-up, in one call (one stall)', core: report.intakeStall.oneCallSaveMs, format: millis },
          { label: 'same pick-up, in slices (the intake now): all of it', core: report.intakeStall.slicedMs, format: millis },
          { label: 'index save after it, in slices (the bot now): all of it', core: report.intakeStall.saveMs, format: millis },
          { label: 'same, pick-up and save: longest main-thread stall (p99)', core: `${report.intakeStall.maxStallMs.toFixed(0)} ms (p99 ${report.intakeStall.p99StallMs.toFixed(0)} ms)`, format: (x: Cell) => String(x) },
          { label: 'same, during the save alone: longest stall (p99)', core: `${report.intakeStall.saveMaxStallMs.toFixed(0)} ms (p99 ${report.intakeStall.saveP99StallMs.toFixed(0)} ms)`, format: (x: Cell) => String(x) },
          { label: 'load average (1 min) at its start and end', core: report.intakeStall.loadAverage.map((x) => x.toFixed(1)).join(' → '), format: (x: Cell) => String(x) },
        ] satisfies Row[])
      : []),
    ...latencyRows('ask(q, {top: 3})', d.queries.ask, undefined),
    ...latencyRows('search(terms)', d.queries.search, naive?.queries.search),
    { label: `headline suggestions: read ${count(d.suggest?.articles ?? 0)} headlines once`, core: d.suggest?.firstReadMs, format: millis },
    ...latencyRows('headline suggestions per keystroke', d.suggest?.keystroke, undefined),
    { label: 'search: mean hits per question', core: d.queries.meanHits, naive: naive?.queries.meanHits, format: count },
    { label: 'ask: mean articles ranked per question', core: d.queries.meanArticles, format: count },
    { label: 'Recall@3 through ask', core: d.recallAt3.ask, format: fraction },
    { label: 'Recall@3 through search (BM25 alone)', core: d.recallAt3.search, naive: naive?.recallAt3.search, format: fraction },
    { label: 'index memory per passage (heap + buffers, after − before build)', core: gcForced ? heapPerPassageKB(d, c) : 'needs --expose-gc', naive: naive ? (gcForced ? heapPerPassageKB(naive, c) : 'needs --expose-gc') : undefined, format: kb },
    ...memoryRows('before build', d.memory.beforeBuild, naive?.memory.beforeBuild),
    ...memoryRows('after build', d.memory.afterBuild, naive?.memory.afterBuild),
    ...memoryRows('after load', d.memory.afterLoad, naive?.memory.afterLoad),
    ...memoryRows('peak while answering (incl. garbage)', d.memory.whileAnswering, naive?.memory.whileAnswering),
  ];
  const header = naive ? ['measure', 'newsdesk', 'naive MiniSearch', 'newsdesk ÷ naive'] : ['measure', 'newsdesk'];
  out.push(
    markdownTable(
      header,
      rows.map((r) => {
        const cells = [r.label, r.format(r.core)];
        if (naive) {
          cells.push(r.naive === undefined ? '' : r.format(r.naive));
          cells.push(typeof r.core === 'number' && typeof r.naive === 'number' && r.naive !== 0 ? ratio(r.core / r.naive) : '');
        }
        return cells;
      }),
    ),
  );
  out.push('');
  out.push(`Load breakdown (newsdesk index, ${d.save.files ?? '?'} files${d.save.segments ? `, ${d.save.segments} segments` : ''}): ${breakdown(d.load.breakdown)}`);
  out.push(`Save breakdown (newsdesk index): ${breakdown(d.save.breakdown)}`);
  if (naive) out.push(`Naive save / load: ${breakdown(naive.save.breakdown)}; ${breakdown(naive.load.breakdown)}`);
  out.push(`Process max RSS: ${mb(report.maxRssMB)}`);
  return out.join('\n');
}

const perSecond = (n: number, ms: number) => (ms > 0 ? (n * 1000) / ms : Number.NaN);

/** Heap and buffers together: a frozen segment's postings are typed arrays, which live outside V8's heap. */
const indexMB = (m: MemorySnapshot) => m.heapUsedMB + m.externalMB;

const heapPerPassageKB = (f: SetupFigures, c: CorpusFigures) => ((indexMB(f.memory.afterBuild) - indexMB(f.memory.beforeBuild)) * 1024) / Math.max(1, c.passages);

const bytesToMB = (bytes: number | null): number | undefined => (bytes === null ? undefined : bytes / (1024 * 1024));

const breakdown = (parts: Record<string, number> | undefined) =>
  parts ? Object.entries(parts).map(([k, v]) => `${k} ${seconds(v)}`).join(', ') : '—';

function latencyRows(label: string, core: LatencySummary | undefined, naive: LatencySummary | undefined): Row[] {
  if (!core) return [];
  return (['p50Ms', 'p95Ms', 'p99Ms'] as const).map((k) => ({
    label: `${label} ${k.slice(0, 3)}`,
    core: core[k],
    naive: naive?.[k],
    format: millis,
  }));
}

function memoryRows(label: string, core: MemorySnapshot | undefined, naive: MemorySnapshot | undefined): Row[] {
  if (!core) return [];
  return [
    { label: `heap used ${label}`, core: core.heapUsedMB, naive: naive?.heapUsedMB, format: mb },
    { label: `buffers outside the heap ${label}`, core: core.externalMB, naive: naive?.externalMB, format: mb },
    { label: `RSS ${label}`, core: core.rssMB, naive: naive?.rssMB, format: mb },
  ];
}
