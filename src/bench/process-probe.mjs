// Preloaded (`node --import`) into every process `npm run bench -- --processes` spawns, through NODE_OPTIONS,
// so it also rides into the processes a launcher starts (bin/newsdesk.js, tsx). Plain JavaScript: it must load
// before any TypeScript loader. It measures from the outside what the command itself does not report:
//  - when this process's own code could start (Node's boot, up to this preload);
//  - nodejieba's dictionary load (its first `load`, which its first `cut` triggers);
//  - time inside SQLite transactions (better-sqlite3's `db.transaction` functions: the store's writes);
//  - the `newsdesk:*` performance marks the core leaves at open and ingest, with their figures;
//  - resident memory at exit.
// At exit it appends one JSON line to the file named by NEWSDESK_PROBE_OUT.
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

const out = process.env.NEWSDESK_PROBE_OUT;
const bootMs = performance.now();
const require = createRequire(import.meta.url);
const figures = { jiebaLoadMs: 0, jiebaLoadAt: null, sqliteTxMs: 0 };

if (out && isMainThread) {
  try {
    const jieba = require('nodejieba');
    const load = jieba.load;
    jieba.load = function timedLoad(...args) {
      const start = performance.now();
      try {
        return load.apply(this, args);
      } finally {
        figures.jiebaLoadMs += performance.now() - start;
        figures.jiebaLoadAt ??= start;
      }
    };
  } catch {
    // Not every spawned process can resolve nodejieba from here (the launcher's own); nothing to time there.
  }
  try {
    const Database = require('better-sqlite3');
    const transaction = Database.prototype.transaction;
    Database.prototype.transaction = function timedTransaction(fn) {
      const wrapped = transaction.call(this, fn);
      const timed = function (...args) {
        const start = performance.now();
        try {
          return wrapped.apply(this, args);
        } finally {
          figures.sqliteTxMs += performance.now() - start;
        }
      };
      return Object.assign(timed, { deferred: wrapped.deferred, immediate: wrapped.immediate, exclusive: wrapped.exclusive });
    };
  } catch {
    // As above.
  }

  process.on('exit', (code) => {
    const marks = performance
      .getEntriesByType('mark')
      .filter((m) => m.name.startsWith('newsdesk:') || m.name.startsWith('bench:'))
      .map((m) => ({ name: m.name, at: m.startTime, detail: m.detail ?? null }));
    const m = process.memoryUsage();
    const usage = process.resourceUsage();
    const line = {
      pid: process.pid,
      argv: process.argv.slice(1),
      code,
      bootMs,
      exitAt: performance.now(),
      ...figures,
      marks,
      rssMB: m.rss / 2 ** 20,
      heapUsedMB: m.heapUsed / 2 ** 20,
      maxRssMB: usage.maxRSS / 1024,
      // CPU time of all this process's threads (µs → ms): steadier than wall time on a busy machine.
      cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    };
    appendFileSync(out, `${JSON.stringify(line)}\n`);
  });
}
