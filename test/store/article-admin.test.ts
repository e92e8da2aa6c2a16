import { describe, expect, it } from 'vitest';
import { Newsdesk } from '../../src/newsdesk.js';
import { Store } from '../../src/store/store.js';
import { SMALL_NEWS, writeJsonl } from '../helpers/articles.js';
import { recordingLogger, useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

async function deskWithNews(segmentSize?: number) {
  const dir = tempDir();
  const file = writeJsonl(tempDir(), SMALL_NEWS);
  const desk = await Newsdesk.open({ dataDir: dir, log: recordingLogger(), ...(segmentSize ? { segmentSize } : {}) });
  await desk.ingest([file]);
  return { dir, desk, file };
}

const titles = async (desk: Newsdesk, q: string) => {
  const outcome = await desk.ask(q, { top: 10 });
  return outcome.kind === 'hits' ? outcome.passages.map((p) => p.title) : [];
};

const idOf = async (desk: Newsdesk, title: string) => (await desk.store.articles.list({ limit: 100 })).articles.find((a) => a.title === title)!.id;

describe('removing an article', () => {
  it('takes it out of the answers at once and after a restart, and the index is not rebuilt for it', async () => {
    const { dir, desk } = await deskWithNews();
    expect(await titles(desk, 'Megapack年产能')).toContain('特斯拉上海储能超级工厂投产');
    const removed = await desk.removeArticles([await idOf(desk, '特斯拉上海储能超级工厂投产')], { by: 'test' });
    expect(removed.removed.map((a) => a.title)).toEqual(['特斯拉上海储能超级工厂投产']);
    expect(removed.passages).toBeGreaterThan(0);
    expect(await titles(desk, 'Megapack年产能')).not.toContain('特斯拉上海储能超级工厂投产');
    await desk.close();
    const again = await Newsdesk.open({ dataDir: dir, log: recordingLogger() });
    expect(again.index.loadOutcome).toBe('loaded');
    expect(await titles(again, 'Megapack年产能')).not.toContain('特斯拉上海储能超级工厂投产');
    expect(await titles(again, '12306售票')).toContain('12306春运售票');
    await again.close();
  });

  it('is applied by the index at the next start when the process stopped after the store removed it (a crash in between)', async () => {
    const { dir, desk } = await deskWithNews();
    const id = await idOf(desk, '12306春运售票');
    await desk.close();
    // The store's transaction alone, as if the process died before the index heard of it.
    const store = Store.open(dir);
    store.articles.remove([id], { now: new Date('2025-03-01T00:00:00Z') });
    store.close();
    const log = recordingLogger();
    const again = await Newsdesk.open({ dataDir: dir, log });
    expect(again.index.loadOutcome).toBe('loaded');
    expect(await titles(again, '12306售票')).toEqual([]);
    expect(again.index.documentCount).toBe(await again.store.passageCount());
    await again.close();
  });

  it('is seen by another running process (the bot) at its next sync', async () => {
    const { dir, desk: bot } = await deskWithNews();
    expect(await titles(bot, '12306售票')).toContain('12306春运售票');
    const owner = await Newsdesk.open({ dataDir: dir, log: recordingLogger() });
    await owner.removeArticles([await idOf(owner, '12306春运售票')]);
    await owner.close();
    await bot.syncFromStore();
    expect(await titles(bot, '12306售票')).toEqual([]);
    await bot.close();
  });

  it('hides passages held in a frozen (full) segment too', async () => {
    const { desk } = await deskWithNews(2);
    expect(desk.index.segmentCount).toBeGreaterThan(1);
    for (const title of ['特斯拉上海储能超级工厂投产', '上海企业获脑机接口最大一笔融资']) await desk.removeArticles([await idOf(desk, title)]);
    expect(await titles(desk, '上海')).toEqual([]);
    expect(desk.index.documentCount).toBe(await desk.store.passageCount());
    await desk.close();
  });

  it('is not stored again by a later ingest of the same file, which says so', async () => {
    const { desk, file } = await deskWithNews();
    await desk.removeArticles([await idOf(desk, '12306春运售票')]);
    const summary = await desk.ingest([file]);
    expect(summary.articles).toBe(0);
    expect(summary.removedBefore).toBe(1);
    expect(await titles(desk, '12306售票')).toEqual([]);
    await desk.close();
  });
});

describe('correcting an article', () => {
  it('changes its title, outlet and date as answers and filters show them', async () => {
    const { dir, desk } = await deskWithNews();
    const id = await idOf(desk, '12306春运售票');
    const edit = await desk.editArticle(id, { title: '12306春运售票创新高', source: '新华社', publishedAt: '2025-01-21' });
    expect(edit?.before.source).toBe('中新网');
    expect(await titles(desk, '12306售票')).toEqual(['12306春运售票创新高']);
    const filtered = await desk.ask('12306售票', { source: '新华社', since: '2025-01-21', until: '2025-01-21' });
    expect(filtered.kind).toBe('hits');
    expect((await desk.ask('12306售票', { until: '2025-01-20' })).kind).toBe('no-match');
    await desk.close();
    const again = await Newsdesk.open({ dataDir: dir, log: recordingLogger() });
    expect((await again.ask('12306售票', { source: '新华社' })).kind).toBe('hits');
    await again.close();
  });
});
