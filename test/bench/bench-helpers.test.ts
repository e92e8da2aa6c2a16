import type MiniSearch from 'minisearch';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AliasTable } from '../../src/bench/alias-table.js';
import { attempt, percentile, summarizeLatencies } from '../../src/bench/measure.js';
import { createNaiveIndex, loadNaive, saveNaive, searchNaive, type NaiveDocument } from '../../src/bench/naive-index.js';
import { Rng } from '../../src/bench/rng.js';
import { useTempDir } from '../helpers/temp-dir.js';

describe('bench helpers', () => {
  const temp = useTempDir();

  it('reports nearest-rank percentiles of latencies', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile([...samples].sort((a, b) => a - b), 50)).toBe(50);
    const summary = summarizeLatencies(samples);
    expect(summary).toMatchObject({ count: 100, p50Ms: 50, p95Ms: 95, p99Ms: 99, maxMs: 100, meanMs: 50.5 });
  });

  it('draws words in proportion to their weights', () => {
    const table = new AliasTable([1, 0, 3]);
    const rng = new Rng(1);
    const counts = [0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[table.draw(rng)]!++;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.7);
    expect(counts[2]! / counts[0]!).toBeLessThan(3.3);
  });

  it('saves, loads and searches the naive index with the same terms', () => {
    const mini = createNaiveIndex();
    mini.addAll([
      { id: 1, text: '特斯拉上海储能超级工厂投产' },
      { id: 2, text: '上海企业获脑机接口融资' },
    ]);
    expect(searchNaive(mini, ['储能', '特斯拉'])[0]).toBe(1);
    const path = join(temp(), 'naive.json');
    const saved = saveNaive(mini, path);
    expect(saved.ok).toBe(true);
    expect(searchNaive(loadNaive(path).mini, ['融资'])).toEqual([2]);
  });

  it('records a save that hits the string length limit as a result instead of throwing', () => {
    const tooBig = {
      toJSON() {
        throw new RangeError('Invalid string length');
      },
    } as unknown as MiniSearch<NaiveDocument>;
    const saved = saveNaive(tooBig, join(temp(), 'never.json'));
    expect(saved).toMatchObject({ ok: false, error: 'failed: RangeError: Invalid string length' });
    expect(attempt(() => 42)).toMatchObject({ ok: true, value: 42 });
  });
});
