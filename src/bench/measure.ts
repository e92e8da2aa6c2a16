import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';

export interface Timed<T> {
  value: T;
  ms: number;
}

export function timed<T>(fn: () => T): Timed<T> {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

/** {@link timed} for work that answers asynchronously (through the store): the time until it settles. */
export async function timedAsync<T>(fn: () => Promise<T>): Promise<Timed<T>> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

/** Accumulates time spent inside `run` calls only, so work between them (reading, generating) is not counted. */
export class Stopwatch {
  ms = 0;
  run<T>(fn: () => T): T {
    const start = performance.now();
    try {
      return fn();
    } finally {
      this.ms += performance.now() - start;
    }
  }
}

export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Nearest-rank percentile of ascending samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export function summarizeLatencies(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((s, x) => s + x, 0);
  return {
    count: sorted.length,
    meanMs: sorted.length ? sum / sorted.length : Number.NaN,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export const perSecond = (count: number, ms: number): number => (ms > 0 ? (count * 1000) / ms : Number.NaN);

export interface MemorySnapshot {
  heapUsedMB: number;
  rssMB: number;
  /** Off-heap memory owned by JS objects (Buffers); SQLite and jieba live outside both heap and this. */
  externalMB: number;
}

const MB = 1024 * 1024;

/** The `gc` function when the process runs with --expose-gc. */
export function exposedGc(): (() => void) | undefined {
  const gc = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function' ? () => (gc as () => void)() : undefined;
}

/** Memory now; collects garbage first when it can, so the figure is what is live, not what is not yet freed. */
export function memory(gc?: () => void): MemorySnapshot {
  if (gc) {
    gc();
    gc();
  }
  const m = process.memoryUsage();
  return { heapUsedMB: m.heapUsed / MB, rssMB: m.rss / MB, externalMB: m.external / MB };
}

/** Highest memory seen across samples: call `sample()` now and then during a loop. */
export class MemoryPeak {
  peak: MemorySnapshot = { heapUsedMB: 0, rssMB: 0, externalMB: 0 };
  sample(): void {
    const now = memory();
    this.peak = {
      heapUsedMB: Math.max(this.peak.heapUsedMB, now.heapUsedMB),
      rssMB: Math.max(this.peak.rssMB, now.rssMB),
      externalMB: Math.max(this.peak.externalMB, now.externalMB),
    };
  }
}

/** The process's highest resident set size so far, in MB. */
export const maxRssMB = (): number => process.resourceUsage().maxRSS / 1024;

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  totalMemoryGB: number;
  node: string;
  platform: string;
  v8HeapLimitMB: number;
  /** 1-minute load average when the run started and when it ended: above the core count, other work competed for the CPU. */
  loadAverage: { atStart: number; atEnd: number };
}

export function machineInfo(loadAtStart: number): MachineInfo {
  const list = cpus();
  return {
    cores: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    totalMemoryGB: totalmem() / 1024 ** 3,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    v8HeapLimitMB: getHeapStatistics().heap_size_limit / MB,
    loadAverage: { atStart: loadAtStart, atEnd: loadAverage() },
  };
}

export const loadAverage = (): number => loadavg()[0] ?? 0;

export interface QuestionRun {
  latencies: number[];
  /** Questions whose known answer came back in the top 3. */
  correct: number;
  /** Hits returned, summed over the questions. */
  hits: number;
}

/** Times `answer` on every item after a few uncounted warm-up calls, sampling memory now and then. */
export function runTimed<T>(items: readonly T[], answer: (item: T) => { correct: boolean; hits: number }, peak: MemoryPeak, warmUp = 20): QuestionRun {
  for (const item of items.slice(0, warmUp)) answer(item);
  const run: QuestionRun = { latencies: [], correct: 0, hits: 0 };
  items.forEach((item, i) => {
    const start = performance.now();
    const { correct, hits } = answer(item);
    run.latencies.push(performance.now() - start);
    if (correct) run.correct++;
    run.hits += hits;
    if (i % 25 === 0) peak.sample();
  });
  return run;
}

/** {@link runTimed} for answers that come through the store (asynchronously): each timed until it settles. */
export async function runTimedAsync<T>(items: readonly T[], answer: (item: T) => Promise<{ correct: boolean; hits: number }>, peak: MemoryPeak, warmUp = 20): Promise<QuestionRun> {
  for (const item of items.slice(0, warmUp)) await answer(item);
  const run: QuestionRun = { latencies: [], correct: 0, hits: 0 };
  for (const [i, item] of items.entries()) {
    const start = performance.now();
    const { correct, hits } = await answer(item);
    run.latencies.push(performance.now() - start);
    if (correct) run.correct++;
    run.hits += hits;
    if (i % 25 === 0) peak.sample();
  }
  return run;
}

/** Progress lines on stderr with the time since `start`; stdout stays for the report. */
export function progressLogger(start = performance.now()): (message: string) => void {
  return (message) => process.stderr.write(`[${((performance.now() - start) / 1000).toFixed(1).padStart(7)} s] ${message}\n`);
}

const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** Runs `fn`, turning a throw into a result: a benchmark records that a step failed at this size, it does not stop. */
export function attempt<T>(fn: () => T): { ok: true; value: T; ms: number } | { ok: false; error: string; ms: number } {
  const start = performance.now();
  try {
    const value = fn();
    return { ok: true, value, ms: performance.now() - start };
  } catch (error) {
    return { ok: false, error: `failed: ${describe(error)}`, ms: performance.now() - start };
  }
}
