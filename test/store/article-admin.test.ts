import { describe, expect, it } from 'vitest';
import { Newsdesk } from '../../src/newsdesk.js';
import { Store } from '../../src/store/store.js';
import { SMALL_NEWS, writeJsonl } from '../helpers/articles.js';
import { recordingLogger, useTempDir } from '../helpers/temp-dir.js';

const tempDir = useTempDir();

function deskWithNews(segmentSize?: number) {
  const dir = tempDir();
  const file = writeJsonl(tempDir(), SMALL_NEWS);
  const desk = Newsdesk.open({ dataDir: dir, log: recordingLogger(), ...(segmentSize ? { segmentSize } : {}) });
  desk.ingest([file]);
  return { dir, desk, file };
}

const titles = (desk: Newsdesk, q: string) => {
  const outcome = desk.ask(q, { top: 10 });
  return outcome.kind === 'hits' ? outcome.passages.map((p) => p.title) : [];
};

const idOf = (desk: Newsdesk, title: string) => desk.store.articles.list({ limit: 100 }).articles.find((a) => a.title === title)!.id;

describe('removing an article', () => {
  it('takes it out of the answers at once and after a restart, and the index is not rebuilt for it', () => {
    const { dir, desk } = deskWithNews();
    expect(titles(desk, 'Megapack年产能')).toContain('特斯拉上海储能超级工厂投产');
    const removed = desk.removeArticles([idOf(desk, '特斯拉上海储能超级工厂投产')], { by: 'test' });
    expect(removed.removed.map((a) => a.title)).toEqual(['特斯拉上海储能超级工厂投产']);
    expect(removed.passages).toBeGreaterThan(0);
    expect(titles(desk, 'Megapack年产能')).not.toContain('特斯拉上海储能超级工厂投产');
    desk.close();
    const again = Newsdesk.open({ dataDir: dir, log: recordingLogger() });
    expect(again.index.loadOutcome).toBe('loaded');
    expect(titles(again, 'Megapack年产能')).not.toContain('特斯拉上海储能超级工厂投产');
    expect(titles(again, '12306售票')).toContain('12306春运售票');
    again.close();
  });

  it('is applied by the index at the next start when the process stopped after the store removed it (a crash in between)', () => {
    const { dir, desk } = deskWithNews();
    const id = idOf(desk, '12306春运售票');
    desk.close();
    // The store's transaction alone, as if the process died before the index heard of it.
    const store = Store.open(dir);
    store.articles.remove([id], { now: new Date('2025-03-01T00:00:00Z') });
    store.close();
    const log = recordingLogger();
    const again = Newsdesk.open({ dataDir: dir, log });
    expect(again.index.loadOutcome).toBe('loaded');
    expect(titles(again, '12306售票')).toEqual([]);
    expect(again.index.documentCount).toBe(again.store.passageCount());
    again.close();
  });

  it('is seen by another running process (the bot) at its next sync', () => {
    const { dir, desk: bot } = deskWithNews();
    expect(titles(bot, '12306售票')).toContain('12306春运售票');
    const owner = Newsdesk.open({ dataDir: dir, log: recordingLogger() });
    owner.removeArticles([idOf(owner, '12306春运售票')]);
    owner.close();
    bot.syncFromStore();
    expect(titles(bot, '12306售票')).toEqual([]);
    bot.close();
  });

  it('hides passages held in a frozen (full) segment too', () => {
    const { desk } = deskWithNews(2);
    expect(desk.index.segmentCount).toBeGreaterThan(1);
    for (const title of ['特斯拉上海储能超级工厂投产', '上海企业获脑机接口最大一笔融资']) desk.removeArticles([idOf(desk, title)]);
    expect(titles(desk, '上海')).toEqual([]);
    expect(desk.index.documentCount).toBe(desk.store.passageCount());
    desk.close();
  });

  it('is not stored again by a later ingest of the same file, which says so', () => {
    const { desk, file } = deskWithNews();
    desk.removeArticles([idOf(desk, '12306春运售票')]);
    const summary = desk.ingest([file]);
    expect(summary.articles).toBe(0);
    expect(summary.removedBefore).toBe(1);
    expect(titles(desk, '12306售票')).toEqual([]);
    desk.close();
  });
});

describe('correcting an article', () => {
  it('changes its title, outlet and date as answers and filters show them', () => {
    const { dir, desk } = deskWithNews();
    const id = idOf(desk, '12306春运售票');
    const edit = desk.editArticle(id, { title: '12306春运售票创新高', source: '新华社', publishedAt: '2025-01-21' });
    expect(edit?.before.source).toBe('中新网');
    expect(titles(desk, '12306售票')).toEqual(['12306春运售票创新高']);
    const filtered = desk.ask('12306售票', { source: '新华社', since: '2025-01-21', until: '2025-01-21' });
    expect(filtered.kind).toBe('hits');
    expect(desk.ask('12306售票', { until: '2025-01-20' }).kind).toBe('no-match');
    desk.close();
    const again = Newsdesk.open({ dataDir: dir, log: recordingLogger() });
    expect(again.ask('12306售票', { source: '新华社' }).kind).toBe('hits');
    again.close();
  });
});
