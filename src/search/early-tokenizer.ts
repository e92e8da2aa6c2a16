import type { PassageRecord } from '../store/store.js';
import type { IndexTextWorker } from './index-text-worker.js';

/** Passages sent to the thread at a time. */
const BATCH = 5_000;
/** Batches the thread may have to do at once: enough to keep it busy between two files, few enough to stay near the store. */
const MAX_AHEAD = 2;

/**
 * Tokenizes the passages a large ingest stores while it is still reading and cleaning its files: after each file the
 * passages stored since are sent to the tokenizer thread, so the thread works while this one reads, instead of both
 * taking turns (reading first, then tokenizing). The index's catch-up then takes the texts from {@link finish} and
 * tokenizes only the rest. Never waits for the thread except in `finish`; a thread that fails leaves its passages to
 * the catch-up, which tokenizes whatever is missing.
 */
export class EarlyTokenizer {
  private readonly texts = new Map<number, string>();
  /** Passage ids of the batches at the thread, oldest first. */
  private readonly sent: number[][] = [];
  private failed = false;

  /** `afterId`: the index's last passage id; passages stored after it are the ingest's. */
  constructor(
    private readonly worker: Pick<IndexTextWorker, 'submit' | 'take' | 'ready'>,
    private lastSent: number,
  ) {}

  /** Takes what the thread has done, then sends it passages stored since the last call (up to MAX_AHEAD batches). */
  async feed(store: { passagesAfter(afterId: number, limit: number): Promise<PassageRecord[]> }): Promise<void> {
    if (this.failed) return;
    this.collect(false);
    while (!this.failed && this.sent.length < MAX_AHEAD) {
      const rows = await store.passagesAfter(this.lastSent, BATCH);
      if (rows.length === 0) return;
      this.worker.submit(rows.map((r) => r.text));
      this.sent.push(rows.map((r) => r.id));
      this.lastSent = rows[rows.length - 1]!.id;
    }
  }

  /** Index texts by passage id of everything tokenized ahead, waiting for the batches still at the thread. */
  finish(): Map<number, string> {
    this.collect(true);
    return this.texts;
  }

  /** False once the thread failed: batches it never answered may still be in its queue, so it must not be reused. */
  get threadUsable(): boolean {
    return !this.failed;
  }

  private collect(wait: boolean): void {
    while (!this.failed && this.sent.length > 0 && (wait || this.worker.ready())) {
      const ids = this.sent.shift()!;
      try {
        const texts = this.worker.take();
        ids.forEach((id, i) => this.texts.set(id, texts[i]!));
      } catch {
        // The catch-up tokenizes what is missing (and reports a failing thread itself).
        this.failed = true;
      }
    }
  }
}
