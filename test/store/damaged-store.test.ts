import Database from 'better-sqlite3';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isNewsdeskError } from '../../src/errors.js';
import { Newsdesk, SAMPLES_DIR } from '../../src/newsdesk.js';
import { DATABASE_FILE } from '../../src/store/store.js';
import { NewsIntake } from '../../src/feeds/background.js';
import { writeJsonl } from '../helpers/articles.js';
import { runCli } from '../helpers/run-cli.js';
import { recordingLogger, useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

async function dataDirWithSamples(): Promise<string> {
  const dir = tempDir();
  const desk = await Newsdesk.open({ dataDir: dir, log: recordingLogger() });
  try {
    await desk.ingest([SAMPLES_DIR]);
  } finally {
    await desk.close();
  }
  return dir;
}

/** Overwrites 64 bytes at the start of the page where a table's b-tree begins: well past the 100-byte header. */
function damageTable(dataDir: string, table: string): number {
  const path = join(dataDir, DATABASE_FILE);
  const db = new Database(path, { readonly: true });
  const page = db.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').pluck().get(table) as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const offset = (page - 1) * pageSize;
  expect(offset).toBeGreaterThan(100);
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(64, 0x55), 0, 64, offset);
  closeSync(fd);
  return offset;
}

async function openError(options: { dataDir: string; checkStore?: boolean }) {
  const log = recordingLogger();
  try {
    await (await Newsdesk.open({ ...options, log })).close();
  } catch (error) {
    return { error, log };
  }
  return { error: undefined, log };
}

describe('a damaged database', { timeout: 120_000 }, () => {
  it('is named as damaged, with its path and what to do, when damage past the header hits the passages', async () => {
    const dataDir = await dataDirWithSamples();
    damageTable(dataDir, 'passages');
    const { error, log } = await openError({ dataDir });
    expect(isNewsdeskError(error, 'STORE_DAMAGED')).toBe(true);
    expect((error as Error).message).toContain(join(dataDir, DATABASE_FILE));
    expect((error as Error).message).toMatch(/is damaged .*Restore it from a backup .*or move it aside/);
    // The index is not blamed or rebuilt for the database's damage.
    expect(log.lines.map((l) => l.msg)).not.toContainEqual(expect.stringMatching(/index/));
  });

  it('is found at the bot\'s start even where loading the index does not read (the paragraphs)', async () => {
    const dataDir = await dataDirWithSamples();
    damageTable(dataDir, 'paragraphs');
    const { error } = await openError({ dataDir, checkStore: true });
    expect(isNewsdeskError(error, 'STORE_DAMAGED')).toBe(true);
    expect((error as Error).message).toContain(join(dataDir, DATABASE_FILE));
  });

  it('is named as damaged when its header is overwritten', async () => {
    const dataDir = await dataDirWithSamples();
    const fd = openSync(join(dataDir, DATABASE_FILE), 'r+');
    writeSync(fd, Buffer.alloc(64, 0x55), 0, 64, 0);
    closeSync(fd);
    const { error } = await openError({ dataDir });
    expect(isNewsdeskError(error, 'STORE_DAMAGED')).toBe(true);
  });

  it('makes the command line say so and exit 1, never "Unexpected error … please report it"', async () => {
    const dataDir = await dataDirWithSamples();
    damageTable(dataDir, 'passages');
    const result = await runCli(['ask', '特斯拉'], { dataDir });
    expect(result.status).toBe(3); // the exit-code table's "data directory unusable"
    expect(result.stderr).toContain(`The database ${join(dataDir, DATABASE_FILE)} is damaged`);
    expect(result.stderr).not.toMatch(/Unexpected error|report it|saved index is corrupt/);
  });

  it('found while the bot runs, ends the news intake with the same message instead of failing every 30 s', async () => {
    const dataDir = await dataDirWithSamples();
    const now = () => new Date('2025-02-20T08:00:00Z');
    const log = recordingLogger();
    const desk = await Newsdesk.open({ dataDir, log, now });
    const fatal: string[] = [];
    const intake = new NewsIntake({ desk, fetch: globalThis.fetch, policy: { allowPrivate: true }, now, log, onFatal: (m) => fatal.push(m) });
    try {
      damageTable(dataDir, 'feeds');
      // Another process writes meanwhile, so the bot's connection reads the file afresh.
      const other = await Newsdesk.open({ dataDir, log: recordingLogger(), now });
      await other.ingest([writeJsonl(tempDir(), [{ title: '港口新航线开通', text: '港口今天开通了一条新航线,每周两班。', source: '测试日报', publishedAt: '2025-02-20' }])]);
      await other.close();
      await intake.tick();
      expect(fatal).toEqual([expect.stringContaining(`The database ${join(dataDir, DATABASE_FILE)} is damaged`)]);
      expect(log.lines.map((l) => l.msg)).not.toContain('news intake failed');
    } finally {
      await intake.stop();
      await desk.close();
    }
  });
});
