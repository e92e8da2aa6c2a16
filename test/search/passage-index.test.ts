import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Newsdesk } from '../../src/newsdesk.js';
import { IndexTextWorkerError } from '../../src/search/index-text-worker.js';
import { INDEX_DIR, MANIFEST_FILE, PassageIndex } from '../../src/search/passage-index.js';
import { queryTerms } from '../../src/text/tokenize.js';
import { SMALL_NEWS, writeJsonl } from '../helpers/articles.js';
import { recordingLogger, useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

async function deskWithNews() {
  const dir = tempDir();
  const log = recordingLogger();
  const desk = await Newsdesk.open({ dataDir: dir, log });
  await desk.ingest([writeJsonl(dir, SMALL_NEWS)]);
  return { dir, desk, log };
}

const firstTitle = async (desk: Newsdesk, q: string) => {
  const outcome = await desk.ask(q);
  return outcome.kind === 'hits' ? outcome.passages[0]?.title : outcome.kind;
};

describe('the saved index', () => {
  it('is saved after ingest and loaded at the next start without a rebuild', async () => {
    const { dir, desk } = await deskWithNews();
    await desk.close();
    expect(existsSync(join(dir, INDEX_DIR, MANIFEST_FILE))).toBe(true);
    const again = await Newsdesk.open({ dataDir: dir, log: recordingLogger() });
    expect(again.index.loadOutcome).toBe('loaded');
    expect(await firstTitle(again, '12306售票')).toBe('12306春运售票');
    await again.close();
  });

  it('is rebuilt from the database, with a log line saying so, when a segment file is corrupt', async () => {
    const { dir, desk } = await deskWithNews();
    await desk.close();
    const segment = readdirSync(join(dir, INDEX_DIR)).find((f) => f.startsWith('seg-'))!;
    const path = join(dir, INDEX_DIR, segment);
    writeFileSync(path, readFileSync(path, 'utf8').slice(0, 200));
    const log = recordingLogger();
    const again = await Newsdesk.open({ dataDir: dir, log });
    // The manifest's checksum catches it: that segment is rebuilt from the database, named in the log.
    expect(log.lines.some((l) => l.level === 'warn' && l.msg?.includes(segment) && /rebuilt it from the database/.test(l.msg))).toBe(true);
    expect(await firstTitle(again, 'Megapack年产能')).toBe('特斯拉上海储能超级工厂投产');
    await again.close();
    // and the rebuilt index was saved whole again
    expect((await Newsdesk.open({ dataDir: dir, log: recordingLogger() })).index.loadOutcome).toBe('loaded');
  });

  it('is rebuilt when it was saved by another index version', async () => {
    const { dir, desk } = await deskWithNews();
    await desk.close();
    const path = join(dir, INDEX_DIR, MANIFEST_FILE);
    writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), version: 999 }));
    const log = recordingLogger();
    const again = await Newsdesk.open({ dataDir: dir, log });
    expect(again.index.loadOutcome).toBe('rebuilt');
    expect(log.lines.some((l) => /another version/.test(l.msg ?? ''))).toBe(true);
    expect(await firstTitle(again, '脑机接口融资')).toBe('上海企业获脑机接口最大一笔融资');
    await again.close();
  });

  it('is built from the database when the file is missing', async () => {
    const { dir, desk } = await deskWithNews();
    await desk.close();
    rmSync(join(dir, INDEX_DIR), { recursive: true });
    const again = await Newsdesk.open({ dataDir: dir, log: recordingLogger() });
    expect(again.index.loadOutcome).toBe('built');
    expect(again.index.documentCount).toBeGreaterThan(0);
    await again.close();
  });

  it('catches up with articles stored after it was saved (a crash between commit and save loses nothing)', async () => {
    const { dir, desk } = await deskWithNews();
    cpSync(join(dir, INDEX_DIR), join(dir, 'index-before'), { recursive: true });
    await desk.ingest([writeJsonl(dir, [{ title: '双子星航运联盟', text: '马士基与赫伯罗特组建的双子星航运联盟在上海港正式运营。', source: '本报' }], 'more.jsonl')]);
    await desk.close();
    // put back the index as it was before the second ingest, as if the process died before saving
    rmSync(join(dir, INDEX_DIR), { recursive: true });
    cpSync(join(dir, 'index-before'), join(dir, INDEX_DIR), { recursive: true });
    const again = await Newsdesk.open({ dataDir: dir, log: recordingLogger() });
    expect(await firstTitle(again, '双子星航运联盟')).toBe('双子星航运联盟');
    await again.close();
  });
});

describe('ingest', () => {
  it('adds nothing when the same content is ingested again', async () => {
    const { dir, desk } = await deskWithNews();
    const passages = desk.index.documentCount;
    const summary = await desk.ingest([writeJsonl(dir, SMALL_NEWS, 'again.jsonl')]);
    expect(summary.articles).toBe(0);
    expect(summary.duplicates).toBe(SMALL_NEWS.length);
    expect(desk.index.documentCount).toBe(passages);
    expect(await desk.store.articleCount()).toBe(SMALL_NEWS.length);
    await desk.close();
  });

  it('keeps what is stored when a later file is broken, and says which file and why', async () => {
    const { dir, desk } = await deskWithNews();
    const broken = join(dir, 'broken.txt');
    writeFileSync(broken, Buffer.from([0, 1, 2, 3, 0, 0, 0xff, 0xfe, 0]));
    const empty = join(dir, 'empty.md');
    writeFileSync(empty, '');
    const summary = await desk.ingest([broken, empty]);
    expect(summary.skipped.map((s) => s.reason)).toEqual([expect.stringMatching(/broken\.txt looks like a binary file/), expect.stringMatching(/empty\.md is empty/)]);
    expect(await desk.store.articleCount()).toBe(SMALL_NEWS.length);
    expect(await firstTitle(desk, '12306')).toBe('12306春运售票');
    await desk.close();
  });

  it('refuses an oversized document without reading it', async () => {
    const { dir, desk } = await deskWithNews();
    const big = join(dir, 'big.txt');
    writeFileSync(big, Buffer.alloc(11 * 1024 * 1024, 'a'));
    const summary = await desk.ingest([big]);
    expect(summary.skipped[0]?.reason).toMatch(/big\.txt is 11\.0 MB, over the 10 MB limit/);
    await desk.close();
  });
});

describe('two processes on one data directory', () => {
  it('lets the running bot pick up what `npm run ingest` stored meanwhile, without a restart or doubles', async () => {
    const { dir, desk: bot } = await deskWithNews();
    const ingester = await Newsdesk.open({ dataDir: dir, log: recordingLogger() });
    await ingester.ingest([writeJsonl(dir, [{ title: '双子星航运联盟', text: '马士基与赫伯罗特组建的双子星航运联盟在上海港正式运营。', source: '本报' }], 'more.jsonl')]);
    await ingester.close();
    expect(await firstTitle(bot, '双子星航运联盟')).toBe('no-match');
    expect(await bot.syncFromStore()).toBeGreaterThan(0);
    expect(await firstTitle(bot, '双子星航运联盟')).toBe('双子星航运联盟');
    expect(await bot.syncFromStore()).toBe(0);
    const count = bot.index.documentCount;
    await bot.close();
    const restarted = await Newsdesk.open({ dataDir: dir, log: recordingLogger() });
    expect(restarted.index.documentCount).toBe(count);
    await restarted.close();
  });
});

describe('a segmented index', () => {
  it('spreads passages over segment files, searches them all, and loads them back', async () => {
    const dir = tempDir();
    const desk = await Newsdesk.open({ dataDir: dir, log: recordingLogger(), segmentSize: 2 });
    await desk.ingest([writeJsonl(dir, SMALL_NEWS)]);
    expect(desk.index.segmentCount).toBeGreaterThan(1);
    const titles = await Promise.all(['12306售票', 'Megapack年产能', '脑机接口融资'].map((q) => firstTitle(desk, q)));
    await desk.close();
    expect(readdirSync(join(dir, INDEX_DIR)).filter((f) => f.startsWith('seg-')).length).toBeGreaterThan(1);
    const again = await Newsdesk.open({ dataDir: dir, log: recordingLogger(), segmentSize: 2 });
    expect(again.index.loadOutcome).toBe('loaded');
    expect(await Promise.all(['12306售票', 'Megapack年产能', '脑机接口融资'].map((q) => firstTitle(again, q)))).toEqual(titles);
    await again.close();
  });

  it('keeps the previous index whole when a save is cut off before its manifest is written', async () => {
    const dir = tempDir();
    const desk = await Newsdesk.open({ dataDir: dir, log: recordingLogger(), segmentSize: 2 });
    await desk.ingest([writeJsonl(dir, SMALL_NEWS)]);
    await desk.close();
    // what a crash mid-save leaves: a half-written temp file and a new segment no manifest names
    writeFileSync(join(dir, INDEX_DIR, 'seg-0009-crash.json.123.tmp'), '{"half":');
    writeFileSync(join(dir, INDEX_DIR, 'seg-0009-crash.json'), '{"documentCount":');
    const again = await Newsdesk.open({ dataDir: dir, log: recordingLogger(), segmentSize: 2 });
    expect(again.index.loadOutcome).toBe('loaded');
    expect(await firstTitle(again, '12306售票')).toBe('12306春运售票');
    await again.close();
  });

  it('is left to the running bot when one owns it: ingest writes the database only', async () => {
    const { spawn } = await import('node:child_process');
    const dir = tempDir();
    const desk = await Newsdesk.open({ dataDir: dir, log: recordingLogger() });
    await desk.ingest([writeJsonl(dir, SMALL_NEWS)]);
    const manifest = readFileSync(join(dir, INDEX_DIR, MANIFEST_FILE), 'utf8');
    const bot = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(join(dir, INDEX_DIR, 'owner.pid'), String(bot.pid));
      const log = recordingLogger();
      const cli = await Newsdesk.open({ dataDir: dir, log });
      await cli.ingest([writeJsonl(dir, [{ title: '双子星航运联盟', text: '马士基与赫伯罗特组建的双子星航运联盟在上海港正式运营。', source: '本报' }], 'more.jsonl')]);
      await cli.close();
      expect(readFileSync(join(dir, INDEX_DIR, MANIFEST_FILE), 'utf8')).toBe(manifest);
      expect(log.lines.some((l) => /owns the index/.test(l.msg ?? ''))).toBe(true);
      expect(await desk.syncFromStore()).toBeGreaterThan(0);
      expect(await firstTitle(desk, '双子星航运联盟')).toBe('双子星航运联盟');
    } finally {
      bot.kill();
      await desk.close();
    }
  });
});

describe('documentFrequency', () => {
  it('counts the passages holding a term across segments (it reads MiniSearch internals, so a version change shows here)', async () => {
    const dir = tempDir();
    const desk = await Newsdesk.open({ dataDir: dir, log: recordingLogger(), segmentSize: 1 });
    await desk.ingest([writeJsonl(dir, SMALL_NEWS)]);
    expect(desk.index.documentFrequency('上海')).toBe(2);
    expect(desk.index.documentFrequency('12306')).toBe(1);
    expect(desk.index.documentFrequency('量子')).toBe(0);
    await desk.close();
  });
});

describe('a damaged database', () => {
  it('is reported with what to do, and the file is left as it was', async () => {
    const dir = tempDir();
    const garbage = 'this is not an SQLite database '.repeat(20);
    writeFileSync(join(dir, 'newsdesk.db'), garbage);
    await expect(Newsdesk.open({ dataDir: dir, log: recordingLogger() })).rejects.toThrow(/newsdesk\.db is damaged.*move it aside and ingest your news again/);
    expect(readFileSync(join(dir, 'newsdesk.db'), 'utf8')).toBe(garbage);
  });
});

describe('catching up with many stored passages at once', () => {
  const questions = ['特斯拉 储能', '12306 售票', '脑机接口 融资', '上海'].map((q) => queryTerms(q).terms);

  async function storeWithSamples() {
    const dir = tempDir();
    const desk = await Newsdesk.open({ dataDir: dir, log: recordingLogger() });
    await desk.ingest([writeJsonl(dir, SMALL_NEWS), 'data/samples/web-page-tesla.txt', 'data/samples/newspaper-page-shanghai.txt']);
    return desk;
  }

  it('tokenizes on a worker thread, batch after batch, and builds the same index as on one thread', async () => {
    const desk = await storeWithSamples();
    const serial = await PassageIndex.open(desk.store, tempDir(), recordingLogger(), { parallel: false, segmentSize: 7 });
    const log = recordingLogger();
    const parallel = await PassageIndex.open(desk.store, tempDir(), log, { parallel: true, batchSize: 4, segmentSize: 7 });
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([]);
    expect(parallel.documentCount).toBe(await desk.store.passageCount());
    expect(parallel.documentCount).toBeGreaterThan(4 * 3);
    for (const terms of questions) {
      const hits = parallel.search(terms);
      expect(hits.length).toBeGreaterThan(0);
      expect(hits).toEqual(serial.search(terms));
    }
    await desk.close();
  });

  it('reports its progress after every batch, up to the number there were to add', async () => {
    const desk = await storeWithSamples();
    const seen: [number, number][] = [];
    await PassageIndex.open(desk.store, tempDir(), recordingLogger(), { parallel: false, batchSize: 4, onProgress: (done, total) => seen.push([done, total]) });
    const total = await desk.store.passageCount();
    expect(seen.length).toBe(Math.ceil(total / 4));
    expect(seen.at(-1)).toEqual([total, total]);
    expect(seen.every(([done], i) => i === 0 || done > seen[i - 1]![0])).toBe(true);
    await desk.close();
  });

  it('finishes on its own thread, and says so, when the worker thread fails', async () => {
    const desk = await storeWithSamples();
    let closed = false;
    const failing = {
      submit: () => {},
      take: (): string[] => {
        throw new IndexTextWorkerError('the tokenizer thread did not answer within 60 s');
      },
      close: () => {
        closed = true;
      },
    };
    const log = recordingLogger();
    const index = await PassageIndex.open(desk.store, tempDir(), log, { parallel: true, batchSize: 4, startWorker: () => failing });
    expect(index.documentCount).toBe(await desk.store.passageCount());
    expect(index.search(queryTerms('特斯拉 储能').terms)[0]).toBeDefined();
    expect(log.lines.some((l) => l.level === 'warn' && /main thread instead/.test(l.msg ?? ''))).toBe(true);
    expect(closed).toBe(true);
    await desk.close();
  });
});

describe('catching up in slices (the running bot)', () => {
  it('answers exactly as a catch-up in one go, segments that fill up frozen along the way, and saves and loads the same', async () => {
    const articles = Array.from({ length: 120 }, (_, n) => ({ title: `稿件${n}`, text: `编号QZ${n}的项目今天开工建设,工期约${n % 7}个月。`, source: '测试社', publishedAt: '2025-03-01' }));
    const file = writeJsonl(tempDir(), articles);
    const inOneGo = await Newsdesk.open({ dataDir: tempDir(), log: recordingLogger(), segmentSize: 50 });
    await inOneGo.ingest([file]);
    const dir = tempDir();
    const sliced = await Newsdesk.open({ dataDir: dir, log: recordingLogger(), segmentSize: 50 });
    const elsewhere = await Newsdesk.open({ dataDir: dir, log: recordingLogger(), segmentSize: 50 });
    await elsewhere.store.insertArticles(
      articles.map((a, n) => ({ dedupeKey: `k${n}`, title: a.title, paragraphs: [a.text], source: a.source, publishedAt: a.publishedAt })),
      '2025-03-01T00:00:00Z',
    );
    await elsewhere.close();

    expect(await sliced.syncFromStoreInSlices({ maxPerSlice: 30 })).toBe(120);

    expect(sliced.index.segmentCount).toBe(3);
    for (const q of ['编号QZ77的项目', '工期约3个月', 'QZ119']) {
      expect(sliced.index.search(queryTerms(q).terms)).toEqual(inOneGo.index.search(queryTerms(q).terms));
    }
    sliced.index.save();
    await sliced.close();
    const reopened = await Newsdesk.open({ dataDir: dir, log: recordingLogger(), segmentSize: 50 });
    expect(reopened.index.loadOutcome).toBe('loaded');
    expect(await firstTitle(reopened, '编号QZ77的项目')).toBe('稿件77');
    await reopened.close();
    await inOneGo.close();
  });
});
