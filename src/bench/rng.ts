/**
 * A small seeded pseudo-random generator (mulberry32), so that a benchmark corpus is the same on every
 * machine for the same seed. Not for anything that needs real randomness.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    // Spread small seeds (1, 2, 3…) over the state space so neighbouring seeds give unrelated streams.
    this.state = (Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max], both included. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** A standard normal variate (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A new generator whose stream depends on this one's seed and `salt`, not on how much of this one was used. */
  static derive(seed: number, salt: number): Rng {
    return new Rng((Math.imul(seed, 0x27d4eb2d) + Math.imul(salt, 0x165667b1)) >>> 0);
  }
}
