import { describe, expect, it } from 'vitest';
import { TopHits, type Ranked } from '../../src/search/top-hits.js';

function randomHits(n: number, seed: number): Ranked[] {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  // Scores from a small set, so that many hits tie and the tie-break is exercised.
  return Array.from({ length: n }, (_, i) => ({ passageId: i + 1, score: Math.floor(next() * 20) / 4 }));
}

const fullSort = (hits: Ranked[]) => [...hits].sort((a, b) => b.score - a.score || a.passageId - b.passageId);

describe('TopHits', () => {
  it('keeps exactly the hits a full sort would put first, in the same order, ties going to the older passage', () => {
    for (const [n, limit, seed] of [[1000, 30, 1], [5000, 300, 2], [40, 100, 3], [1, 1, 4]] as const) {
      const hits = randomHits(n, seed);
      const top = new TopHits<Ranked>(limit);
      for (const h of [...hits].reverse()) top.offer(h);
      expect(top.best()).toEqual(fullSort(hits).slice(0, limit));
    }
  });

  it('says in advance whether a hit would be kept', () => {
    const top = new TopHits<Ranked>(2);
    top.offer({ passageId: 1, score: 5 });
    top.offer({ passageId: 2, score: 3 });
    expect(top.admits(2, 9)).toBe(false);
    expect(top.admits(3, 1)).toBe(true); // same score, older passage
    expect(top.admits(3, 3)).toBe(false);
    expect(top.admits(4, 9)).toBe(true);
  });

  it('keeps everything, sorted, when there is no limit', () => {
    const hits = randomHits(500, 7);
    const top = new TopHits<Ranked>(Infinity);
    for (const h of hits) top.offer(h);
    expect(top.best()).toEqual(fullSort(hits));
  });
});
