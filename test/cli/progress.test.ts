import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../src/cli/progress.js';

/** A clock the test moves by hand (ms). */
function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('progress of long work, off a terminal', () => {
  it('says nothing for work done within a second', () => {
    const c = clock();
    const lines: string[] = [];
    const p = progressReporter('indexing', 'passages', { tty: false, write: (l) => lines.push(l), now: c.now });
    c.advance(400);
    p.onProgress(5000, 10_000);
    c.advance(400);
    p.onProgress(10_000, 10_000);
    p.stop();
    expect(lines).toEqual([]);
  });

  it('writes one line when the work starts to take long and one when it ends', () => {
    const c = clock();
    const lines: string[] = [];
    const p = progressReporter('indexing', 'passages', { tty: false, write: (l) => lines.push(l), now: c.now });
    c.advance(1500);
    p.onProgress(5000, 40_000);
    c.advance(1500);
    p.onProgress(10_000, 40_000);
    c.advance(3000);
    p.onProgress(40_000, 40_000);
    p.stop();
    expect(lines).toEqual(['indexing: 40,000 passages to do, this takes a while…', 'indexing: 40,000 passages done in 6 s.']);
  });

  it('says so even when a long piece of work reports only once, at its end', () => {
    const c = clock();
    const lines: string[] = [];
    const p = progressReporter('indexing', 'passages', { tty: false, write: (l) => lines.push(l), now: c.now });
    c.advance(2000);
    p.onProgress(3000, 3000);
    p.stop();
    expect(lines).toEqual(['indexing: 3,000 passages done in 2 s.']);
  });
});
