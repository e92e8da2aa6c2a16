import { workerData, type MessagePort } from 'node:worker_threads';
import { indexText } from './minisearch-options.js';
import { loadTokenizer } from '../text/tokenize.js';

/** Turns batches of passage texts into their index text, in the order they arrive. */
const { port, signal } = workerData as { port: MessagePort; signal: SharedArrayBuffer };
const flag = new Int32Array(signal);

function reply(message: { texts: string[] } | { error: string }): void {
  port.postMessage(message);
  // Wakes the main thread, which waits on this counter (it is blocked, so it cannot take a 'message' event).
  Atomics.add(flag, 0, 1);
  Atomics.notify(flag, 0);
}

port.on('message', (texts: string[]) => {
  try {
    reply({ texts: texts.map(indexText) });
  } catch (error) {
    reply({ error: error instanceof Error ? error.message : String(error) });
  }
});

// The dictionaries load (about 0.6 s) as soon as the thread starts, while the main thread is still reading the first
// input file, rather than inside the first batch. Messages that arrive meanwhile wait in the port's queue.
loadTokenizer();
