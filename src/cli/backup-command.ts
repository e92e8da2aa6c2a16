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

/** `newsdesk backup <file>` and `newsdesk restore <file>`. */
export function addBackupCommands(program: Command, log: Logger): void {
  program
    .command('backup')
    .description('write a consistent copy of the database to a file (safe while the bot runs)')
    .argument('<file>', 'where to write it, e.g. backups/newsdesk-2025-02-15.db')
    .action(async (file: string) => {
      const config = loadCoreConfig();
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
    .action((file: string) => {
      const { dataDir, timezone } = loadCoreConfig();
      const owner = indexOwner(dataDir);
      if (owner !== undefined) throw new NewsdeskError('STORE_FAILED', `The bot is running (pid ${owner}) on ${dataDir}: stop it first, restore, then start it again.`);
      const result = restoreDatabase(dataDir, file, new Date());
      // The saved index describes the database that was replaced: build it afresh from the restored one.
      rmSync(join(dataDir, INDEX_DIR), { recursive: true, force: true });
      const desk = Newsdesk.open({ dataDir, log, zone: timezone, checkStore: true });
      const passages = desk.index.documentCount;
      desk.close();
      process.stdout.write(
        `Restored ${result.articles.toLocaleString('en-US')} articles from ${file}; the index was rebuilt (${passages.toLocaleString('en-US')} passages).\n` +
          (result.replacedBy ? `The database it replaced is kept as ${result.replacedBy} (delete it once you are sure).\n` : ''),
      );
    });
}
