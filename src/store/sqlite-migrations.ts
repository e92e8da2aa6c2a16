import type { Database as SqliteDatabase } from 'better-sqlite3';
import { createRequire } from 'node:module';
import { NewsdeskError } from '../errors.js';
import { MIGRATIONS } from './schema.js';

/** Kysely's own bookkeeping tables (its Migrator's defaults), so either runner sees what the other applied. */
export const MIGRATION_TABLE = 'kysely_migration';
export const MIGRATION_LOCK_TABLE = 'kysely_migration_lock';

/**
 * Brings a SQLite database up to date with {@link MIGRATIONS}, synchronously, in one `BEGIN IMMEDIATE` transaction.
 *
 * Why not Kysely's Migrator itself, as on PostgreSQL: it is asynchronous only, and the SQLite store is opened
 * synchronously (Store.open, and everything that opens a Newsdesk, are synchronous until the asynchronous store
 * interface reaches every caller). So the very same migrations are compiled here by Kysely's SqliteDialect and run
 * through better-sqlite3, and recorded in Kysely's own `kysely_migration` table exactly as its Migrator records them
 * (name, ISO timestamp; its lock table and row too): Kysely's Migrator pointed at the file sees every migration as
 * run (test/store/schema-migrations.test.ts checks this), so moving SQLite onto it later is one line.
 *
 * A database written before (schema versions kept in `PRAGMA user_version`, 1..9) is adopted: its first
 * `user_version` migrations are recorded as run, without running them, and the rest are applied. `PRAGMA
 * user_version` is still set to the number of migrations run, so an older newsdesk refuses a newer database.
 *
 * `write` runs the transaction, waiting for another process's write lock as the store does; `afterMigrations` runs
 * inside it after the last migration (the store's backfill of local days). A database already up to date is only
 * read: opening one while another process writes neither waits nor fails.
 * @throws NewsdeskError `STORE_FAILED` when the database was written by a newer newsdesk.
 */
export function migrateSqlite(db: SqliteDatabase, options: { write: (run: () => void) => void; afterMigrations: () => void; now?: () => Date }): void {
  const pending = () => pendingMigrations(db);
  // Up to date, and recorded in Kysely's table (a database from before it is adopted even when nothing is to run).
  const upToDate = () => pending().length === 0 && hasTable(db, MIGRATION_TABLE);
  if (upToDate()) return;
  // Loaded only now, synchronously (its CommonJS build): a command opening an up-to-date database does not pay for it.
  const { Kysely, SqliteDialect, sql } = createRequire(import.meta.url)('kysely') as typeof import('kysely');
  const kysely = new Kysely<any>({ dialect: new SqliteDialect({ database: db }) }); // compiles only: never connects
  const run = (statement: { compile(): { sql: string; parameters: readonly unknown[] } }) => {
    const { sql, parameters } = statement.compile();
    db.prepare(sql).run(...(parameters as unknown[]));
  };
  const migrate = db.transaction(() => {
    // Read again under the lock: another process may have migrated meanwhile.
    if (upToDate()) return;
    const todo = pending();
    const at = (options.now?.() ?? new Date()).toISOString();
    if (!hasTable(db, MIGRATION_TABLE)) {
      // The same tables Kysely's Migrator creates (migrator.js: #ensureMigrationTableExists and the lock table).
      run(kysely.schema.createTable(MIGRATION_TABLE).addColumn('name', 'varchar(255)', (c) => c.notNull().primaryKey()).addColumn('timestamp', 'varchar(255)', (c) => c.notNull()));
      run(kysely.schema.createTable(MIGRATION_LOCK_TABLE).addColumn('id', 'varchar(255)', (c) => c.notNull().primaryKey()).addColumn('is_locked', 'integer', (c) => c.notNull().defaultTo(0)));
      db.prepare(`INSERT INTO ${MIGRATION_LOCK_TABLE} (id, is_locked) VALUES ('migration_lock', 0)`).run();
    }
    const record = db.prepare(`INSERT INTO ${MIGRATION_TABLE} (name, timestamp) VALUES (?, ?)`);
    const adopted = MIGRATIONS.length - todo.length;
    for (const m of MIGRATIONS.slice(0, adopted)) if (!executedNames(db).has(m.name)) record.run(m.name, at);
    for (const m of todo) {
      for (const statement of m.statements(kysely, 'sqlite', sql)) run(statement);
      record.run(m.name, at);
    }
    db.pragma(`user_version = ${MIGRATIONS.length}`);
    options.afterMigrations();
  });
  options.write(() => migrate.immediate());
}

/** The migrations still to run, in order; throws when the database knows migrations this newsdesk does not. */
function pendingMigrations(db: SqliteDatabase): (typeof MIGRATIONS)[number][] {
  const version = db.pragma('user_version', { simple: true }) as number;
  const newer = (what: string) =>
    new NewsdeskError('STORE_FAILED', `The database was written by a newer newsdesk (${what}; this one knows ${MIGRATIONS.length} migrations). Update newsdesk or point NEWSDESK_DATA_DIR elsewhere.`);
  if (version > MIGRATIONS.length) throw newer(`schema ${version}`);
  if (!hasTable(db, MIGRATION_TABLE)) return MIGRATIONS.slice(version);
  const executed = executedNames(db);
  const unknown = [...executed].filter((name) => !MIGRATIONS.some((m) => m.name === name));
  if (unknown.length > 0) throw newer(`migration ${unknown.join(', ')}`);
  // A database from before Kysely whose adoption was interrupted cannot exist (one transaction), so what is not
  // recorded is what is to run.
  return MIGRATIONS.filter((m) => !executed.has(m.name));
}

function hasTable(db: SqliteDatabase, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

function executedNames(db: SqliteDatabase): Set<string> {
  return new Set(db.prepare(`SELECT name FROM ${MIGRATION_TABLE}`).pluck().all() as string[]);
}
