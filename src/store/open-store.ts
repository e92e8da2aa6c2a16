import { NewsdeskError } from '../errors.js';
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
 * @throws NewsdeskError `STORE_FAILED` when the database cannot be opened (or PostgreSQL is not in this build),
 *   `STORE_DAMAGED` when the SQLite file is damaged.
 */
export async function openStore(options: OpenStoreOptions): Promise<NewsStore> {
  if (options.databaseUrl !== undefined) {
    throw new NewsdeskError('STORE_FAILED', 'NEWSDESK_DATABASE_URL is set, but PostgreSQL is not available in this build of newsdesk: unset NEWSDESK_DATABASE_URL to use the SQLite database in NEWSDESK_DATA_DIR.');
  }
  return openSqliteStore(options.dataDir, options.zone !== undefined ? { zone: options.zone } : {});
}
