import { loadJiebaDictionary } from './jieba-dictionary.js';
import { generateArticles } from './synthetic-corpus.js';
import { HeadlineIndex, type Headline } from '../search/headlines.js';

/**
 * `npx tsx src/bench/suggest-bench.ts [paragraphs]` (default 1,000,000): /ask's headline suggestions alone, on the
 * headlines of the bench's synthetic corpus at that size (no index build, so a million takes about 3 minutes, most
 * of it generating the corpus). Types 200 paragraphs' openings one character at a time (1 to 8 characters) and
 * reports each keystroke's wall time and CPU time (CPU time is what a busy machine does not inflate).
 */
function main(): void {
  const paragraphs = Number(process.argv[2] ?? 1_000_000);
  const dictionary = loadJiebaDictionary();
  const rows: Headline[] = [];
  const openings: string[] = [];
  let t = performance.now();
  for (const a of generateArticles({ dictionary, seed: 7, paragraphs })) {
    rows.push({ articleId: rows.length + 1, title: a.title ?? '', source: a.source, publishedAt: a.publishedAt });
    if (rows.length % 500 === 0 && openings.length < 200) openings.push(a.paragraphs[1] ?? a.paragraphs[0] ?? '');
  }
  console.log(`${rows.length.toLocaleString('en-US')} articles from ${paragraphs.toLocaleString('en-US')} paragraphs (${((performance.now() - t) / 1000).toFixed(1)} s)`);

  const index = new HeadlineIndex((afterId) => rows.slice(afterId));
  t = performance.now();
  index.catchUp();
  console.log(`read every headline once: ${(performance.now() - t).toFixed(0)} ms`);

  const keystrokes = openings.flatMap((p) => Array.from({ length: Math.min(8, [...p].length) }, (_, i) => [...p].slice(0, i + 1).join('')));
  for (const k of keystrokes.slice(0, 50)) index.search(k, 25);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (const k of keystrokes) {
    const c = process.cpuUsage();
    const w = performance.now();
    index.search(k, 25);
    wall.push(performance.now() - w);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((q / 100) * xs.length))]!.toFixed(1);
  console.log(`${keystrokes.length} keystrokes, wall ms p50 / p95 / p99: ${pct(wall, 50)} / ${pct(wall, 95)} / ${pct(wall, 99)}`);
  console.log(`${keystrokes.length} keystrokes, CPU ms p50 / p95 / p99: ${pct(cpu, 50)} / ${pct(cpu, 95)} / ${pct(cpu, 99)}`);
}

main();
