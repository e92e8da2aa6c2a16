import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Newsdesk } from '../../src/newsdesk.js';
import { INDEX_DIR } from '../../src/search/passage-index.js';
import { queryTerms } from '../../src/text/tokenize.js';
import { writeJsonl } from '../helpers/articles.js';
import { recordingLogger, useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const articles = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => ({ title: `稿件${from + i}`, text: `编号QZ${from + i}的项目今天开工建设,工期约${(from + i) % 7}个月。`, source: '测试社', publishedAt: '2025-03-01' }));
const questions = ['编号QZ7的项目', '工期约3个月', 'QZ59', 'QZ61'];

describe('an ingest into a saved index (full segments decoded only when read)', () => {
  it('adds to the newest segment, saves, and the index answers exactly as one built in one go', async () => {
    const dir = tempDir();
    const first = await Newsdesk.open({ dataDir: dir, log: recordingLogger(), segmentSize: 20 });
    await first.ingest([writeJsonl(tempDir(), articles(0, 50))]);
    await first.close();
    const fullSegments = readdirSync(join(dir, INDEX_DIR)).filter((f) => f.startsWith('seg-')).length - 1;
    expect(fullSegments).toBe(2);

    const ingesting = await Newsdesk.open({ dataDir: dir, log: recordingLogger(), segmentSize: 20, loadTokenizer: false, decodeSegmentsWhenRead: true });
    expect(ingesting.index.documentCount).toBe(50);
    await ingesting.ingest([writeJsonl(tempDir(), articles(50, 65))]);
    expect(ingesting.index.documentCount).toBe(65);
    await ingesting.close();

    const inOneGo = await Newsdesk.open({ dataDir: tempDir(), log: recordingLogger(), segmentSize: 20 });
    await inOneGo.ingest([writeJsonl(tempDir(), articles(0, 65))]);
    const reopened = await Newsdesk.open({ dataDir: dir, log: recordingLogger(), segmentSize: 20 });
    expect(reopened.index.loadOutcome).toBe('loaded');
    expect(reopened.index.documentCount).toBe(65);
    for (const q of questions) {
      const hits = reopened.index.search(queryTerms(q).terms);
      expect(hits.length).toBeGreaterThan(0);
      expect(hits).toEqual(inOneGo.index.search(queryTerms(q).terms));
    }
    await reopened.close();
    await inOneGo.close();
  });

  it('still answers from every segment when a question comes after all', async () => {
    const dir = tempDir();
    const first = await Newsdesk.open({ dataDir: dir, log: recordingLogger(), segmentSize: 20 });
    await first.ingest([writeJsonl(tempDir(), articles(0, 50))]);
    await first.close();
    const lazy = await Newsdesk.open({ dataDir: dir, log: recordingLogger(), segmentSize: 20, decodeSegmentsWhenRead: true });
    const outcome = await lazy.ask('编号QZ7的项目');
    expect(outcome.kind === 'hits' ? outcome.passages[0]?.title : outcome.kind).toBe('稿件7');
    await lazy.close();
  });
});
