import { describe, expect, it } from 'vitest';
import type { Digest, DigestItem } from '../../src/digest/build-digest.js';
import type { DigestContext } from '../../src/digest/digest-service.js';
import { DISCORD_LIMITS, embedLength, type EmbedLike } from '../../src/discord/limits.js';
import { renderDigest } from '../../src/discord/render-digest.js';
import type { Subscription } from '../../src/store/digest-store.js';
import { foreignMarkup } from '../helpers/hostile-news.js';
import { HOSTILE_STRINGS, HOSTILE_URLS } from '../helpers/untrusted-fixtures.js';
import type { Locale } from '../../src/i18n/i18n.js';

function context(timezone: string, late: boolean, keywords: string[] = [], locale: Locale = 'zh-CN'): DigestContext {
  const subscription: Subscription = {
    channelId: '1300000000000000003',
    guildId: '1300000000000000001',
    time: '08:00',
    timezone,
    keywords,
    maxItems: 20,
    quietWhenEmpty: false,
    locale,
    enabled: true,
    disabledReason: null,
    createdBy: null,
    createdAt: '2025-02-14T00:00:00.000Z',
    updatedAt: '2025-02-14T00:00:00.000Z',
  };
  return { localDay: '2025-02-15', late, subscription };
}

function digestOf(items: DigestItem[]): Digest {
  return { since: '2025-02-14T00:00:00.000Z', until: '2025-02-15T00:00:00.000Z', items, stories: items.length, articles: items.length };
}

/** A story whose field is as long as a field can be made: a 157-character name and a 1023-character value. */
function longStory(n: number): DigestItem {
  return {
    headline: `第${String(n).padStart(2, '0')}条${'长'.repeat(151)}`,
    summary: `${'新'.repeat(1019)}。`,
    sources: [{ source: '本报', title: null, url: null, publishedAt: '2025-02-15', publishedDay: '2025-02-15' }],
  };
}

describe('renderDigest', () => {
  // The longest IANA name makes the longest footer: a full last page then needs every character of Discord's 6000.
  it('never drops a story to make room for the title and the late footer, and keeps every message within Discord limits', () => {
    const items = Array.from({ length: 10 }, (_, i) => longStory(i + 1));
    const messages = renderDigest(digestOf(items), context('America/Argentina/ComodRivadavia', true));

    const names = messages.flatMap((m) => m.embeds.flatMap((e) => e.fields ?? []).map((f) => f.name.slice(2, 5)));
    expect(names).toEqual(items.map((_, i) => `第${String(i + 1).padStart(2, '0')}`));
    for (const m of messages) {
      expect(m.embeds).toHaveLength(1);
      expect(embedLength(m.embeds[0] as EmbedLike)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
      expect(m.embeds[0]!.fields!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedFields);
    }
    expect(messages.at(-1)!.embeds[0]!.footer?.text).toBe('补发，原定 08:00（America/Argentina/ComodRivadavia）');
    expect(messages.slice(0, -1).map((m) => m.embeds[0]!.footer)).toEqual(messages.slice(0, -1).map(() => undefined));
  });

  it('names every outlet of a story told twice, with links only for web addresses', () => {
    const [message] = renderDigest(
      digestOf([
        {
          headline: '特斯拉上海储能超级工厂投产',
          summary: '首台Megapack下线。',
          sources: [
            { source: '三里河', title: null, url: 'https://example.com/tesla', publishedAt: '2025-02-14', publishedDay: '2025-02-14' },
            { source: '本报', title: null, url: 'javascript:alert(1)', publishedAt: '2025-02-12', publishedDay: '2025-02-12' },
          ],
        },
      ]),
      context('Asia/Shanghai', false),
    );

    expect(message!.embeds[0]!.title).toBe('今日新闻 · 2025-02-15（1 条新闻）');
    expect(message!.embeds[0]!.fields).toEqual([{ name: '■ 特斯拉上海储能超级工厂投产 — 2 家媒体', value: '首台Megapack下线。\n[三里河](https://example.com/tesla) · 本报' }]);
  });

  it('keeps a story told by many outlets with long links whole: every outlet named, no link cut in half', () => {
    const outlets = ['新华社', '人民日报', '解放日报', '文汇报', '新民晚报', '澎湃新闻', '第一财经', '界面新闻'];
    const [message] = renderDigest(
      digestOf([
        {
          headline: `${'上海'.repeat(200)}储能工厂投产`,
          summary: `${'首台Megapack下线,规划年产能为1万台。'.repeat(60)}`,
          sources: outlets.map((source, i) => ({ source, title: null, url: `https://example.com/${'a'.repeat(150)}/${i}`, publishedAt: '2025-02-14', publishedDay: '2025-02-14' })),
        },
      ]),
      context('Asia/Shanghai', false),
    );

    const [field] = message!.embeds[0]!.fields!;
    expect(field!.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedFieldName);
    expect(field!.name).toMatch(/— 8 家媒体$/);
    expect(field!.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedFieldValue);
    expect(field!.value).toMatch(/^首台Megapack下线/);
    for (const outlet of outlets) expect(field!.value).toContain(outlet);
    expect(field!.value).not.toMatch(/\[[^\]]*\]\([^)]*$/); // no link left open
  });

  it.each([
    ['zh-CN', '今日新闻 · 2025-02-15：自上次摘要以来，没有与“储能”、“Tesla”相关的新文章。（补发，原定 08:00（Asia/Shanghai））'],
    ['zh-TW', '今日新聞 · 2025-02-15：自上次摘要以來，沒有與「儲能」、「Tesla」相關的新文章。（補發，原定 08:00（Asia/Shanghai））'],
    ['en', 'Today\'s news · 2025-02-15: no new articles since the last digest matching "储能", "Tesla". · sent late (scheduled 08:00 Asia/Shanghai)'],
  ] as const)('says there is nothing new, late and with the keywords, in one short %s message on an empty day', (locale, says) => {
    const keywords = locale === 'zh-TW' ? ['儲能', 'Tesla'] : ['储能', 'Tesla'];
    const messages = renderDigest(digestOf([]), context('Asia/Shanghai', true, keywords, locale));

    expect(messages).toEqual([{ content: says, embeds: [] }]);
  });

  it.each([
    ['zh-CN', /^今日新闻 · 2025-02-15（2 条新闻）$/, '— 2 家媒体'],
    ['zh-TW', /^今日新聞 · 2025-02-15（2 則新聞）$/, '— 2 家媒體'],
    ['en', /^Today's news · 2025-02-15 \(2 stories\)$/, '— 2 outlets'],
  ] as const)('heads a %s digest in its language and counts the outlets of a story, the stories as written', (locale, title, outlets) => {
    const story = (headline: string, n: number): DigestItem => ({
      headline,
      summary: '首台Megapack下线。',
      sources: Array.from({ length: n }, (_, i) => ({ source: `媒体${i}`, title: null, url: null, publishedAt: '2025-02-13T16:00:00.000Z', publishedDay: '2025-02-14' })),
    });
    const [message] = renderDigest(digestOf([story('储能工厂投产', 2), story('脑机接口融资', 1)]), context('Asia/Shanghai', false, [], locale));

    const embed = message!.embeds[0]!;
    expect(embed.title).toMatch(title);
    expect(embed.fields![0]!.name).toBe(`■ 储能工厂投产 ${outlets}`);
    expect(embed.fields![1]!.name).toBe('■ 脑机接口融资');
    expect(embed.fields![0]!.value).toContain('首台Megapack下线。');
  });
});

describe('renderDigest with untrusted articles', () => {
  it('shows every hostile headline, summary and outlet as plain text, with only the bot’s own links to the articles', () => {
    const items: DigestItem[] = HOSTILE_STRINGS.map(({ text }, i) => ({
      headline: text,
      summary: text,
      sources: [
        { source: text, title: text, url: HOSTILE_URLS[i % HOSTILE_URLS.length]!.url, publishedAt: '2025-02-15T02:00:00.000Z', publishedDay: '2025-02-15' },
        { source: '本报', title: null, url: null, publishedAt: '2025-02-15T02:00:00.000Z', publishedDay: '2025-02-15' },
      ],
    }));
    const messages = renderDigest(digestOf(items), context('Asia/Shanghai', false));
    const fields = messages.flatMap((m) => m.embeds.flatMap((e) => e.fields ?? []));
    expect(fields).toHaveLength(items.length);
    for (const [i, f] of fields.entries()) {
      expect(foreignMarkup(f.name), HOSTILE_STRINGS[i]!.name).toEqual([]);
      expect(foreignMarkup(f.value), HOSTILE_STRINGS[i]!.name).toEqual([]);
      expect(f.name).not.toContain('\n');
    }
  });
});
