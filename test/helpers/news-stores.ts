import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NewsStore } from '../../src/store/news-store.js';
import { openPgStore } from '../../src/store/pg/pg-store.js';
import { sqliteNewsStore } from '../../src/store/sqlite-news-store.js';
import { Store } from '../../src/store/store.js';
import { useTempDir } from './temp-dir.js';

/** Where the PostgreSQL half of the store tests runs: a server a test may create and drop databases on. */
export const TEST_DATABASE_URL = process.env['NEWSDESK_TEST_DATABASE_URL'];

/** A store to test: open a fresh, empty one, or another handle on the same data (a second process). */
export interface StoreBackend {
  name: 'sqlite' | 'postgres';
  /** An empty store (the previous one's data is gone). */
  fresh(options?: { zone?: string }): Promise<NewsStore>;
  /** Another store on the data of the last `fresh()`: what a second process sees. */
  again(options?: { zone?: string }): Promise<NewsStore>;
}

/**
 * A database of the test file's own on the NEWSDESK_TEST_DATABASE_URL server: created before its tests, dropped
 * (connections and all) after them. Returns its URL.
 */
export function useTestDatabase(): URL {
  const name = `newsdesk_t_${randomBytes(6).toString('hex')}`;
  const url = new URL(TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  let admin: pg.Client | undefined;
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  });
  afterAll(async () => {
    await admin?.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin?.end();
  });
  return url;
}

/** Why the PostgreSQL half cannot run here (NEWSDESK_TEST_DATABASE_URL unset), or undefined when it can. */
export const POSTGRES_UNAVAILABLE = TEST_DATABASE_URL
  ? undefined
  : process.env['CI']
    ? 'NEWSDESK_TEST_DATABASE_URL is unset in CI: .ci/run runs the tests under scripts/with-postgres.sh, which sets it'
    : 'NEWSDESK_TEST_DATABASE_URL is unset: run `npm run test:pg` (a throw-away PostgreSQL server around the tests) to run these';

/**
 * Says once per test run (the vitest process being every test file's parent) why the PostgreSQL half is skipped.
 */
function noteSkipOnce(reason: string): void {
  const marker = join(tmpdir(), `newsdesk-pg-skip-note-${process.ppid}`);
  if (existsSync(marker)) return;
  writeFileSync(marker, '');
  console.warn(`PostgreSQL store tests skipped: ${reason}.`);
}

/**
 * Declares PostgreSQL-only tests, given this file's own database; skipped (saying why) without a server outside
 * CI, failed in CI.
 */
export function describePostgres(title: string, body: (url: URL) => void): void {
  if (POSTGRES_UNAVAILABLE) {
    const reason = POSTGRES_UNAVAILABLE;
    if (process.env['CI']) describe(title, () => it('runs against PostgreSQL', () => expect.fail(reason)));
    else (noteSkipOnce(reason), describe.skip(`${title} (${reason})`, () => it('skipped', () => {})));
    return;
  }
  const url = useTestDatabase();
  describe(title, () => body(url));
}

const NEWSDESK_TABLES = ['articles', 'paragraphs', 'passages', 'subscriptions', 'deliveries', 'feeds', 'feed_items', 'tombstones', 'article_changes'];

/** Every store behind its own throw-away data: SQLite in temporary directories, PostgreSQL in a database of this file's own. */
function backends(): Array<StoreBackend | { name: 'postgres'; unavailable: string }> {
  const tempDir = useTempDir();
  const open: NewsStore[] = [];
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
  });
  let dir = '';
  const sqlite: StoreBackend = {
    name: 'sqlite',
    fresh: async (options) => {
      dir = tempDir();
      return (open.push(sqliteNewsStore(Store.open(dir, options))), open.at(-1)!);
    },
    again: async (options) => (open.push(sqliteNewsStore(Store.open(dir, options))), open.at(-1)!),
  };
  if (POSTGRES_UNAVAILABLE) return [sqlite, { name: 'postgres', unavailable: POSTGRES_UNAVAILABLE }];
  const url = useTestDatabase();
  // Registered after the database's own hooks, so it runs before the database is dropped (after-hooks run as a stack).
  afterAll(async () => {
    for (const store of open.splice(0)) await store.close();
  });
  const postgres: StoreBackend = {
    name: 'postgres',
    fresh: async (options) => {
      const store = await openPgStore(url.toString(), options);
      open.push(store);
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        await client.query(`TRUNCATE ${NEWSDESK_TABLES.join(', ')} RESTART IDENTITY CASCADE`);
      } finally {
        await client.end();
      }
      return store;
    },
    again: async (options) => (open.push(await openPgStore(url.toString(), options)), open.at(-1)!),
  };
  return [sqlite, postgres];
}

let all: ReturnType<typeof backends> | undefined;

/**
 * Declares `body`'s tests once per store: SQLite, and PostgreSQL when NEWSDESK_TEST_DATABASE_URL names a server.
 * Without one the PostgreSQL half is skipped, its name saying why and how to run it; in CI (CI set) that is a failure.
 */
export function describeStores(title: string, body: (backend: StoreBackend) => void): void {
  // Once per test file (vitest gives each file its own modules): one database, whatever the number of suites.
  all ??= backends();
  for (const backend of all) {
    if ('unavailable' in backend) {
      const reason = backend.unavailable;
      if (process.env['CI']) describe(`${title} (postgres)`, () => it('runs against PostgreSQL', () => expect.fail(reason)));
      else (noteSkipOnce(reason), describe.skip(`${title} (postgres: ${reason})`, () => it('skipped', () => {})));
      continue;
    }
    describe(`${title} (${backend.name})`, () => body(backend));
  }
}
