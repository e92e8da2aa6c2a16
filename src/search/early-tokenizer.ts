import type { PassageRecord } from '../store/store.js';
import type { IndexTextWorker } from './index-text-worker.js';

type PassageSource = { passagesAfter(afterId: number, limit: number): Promise<PassageRecord[]> };

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
  private readonly texts = new TextsAhead((id) => this.collectUpTo(id));
  /** Passage ids of the batches at the thread, oldest first. */
  private readonly sent: number[][] = [];
  private failed = false;

  /** `afterId`: the index's last passage id; passages stored after it are the ingest's. */
  constructor(
    private readonly worker: Pick<IndexTextWorker, 'submit' | 'take' | 'ready'>,
    private lastSent: number,
  ) {}

  /** Takes what the thread has done, then sends it passages stored since the last call (up to MAX_AHEAD batches). */
  async feed(store: PassageSource): Promise<void> {
    if (this.failed) return;
    this.collect(false);
    await this.send(store, MAX_AHEAD);
  }

  /**
   * Index texts by passage id of everything tokenized ahead. The files are all read by now, so the thread first gets
   * what was stored since the last feed (up to MAX_AHEAD more batches): otherwise the catch-up would tokenize the last
   * file's passages here, loading jieba's dictionaries on this thread (about 0.6 s) while the thread has them loaded.
   * Batches still at the thread are waited for only when the catch-up looks a passage of theirs up, so it inserts the
   * first batches while the thread tokenizes the last.
   */
  async finish(store: PassageSource): Promise<Map<number, string>> {
    if (!this.failed) await this.send(store, this.sent.length + MAX_AHEAD);
    return this.texts;
  }

  private async send(store: PassageSource, upTo: number): Promise<void> {
    while (!this.failed && this.sent.length < upTo) {
      const rows = await store.passagesAfter(this.lastSent, BATCH);
      if (rows.length === 0) return;
      this.worker.submit(rows.map((r) => r.text));
      this.sent.push(rows.map((r) => r.id));
      this.lastSent = rows[rows.length - 1]!.id;
    }
  }

  /** False once the thread failed: batches it never answered may still be in its queue, so it must not be reused. */
  get threadUsable(): boolean {
    return !this.failed;
  }

  private collect(wait: boolean): void {
    while (!this.failed && this.sent.length > 0 && (wait || this.worker.ready())) this.collectOldest();
  }

  /** Waits for the batches at the thread that start at or before passage `id` (batches go in id order). */
  private collectUpTo(id: number): void {
    while (!this.failed && this.sent.length > 0 && this.sent[0]![0]! <= id) this.collectOldest();
  }

  private collectOldest(): void {
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

/**
 * The texts tokenized ahead, by passage id: looking a passage up first takes from the thread the batches up to it
 * (its answers come in the order the batches were sent, so a later batch is never taken before an earlier one).
 */
class TextsAhead extends Map<number, string> {
  constructor(private readonly pending: (id: number) => void) {
    super();
  }

  override get(id: number): string | undefined {
    this.pending(id);
    return super.get(id);
  }

  override has(id: number): boolean {
    this.pending(id);
    return super.has(id);
  }
}
