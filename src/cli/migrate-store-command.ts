import type { Command } from 'commander';
import { performance } from 'node:perf_hooks';
import { loadCoreConfig } from '../config.js';
import { Store } from '../store/store.js';
import type { CliContext } from './cli-context.js';
import { EXIT } from './exit-codes.js';
import { progressReporter, type ProgressReporter } from './progress.js';

/**
 * `newsdesk migrate-store --to <postgres URL>`: copies the SQLite database of NEWSDESK_DATA_DIR into an empty
 * PostgreSQL database, then prints each table's count on both sides. Exits with EXIT.data when a count differs or
 * the target is not empty (the message says what to do).
 */
export function addMigrateStoreCommand(program: Command, ctx: CliContext): void {
  program
    .command('migrate-store')
    .description('copy the SQLite database (articles, feeds, subscriptions, deliveries…) into an empty PostgreSQL database, and compare the counts')
    .requiredOption('--to <url>', 'the PostgreSQL database, e.g. postgres://newsdesk:password@db.example:5432/newsdesk')
    .action(async (opts: { to: string }) => {
      const config = loadCoreConfig();
      // Loaded here, not with the program: pg and Kysely are for this command only.
      const { migrateStore } = await import('../store/migrate-store.js');
      const store = Store.open(config.dataDir, { zone: config.timezone });
      let progress: { table: string; reporter: ProgressReporter } | undefined;
      try {
        const started = performance.now();
        const result = await migrateStore(store, opts.to, {
          onProgress: (table, done, total) => {
            if (progress?.table !== table) {
              progress?.reporter.stop();
              progress = { table, reporter: progressReporter(`copying ${table}`, 'rows', { tty: process.stderr.isTTY === true, write: (l) => ctx.err(l), now: () => performance.now() }) };
            }
            progress.reporter.onProgress(done, total);
          },
        });
        progress?.reporter.stop();
        const width = Math.max(...result.counts.map((c) => c.table.length));
        ctx.out(`${'table'.padEnd(width)}  ${'SQLite'.padStart(12)}  ${'PostgreSQL'.padStart(12)}`);
        for (const c of result.counts) {
          ctx.out(`${c.table.padEnd(width)}  ${c.sqlite.toLocaleString('en-US').padStart(12)}  ${c.postgres.toLocaleString('en-US').padStart(12)}${c.sqlite === c.postgres ? '' : '  differs'}`);
        }
        if (result.matches) {
          ctx.out(`Copied ${store.path} to ${result.target} in ${((performance.now() - started) / 1000).toFixed(1)} s; every count matches. Set NEWSDESK_DATABASE_URL to that URL for every process.`);
        } else {
          ctx.err(`The counts differ (marked above): something wrote to ${store.path} during the copy, or the copy failed. Stop the bot and other newsdesk processes, drop and create the PostgreSQL database again, and run migrate-store once more.`);
          ctx.exit(EXIT.data);
        }
      } finally {
        progress?.reporter.stop();
        store.close();
      }
    });
}
