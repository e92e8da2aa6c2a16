import { describe, expect, it } from 'vitest';
import { INGEST_BATCH_ARTICLES, ingestFiles } from '../../src/ingest/ingest-files.js';
import { openStore } from '../../src/store/open-store.js';
import { sqliteStoreOf } from '../../src/store/sqlite-news-store.js';
import { writeJsonl } from '../helpers/articles.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const now = () => new Date('2025-03-01T00:00:00Z');
const articles = (n: number) => Array.from({ length: n }, (_, i) => ({ title: `稿件${i}`, text: `编号QZ${i}的项目今天开工建设。`, source: '测试社', publishedAt: '2025-03-01' }));

describe('ingestFiles', () => {
  // Case rel-08-two-ingests-one-file-lost: one transaction per file held the write lock for seconds. In batches,
  // a write that fails part-way keeps the batches before it, and says how many of the file's articles were stored.
  it('writes a large file in bounded batches: a failure part-way keeps what was stored and says how much', async () => {
    const store = await openStore({ dataDir: tempDir() });
    const file = writeJsonl(tempDir(), articles(600));
    // A write that fails inside the second batch, as a full disk or an I/O error would.
    sqliteStoreOf(store)!.db.exec(`CREATE TRIGGER fail BEFORE INSERT ON articles WHEN NEW.title = '稿件${INGEST_BATCH_ARTICLES + 10}' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);

    const summary = await ingestFiles(store, [file], { now, zone: 'Asia/Shanghai' });

    expect(await store.articleCount()).toBe(INGEST_BATCH_ARTICLES);
    expect(summary.articles).toBe(INGEST_BATCH_ARTICLES);
    expect(summary.skipped).toMatchObject([{ file, reason: `only ${INGEST_BATCH_ARTICLES} of its 600 articles were stored (disk I/O error): ingest it again to add the rest` }]);

    sqliteStoreOf(store)!.db.exec('DROP TRIGGER fail');
    const again = await ingestFiles(store, [file], { now, zone: 'Asia/Shanghai' });
    expect(again).toMatchObject({ articles: 600 - INGEST_BATCH_ARTICLES, duplicates: INGEST_BATCH_ARTICLES, skipped: [] });
    expect(await store.articleCount()).toBe(600);
    await store.close();
  });

  it('skips a file whose first write fails, with the reason, and keeps going with the next file', async () => {
    const store = await openStore({ dataDir: tempDir() });
    const dir = tempDir();
    const bad = writeJsonl(dir, articles(3), 'a.jsonl');
    const good = writeJsonl(dir, [{ title: '另一条', text: '另一条新闻的正文。', source: '测试社', publishedAt: '2025-03-01' }], 'b.jsonl');
    sqliteStoreOf(store)!.db.exec(`CREATE TRIGGER fail BEFORE INSERT ON articles WHEN NEW.title = '稿件0' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);

    const summary = await ingestFiles(store, [bad, good], { now, zone: 'Asia/Shanghai' });

    expect(summary.skipped).toMatchObject([{ file: bad, reason: expect.stringMatching(/disk I\/O error/) }]);
    expect(summary.articles).toBe(1);
    await store.close();
  });
});
