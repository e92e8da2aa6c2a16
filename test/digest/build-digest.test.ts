import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/digest/build-digest.js';
import { Newsdesk, SAMPLES_DIR } from '../../src/newsdesk.js';
import { writeJsonl } from '../helpers/articles.js';
import { recordingLogger, useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();
const INGESTED = new Date('2025-02-15T01:00:00Z');

async function samples() {
  const desk = await Newsdesk.open({ dataDir: tempDir(), log: recordingLogger(), now: () => INGESTED });
  await desk.ingest([SAMPLES_DIR]);
  return desk;
}

const window = { since: new Date('2025-02-14T12:00:00Z'), until: new Date('2025-02-15T12:00:00Z') };

describe('buildDigest', () => {
  it('merges the two reports of the Tesla storage factory into one story naming both outlets', async () => {
    const desk = await samples();
    const digest = await buildDigest(desk.store, window);
    const tesla = digest.items.filter((i) => /特斯拉/.test(i.headline));
    expect(tesla).toHaveLength(1);
    expect(tesla[0]!.sources.map((s) => s.source).sort()).toEqual(['三里河', '本报']);
    await desk.close();
  });

  it('keeps the four other newspaper articles as separate stories, after the story told twice', async () => {
    const desk = await samples();
    const digest = await buildDigest(desk.store, window);
    expect(digest.items).toHaveLength(5);
    expect(digest.items[0]!.sources).toHaveLength(2);
    const headlines = digest.items.slice(1).map((i) => i.headline);
    expect(headlines).toEqual(expect.arrayContaining(['上海企业获中国植入式脑机接口最大一笔融资', '「双子星」航运联盟上海港首航', '更大力度促消费促外贸稳增长', '创新检察服务举措 持续提升办案质效']));
    await desk.close();
  });

  it('summarises each story in one or two whole sentences without the dateline', async () => {
    const desk = await samples();
    for (const item of (await buildDigest(desk.store, window)).items) {
      expect(item.summary.length).toBeGreaterThan(10);
      expect(item.summary.length).toBeLessThanOrEqual(160);
      expect(item.summary).toMatch(/[。！？]$/);
      expect(item.summary).not.toMatch(/本报讯|记者 杨硕/);
      expect((item.summary.match(/[。！？]/g) ?? []).length).toBeLessThanOrEqual(2);
    }
    await desk.close();
  });

  it('filters by keywords with the /ask tokenizer: 储能 matches 储能超级工厂, traditional 腦機 matches 脑机', async () => {
    const desk = await samples();
    expect((await buildDigest(desk.store, { ...window, keywords: ['储能'] })).items.map((i) => i.headline)).toEqual(['特斯拉上海储能超级工厂投产']);
    expect((await buildDigest(desk.store, { ...window, keywords: ['腦機接口'] })).items.map((i) => i.headline)).toEqual(['上海企业获中国植入式脑机接口最大一笔融资']);
    // a keyword is a word, never a pattern
    expect((await buildDigest(desk.store, { ...window, keywords: ['.*'] })).items).toEqual([]);
    await desk.close();
  });

  it('holds only what was ingested in the window, and at most max stories', async () => {
    const desk = await samples();
    expect((await buildDigest(desk.store, { since: new Date('2025-02-15T02:00:00Z'), until: new Date('2025-02-16T00:00:00Z') })).items).toEqual([]);
    expect((await buildDigest(desk.store, { ...window, max: 2 })).items).toHaveLength(2);
    await desk.close();
  });

  it('leaves out old articles ingested late (an archive backfill does not flood the digest)', async () => {
    const dir = tempDir();
    const desk = await Newsdesk.open({ dataDir: dir, log: recordingLogger(), now: () => INGESTED });
    await desk.ingest([writeJsonl(dir, [{ title: '旧闻', text: '2019年的一条旧新闻,讲的是铁路12306网站。', publishedAt: '2019-03-01', source: '档案' }])]);
    expect((await buildDigest(desk.store, window)).items).toEqual([]);
    await desk.close();
  });
});
