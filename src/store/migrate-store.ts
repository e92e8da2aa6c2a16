import { NewsdeskError } from '../errors.js';
import { createPgDatabase, migratePg, pgStoreFailed, redactUrl, type PgDatabase, type PgQueries } from './pg/pg-database.js';
import { insertRows } from './pg/pg-store.js';
import type { Store } from './store.js';

/** Every table newsdesk keeps, parents before children (foreign keys), with the identity column PostgreSQL hands out from. */
export const COPIED_TABLES = [
  { table: 'articles', identity: 'id' },
  { table: 'paragraphs', identity: 'id' },
  { table: 'passages', identity: 'id' },
  { table: 'feeds', identity: 'id' },
  { table: 'feed_items', identity: 'seq' },
  { table: 'subscriptions', identity: undefined },
  { table: 'deliveries', identity: 'id' },
  { table: 'tombstones', identity: undefined },
  { table: 'article_changes', identity: 'seq' },
] as const;

export interface TableCount {
  table: string;
  /** Rows in the SQLite database. */
  sqlite: number;
  /** Rows in the PostgreSQL database after the copy. */
  postgres: number;
}

export interface MigrateStoreResult {
  /** The target URL without its password. */
  target: string;
  counts: TableCount[];
  /** Whether every table has as many rows on both sides. */
  matches: boolean;
}

/** Rows read from SQLite and written to PostgreSQL per statement. */
export const COPY_BATCH_ROWS = 5_000;

/**
 * Copies everything in the SQLite store (articles, paragraphs and passages keeping their ids; feeds and their items;
 * subscriptions and deliveries; tombstones and the change log) into an empty PostgreSQL database at `targetUrl`,
 * whose schema it creates (Kysely's Migrator) if need be. The source is read in one read transaction (one consistent
 * snapshot, while the bot may go on writing), the target written in one transaction (all or nothing: a failed copy
 * leaves it empty, to try again), COPY_BATCH_ROWS rows per statement. The identity sequences are then set past the
 * copied ids, and both sides counted.
 * @param onProgress called after each batch: the table, rows copied of it so far, and its total.
 * @throws NewsdeskError `STORE_FAILED` when the target cannot be reached, or already holds news (the copy starts
 *   only into an empty database, so that nothing there is mixed up or lost).
 */
export async function migrateStore(
  source: Store,
  targetUrl: string,
  options: { onProgress?: (table: string, done: number, total: number) => void; batchRows?: number } = {},
): Promise<MigrateStoreResult> {
  const target = redactUrl(targetUrl);
  const db = createPgDatabase(targetUrl, { max: 2 });
  try {
    try {
      await migratePg(db.pool);
    } catch (error) {
      throw pgStoreFailed(targetUrl, error, 'the --to URL');
    }
    await refuseUnlessEmpty(db, target);
    const batch = options.batchRows ?? COPY_BATCH_ROWS;
    source.db.exec('BEGIN'); // one snapshot of the source for the copy and the counts
    try {
      await db.transaction(async (tx) => {
        for (const { table, identity } of COPIED_TABLES) {
          await copyTable(source, tx, table, batch, options.onProgress);
          if (identity) await resetIdentity(source, tx, table, identity);
        }
      });
      const counts: TableCount[] = [];
      for (const { table } of COPIED_TABLES) {
        counts.push({
          table,
          sqlite: source.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number,
          postgres: (await db.value<number>(`SELECT count(*) FROM ${table}`)) ?? 0,
        });
      }
      return { target, counts, matches: counts.every((c) => c.sqlite === c.postgres) };
    } finally {
      source.db.exec('COMMIT');
    }
  } finally {
    await db.pool.end();
  }
}

async function refuseUnlessEmpty(db: PgDatabase, target: string): Promise<void> {
  const filled: string[] = [];
  for (const { table } of COPIED_TABLES) {
    const rows = (await db.value<number>(`SELECT count(*) FROM ${table}`)) ?? 0;
    if (rows > 0) filled.push(`${table}: ${rows.toLocaleString('en-US')}`);
  }
  if (filled.length > 0) {
    throw new NewsdeskError(
      'STORE_FAILED',
      `The PostgreSQL database ${target} is not empty (${filled.join(', ')}): migrate-store copies into an empty database only. Create a new one (createdb newsdesk) and pass its URL, or, if it holds an earlier attempt you mean to replace, drop and create it again.`,
    );
  }
}

/** Copies one table in rowid order (the order SQLite handed out its ids in), a batch at a time. */
async function copyTable(source: Store, tx: PgQueries, table: string, batch: number, onProgress?: (table: string, done: number, total: number) => void): Promise<void> {
  const total = source.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  const columns = (source.db.pragma(`table_info(${table})`) as Array<{ name: string }>).map((c) => c.name);
  const types = await tx.all<{ column_name: string; data_type: string }>(
    'SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1',
    [table],
  );
  const typeOf = new Map(types.map((t) => [t.column_name, t.data_type]));
  const casts = columns.map((c) => {
    const type = typeOf.get(c);
    if (!type) throw new NewsdeskError('STORE_FAILED', `The PostgreSQL table ${table} has no column ${c}: the two databases' schemas differ. Update newsdesk on every machine and try again.`);
    return type;
  });
  const read = source.db.prepare(`SELECT rowid AS rowid__, ${columns.join(', ')} FROM ${table} WHERE rowid > ? ORDER BY rowid LIMIT ?`).raw();
  let done = 0;
  for (let last = 0; ; ) {
    const rows = read.all(last, batch) as unknown[][];
    if (rows.length === 0) break;
    last = rows[rows.length - 1]![0] as number;
    await insertRows(tx, table, columns, casts, rows.map((r) => r.slice(1)));
    done += rows.length;
    onProgress?.(table, done, total);
  }
  if (done === 0) onProgress?.(table, 0, 0);
}

/** Sets the table's identity sequence past every copied id (and past any id SQLite's AUTOINCREMENT used before). */
async function resetIdentity(source: Store, tx: PgQueries, table: string, column: string): Promise<void> {
  const fromSequence = (() => {
    try {
      return (source.db.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').pluck().get(table) as number | undefined) ?? 0;
    } catch {
      return 0; // no AUTOINCREMENT table in this database
    }
  })();
  await tx.run(`SELECT setval(pg_get_serial_sequence('${table}', '${column}'), greatest(coalesce(max(${column}), 0), $1::bigint) + 1, false) FROM ${table}`, [fromSequence]);
}
