import { performance } from 'node:perf_hooks';
import { crc32 } from 'node:zlib';
import { FRAMED_MAGIC, type Frame } from './segment-frames.js';

/** How a save in slices shares the main thread: work for about `sliceMs`, then let the event loop run. */
export interface SaveSlicing {
  /** ms of work between two turns of the event loop (SAVE_SLICE_MS by default). */
  sliceMs: number;
  /** Lets the event loop run (setImmediate by default); tests count the turns. */
  yieldToLoop: () => Promise<void>;
}

/**
 * The bot's index save works for about this long at a time, then lets interactions through: like the catch-up's
 * slices (CATCH_UP_SLICE_MS), far below the 200 ms issue 11 allows any stall of the main thread.
 */
export const SAVE_SLICE_MS = 50;

/** The CRC-32 of a large buffer is computed this many bytes at a time, with a look at the clock between. */
const CRC_STEP_BYTES = 1 << 20;

/** A segment file's content, ready to write: its buffers in order, and their CRC-32 (as in the manifest). */
export interface EncodedSegment {
  chunks: Uint8Array[];
  crc32: number;
  bytes: number;
}

/**
 * Runs a segment's frame generator (segment-frames.ts) to the end in slices of about `sliceMs`, letting the event
 * loop run between them, and computes the file's CRC-32 on the way. After each turn of the loop it asks
 * `unchanged()`: a segment that took passages meanwhile is not what the frames so far describe, so it gives up
 * and returns undefined (the caller encodes the segment again). Buffers of the segment itself (a frozen
 * segment's typed arrays) are referenced, not copied.
 */
export async function encodeInSlices(frames: Generator<Frame, number>, unchanged: () => boolean, slicing: SaveSlicing): Promise<EncodedSegment | undefined> {
  const chunks: Uint8Array[] = [FRAMED_MAGIC];
  let crc = crc32(FRAMED_MAGIC);
  let bytes = FRAMED_MAGIC.byteLength;
  let sliceStart = performance.now();
  const pause = async (): Promise<boolean> => {
    if (performance.now() - sliceStart < slicing.sliceMs) return true;
    await slicing.yieldToLoop();
    sliceStart = performance.now();
    return unchanged();
  };
  for (;;) {
    const step = frames.next();
    if (step.done) return { chunks, crc32: crc, bytes };
    for (const chunk of step.value) {
      chunks.push(chunk);
      bytes += chunk.byteLength;
      for (let at = 0; at < chunk.byteLength; at += CRC_STEP_BYTES) {
        crc = crc32(chunk.subarray(at, Math.min(chunk.byteLength, at + CRC_STEP_BYTES)), crc);
        if (!(await pause())) return undefined;
      }
    }
    if (!(await pause())) return undefined;
  }
}
