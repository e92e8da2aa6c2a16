import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const POSTGRES = { NEWSDESK_DATABASE_URL: 'postgres://newsdesk:s3cret-pass@127.0.0.1:1/newsdesk' };

describe('backup and restore with PostgreSQL as the store', () => {
  it('backup says to use pg_dump instead, exits 2, writes nothing and never prints the password', async () => {
    const dataDir = tempDir();
    const file = join(tempDir(), 'newsdesk.db');
    const run = await runCli(['backup', file], { dataDir, env: POSTGRES });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/NEWSDESK_DATABASE_URL points to PostgreSQL: back that up with pg_dump/);
    expect(run.stderr + run.stdout).not.toContain('s3cret-pass');
    expect(existsSync(file)).toBe(false);
  }, 60_000);

  it('restore says to use pg_restore instead, exits 2 and leaves the data directory as it was', async () => {
    const dataDir = tempDir();
    const run = await runCli(['restore', join(tempDir(), 'newsdesk.db')], { dataDir, env: POSTGRES });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/restore that with pg_restore/);
    expect(run.stderr + run.stdout).not.toContain('s3cret-pass');
    expect(readdirSync(dataDir)).toEqual([]);
  }, 60_000);
});
