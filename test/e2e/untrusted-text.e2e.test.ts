import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { safeUrl } from '../../src/discord/escape.js';
import type { Markup } from '../helpers/discord-markup.js';
import { foreignMarkup, HOSTILE_KEYWORD, hostileArticles } from '../helpers/hostile-news.js';
import { HOSTILE_STRINGS, HOSTILE_URLS } from '../helpers/untrusted-fixtures.js';
import { BotRun, buttons, GUILD_ID, MANAGE_SERVER, MEMBER_ID, removeTempDirs } from './bot-harness.js';
import type { InteractionResponseRecord } from './discord-emulator/index.js';

let run: BotRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});
afterAll(removeTempDirs);

/** Every markdown text of a response as Discord shows it: content, and each embed's title, description and fields. */
function markdownOf(r: InteractionResponseRecord | undefined): string[] {
  if (!r) return [];
  return [r.content ?? '', ...(r.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value])])].filter(Boolean);
}

/** The markup in a response that the bot did not write; `also` is bot markup that response may carry besides bold and links. */
function foreignIn(r: InteractionResponseRecord | undefined, also: (m: Markup) => boolean = () => false): Markup[] {
  return markdownOf(r).flatMap((md) => foreignMarkup(md).filter((m) => !also(m)));
}

describe('articles and feeds written by someone hostile, end to end', () => {
  it('never shows a link, mention, style or layout of an article’s or a feed’s making in /ask, More, /latest, /sources, /feeds list or /digest preview', async () => {
    run = await BotRun.start({ extraArticles: hostileArticles() });
    const bot = run;
    // Feeds whose servers named them and answered with errors, as a poll records them.
    const feedUrls = HOSTILE_URLS.map((u) => u.url).filter((u) => safeUrl(u) && new URL(u).hostname === 'news.example');
    HOSTILE_STRINGS.filter((_, i) => i % 3 === 0).forEach(async ({ text }, i) => {
      const { feed } = await bot.desk.store.feeds.add({ url: `${feedUrls[i % feedUrls.length]}&feed=${i}`, name: text, everyMinutes: 15, guildId: GUILD_ID }, bot.clock.now());
      await bot.desk.store.feeds.recordFailure(feed.id, { now: bot.clock.now(), nextPollAt: new Date(bot.clock.now().getTime() + 900_000), error: `news.example answered 500 ${text}` });
    });

    // /ask, then More through several pages.
    const asked = await bot.ask(HOSTILE_KEYWORD);
    const [, answer] = await bot.settled(asked);
    expect(answer?.embeds?.[0]?.description).toContain(HOSTILE_KEYWORD);
    expect(foreignIn(answer)).toEqual([]);
    let page = answer;
    for (let n = 0; n < 4; n++) {
      const more = buttons(page).find((b) => b.label?.includes('More'));
      expect(more?.disabled).toBe(false);
      // Acknowledged first (deferUpdate), then the answer is edited in place.
      const [, update] = await bot.settled(await bot.emu.clickButton({ customId: more!.custom_id!, messageId: bot.emu.originalMessage(asked.token)!.id }));
      expect(update?.embeds?.[0]?.description).toContain(HOSTILE_KEYWORD);
      expect(foreignIn(update)).toEqual([]);
      page = update;
    }

    const [latest] = await bot.settled(await bot.command('latest'));
    expect(latest?.embeds?.[0]?.description?.split('\n')).toHaveLength(10);
    expect(foreignIn(latest)).toEqual([]);

    const outlet = HOSTILE_STRINGS.find((s) => s.name === 'a masked link')!.text;
    const [fromOutlet] = await bot.settled(await bot.command('latest', [{ name: 'source', type: 3, value: outlet }]));
    expect(fromOutlet?.embeds?.[0]?.title).toContain('官方通知');
    expect(foreignIn(fromOutlet)).toEqual([]);

    const [sources] = await bot.settled(await bot.command('sources'));
    expect(foreignIn(sources)).toEqual([]);

    const [list] = await bot.settled(await bot.emu.sendSlashCommand({ name: 'feeds', subcommand: 'list', options: [], userId: MEMBER_ID, memberPermissions: MANAGE_SERVER }));
    expect(list?.content).toContain('answered 500');
    // The bot's own: each feed's address as a link without preview, and the hint when the list is cut.
    const feedTargets = new Set((await bot.desk.store.feeds.list()).map((f) => safeUrl(f.url)));
    expect(foreignIn(list, (m) => (m.type === 'autolink' && feedTargets.has(m.target)) || (m.type === 'inlineCode' && m.text === 'npm run feeds -- list'))).toEqual([]);

    // Deferred privately first (it builds a digest), then posted.
    const [, preview, ...rest] = await bot.settled(await bot.digest('preview', [], { memberPermissions: MANAGE_SERVER }));
    expect(preview?.embeds?.[0]?.fields?.length).toBeGreaterThan(0);
    for (const r of [preview, ...rest]) expect(foreignIn(r)).toEqual([]);

    // Nothing the bot posted may ping.
    for (const r of [answer, latest, fromOutlet, sources, list, preview]) expect(r?.allowed_mentions).toEqual({ parse: [] });
  }, 60_000);
});
