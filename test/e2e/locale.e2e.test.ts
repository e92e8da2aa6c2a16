import { describe, expect, it } from 'vitest';
import { readerText } from '../helpers/discord-markup.js';
import { privateReply } from './private-reply.js';
import { useBotPerTest, buttons, CHANNEL_ID, EPHEMERAL, MANAGE_SERVER, MEMBER_ID, visibleText } from './bot-harness.js';

const QUESTION = '特斯拉上海储能超级工厂用了多久建成?';
const DIGEST_CHANNEL_ID = '1300000000000000003';
const STRING = 3;
const CHANNEL = 7;

const startBot = useBotPerTest();

describe('replies in the member’s language, end to end', () => {
  it.each([
    ['zh-CN', '量子计算机', '没有段落提到“量子”、“计算机”。换个说法试试；已收录的媒体：'],
    ['zh-TW', '量子計算機', '沒有段落提到「量子」、「計算機」。換個說法試試看；已收錄的媒體：'],
    ['en-US', '量子计算机', 'No passage mentions "量子", "计算机". Try other words; indexed outlets: '],
  ])('says in %s that nothing matched, quoting the words as typed and the outlets as written', async (locale, question, says) => {
    const bot = await startBot();
    const [, answer] = await bot.settled(await bot.ask(question, { locale }));

    // As the member reads it: the escapes that keep outlet names plain text are not seen.
    const read = readerText(answer?.content ?? '');
    expect(read).toContain(says);
    // Outlet names are article data: never translated or converted.
    expect(read).toContain('三里河');
    expect(read).toContain('本报');
  });

  it.each([
    ['zh-CN', /^没有可搜索的内容：“是”、“什么”只是提问用语。/],
    ['zh-TW', /^沒有可以搜尋的內容：「是」、「什麼」只是提問用語。/],
    ['en-US', /^Nothing to search for: "是", "什么" only say how the question is asked\./],
  ])('explains privately in %s why a question of question words only cannot be searched', async (locale, says) => {
    const bot = await startBot();
    const question = locale === 'zh-TW' ? '是什麼?' : '是什么?';
    const told = (await bot.settled(await bot.ask(question, { locale }))).at(-1);

    expect(told).toMatchObject({ flags: EPHEMERAL, allowed_mentions: { parse: [] } });
    expect(told?.content).toMatch(says);
  });

  it.each([
    ['zh-CN', '更多 ▸', '◂ 上一页'],
    ['zh-TW', '更多 ▸', '◂ 上一頁'],
    ['en-US', 'More ▸', '◂ Back'],
  ])('labels the paging buttons in %s and keeps the passages as written', async (locale, more, back) => {
    const bot = await startBot();
    const asked = await bot.ask('上海', { locale });
    const [, answer] = await bot.settled(asked);

    expect(buttons(answer).map((b) => b.label)).toEqual([more]);
    expect(answer?.embeds?.[0]?.description).toContain('上海');
    const clicked = await bot.emu.clickButton({ customId: buttons(answer)[0]!.custom_id!, messageId: bot.emu.originalMessage(asked.token)!.id, locale });
    // Acknowledged before the page is computed (deferUpdate), then the answer is edited in place.
    const [, page] = await bot.settled(clicked);
    expect(buttons(page).map((b) => b.label)).toEqual([back, more]);
  });

  it('follows the server’s language when the member’s is one the bot does not write, and the member’s over the server’s', async () => {
    const bot = await startBot({ guildLocale: 'zh-TW' });

    const [, french] = await bot.settled(await bot.ask('量子計算機', { locale: 'fr' }));
    expect(french?.content).toMatch(/^沒有段落提到「量子」、「計算機」/);
    const [, english] = await bot.settled(await bot.ask('量子計算機', { locale: 'en-GB' }));
    expect(english?.content).toMatch(/^No passage mentions "量子", "計算機"/);
  });

  it.each([
    ['zh-CN', /^\*\*newsdesk\*\* 根据已收录的新闻回答问题/, /`\/提问 问题:<内容>`/],
    ['zh-TW', /^\*\*newsdesk\*\* 根據已收錄的新聞回答問題/, /`\/提問 問題:<內容>`/],
    ['en-US', /^\*\*newsdesk\*\* answers questions about the news/, /`\/ask question:<text>`/],
  ])('shows /help in %s with the command names the member sees', async (locale, opening, askLine) => {
    const bot = await startBot();
    const [help] = await bot.settled(await bot.command('help', [], { locale }));

    expect(help).toMatchObject({ flags: EPHEMERAL });
    expect(help?.content).toMatch(opening);
    expect(help?.content).toMatch(askLine);
  });

  it.each([
    ['zh-CN', '2 家媒体', /^\*\*本报\*\* · 5 篇文章 · 最新 2025-02-12$/m],
    ['zh-TW', '2 家媒體', /^\*\*本报\*\* · 5 篇文章 · 最新 2025-02-12$/m],
    ['en-US', '2 outlets', /^\*\*本报\*\* · 5 articles · newest 2025-02-12$/m],
  ])('lists /sources in %s', async (locale, title, line) => {
    const bot = await startBot();
    const [sources] = await bot.settled(await bot.command('sources', [], { locale }));

    expect(sources?.embeds?.[0]?.title).toBe(title);
    expect(sources?.embeds?.[0]?.description).toMatch(line);
  });

  it.each([
    ['zh-CN', /^只有拥有“管理服务器”权限的成员才能设置每日摘要。$/],
    ['zh-TW', /^只有擁有「管理伺服器」權限的成員才能設定每日摘要。$/],
    ['en-US', /^Only members with the Manage Server permission can set up digests\.$/],
  ])('refuses /digest to a member without Manage Server in %s', async (locale, says) => {
    const bot = await startBot();
    const [refusal] = await bot.settled(await bot.digest('status', [], { locale }));

    expect(refusal).toMatchObject({ flags: EPHEMERAL });
    expect(refusal?.content).toMatch(says);
  });

  it('says "something went wrong" in the member’s language', async () => {
    let failing = false;
    const bot = await startBot({
      wrapDesk: (desk) => {
        const ask = desk.ask.bind(desk);
        desk.ask = (...args) => {
          if (failing) throw new Error('index file vanished');
          return ask(...args);
        };
        return desk;
      },
    });
    failing = true;
    const told = (await bot.settled(await bot.ask(QUESTION, { locale: 'zh-TW' }))).at(-1);

    expect(told).toMatchObject({ flags: EPHEMERAL });
    expect(told?.content).toBe('抱歉，我們這邊處理時出了點問題，請稍後再試一次。');
  });
});

describe('/ask period and /latest topic, end to end', () => {
  it('keeps to the period asked: nothing from today, the factory within the last 30 days, the span named in the footer', async () => {
    // The samples are from 12 and 14 February; the clock says 20 February.
    const bot = await startBot();

    const [, today] = await bot.settled(await bot.ask(QUESTION, { period: 'today', locale: 'zh-CN' }));
    expect(today?.embeds).toEqual([]);
    expect(today?.content).toMatch(/^在当前筛选条件下，没有段落提到/);

    const [, month] = await bot.settled(await bot.ask(QUESTION, { period: '30d', locale: 'zh-CN' }));
    expect(month?.embeds?.[0]?.description?.replaceAll('**', '')).toContain('用时仅7个月即竣工');
    expect(month?.embeds?.[0]?.footer?.text).toMatch(/ · 最近 30 天 · newsdesk$/);

    // Paging on keeps the period.
    const asked = await bot.ask('上海', { period: '30d', locale: 'zh-CN' });
    const [, first] = await bot.settled(asked);
    const more = buttons(first).find((b) => b.label === '更多 ▸');
    const [, page] = await bot.settled(await bot.emu.clickButton({ customId: more!.custom_id!, messageId: bot.emu.originalMessage(asked.token)!.id, locale: 'zh-CN' }));
    expect(page?.embeds?.[0]?.footer?.text).toMatch(/^4–\d+ \/ \d+ · 最近 30 天 · newsdesk$/);

    const [, week] = await bot.settled(await bot.ask(QUESTION, { period: '7d' }));
    // 14 to 20 February: the 14 February report only.
    expect(week?.embeds?.[0]?.description).toContain('三里河 · 2025-02-14');
    expect(week?.embeds?.[0]?.description).not.toContain('2025-02-12');
  });

  it('lists the newest articles about a topic, newest first, titled in the member’s language', async () => {
    const bot = await startBot({
      extraArticles: [{ title: '储能电站并网', text: '一座新的储能电站今天并网发电。', source: '测试台', publishedAt: '2025-02-19' }],
    });
    const [latest] = await bot.settled(await bot.command('latest', [{ name: 'topic', type: STRING, value: '儲能' }], { locale: 'zh-TW' }));

    const embed = latest?.embeds?.[0];
    expect(embed?.title).toBe('最新消息 · 儲能');
    const lines = (embed?.description ?? '').split('\n');
    expect(lines[0]).toMatch(/^储能电站并网 · 测试台 · 2025-02-19$/);
    expect(lines.some((l) => l.includes('特斯拉上海储能超级工厂投产'))).toBe(true);
    expect(visibleText(latest)).not.toContain('脑机接口');
  });
});

describe('digests in the subscription’s language, end to end', () => {
  const subscribeOptions = (language?: string) => [
    { name: 'channel', type: CHANNEL, value: DIGEST_CHANNEL_ID },
    { name: 'time', type: STRING, value: '08:00' },
    { name: 'timezone', type: STRING, value: 'Asia/Shanghai' },
    ...(language ? [{ name: 'language', type: STRING, value: language }] : []),
  ];

  it.each([
    ['a zh-CN server, no language chosen', 'zh-CN', undefined, '订阅成功：', /^今日新闻 · 2025-02-15（\d+ 条新闻）$/, /— 2 家媒体$/],
    ['an English server that chose zh-TW', 'en-US', 'zh-TW', 'Subscribed: ', /^今日新聞 · 2025-02-15（\d+ 則新聞）$/, /— 2 家媒體$/],
    ['a zh-TW server that chose English', 'zh-TW', 'en', '訂閱成功：', /^Today's news · 2025-02-15 \(\d+ stories\)$/, /— 2 outlets$/],
  ])('posts the digest of %s in the subscription’s language, the stories as written', async (_, guildLocale, language, reply, title, outlets) => {
    // The samples were ingested the evening before: 15 February's digest at 08:00 Shanghai takes them in.
    const bot = await startBot({ guildLocale, startAt: '2025-02-14T12:00:00Z', channels: [{ id: DIGEST_CHANNEL_ID, name: 'digest' }] });
    const subscribed = await privateReply(bot, await bot.digest('subscribe', subscribeOptions(language), { memberPermissions: MANAGE_SERVER, locale: guildLocale }));
    expect(subscribed).toContain(reply);

    bot.clock.advanceTo('2025-02-15T00:00:30Z');
    await bot.digestService().runDue();
    const [digest] = bot.emu.channelMessages(DIGEST_CHANNEL_ID);
    expect(digest?.embeds[0]?.title).toMatch(title);
    const tesla = digest?.embeds[0]?.fields?.find((f) => f.name.includes('特斯拉'));
    expect(tesla?.name).toMatch(outlets);
    expect(tesla?.value).toContain('三里河');
  });

  it('tells the server in the subscription’s language that its digest stopped, keeping Discord’s own words', async () => {
    const bot = await startBot({ guildLocale: 'zh-TW', startAt: '2025-02-14T12:00:00Z', channels: [{ id: DIGEST_CHANNEL_ID, name: 'digest' }] });
    await bot.settled(await bot.digest('subscribe', subscribeOptions(), { memberPermissions: MANAGE_SERVER }));
    bot.clock.advanceTo('2025-02-15T00:00:10Z');
    bot.emu.failNext({ method: 'POST', path: /\/channels\/\d+\/messages/, status: 403, body: { code: 50013, message: 'Missing Permissions' } });

    await bot.digestService().runDue();

    const [notice] = bot.emu.channelMessages(CHANNEL_ID);
    expect(notice?.content).toBe(`<#${DIGEST_CHANNEL_ID}> 的每日摘要已停止：機器人已經沒有權限在這個頻道發送訊息（Missing Permissions）。排除問題後，請重新執行 /每日摘要 訂閱。`);
  });

  it('shows each subscription’s language and next run in /digest status, in the admin’s language', async () => {
    const bot = await startBot({ guildLocale: 'zh-CN', channels: [{ id: DIGEST_CHANNEL_ID, name: 'digest' }] });
    await bot.settled(await bot.digest('subscribe', subscribeOptions('zh-TW'), { memberPermissions: MANAGE_SERVER }));
    const [status] = await bot.settled(await bot.digest('status', [], { memberPermissions: MANAGE_SERVER, locale: 'zh-CN', userId: MEMBER_ID }));

    expect(status?.content).toMatch(new RegExp(`^<#${DIGEST_CHANNEL_ID}> · 08:00 Asia/Shanghai · 繁体中文 · 最多 8 条\\n下次：<t:\\d+:F>\\n上次：还没有发过摘要$`));
    expect(bot.emu.channelMessages(CHANNEL_ID)).toEqual([]);
  });
});
