// The worker thread behind IndexTextWorker. Worker threads start without the TypeScript loader the main
// thread runs under (tsx, or vitest's), so this plain-JavaScript entry registers tsx, then loads the body.
// A failure to load is reported like any other, so the main thread never waits for a worker that is not there.
import { workerData } from 'node:worker_threads';

try {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./index-text-thread.ts');
} catch (error) {
  const { port, signal } = workerData;
  port.postMessage({ error: `the tokenizer thread did not start: ${error instanceof Error ? error.message : String(error)}` });
  const flag = new Int32Array(signal);
  Atomics.add(flag, 0, 1);
  Atomics.notify(flag, 0);
}
