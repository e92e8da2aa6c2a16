import { loadavg } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { silentLogger } from '../log.js';
import { Newsdesk } from '../newsdesk.js';
import { addDay } from './bench-corpus.js';
import type { PhaseContext } from './measure-newsdesk.js';

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
export async function measureIntakeStall(ctx: PhaseContext): Promise<IntakeStallFigures> {
  const desk = Newsdesk.open({ dataDir: ctx.dataDir, log: silentLogger });
  try {
    const spec = { dictionary: ctx.dictionary, seed: ctx.seed + 1, paragraphs: ctx.dayParagraphs };
    const notIndexed = () => {};
    addDay({ ...spec, stream: 5, keyPrefix: 'elsewhere-a', dayOffset: 1 }, desk.store, notIndexed);
    let started = performance.now();
    desk.syncFromStore();
    const oneCallMs = performance.now() - started;
    started = performance.now();
    desk.index.save();
    const oneCallSaveMs = performance.now() - started;

    const day = addDay({ ...spec, stream: 6, keyPrefix: 'elsewhere-b', dayOffset: 2 }, desk.store, notIndexed);
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
    desk.close();
  }
}
