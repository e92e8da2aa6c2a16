import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles, listInputFiles } from '../../src/ingest/ingest-files.js';
import { openStore } from '../../src/store/open-store.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const NEWS = '上海港双子星航运联盟今天正式运营,首批航线覆盖欧洲和美洲。';

describe('walking directories', () => {
  it('walks a symbolic link loop once and lists each file once, also one linked twice', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.txt'), NEWS);
    symlinkSync('.', join(dir, 'loop'));
    mkdirSync(join(dir, 'sub'));
    symlinkSync(join(dir, 'a.txt'), join(dir, 'sub', 'again.txt'));
    const { files, skipped } = listInputFiles([dir]);
    expect(files).toEqual([join(dir, 'a.txt')]);
    expect(skipped).toEqual([]);
  });

  it('names hidden files and files of other types with the reason, apart from the files it reads', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.txt'), NEWS);
    writeFileSync(join(dir, '.hidden.txt'), NEWS);
    writeFileSync(join(dir, 'scan.PDF'), '%PDF');
    writeFileSync(join(dir, 'photo.jpg'), 'x');
    const { files, skipped } = listInputFiles([dir]);
    expect(files).toEqual([join(dir, 'a.txt')]);
    expect(skipped.map((s) => [s.file.slice(dir.length + 1), s.kind])).toEqual([
      ['.hidden.txt', 'hidden'],
      ['photo.jpg', 'unsupported'],
      ['scan.PDF', 'unsupported'],
    ]);
    expect(skipped[2]!.reason).toMatch(/^PDF is not read: save the article as text or HTML first \(newsdesk reads \.txt/);
  });
});

describe('dates that are no day', () => {
  it('dates a record dated 30 February by the time of ingest and reports it, never storing it as 2 March', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.jsonl'), '{"text":"甲地今天发布新闻。","publishedAt":"2025-02-30"}\n{"text":"乙地今天发布新闻。","publishedAt":"2025-02-28T08:00:00+08:00"}\n');
    const store = await openStore({ dataDir: join(dir, 'data') });
    const summary = await ingestFiles(store, [join(dir, 'a.jsonl')], { now: () => new Date('2025-03-05T00:00:00Z'), zone: 'Asia/Shanghai' });
    expect(summary.articles).toBe(2);
    expect(summary.dateProblems).toHaveLength(1);
    expect(summary.dateProblems[0]!.reason).toMatch(/2025-02-30/);
    expect((await store.latest(5)).map((a) => a.publishedDay).sort()).toEqual(['2025-02-28', '2025-03-05']);
    await store.close();
  });

  it('skips a file whose sidecar gives a date that is no day, saying which, and stores nothing of it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.txt'), NEWS);
    writeFileSync(join(dir, 'a.meta.json'), '{"date":"2025-02-30"}');
    const store = await openStore({ dataDir: join(dir, 'data') });
    const summary = await ingestFiles(store, [join(dir, 'a.txt')], { now: () => new Date('2025-03-01T00:00:00Z'), zone: 'Asia/Shanghai' });
    expect(summary.files).toBe(0);
    expect(summary.skipped).toEqual([{ file: join(dir, 'a.txt'), reason: `${join(dir, 'a.meta.json')}: date "2025-02-30" is not a calendar date: correct it (YYYY-MM-DD, e.g. 2025-02-14).`, kind: 'unreadable' }]);
    expect(await store.articleCount()).toBe(0);
    await store.close();
  });
});

describe('ingesting again', () => {
  it('tells a file that now gives another date apart from an undated one ingested on another day', async () => {
    const dir = tempDir();
    const store = await openStore({ dataDir: join(dir, 'data') });
    const dated = join(dir, 'dated.jsonl');
    const undated = join(dir, 'undated.txt');
    writeFileSync(dated, '{"text":"上海港双子星航运联盟正式运营。","publishedAt":"2025-02-12"}\n');
    writeFileSync(undated, '台风登陆广东,沿海多地停课。');
    await ingestFiles(store, [dated, undated], { now: () => new Date('2025-02-20T00:00:00Z'), zone: 'Asia/Shanghai' });
    writeFileSync(dated, '{"text":"上海港双子星航运联盟正式运营。","publishedAt":"2025-02-13"}\n');
    const again = await ingestFiles(store, [dated, undated], { now: () => new Date('2025-02-21T00:00:00Z'), zone: 'Asia/Shanghai' });
    expect(again.duplicates).toBe(2);
    expect(again.redated).toEqual([{ id: 1, storedDate: '2025-02-12', offeredDate: '2025-02-13', file: dated }]);
    await store.close();
  });
});
