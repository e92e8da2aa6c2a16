import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { NewsdeskError, describeError } from '../../errors.js';
import { kyselyMigrations } from '../schema.js';

/** A PostgreSQL URL without its password, fit for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '';
    return parsed.toString().replace(/:@/, '@');
  } catch {
    return '(an address that is not a URL)';
  }
}

/**
 * What the store's queries go through: the pool (each call may use another connection) or one connection inside
 * a transaction. Values come back as JavaScript numbers for bigint columns and counts (ids stay far below 2^53).
 */
export interface PgQueries {
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  one<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** The first column of the first row, or undefined. */
  value<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** The first column of every row. */
  column<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a statement, returning how many rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

type Runner = { query: (sql: string, params?: unknown[]) => Promise<pg.QueryResult> };

/**
 * PostgreSQL's text cannot hold U+0000 (it rejects the whole statement), where SQLite stores it: a NUL that came in
 * with a file or feed is dropped, as it carries nothing a reader sees, rather than failing the batch.
 */
const withoutNul = (value: unknown): unknown =>
  typeof value === 'string' ? (value.includes('\0') ? value.replaceAll('\0', '') : value) : Array.isArray(value) ? value.map(withoutNul) : value;

export function queriesOn(runner: Runner): PgQueries {
  const query = (sql: string, params: readonly unknown[]) => runner.query(sql, params.map(withoutNul));
  const rows = async (sql: string, params: readonly unknown[] = []) => (await query(sql, params)).rows as Record<string, unknown>[];
  return {
    all: async <T>(sql: string, params?: readonly unknown[]) => (await rows(sql, params)) as T[],
    one: async <T>(sql: string, params?: readonly unknown[]) => (await rows(sql, params))[0] as T | undefined,
    value: async <T>(sql: string, params?: readonly unknown[]) => {
      const row = (await rows(sql, params))[0];
      return (row ? Object.values(row)[0] : undefined) as T | undefined;
    },
    column: async <T>(sql: string, params?: readonly unknown[]) => (await rows(sql, params)).map((r) => Object.values(r)[0] as T),
    run: async (sql: string, params: readonly unknown[] = []) => (await query(sql, params)).rowCount ?? 0,
  };
}

/** The database: queries on the pool, and transactions on one connection. */
export interface PgDatabase extends PgQueries {
  readonly pool: pg.Pool;
  /** Runs `work` in one transaction (READ COMMITTED): committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: PgQueries) => Promise<T>): Promise<T>;
}

const BIGINT_OID = 20;
const NUMERIC_OID = 1700;

/** Opens a pool on `url` (nothing connects yet). bigint and numeric values are read as numbers, on this pool only. */
export function createPgDatabase(url: string, options: { max?: number } = {}): PgDatabase {
  const types = new pg.TypeOverrides();
  types.setTypeParser(BIGINT_OID, (v: string) => Number(v));
  types.setTypeParser(NUMERIC_OID, (v: string) => Number(v));
  const pool = new pg.Pool({ connectionString: url, types, max: options.max ?? 10, connectionTimeoutMillis: 30_000 });
  // An idle connection the server dropped (restart, idle timeout) must not crash the process: the pool replaces it.
  pool.on('error', () => {});
  return {
    pool,
    ...queriesOn(pool),
    async transaction<T>(work: (tx: PgQueries) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(queriesOn(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

/** Connection failures, by the code node or PostgreSQL gives them, and what to check for each. */
function connectionAdvice(error: unknown, setting: string): string {
  const code = (error as { code?: string } | null)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return `nothing answers at that host and port: check that PostgreSQL is running and ${setting} names its host and port`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name does not resolve: check the host in ${setting}`;
    case 'ETIMEDOUT':
      return 'the server did not answer in time: check the host, port and any firewall in between';
    case '28P01':
    case '28000':
      return `the server refused the user or password: check them in ${setting} (and pg_hba.conf)`;
    case '3D000':
      return `that database does not exist: create it (createdb) or fix its name in ${setting}`;
    default:
      return `check ${setting} (postgres://user:password@host:5432/database) and that the server is running`;
  }
}

/**
 * The error for a database that cannot be reached or used; never shows the password. `setting` names where the URL
 * came from, for the advice.
 */
export function pgStoreFailed(url: string, error: unknown, setting = 'NEWSDESK_DATABASE_URL'): NewsdeskError {
  const password = (() => {
    try {
      return decodeURIComponent(new URL(url).password);
    } catch {
      return '';
    }
  })();
  const detail = password ? describeError(error).split(password).join('***') : describeError(error);
  return new NewsdeskError('STORE_FAILED', `Cannot use the PostgreSQL database ${redactUrl(url)} (${detail}): ${connectionAdvice(error, setting)}.`, { cause: error });
}

/**
 * Brings the database's schema up to date with Kysely's Migrator (migrations: src/store/schema.ts). Safe when
 * several processes start at once: the Migrator holds an advisory lock while it runs, and each migration is a
 * transaction. Throws what the Migrator failed with.
 */
export async function migratePg(pool: pg.Pool): Promise<void> {
  // The pool stays open: Kysely's destroy would end it, so the dialect gets a pool of its own on the same clients.
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: { connect: () => pool.connect(), end: async () => {} } }) });
  try {
    const { error } = await new Migrator({ db, provider: kyselyMigrations('postgres', sql) }).migrateToLatest();
    if (error) throw error;
  } finally {
    await db.destroy();
  }
}
