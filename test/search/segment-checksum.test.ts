import { closeSync, openSync, readFileSync, readdirSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Newsdesk, SAMPLES_DIR } from '../../src/newsdesk.js';
import { INDEX_DIR, MANIFEST_FILE } from '../../src/search/passage-index.js';
import { recordingLogger, useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const SEGMENT_SIZE = 20;
const QUESTIONS = ['特斯拉上海储能超级工厂用了多久建成?', 'Megapack 的年产能是多少?', '脑机接口融资', '春运售票'];

const manifestOf = (dataDir: string) =>
  JSON.parse(readFileSync(join(dataDir, INDEX_DIR, MANIFEST_FILE), 'utf8')) as { segments: { file: string; count: number; crc32?: number }[] };

function answers(desk: Newsdesk) {
  return Promise.all(QUESTIONS.map(async (q) => {
    const outcome = await desk.ask(q);
    return outcome.kind === 'hits' ? outcome.passages.map((p) => [p.articleId, p.text, p.score]) : outcome.kind;
  }));
}

async function samplesIndex() {
  const dataDir = tempDir();
  const desk = await Newsdesk.open({ dataDir, log: recordingLogger(), segmentSize: SEGMENT_SIZE });
  await desk.ingest([SAMPLES_DIR]);
  const before = await answers(desk);
  await desk.close();
  return { dataDir, before };
}

describe('a damaged index segment', { timeout: 120_000 }, () => {
  it('is caught by its checksum, rebuilt from the database with a log line naming it, and answers as before', async () => {
    const { dataDir, before } = await samplesIndex();
    const manifest = manifestOf(dataDir);
    expect(manifest.segments.length).toBeGreaterThan(2);
    for (const s of manifest.segments) expect(s.crc32).toEqual(expect.any(Number));
    // A full (frozen) segment, damaged in its middle: 64 bytes that still decode would otherwise load silently.
    const damaged = manifest.segments[1]!;
    const path = join(dataDir, INDEX_DIR, damaged.file);
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(64, 0x41), 0, 64, Math.floor(statSync(path).size / 2));
    closeSync(fd);

    const log = recordingLogger();
    const desk = await Newsdesk.open({ dataDir, log, segmentSize: SEGMENT_SIZE });
    try {
      const warnings = log.lines.filter((l) => l.level === 'warn');
      expect(warnings.map((l) => l.msg)).toEqual([`index segment ${damaged.file} failed its checksum: rebuilt it from the database (${damaged.count} passages)`]);
      expect(await answers(desk)).toEqual(before);
    } finally {
      await desk.close();
    }
    // The repaired segment was saved again: the next start loads cleanly.
    const after = manifestOf(dataDir);
    expect(after.segments.map((s) => s.file)).not.toContain(damaged.file);
    const log2 = recordingLogger();
    const again = await Newsdesk.open({ dataDir, log: log2, segmentSize: SEGMENT_SIZE });
    expect(again.index.loadOutcome).toBe('loaded');
    expect(log2.lines.filter((l) => l.level === 'warn')).toEqual([]);
    await again.close();
  });
});

describe('an interrupted index save', { timeout: 120_000 }, () => {
  it('leaves no temp or orphan segment files after the next start, but spares a live process\'s save in progress', async () => {
    const { dataDir } = await samplesIndex();
    const dir = join(dataDir, INDEX_DIR);
    const gone = 4_194_999; // above Linux's largest pid: no such process
    const live = process.ppid;
    const leftovers = [`manifest.json.${gone}.tmp`, `seg-0009-p${gone}-abc.bin.${gone}.tmp`, `seg-0009-p${gone}-abc.bin`];
    const inProgress = [`seg-0009-p${live}-def.bin.${live}.tmp`, `seg-0009-p${live}-def.bin`];
    for (const f of [...leftovers, ...inProgress]) writeFileSync(join(dir, f), 'partial');
    const log = recordingLogger();
    const desk = await Newsdesk.open({ dataDir, log, segmentSize: SEGMENT_SIZE });
    await desk.close();
    const files = readdirSync(dir);
    for (const f of leftovers) expect(files).not.toContain(f);
    for (const f of inProgress) expect(files).toContain(f);
    expect(log.lines.some((l) => l.msg === 'removed 3 file(s) left by an interrupted index save')).toBe(true);
  });
});
