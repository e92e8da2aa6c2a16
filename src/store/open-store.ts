import type { NewsStore } from './news-store.js';
import { openSqliteStore } from './sqlite-news-store.js';

export interface OpenStoreOptions {
  /** The data directory (NEWSDESK_DATA_DIR): holds `newsdesk.db` when no database URL is given. */
  dataDir: string;
  /** The outlets' default zone (NEWSDESK_TIMEZONE). */
  zone?: string;
  /** NEWSDESK_DATABASE_URL (`postgres://…`): PostgreSQL instead of the SQLite file. */
  databaseUrl?: string;
}

/**
 * Opens the store every process uses: SQLite in `dataDir` by default, PostgreSQL when `databaseUrl` is set.
 * @throws NewsdeskError `STORE_FAILED` when the database cannot be opened (for PostgreSQL: the server cannot be reached,
 *   refuses the login or has no such database),
 *   `STORE_DAMAGED` when the SQLite file is damaged.
 */
export async function openStore(options: OpenStoreOptions): Promise<NewsStore> {
  if (options.databaseUrl !== undefined) {
    // Loaded only here: a SQLite deployment never loads pg.
    const { openPgStore } = await import('./pg/pg-store.js');
    return openPgStore(options.databaseUrl, options.zone !== undefined ? { zone: options.zone } : {});
  }
  return openSqliteStore(options.dataDir, options.zone !== undefined ? { zone: options.zone } : {});
}
