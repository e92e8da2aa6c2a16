import type { Command } from 'commander';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadCoreConfig } from '../config.js';
import { NewsdeskError } from '../errors.js';
import type { Logger } from '../log.js';
import { Newsdesk } from '../newsdesk.js';
import { indexOwner } from '../search/index-owner.js';
import { INDEX_DIR } from '../search/passage-index.js';
import { backupDatabase, restoreDatabase } from '../store/backup.js';
import { Store } from '../store/store.js';

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/**
 * Backup and restore copy the SQLite file; a PostgreSQL store (NEWSDESK_DATABASE_URL) is backed up with its own tools.
 * @throws NewsdeskError `CONFIG_INVALID` (exit 2) when NEWSDESK_DATABASE_URL is set.
 */
function refuseWithPostgres(databaseUrl: string | undefined, command: 'backup' | 'restore'): void {
  if (databaseUrl === undefined) return;
  throw new NewsdeskError(
    'CONFIG_INVALID',
    command === 'backup'
      ? 'newsdesk backup copies the SQLite database, but NEWSDESK_DATABASE_URL points to PostgreSQL: back that up with pg_dump (e.g. pg_dump --format=custom --file=newsdesk.dump "$NEWSDESK_DATABASE_URL").'
      : 'newsdesk restore puts back a SQLite backup, but NEWSDESK_DATABASE_URL points to PostgreSQL: restore that with pg_restore (e.g. pg_restore --clean --dbname="$NEWSDESK_DATABASE_URL" newsdesk.dump), then start newsdesk, which rebuilds its index.',
  );
}

/** `newsdesk backup <file>` and `newsdesk restore <file>`. */
export function addBackupCommands(program: Command, log: Logger): void {
  program
    .command('backup')
    .description('write a consistent copy of the database to a file (safe while the bot runs)')
    .argument('<file>', 'where to write it, e.g. backups/newsdesk-2025-02-15.db')
    .action(async (file: string) => {
      const config = loadCoreConfig();
      refuseWithPostgres(config.databaseUrl, 'backup');
      const store = Store.open(config.dataDir, { zone: config.timezone });
      try {
        const started = Date.now();
        const result = await backupDatabase(store, file);
        process.stdout.write(`Backed up ${result.articles.toLocaleString('en-US')} articles (${mb(result.bytes)}) to ${result.path} in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
      } finally {
        store.close();
      }
    });

  program
    .command('restore')
    .description('put a backup back as the database (stop the bot first), then rebuild the index from it')
    .argument('<file>', 'a file written by `newsdesk backup`')
    .action(async (file: string) => {
      const { dataDir, timezone, databaseUrl } = loadCoreConfig();
      refuseWithPostgres(databaseUrl, 'restore');
      const owner = indexOwner(dataDir);
      if (owner !== undefined) throw new NewsdeskError('STORE_FAILED', `The bot is running (pid ${owner}) on ${dataDir}: stop it first, restore, then start it again.`);
      const result = restoreDatabase(dataDir, file, new Date());
      // The saved index describes the database that was replaced: build it afresh from the restored one.
      rmSync(join(dataDir, INDEX_DIR), { recursive: true, force: true });
      const desk = await Newsdesk.open({ dataDir, log, zone: timezone, checkStore: true });
      const passages = desk.index.documentCount;
      await desk.close();
      process.stdout.write(
        `Restored ${result.articles.toLocaleString('en-US')} articles from ${file}; the index was rebuilt (${passages.toLocaleString('en-US')} passages).\n` +
          (result.replacedBy ? `The database it replaced is kept as ${result.replacedBy} (delete it once you are sure).\n` : ''),
      );
    });
}
