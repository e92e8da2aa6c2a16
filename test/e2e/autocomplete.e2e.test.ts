import { describe, expect, it } from 'vitest';
import type { TestArticle } from '../helpers/articles.js';
import { useBotPerTest } from './bot-harness.js';

/** Discord's autocomplete result callback type (APPLICATION_COMMAND_AUTOCOMPLETE_RESULT). */
const AUTOCOMPLETE_RESULT = 8;

const startBot = useBotPerTest();

/** 40 reports on one topic, one a day, with headlines far over 100 characters. */
const MANY: TestArticle[] = Array.from({ length: 40 }, (_, i) => {
  const day = String(1 + (i % 28)).padStart(2, '0');
  const month = i < 28 ? '01' : '02';
  return {
    title: `储能产业观察第${i + 1}期：${'新型储能项目建设提速，多地出台支持政策，'.repeat(8)}`,
    text: `第${i + 1}期报道。新型储能项目建设持续提速。`,
    source: '测试台',
    publishedAt: `2025-${month}-${day}`,
  };
});

describe('/ask autocomplete, end to end', () => {
  it('suggests the headlines that match what is typed, newest first, and choosing one asks about that article', async () => {
    const bot = await startBot();
    const { responses, choices } = await bot.autocomplete('ask', 'question', '特斯拉');

    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({ kind: 'callback', type: AUTOCOMPLETE_RESULT });
    expect(choices?.map((c) => c.name)).toEqual([
      '“特斯拉速度”刷新,外企与中国市场双向奔赴 · 三里河 · 2025-02-14',
      '特斯拉上海储能超级工厂投产 · 本报 · 2025-02-12',
    ]);

    const picked = choices![1]!;
    const asked = await bot.ask(String(picked.value));
    const [, answer] = await bot.settled(asked);
    const embed = answer?.embeds?.[0];
    expect(embed?.title).toBe('特斯拉上海储能超级工厂投产');
    // That article only: its passage, its source line.
    expect(embed?.description).toContain('特斯拉上海储能超级工厂投产 · 本报 · 2025-02-12');
    expect(embed?.description).not.toContain('三里河');
    expect(bot.outcome(asked)).toBe('article');
  });

  it('narrows the headlines to the outlet already chosen in source:', async () => {
    const bot = await startBot();
    const { choices } = await bot.autocomplete('ask', 'question', '特斯拉', {}, [{ name: 'source', type: 3, value: '本報' }]);

    expect(choices?.map((c) => c.name)).toEqual(['特斯拉上海储能超级工厂投产 · 本报 · 2025-02-12']);
  });

  it('matches a headline typed in traditional characters', async () => {
    const bot = await startBot();
    const { choices } = await bot.autocomplete('ask', 'question', '儲能工廠', { locale: 'zh-TW' });

    expect(choices?.map((c) => c.name)).toEqual(['特斯拉上海储能超级工厂投产 · 本报 · 2025-02-12']);
  });

  it('offers at most 25 suggestions of at most 100 characters, the newest first among equal matches, within Discord’s limits', async () => {
    const bot = await startBot({ extraArticles: MANY });
    const { responses, choices } = await bot.autocomplete('ask', 'question', '储能产业观察');

    // The emulator refuses a result over Discord's limits (400), as Discord does: the bot's answer was taken.
    expect(responses[0]).toMatchObject({ type: AUTOCOMPLETE_RESULT });
    expect(bot.emu.requests.filter((r) => r.path.endsWith('/callback')).map((r) => r.status)).toEqual([204]);
    expect(choices).toHaveLength(25);
    for (const c of choices!) {
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(String(c.value).length).toBeLessThanOrEqual(100);
      // The outlet and date are kept whole; the headline gives way.
      expect(c.name).toMatch(/… · 测试台 · 2025-0\d-\d\d$/);
    }
    const dates = choices!.map((c) => c.name.slice(-10));
    expect(dates).toEqual([...dates].sort().reverse());
    expect(dates[0]).toBe('2025-02-12');
  });

  it('suggests the newest headlines before anything is typed', async () => {
    const bot = await startBot();
    const { choices } = await bot.autocomplete('ask', 'question', '');

    expect(choices?.[0]?.name).toBe('“特斯拉速度”刷新,外企与中国市场双向奔赴 · 三里河 · 2025-02-14');
    expect(choices?.length).toBe(6);
  });

  it('suggests the indexed outlets for source:, in either script', async () => {
    const bot = await startBot();

    expect((await bot.autocomplete('ask', 'source', '本報')).choices).toEqual([{ name: '本报', value: '本报' }]);
    expect((await bot.autocomplete('ask', 'source', '三里')).choices).toEqual([{ name: '三里河', value: '三里河' }]);
    expect((await bot.autocomplete('ask', 'source', '')).choices?.map((c) => c.value).sort()).toEqual(['三里河', '本报'].sort());
    expect((await bot.autocomplete('latest', 'source', '河')).choices).toEqual([{ name: '三里河', value: '三里河' }]);
  });

  it('answers no suggestions, rather than none at all, when nothing matches', async () => {
    const bot = await startBot();
    const { responses, choices } = await bot.autocomplete('ask', 'question', '量子计算机');

    expect(responses[0]).toMatchObject({ type: AUTOCOMPLETE_RESULT });
    expect(choices).toEqual([]);
  });

  it('says privately, in the member’s language, that a picked article is gone', async () => {
    const bot = await startBot();
    const [told] = await bot.settled(await bot.ask('article:999999', { locale: 'zh-CN' }));

    expect(told?.content).toBe('这篇文章已经不在索引里了，请直接用文字提问。');
  });
});
