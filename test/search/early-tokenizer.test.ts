import { describe, expect, it } from 'vitest';
import { Newsdesk } from '../../src/newsdesk.js';
import { EarlyTokenizer } from '../../src/search/early-tokenizer.js';
import { IndexTextWorker } from '../../src/search/index-text-worker.js';
import { indexText } from '../../src/search/minisearch-options.js';
import { PassageIndex } from '../../src/search/passage-index.js';
import { queryTerms } from '../../src/text/tokenize.js';
import { SMALL_NEWS, writeJsonl } from '../helpers/articles.js';
import { recordingLogger, useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const questions = ['特斯拉 储能', '12306 售票', '脑机接口 融资', '上海'].map((q) => queryTerms(q).terms);

describe('tokenizing an ingest ahead, file by file', () => {
  it('hands the catch-up every stored passage tokenized as this thread would, and the index answers the same', async () => {
    const dir = tempDir();
    const desk = await Newsdesk.open({ dataDir: dir, log: recordingLogger() });
    const worker = new IndexTextWorker();
    try {
      const ahead = new EarlyTokenizer(worker, 0);
      await ahead.feed(desk.store);
      // Two ingests, as two files, fed after each.
      await desk.ingest([writeJsonl(tempDir(), SMALL_NEWS)]);
      await ahead.feed(desk.store);
      await desk.ingest(['data/samples/web-page-tesla.txt', 'data/samples/newspaper-page-shanghai.txt']);
      await ahead.feed(desk.store);
      const texts = await ahead.finish(desk.store);
      expect(ahead.threadUsable).toBe(true);
      const stored = await desk.store.passagesAfter(0, 100_000);
      for (const p of stored) expect(texts.get(p.id)).toBe(indexText(p.text));
      expect(texts.size).toBe(stored.length);

      const withTexts = await PassageIndex.open(desk.store, tempDir(), recordingLogger(), { parallel: false, tokenized: texts, segmentSize: 7 });
      const plain = await PassageIndex.open(desk.store, tempDir(), recordingLogger(), { parallel: false, segmentSize: 7 });
      // The catch-up used (and so removed) every text it was given.
      expect(texts.size).toBe(0);
      for (const terms of questions) {
        const hits = withTexts.search(terms);
        expect(hits.length).toBeGreaterThan(0);
        expect(hits).toEqual(plain.search(terms));
      }
    } finally {
      await worker.close();
      await desk.close();
    }
  }, 120_000);

  it('gives the thread the passages of the last file too, so this thread never loads the dictionaries for them', async () => {
    const desk = await Newsdesk.open({ dataDir: tempDir(), log: recordingLogger(), loadTokenizer: false });
    const worker = new IndexTextWorker();
    try {
      const ahead = new EarlyTokenizer(worker, 0);
      await desk.ingest([writeJsonl(tempDir(), SMALL_NEWS)]);
      await ahead.feed(desk.store);
      // The last file is stored after the last feed: the ingest finishes without feeding again.
      await desk.ingest(['data/samples/web-page-tesla.txt']);
      const texts = await ahead.finish(desk.store);
      const stored = await desk.store.passagesAfter(0, 100_000);
      for (const p of stored) expect(texts.get(p.id)).toBe(indexText(p.text));
      expect(texts.size).toBe(stored.length);
    } finally {
      await worker.close();
      await desk.close();
    }
  }, 120_000);

  it('leaves everything to the catch-up, and the thread unused, when the thread fails', async () => {
    const failing = {
      submit: () => {},
      take: (): string[] => {
        throw new Error('the tokenizer thread did not answer within 60 s');
      },
      ready: () => true,
    };
    const desk = await Newsdesk.open({ dataDir: tempDir(), log: recordingLogger() });
    await desk.ingest([writeJsonl(tempDir(), SMALL_NEWS)]);
    const ahead = new EarlyTokenizer(failing, 0);
    await ahead.feed(desk.store);
    await ahead.feed(desk.store);
    expect((await ahead.finish(desk.store)).size).toBe(0);
    expect(ahead.threadUsable).toBe(false);
    await desk.close();
  });
});
