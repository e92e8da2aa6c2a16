// The PostgreSQL side of an index replica, measured: fills an empty PostgreSQL database with N synthetic passages
// (the bench corpus's generator, stored through the PostgreSQL store's insertArticles, 200 articles a transaction),
// then reads every passage back the way a replica building its index does (passagesAfter, 5,000 at a time).
// Then builds two index replicas from it (a Newsdesk on an empty data directory each, as two processes would), stores
// one more article and times each replica's catch-up. Prints wall and CPU time of each phase, and the load average.
//
//   scripts/with-postgres.sh npx tsx scripts/bench-pg-replica.ts --passages 200000
//   npx tsx scripts/bench-pg-replica.ts --url postgres://… --passages 1000000      (an empty database)
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadJiebaDictionary } from '../src/bench/jieba-dictionary.js';
import { generateArticles, inBatches } from '../src/bench/synthetic-corpus.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYNC_EVERY_MS } from '../src/feeds/background.js';
import { silentLogger } from '../src/log.js';
import { Newsdesk } from '../src/newsdesk.js';
import { openPgStore } from '../src/store/pg/pg-store.js';

const arg = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const url = arg('url') ?? process.env['NEWSDESK_TEST_DATABASE_URL'];
const paragraphs = Number(arg('passages') ?? 200_000);
if (!url) {
  process.stderr.write('usage: npx tsx scripts/bench-pg-replica.ts --url postgres://… [--passages 200000]   (or run it under scripts/with-postgres.sh)\n');
  process.exit(2);
}

const clock = () => ({ wall: performance.now(), cpu: process.cpuUsage() });
const since = (start: ReturnType<typeof clock>) => {
  const cpu = process.cpuUsage(start.cpu);
  return `${((performance.now() - start.wall) / 1000).toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU (this process)`;
};

const store = await openPgStore(url);
try {
  if ((await store.passageCount()) > 0) throw new Error(`${store.location} already holds passages: give an empty database`);
  const dictionary = loadJiebaDictionary();
  process.stderr.write(`filling ${store.location} with ${paragraphs.toLocaleString('en-US')} paragraphs…\n`);
  const fill = clock();
  let stored = 0;
  for (const batch of inBatches(generateArticles({ dictionary, seed: 14, paragraphs }), 200)) {
    const result = await store.insertArticles(batch, new Date().toISOString(), { waitForLock: true });
    stored += result.added.reduce((n, a) => n + a.passages.length, 0);
    if (stored % 50_000 < 1_500) process.stderr.write(`  ${stored.toLocaleString('en-US')} passages\n`);
  }
  const fillFigure = since(fill);

  const read = clock();
  let last = 0;
  let count = 0;
  let chars = 0;
  for (;;) {
    const page = await store.passagesAfter(last, 5_000);
    if (page.length === 0) break;
    count += page.length;
    for (const p of page) chars += p.text.length;
    last = page[page.length - 1]!.id;
  }
  const readFigure = since(read);

  // Two index replicas, as two processes with empty data directories would build them (each in its own directory).
  const dirs = [mkdtempSync(join(tmpdir(), 'replica-a-')), mkdtempSync(join(tmpdir(), 'replica-b-'))];
  const build = clock();
  const first = await Newsdesk.open({ dataDir: dirs[0]!, log: silentLogger, databaseUrl: url });
  const buildFigure = since(build);
  const second = await Newsdesk.open({ dataDir: dirs[1]!, log: silentLogger, databaseUrl: url });
  // A new article stored by a third process (an ingest, a feed poll): each replica picks it up at its next catch-up
  // (the bot's intake runs one at least every SYNC_EVERY_MS), in slices as the bot does.
  const [article] = generateArticles({ dictionary, seed: 99, paragraphs: 5 });
  await store.insertArticles([{ ...article!, dedupeKey: `replica-probe-${Date.now()}` }], new Date().toISOString());
  const followed: string[] = [];
  for (const desk of [first, second]) {
    const start = clock();
    const added = await desk.syncFromStoreInSlices();
    followed.push(`${added} passages in ${since(start)}`);
  }
  const memory = process.memoryUsage();
  for (const desk of [first, second]) await desk.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });

  const [one, five] = loadavg();
  process.stdout.write(
    [
      `passages stored: ${stored.toLocaleString('en-US')} (${count.toLocaleString('en-US')} read back, ${(chars / 1e6).toFixed(1)} M characters)`,
      `store (insertArticles, 200 articles a transaction): ${fillFigure}`,
      `replica read of every passage (passagesAfter, 5,000 a page): ${readFigure}`,
      `replica build (Newsdesk.open on an empty data directory: read, tokenize, index, save): ${buildFigure}`,
      `a new article in each of two replicas (catch-up in slices): ${followed.join('; ')}; answerable within ${SYNC_EVERY_MS / 1000} s (the intake's interval) plus that`,
      `resident memory with two replicas open in this process: ${(memory.rss / 1e6).toFixed(0)} MB`,
      `load average: ${one!.toFixed(1)} (1 min), ${five!.toFixed(1)} (5 min)`,
    ].join('\n') + '\n',
  );
} finally {
  await store.close();
}
