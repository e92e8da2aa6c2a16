import pg from 'pg';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/store/store.js';
import { describePostgres } from '../helpers/news-stores.js';
import { runCli } from '../helpers/run-cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
/** A database with news, feeds, subscriptions and deliveries (test/fixtures/store/README.md). */
const FIXTURE = fileURLToPath(new URL('../fixtures/store/schema-9.db', import.meta.url));

describePostgres('newsdesk migrate-store --to <url>', (url) => {
  const target = new URL(url);
  target.pathname = `${url.pathname}_copy`;
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${target.pathname.slice(1)} WITH (FORCE)`);
    await admin.end();
  });

  it('copies the news into PostgreSQL and prints each table’s count on both sides; a second run is refused', async () => {
    const dataDir = join(tempDir(), 'data');
    mkdirSync(dataDir);
    copyFileSync(FIXTURE, join(dataDir, DATABASE_FILE));
    const admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${target.pathname.slice(1)}`);
    await admin.end();

    const run = await runCli(['migrate-store', '--to', target.toString()], { dataDir });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const passages = run.stdout.split('\n').find((l) => l.startsWith('passages'))!.trim().split(/\s+/);
    expect(Number(passages[1])).toBeGreaterThan(0);
    expect(passages[2]).toBe(passages[1]);
    expect(run.stdout).toMatch(/^articles\s+(\d+)\s+\1$/m);
    expect(run.stdout).toMatch(/every count matches/);

    const again = await runCli(['migrate-store', '--to', target.toString()], { dataDir });
    expect(again.status).toBe(3);
    expect(again.stderr).toMatch(/is not empty \(articles: \d+.*Create a new one/);
  });
});
