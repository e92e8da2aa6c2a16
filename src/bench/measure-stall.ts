import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { silentLogger } from '../log.js';
import { Newsdesk } from '../newsdesk.js';
import { addDay } from './bench-corpus.js';
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
  /** The index save the intake does after it: one synchronous stall of its own. */
  saveMs: number;
}

/**
 * Opens the saved data directory as the bot does, stores a day of paragraphs twice over as another process would
 * (`npm run ingest` beside the bot: stored, not indexed), and lets the desk pick each up: once in one synchronous
 * call, once in slices, with `monitorEventLoopDelay` measuring the longest stall of the event loop (10 ms resolution).
 */
export async function measureIntakeStall(ctx: PhaseContext): Promise<IntakeStallFigures> {
  const desk = await Newsdesk.open({ dataDir: ctx.dataDir, log: silentLogger });
  try {
    const spec = { dictionary: ctx.dictionary, seed: ctx.seed + 1, paragraphs: ctx.dayParagraphs };
    const notIndexed = () => {};
    addDay({ ...spec, stream: 5, keyPrefix: 'elsewhere-a', dayOffset: 1 }, benchStore(desk), notIndexed);
    let started = performance.now();
    await desk.syncFromStore();
    const oneCallMs = performance.now() - started;

    const day = addDay({ ...spec, stream: 6, keyPrefix: 'elsewhere-b', dayOffset: 2 }, benchStore(desk), notIndexed);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    started = performance.now();
    await desk.syncFromStoreInSlices();
    const slicedMs = performance.now() - started;
    delay.disable();
    started = performance.now();
    desk.index.save();
    const saveMs = performance.now() - started;
    return { paragraphs: day.paragraphs, passages: day.passages, oneCallMs, slicedMs, maxStallMs: delay.max / 1e6, p99StallMs: delay.percentile(99) / 1e6, saveMs };
  } finally {
    await desk.close();
  }
}
