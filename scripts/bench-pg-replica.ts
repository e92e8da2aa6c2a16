// The PostgreSQL side of an index replica, measured: fills an empty PostgreSQL database with N synthetic passages
// (the bench corpus's generator, stored through the PostgreSQL store's insertArticles, 200 articles a transaction),
// then reads every passage back the way a replica building its index does (passagesAfter, 5,000 at a time).
// Prints wall and CPU time of each phase, and the load average. The replica's own index build from there is the same
// work as from SQLite (see the README's Benchmarks); once every process opens its store through openStore, measure
// it end to end with an empty data directory (see the end of the output).
//
//   scripts/with-postgres.sh npx tsx scripts/bench-pg-replica.ts --passages 200000
//   npx tsx scripts/bench-pg-replica.ts --url postgres://… --passages 1000000      (an empty database)
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadJiebaDictionary } from '../src/bench/jieba-dictionary.js';
import { generateArticles, inBatches } from '../src/bench/synthetic-corpus.js';
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
  const [one, five] = loadavg();
  process.stdout.write(
    [
      `passages stored: ${stored.toLocaleString('en-US')} (${count.toLocaleString('en-US')} read back, ${(chars / 1e6).toFixed(1)} M characters)`,
      `store (insertArticles, 200 articles a transaction): ${fillFigure}`,
      `replica read of every passage (passagesAfter, 5,000 a page): ${readFigure}`,
      `load average: ${one!.toFixed(1)} (1 min), ${five!.toFixed(1)} (5 min)`,
      '',
      'A whole replica build, once processes open the store through openStore (NEWSDESK_DATABASE_URL):',
      `  NEWSDESK_DATABASE_URL='${url}' NEWSDESK_DATA_DIR=$(mktemp -d) /usr/bin/time -v npx newsdesk ask 储能 --top 1`,
      '  (the first run builds the index into the empty data directory: its wall time and maximum resident size are the figures)',
    ].join('\n') + '\n',
  );
} finally {
  await store.close();
}
