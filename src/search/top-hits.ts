/** What ranks a hit: higher score first, then the older passage (lower id), so equal scores order the same every time. */
export interface Ranked {
  score: number;
  passageId: number;
}

const worse = (a: Ranked, b: Ranked) => a.score < b.score || (a.score === b.score && a.passageId > b.passageId);

/**
 * The best `limit` of a stream of hits, without keeping or sorting the rest: a common word in a million passages
 * matches tens of thousands of them, and an answer needs a few hundred. A min-heap whose root is the worst hit kept.
 */
export class TopHits<T extends Ranked> {
  private readonly heap: T[] = [];
  constructor(private readonly limit: number) {}

  /** Whether a hit with this score and id would be kept; lets callers skip building hits that would not. */
  admits(score: number, passageId: number): boolean {
    if (this.limit <= 0) return false;
    if (this.heap.length < this.limit) return true;
    return worse(this.heap[0]!, { score, passageId });
  }

  offer(hit: T): void {
    if (!this.admits(hit.score, hit.passageId)) return;
    const heap = this.heap;
    if (heap.length < this.limit) {
      heap.push(hit);
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(heap[i]!, heap[parent]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
      return;
    }
    heap[0] = hit;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < heap.length && worse(heap[left]!, heap[worst]!)) worst = left;
      if (right < heap.length && worse(heap[right]!, heap[worst]!)) worst = right;
      if (worst === i) break;
      [heap[i], heap[worst]] = [heap[worst]!, heap[i]!];
      i = worst;
    }
  }

  /** The hits kept, best first. */
  best(): T[] {
    return [...this.heap].sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
  }
}
