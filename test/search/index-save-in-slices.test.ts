import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Newsdesk } from '../../src/newsdesk.js';
import { INDEX_DIR, MANIFEST_FILE, OWNER_FILE } from '../../src/search/passage-index.js';
import { writeJsonl } from '../helpers/articles.js';
import { recordingLogger, useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const now = () => new Date('2025-03-02T08:00:00Z');

const project = (n: number) => ({
  title: `稿件${n}`,
  text: `编号QZ${n}的项目今天在${['上海', '深圳', '成都', '武汉'][n % 4]}开工建设,工期约${n % 30}个月,总投资${n * 7}亿元。`,
  source: '测试社',
  publishedAt: '2025-03-01',
});

/**
 * The running bot's desk (it saves in the background) over an index of several segments, the newest one holding
 * passages not saved yet, as after the intake picked up news another process stored.
 */
async function botWithUnsavedNews(segmentSize = 300) {
  const dataDir = tempDir();
  const desk = await Newsdesk.open({ dataDir, log: recordingLogger(), now, segmentSize, saveInBackground: true });
  await desk.ingest([writeJsonl(tempDir(), Array.from({ length: 700 }, (_, n) => project(n)))]);
  await desk.indexSaved();
  // Stored by another process (`npm run ingest` beside the bot writes the database only), then picked up.
  const stored = Array.from({ length: 250 }, (_, n) => project(700 + n)).map(({ title, text, source, publishedAt }) => ({ dedupeKey: `elsewhere:${title}`, title, paragraphs: [text], source, publishedAt }));
  await desk.store.insertArticles(stored, now().toISOString());
  expect(await desk.syncFromStoreInSlices()).toBe(250);
  return { dataDir, desk };
}

const topTitle = async (desk: Newsdesk, question: string) => {
  const outcome = await desk.ask(question);
  return outcome.kind === 'hits' ? outcome.passages.map((p) => [p.title, p.score]) : outcome.kind;
};

const indexFiles = (dataDir: string) => readdirSync(join(dataDir, INDEX_DIR)).sort();
const manifestOf = (dataDir: string) => JSON.parse(readFileSync(join(dataDir, INDEX_DIR, MANIFEST_FILE), 'utf8')) as { lastPassageId: number; segments: { file: string }[] };

describe('the bot saving its index', () => {
  it('keeps answering while it saves its index, and the saved index answers the same after a restart', async () => {
    const { dataDir, desk } = await botWithUnsavedNews();
    const question = '编号QZ930的项目在哪里开工';
    const before = await topTitle(desk, question);
    expect(before).not.toBe('no-match');

    // Every time the save lets the event loop run, a question comes in and is answered there and then.
    const answeredDuringSave: unknown[] = [];
    await desk.index.saveInSlices(now, {
      sliceMs: 0,
      yieldToLoop: async () => {
        answeredDuringSave.push(await topTitle(desk, question));
        await nextTurn();
      },
    });

    expect(answeredDuringSave.length).toBeGreaterThanOrEqual(5);
    for (const answer of answeredDuringSave) expect(answer).toEqual(before);
    await desk.close();
    const restarted = await Newsdesk.open({ dataDir, log: recordingLogger(), now, segmentSize: 300 });
    expect(restarted.index.loadOutcome).toBe('loaded');
    expect(restarted.index.documentCount).toBe(desk.index.documentCount);
    expect(await topTitle(restarted, question)).toEqual(before);
    await restarted.close();
  });

  it('saves what it holds consistently even when news arrives in the middle of the save', async () => {
    const { dataDir, desk } = await botWithUnsavedNews();
    let turns = 0;
    const save = desk.index.saveInSlices(now, {
      sliceMs: 0,
      yieldToLoop: async () => {
        // A feed adds an article to the segment being written.
        if (turns++ === 1) {
          const { title, text, source, publishedAt } = project(5000);
          await desk.storeArticles([{ dedupeKey: 'feed:5000', title, paragraphs: [text], source, publishedAt, url: 'https://news.example/5000' }]);
        }
        await nextTurn();
      },
    });
    await save;
    await desk.close();

    const restarted = await Newsdesk.open({ dataDir, log: recordingLogger(), now, segmentSize: 300 });
    expect(restarted.index.loadOutcome).toBe('loaded');
    expect(turns).toBeGreaterThan(2);
    const answer = await topTitle(restarted, '编号QZ5000的项目');
    expect(answer).not.toBe('no-match');
    expect((answer as unknown[][])[0]![0]).toBe('稿件5000');
    await restarted.close();
  });

  it('never runs two saves at once: saves asked for during one follow it, and leave only the files the manifest names', async () => {
    const { dataDir, desk } = await botWithUnsavedNews();
    const order: string[] = [];
    const first = desk.index.saveInSlices(now).then(() => order.push('first'));
    const second = desk.index.saveInSlices(now).then(() => order.push('second'));
    const third = desk.index.saveInSlices(now).then(() => order.push('third'));
    await Promise.all([first, second, third]);
    await desk.indexSaved();

    expect(order[0]).toBe('first');
    const manifest = manifestOf(dataDir);
    expect(indexFiles(dataDir)).toEqual([...manifest.segments.map((s) => s.file), MANIFEST_FILE].sort());
    expect(indexFiles(dataDir).some((f) => f === OWNER_FILE || f.endsWith('.tmp'))).toBe(false);
    await desk.close();
    const restarted = await Newsdesk.open({ dataDir, log: recordingLogger(), now, segmentSize: 300 });
    expect(restarted.index.loadOutcome).toBe('loaded');
    expect(restarted.index.documentCount).toBe(950);
    await restarted.close();
  });
});
