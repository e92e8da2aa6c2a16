import { workerData, type MessagePort } from 'node:worker_threads';
import { indexText } from './minisearch-options.js';

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
