import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { silentLogger } from '../log.js';
import { Newsdesk } from '../newsdesk.js';
import { thawSegment } from '../search/frozen-segment.js';
import { INDEX_DIR, type Segment } from '../search/passage-index.js';
import { openSegmentFile } from '../search/segment-file.js';
import { addDay, storeBulkCorpus } from './bench-corpus.js';
import { loadJiebaDictionary } from './jieba-dictionary.js';
import { benchStore, type PhaseContext } from './measure-newsdesk.js';

/** How long the running bot's main thread stops while it picks up a day that another process ingested. */
export interface IntakeStallFigures {
  paragraphs: number;
  passages: number;
  /** The catch-up as one synchronous call (before issue 11): the main thread stops for all of it. */
  oneCallMs: number;
  /** The catch-up in slices (the bot's intake now): how long it takes in all, and the longest stall measured. */
  slicedMs: number;
  maxStallMs: number;
  p99StallMs: number;
  /** The index save after the one-call catch-up, in one synchronous call (how the bot saved before): one stall. */
  oneCallSaveMs: number;
  /** The index save after the sliced catch-up, in slices with its files written off the main thread (the bot now): all of it. */
  saveMs: number;
  /** The longest stall and its p99 during that save alone (also counted in maxStallMs). */
  saveMaxStallMs: number;
  saveP99StallMs: number;
  /** Load average (1 minute) when the sliced catch-up started and when its save ended. */
  loadAverage: [number, number];
}

/**
 * Opens the saved data directory as the bot does, stores a day of paragraphs twice over as another process would
 * (`npm run ingest` beside the bot: stored, not indexed), and lets the desk pick each up: once in one synchronous
 * call, once in slices, with `monitorEventLoopDelay` measuring the longest stall of the event loop (10 ms resolution).
 * Each is followed by the index save that goes with it: in one call after the first (as the bot saved before issue
 * 11's fix), in slices after the second (as the bot saves now), within the measured window.
 */
export async function measureIntakeStall(
  ctx: Pick<PhaseContext, 'dataDir' | 'dictionary' | 'seed' | 'dayParagraphs'> & { keyPrefix?: string; prepare?: (desk: Newsdesk) => void },
): Promise<IntakeStallFigures> {
  const desk = await Newsdesk.open({ dataDir: ctx.dataDir, log: silentLogger });
  try {
    ctx.prepare?.(desk);
    const spec = { dictionary: ctx.dictionary, seed: ctx.seed + 1, paragraphs: ctx.dayParagraphs };
    const notIndexed = () => {};
    addDay({ ...spec, stream: 5, keyPrefix: `${ctx.keyPrefix ?? 'elsewhere'}-a`, dayOffset: 1 }, benchStore(desk), notIndexed);
    let started = performance.now();
    await desk.syncFromStore();
    const oneCallMs = performance.now() - started;
    started = performance.now();
    desk.index.save();
    const oneCallSaveMs = performance.now() - started;

    const day = addDay({ ...spec, stream: 6, keyPrefix: `${ctx.keyPrefix ?? 'elsewhere'}-b`, dayOffset: 2 }, benchStore(desk), notIndexed);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    const saveDelay = monitorEventLoopDelay({ resolution: 10 });
    const loadAtStart = loadavg()[0]!;
    delay.enable();
    started = performance.now();
    await desk.syncFromStoreInSlices();
    const slicedMs = performance.now() - started;
    // The save the bot's intake does next, as it does it: in slices, files written off the main thread.
    saveDelay.enable();
    started = performance.now();
    await desk.index.saveInSlices();
    const saveMs = performance.now() - started;
    saveDelay.disable();
    delay.disable();
    const ms = (ns: number) => ns / 1e6;
    return {
      paragraphs: day.paragraphs,
      passages: day.passages,
      oneCallMs,
      oneCallSaveMs,
      slicedMs,
      maxStallMs: ms(delay.max),
      p99StallMs: ms(delay.percentile(99)),
      saveMs,
      saveMaxStallMs: ms(saveDelay.max),
      saveP99StallMs: ms(saveDelay.percentile(99)),
      loadAverage: [loadAtStart, loadavg()[0]!],
    };
  } finally {
    await desk.close();
  }
}

/**
 * `npm run bench -- --stall-only`: the bulk corpus stored and indexed (as `npm run ingest` would, then saved), and
 * only {@link measureIntakeStall} after it. Issue 11's closing figure at a million passages without the hour the
 * other phases take there on a busy machine.
 */
export async function measureStallOnly(
  options: { paragraphs: number; day: number; seed: number; cmrcPath: string; dataDir?: string; replicateTo?: number },
  progress: (message: string) => void,
): Promise<IntakeStallFigures & { indexedPassages: number; replicatedPassages: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'newsdesk-stall-'));
  try {
    progress('loading the jieba dictionary');
    const dictionary = loadJiebaDictionary();
    if (options.dataDir) {
      // A data directory a bench run kept (`--keep`): indexed and saved already; the day gets keys of its own.
      progress(`copying ${options.dataDir}`);
      cpSync(options.dataDir, dataDir, { recursive: true });
    } else {
      const desk = await Newsdesk.open({ dataDir, log: silentLogger });
      try {
        storeBulkCorpus({ dictionary, paragraphs: options.paragraphs, questions: 0, seed: options.seed, cmrcPath: options.cmrcPath }, benchStore(desk), progress);
        progress('building the index from the store, then saving it');
        await desk.syncFromStore();
        desk.index.save();
      } finally {
        await desk.close();
      }
    }
    let indexedPassages = 0;
    let replicatedPassages = 0;
    const prepare = (desk: Newsdesk) => {
      indexedPassages = desk.index.documentCount;
      if (options.replicateTo) replicatedPassages = replicateFullSegments(desk, join(dataDir, INDEX_DIR), options.replicateTo);
      if (replicatedPassages > 0) progress(`index padded with copies of its full segments: ${desk.index.documentCount.toLocaleString('en-US')} passages in memory`);
    };
    progress(`the bot picking up a day (${options.day.toLocaleString('en-US')} paragraphs) another process stored, and saving its index`);
    const figures = await measureIntakeStall({ dataDir, dictionary, seed: options.seed, dayParagraphs: options.day, keyPrefix: `stall-${Date.now().toString(36)}`, prepare });
    return { ...figures, indexedPassages, replicatedPassages };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * A stand-in for a larger index when building one would take hours (tokenizing is the cost: a million paragraphs
 * took over an hour on the shared 2-core machine): more full segments, each opened again from a full segment's
 * file as a load opens it, so that it has memory of its own (the heap and buffers the collector must deal with, as at that size),
 * put before the others. They are never written (not dirty) and hold the same passages as their originals, so
 * only the in-memory size changes; the database and the save see the real index. Returns the passages added.
 */
function replicateFullSegments(desk: Newsdesk, indexDir: string, upTo: number): number {
  const segments = (desk.index as unknown as { segments: Segment[] }).segments;
  const full = segments.filter((s) => s.frozen && s.file);
  if (full.length === 0) return 0;
  let added = 0;
  const copies: Segment[] = [];
  for (let i = 0; desk.index.documentCount + added < upTo; i++) {
    const original = full[i % full.length]!;
    // Opened as a load opens it (postings left in the file), so the padding weighs what real segments would.
    const content = openSegmentFile(join(indexDir, original.file!)).decode();
    if (content.kind !== 'frozen') break;
    copies.push({ ...original, mini: thawSegment(content.data), frozen: content.data, dirty: false });
    added += content.data.documentCount;
  }
  segments.unshift(...copies);
  return added;
}
