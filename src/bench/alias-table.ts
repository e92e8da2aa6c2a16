import type { Rng } from './rng.js';

/**
 * Walker's alias method: after O(n) set-up, draws an index with probability proportional to its weight
 * in O(1), which matters when a million paragraphs each draw dozens of words from 350,000.
 */
export class AliasTable {
  private readonly probability: Float64Array;
  private readonly alias: Uint32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new Error('an alias table needs at least one weight');
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i] ?? 0;
    if (!(total > 0)) throw new Error('an alias table needs a positive total weight');
    this.probability = new Float64Array(n);
    this.alias = new Uint32Array(n);
    const scaled = new Float64Array(n);
    const small = new Uint32Array(n);
    const large = new Uint32Array(n);
    let smallCount = 0;
    let largeCount = 0;
    for (let i = 0; i < n; i++) {
      scaled[i] = ((weights[i] ?? 0) * n) / total;
      if (scaled[i]! < 1) small[smallCount++] = i;
      else large[largeCount++] = i;
    }
    while (smallCount > 0 && largeCount > 0) {
      const s = small[--smallCount]!;
      const l = large[largeCount - 1]!;
      this.probability[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      if (scaled[l]! < 1) {
        largeCount--;
        small[smallCount++] = l;
      }
    }
    // Whatever is left is 1 up to rounding error.
    while (largeCount > 0) this.probability[large[--largeCount]!] = 1;
    while (smallCount > 0) this.probability[small[--smallCount]!] = 1;
  }

  get size(): number {
    return this.probability.length;
  }

  draw(rng: Rng): number {
    const column = rng.int(this.probability.length);
    return rng.next() < this.probability[column]! ? column : this.alias[column]!;
  }
}
