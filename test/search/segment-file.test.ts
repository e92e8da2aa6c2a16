import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { Newsdesk } from '../../src/newsdesk.js';
import { INDEX_DIR } from '../../src/search/passage-index.js';
import { queryTerms } from '../../src/text/tokenize.js';
import { writeJsonl } from '../helpers/articles.js';
import { recordingLogger, useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const articles = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => ({ title: `稿件${from + i}`, text: `编号QZ${from + i}的项目今天开工建设,工期约${(from + i) % 7}个月。`, source: '测试社', publishedAt: '2025-03-01' }));
const questions = ['编号QZ7的项目', '工期约3个月', 'QZ19', 'QZ33', '开工建设'];

/** A saved index of 50 passages in segments of 20: two full (frozen) segments and the newest. */
async function savedIndex(): Promise<string> {
  const dir = tempDir();
  const desk = await Newsdesk.open({ dataDir: dir, log: recordingLogger(), segmentSize: 20 });
  await desk.ingest([writeJsonl(tempDir(), articles(0, 50))]);
  await desk.close();
  return dir;
}

const fullSegmentFiles = (dir: string): string[] => {
  const manifest = JSON.parse(readFileSync(join(dir, INDEX_DIR, 'manifest.json'), 'utf8')) as { segments: { file: string }[] };
  return manifest.segments.slice(0, -1).map((s) => join(dir, INDEX_DIR, s.file));
};

/** Byte range of a framed frozen segment's `docs` array in its file (see segment-frames.ts for the layout). */
function docsRange(file: string): { start: number; length: number } {
  const bytes = readFileSync(file);
  let at = 8;
  let docsNext = false;
  while (at < bytes.byteLength) {
    const length = bytes.readUInt32LE(at);
    const type = bytes.readUInt8(at + 4);
    const start = at + 8;
    if (type === 1 && docsNext) return { start, length };
    docsNext = type === 0 && (deserialize(bytes.subarray(start, start + length)) as { array?: string }).array === 'docs';
    at = start + length + ((8 - (length % 8)) % 8);
  }
  throw new Error(`no docs array in ${file}`);
}

describe('a full index segment loaded from its file', () => {
  it('answers every question exactly as the index that built it, its postings read from the file', async () => {
    const dir = tempDir();
    const built = await Newsdesk.open({ dataDir: dir, log: recordingLogger(), segmentSize: 20 });
    await built.ingest([writeJsonl(tempDir(), articles(0, 50))]);
    const loaded = await Newsdesk.open({ dataDir: dir, log: recordingLogger(), segmentSize: 20 });
    expect(loaded.index.loadOutcome).toBe('loaded');
    for (const q of questions) {
      const hits = loaded.index.search(queryTerms(q).terms);
      expect(hits.length).toBeGreaterThan(0);
      expect(hits).toEqual(built.index.search(queryTerms(q).terms));
    }
    await loaded.close();
    await built.close();
  });

  it('keeps answering after another save removes the files it was loaded from', async () => {
    const dir = await savedIndex();
    const desk = await Newsdesk.open({ dataDir: dir, log: recordingLogger(), segmentSize: 20 });
    const before = questions.map((q) => desk.index.search(queryTerms(q).terms));
    for (const file of fullSegmentFiles(dir)) rmSync(file);
    expect(questions.map((q) => desk.index.search(queryTerms(q).terms))).toEqual(before);
    await desk.close();
  });

  it('refuses a question, saying to restart, when its file was overwritten after it was loaded: never a wrong answer', async () => {
    const dir = await savedIndex();
    const desk = await Newsdesk.open({ dataDir: dir, log: recordingLogger(), segmentSize: 20 });
    for (const file of fullSegmentFiles(dir)) {
      const { start, length } = docsRange(file);
      const fd = openSync(file, 'r+');
      writeSync(fd, Buffer.alloc(length, 0xff), 0, length, start);
      closeSync(fd);
    }
    await expect(desk.ask('编号QZ7的项目')).rejects.toThrow(/changed on disk since it was loaded: restart newsdesk/);
    await desk.close();
  });

  it('is checked whole at load: a damaged posting is caught by the checksum and the segment rebuilt', async () => {
    const dir = await savedIndex();
    const [file] = fullSegmentFiles(dir);
    const { start } = docsRange(file!);
    const fd = openSync(file!, 'r+');
    writeSync(fd, Buffer.alloc(4, 0xff), 0, 4, start);
    closeSync(fd);
    const log = recordingLogger();
    const desk = await Newsdesk.open({ dataDir: dir, log, segmentSize: 20 });
    expect(log.lines.some((l) => /failed its checksum: rebuilt it/.test(String(l.msg)))).toBe(true);
    const outcome = await desk.ask('编号QZ7的项目');
    expect(outcome.kind === 'hits' ? outcome.passages[0]?.title : outcome.kind).toBe('稿件7');
    await desk.close();
  });

  it('is where a segment the running bot filled reads its postings from once saved, answering as before', async () => {
    const dir = tempDir();
    const bot = await Newsdesk.open({ dataDir: dir, log: recordingLogger(), segmentSize: 20, saveInBackground: true });
    await bot.ingest([writeJsonl(tempDir(), articles(0, 50))]);
    const before = questions.map((q) => bot.index.search(queryTerms(q).terms));
    await bot.indexSaved();
    expect(questions.map((q) => bot.index.search(queryTerms(q).terms))).toEqual(before);
    // Overwritten in place after the save: the bot now reads the postings from the files, and says so.
    for (const file of fullSegmentFiles(dir)) {
      const { start, length } = docsRange(file);
      const fd = openSync(file, 'r+');
      writeSync(fd, Buffer.alloc(length, 0xff), 0, length, start);
      closeSync(fd);
    }
    await expect(bot.ask('编号QZ7的项目')).rejects.toThrow(/changed on disk since it was loaded/);
    await bot.close();
  });
});
