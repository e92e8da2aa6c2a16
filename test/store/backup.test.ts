import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Newsdesk, SAMPLES_DIR } from '../../src/newsdesk.js';
import { backupDatabase } from '../../src/store/backup.js';
import { sqliteStoreOf } from '../../src/store/sqlite-news-store.js';
import { DATABASE_FILE, Store } from '../../src/store/store.js';
import { NewsIntake } from '../../src/feeds/background.js';
import { LONG_TEXT, rss, startFeedServer, xml } from '../feeds/feed-server.js';
import { writeJsonl, type TestArticle } from '../helpers/articles.js';
import { runCli } from '../helpers/run-cli.js';
import { recordingLogger, useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

/** The real command line, as `npx newsdesk …` runs it. */
const newsdesk = runCli;

const count = (path: string, sql: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).pluck().get() as number;
  } finally {
    db.close();
  }
};

const PER_FILE = 40;
/** Files of numbered articles, each file one ingest transaction. */
function newsFiles(dir: string, files: number): string {
  const news = join(dir, 'news');
  mkdirSync(news);
  for (let f = 0; f < files; f++) {
    const articles: TestArticle[] = Array.from({ length: PER_FILE }, (_, n) => ({
      title: `第${f}批第${n}条`,
      text: `编号F${f}N${n}的新闻:港口今天公布了第${f}批第${n}项建设进展,工程按计划推进。\n负责人表示,第${n}段工程将于年内完工,总投资约${f + n}亿元。`,
      source: '测试日报',
      publishedAt: '2025-03-01',
    }));
    writeJsonl(news, articles, `batch-${String(f).padStart(3, '0')}.jsonl`);
  }
  return news;
}

describe('newsdesk backup', () => {
  it('writes a consistent copy while another process is ingesting: whole files only, every article with all its passages, no temp files', async () => {
    const dataDir = tempDir();
    // Creates the database; with no articles yet, "nothing found" is exit status 1.
    expect((await newsdesk(['sources'], { dataDir })).status).toBe(1);
    const news = newsFiles(tempDir(), 30);
    const ingest = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'ingest', news], { env: { ...process.env, NEWSDESK_DATA_DIR: dataDir, LOG_LEVEL: '' }, stdio: 'ignore' });
    const ingested = new Promise<number | null>((resolve) => ingest.once('exit', resolve));
    const db = join(dataDir, DATABASE_FILE);
    // Back up once the ingest has committed something, and again and again while it goes on.
    while (count(db, 'SELECT count(*) FROM articles') === 0) await delay(20);
    const backupDir = tempDir();
    // A backup to the same name that was killed mid-copy earlier left its temp file behind.
    writeFileSync(join(backupDir, 'newsdesk-backup-0.db.4194999.tmp'), 'half a copy');
    let exited = false;
    void ingested.then(() => (exited = true));
    const backups: string[] = [];
    const store = Store.open(dataDir);
    try {
      do {
        const file = join(backupDir, `newsdesk-backup-${backups.length}.db`);
        await backupDatabase(store, file);
        backups.push(file);
      } while (!exited && count(db, 'SELECT count(*) FROM articles') < 30 * PER_FILE);
    } finally {
      store.close();
    }
    expect(await ingested).toBe(0);

    expect(readdirSync(backupDir).sort()).toEqual(backups.map((f) => f.slice(backupDir.length + 1)).sort());
    const finalArticles = count(db, 'SELECT count(*) FROM articles');
    expect(finalArticles).toBe(30 * PER_FILE);
    const held = backups.map((file) => {
      const saved = count(file, 'SELECT count(*) FROM articles');
      const lastArticle = count(file, 'SELECT max(id) FROM articles');
      // Whole files only (each is one transaction) ...
      expect(saved % PER_FILE).toBe(0);
      expect(saved).toBeGreaterThan(0);
      // ... and every passage the finished database has for the articles in the copy, no more, no less.
      expect(count(file, 'SELECT count(*) FROM passages')).toBe(count(db, `SELECT count(*) FROM passages WHERE article_id <= ${lastArticle}`));
      return saved;
    });
    // Taken in order, they never go back in time.
    expect([...held].sort((a, b) => a - b)).toEqual(held);
  }, 120_000);

  it('refuses to overwrite the database with itself', async () => {
    const store = Store.open(tempDir());
    try {
      await expect(backupDatabase(store, store.path)).rejects.toThrow(/is the database itself: name a file elsewhere/);
      expect(count(store.path, "SELECT count(*) FROM sqlite_master WHERE name = 'articles'")).toBe(1);
    } finally {
      store.close();
    }
  });
});

/** Opens the data dir as a later process would, runs `use`, closes it. */
async function withDesk<T>(dataDir: string, use: (desk: Newsdesk) => T | Promise<T>): Promise<T> {
  const desk = await Newsdesk.open({ dataDir, log: recordingLogger() });
  try {
    return await use(desk);
  } finally {
    await desk.close();
  }
}

const sourcesOfAnswer = async (desk: Newsdesk, question: string) => {
  const outcome = await desk.ask(question);
  return outcome.kind === 'hits' ? outcome.passages.map((p) => p.source) : [];
};

describe('newsdesk restore', () => {
  it('puts a backup back, keeps the database it replaced, and answers from the restored news at once', async () => {
    const dataDir = tempDir();
    await withDesk(dataDir, (desk) => desk.ingest([SAMPLES_DIR]));
    const backupFile = join(tempDir(), 'before.db');
    const backup = await newsdesk(['backup', backupFile], { dataDir });
    expect(backup.status).toBe(0);
    expect(backup.stdout).toMatch(/^Backed up \d+ articles \(\d+\.\d MB\) to .*before\.db in \d+\.\d s\.\n$/);
    const later = writeJsonl(tempDir(), [{ title: '琼州海峡跨海隧道全线贯通', text: '琼州海峡跨海隧道今天全线贯通,全长约28公里。', source: '海峡日报', publishedAt: '2025-02-15' }]);
    await withDesk(dataDir, async (desk) => {
      await desk.ingest([later]);
      expect(await sourcesOfAnswer(desk, '琼州海峡隧道全长多少公里')).toContain('海峡日报');
    });

    const restored = await newsdesk(['restore', backupFile], { dataDir });
    expect(restored.status).toBe(0);
    expect(restored.stdout).toMatch(/^Restored \d+ articles from .*before\.db; the index was rebuilt \(\d+ passages\)\./);
    expect(restored.stdout).toMatch(/kept as .*newsdesk\.db\.replaced-/);

    // The article ingested after the backup is gone from answers; the samples answer as before.
    await withDesk(dataDir, async (desk) => {
      expect(await sourcesOfAnswer(desk, '琼州海峡隧道全长多少公里')).not.toContain('海峡日报');
      expect(await desk.ask('特斯拉上海储能超级工厂用了多久建成?')).toMatchObject({ kind: 'hits', passages: expect.arrayContaining([expect.objectContaining({ text: expect.stringMatching(/7个月即竣工/) })]) });
    });
    expect(readdirSync(dataDir).some((f) => /^newsdesk\.db\.replaced-/.test(f))).toBe(true);
  }, 180_000);

  it('refuses a damaged backup and changes nothing', async () => {
    const dataDir = tempDir();
    const backupFile = join(tempDir(), 'damaged.db');
    const desk = await Newsdesk.open({ dataDir, log: recordingLogger() });
    try {
      await desk.ingest([SAMPLES_DIR]);
      await backupDatabase(sqliteStoreOf(desk.store)!, backupFile);
    } finally {
      await desk.close();
    }
    const fd = openSync(backupFile, 'r+');
    writeSync(fd, Buffer.alloc(64, 0x55), 0, 64, 4096 * 2);
    closeSync(fd);
    const before = readdirSync(dataDir).sort();

    const result = await newsdesk(['restore', backupFile], { dataDir });
    expect(result.status).toBe(3); // the exit-code table's "data directory unusable"
    expect(result.stderr).toMatch(/is not a usable newsdesk database: damaged/);
    expect(readdirSync(dataDir).sort()).toEqual(before);
    await withDesk(dataDir, async (desk) => expect((await desk.ask('特斯拉上海储能超级工厂用了多久建成?')).kind).toBe('hits'));
  }, 180_000);
});

describe('committed news and the write-ahead log', { timeout: 120_000 }, () => {
  it('keeps a finished ingest even if the -wal file is lost right after it', async () => {
    const dataDir = tempDir();
    const desk = await Newsdesk.open({ dataDir, log: recordingLogger() });
    try {
      const summary = await desk.ingest([SAMPLES_DIR]);
      expect(summary.articles).toBeGreaterThan(0);
      // As if the process died now and only newsdesk.db survived (the -wal lost or damaged).
      const survivor = join(tempDir(), DATABASE_FILE);
      copyFileSync(join(dataDir, DATABASE_FILE), survivor);
      expect(existsSync(`${survivor}-wal`)).toBe(false);
      expect(count(survivor, 'SELECT count(*) FROM articles')).toBe(summary.articles);
    } finally {
      await desk.close();
    }
  });

  it('keeps the articles of a feed batch even if the -wal file is lost right after the poll', async () => {
    const server = await startFeedServer({
      '/feed.xml': xml(rss([{ title: '港口新航线开通', guid: 'a1', link: 'http://example.com/a1', description: LONG_TEXT('港口新航线'), pubDate: 'Sat, 15 Feb 2025 08:00:00 +0800' }])),
    });
    const dataDir = tempDir();
    const now = () => new Date('2025-02-15T08:00:00Z');
    const log = recordingLogger();
    const desk = await Newsdesk.open({ dataDir, log, now });
    const intake = new NewsIntake({ desk, fetch: globalThis.fetch, policy: { allowPrivate: true }, now, log });
    try {
      await desk.store.feeds.add({ url: server.url('/feed.xml'), everyMinutes: 15 }, now());
      await intake.tick();
      expect(await desk.store.articleCount()).toBe(1);
      const survivor = join(tempDir(), DATABASE_FILE);
      copyFileSync(join(dataDir, DATABASE_FILE), survivor);
      expect(count(survivor, 'SELECT count(*) FROM articles')).toBe(1);
    } finally {
      await intake.stop();
      await desk.close();
      await server.close();
    }
  });
});
