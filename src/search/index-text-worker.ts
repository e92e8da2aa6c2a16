import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { PACKAGE_ROOT } from '../package-root.js';

/** The worker thread did not answer, or answered with an error; the caller tokenizes on its own thread instead. */
export class IndexTextWorkerError extends Error {
  override name = 'IndexTextWorkerError';
}

/** Long enough for a cold start (loading jieba's dictionary) and a batch on a busy machine. */
const ANSWER_TIMEOUT_MS = 60_000;

/**
 * Tokenizes passages (`indexText`) on a second thread while the caller inserts the previous batch into
 * MiniSearch: on two cores a bulk build then takes about as long as the insertion alone. The exchange is
 * synchronous (a shared counter and `receiveMessageOnPort`), so the index's build stays a plain synchronous
 * loop; batches come back in the order they were submitted.
 */
export class IndexTextWorker {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private submitted = 0;
  private taken = 0;

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    // As TypeScript (tsx, vitest), the .mjs entry registers tsx first; compiled, the thread is tsc's plain JavaScript
    // in dist/src/search/, found from the package root (this code may run from the command line's bundle in dist/).
    const entry = import.meta.url.endsWith('.ts')
      ? new URL('./index-text-thread.mjs', import.meta.url)
      : pathToFileURL(join(PACKAGE_ROOT, 'dist', 'src', 'search', 'index-text-thread.js'));
    this.worker = new Worker(entry, {
      workerData: { port: port2, signal: this.flag.buffer },
      transferList: [port2],
    });
    this.worker.unref();
    // An error event cannot be delivered while the main thread waits; take() reports the silence instead.
    this.worker.on('error', () => {});
  }

  submit(texts: string[]): void {
    this.port.postMessage(texts);
    this.submitted += 1;
  }

  /** The index texts of the oldest batch not yet taken. */
  take(timeoutMs = ANSWER_TIMEOUT_MS): string[] {
    if (this.submitted === 0) throw new IndexTextWorkerError('nothing was submitted to the tokenizer thread');
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const seen = Atomics.load(this.flag, 0);
      const received = receiveMessageOnPort(this.port);
      if (received) {
        this.submitted -= 1;
        this.taken += 1;
        const message = received.message as { texts?: string[]; error?: string };
        if (message.error !== undefined || !Array.isArray(message.texts)) throw new IndexTextWorkerError(message.error ?? 'the tokenizer thread sent something unexpected');
        return message.texts;
      }
      const left = deadline - performance.now();
      if (left <= 0) throw new IndexTextWorkerError(`the tokenizer thread did not answer within ${Math.round(timeoutMs / 1000)} s`);
      Atomics.wait(this.flag, 0, seen, left);
    }
  }

  /** Batches submitted and not yet taken. */
  get pending(): number {
    return this.submitted;
  }

  /** Whether the oldest batch not yet taken is tokenized, so that `take` would not wait (an error answer counts). */
  ready(): boolean {
    return this.submitted > 0 && Atomics.load(this.flag, 0) > this.taken;
  }

  close(): void {
    this.port.close();
    void this.worker.terminate();
  }
}
