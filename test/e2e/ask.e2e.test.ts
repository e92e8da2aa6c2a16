import { describe, expect, it } from 'vitest';
import { useBotPerTest, buttons, CALLBACK, CHANNEL_ID, EPHEMERAL, passagesOf, visibleText } from './bot-harness.js';

const QUESTION = '特斯拉上海储能超级工厂用了多久建成?';

const startBot = useBotPerTest();

describe('/ask in a channel, end to end', () => {
  it('thinks at once, then answers with one embed of passages in bold with titles, outlets and dates, and a More button', async () => {
    const bot = await startBot();
    const asked = await bot.ask(QUESTION);
    const [deferral, answer, ...rest] = await bot.settled(asked);

    expect(deferral).toMatchObject({ kind: 'callback', type: CALLBACK.deferredReply, flags: 0 });
    expect(answer).toMatchObject({ kind: 'edit-original', allowed_mentions: { parse: [] } });
    expect(rest).toEqual([]);
    expect(answer?.embeds).toHaveLength(1);
    const embed = answer!.embeds![0]!;
    expect(embed.title).toBe(QUESTION);
    const description = embed.description ?? '';
    expect(passagesOf(description).length).toBeGreaterThanOrEqual(2);
    // Both reports of the factory, the answer words marked, each with its headline, outlet and date.
    // As a reader sees it, with the bold markers rendered away.
    const read = description.replaceAll('**', '');
    expect(read).toContain('用时仅7个月即竣工');
    expect(read).toContain('仅仅9个月时间');
    expect(description).toMatch(/\*\*特斯拉上海储能超级工厂\*\*/);
    expect(description).toContain('“特斯拉速度”刷新,外企与中国市场双向奔赴 · 三里河 · 2025-02-14');
    expect(description).toContain('特斯拉上海储能超级工厂投产 · 本报 · 2025-02-12');
    expect(buttons(answer)).toEqual([expect.objectContaining({ label: expect.stringContaining('More'), disabled: false })]);
    // The reply sits in the channel, visible to everyone, no longer "thinking…".
    expect(bot.emu.originalMessage(asked.token)).toMatchObject({ channel_id: CHANNEL_ID, flags: 0, embeds: [{ title: QUESTION }] });
  });

  it('says plainly that nothing matched and names the indexed outlets, instead of an empty embed', async () => {
    const bot = await startBot();
    const [, answer] = await bot.settled(await bot.ask('量子计算机'));

    expect(answer).toMatchObject({ kind: 'edit-original', embeds: [], components: [], allowed_mentions: { parse: [] } });
    expect(answer?.content).toMatch(/No passage mentions "量子", "计算机"/);
    expect(answer?.content).toContain('三里河');
    expect(answer?.content).toContain('本报');
  });

  it.each([
    ['question words only', '是什么?', /"是", "什么" only say how the question is asked/],
    ['emoji only', '😀😀😀', /no words or numbers/],
    ['punctuation only', '?!。……', /no words or numbers/],
  ])('tells only the asker why a question of %s cannot be searched, and removes the public "thinking…"', async (_, question, says) => {
    const bot = await startBot();
    const asked = await bot.ask(question);
    const responses = await bot.settled(asked);

    const told = responses.at(-1);
    expect(told).toMatchObject({ flags: EPHEMERAL, allowed_mentions: { parse: [] } });
    expect(told?.content).toMatch(says);
    // Nothing public is left behind: the deferred reply was deleted, not left loading.
    expect(responses.map((r) => r.kind)).toEqual(['callback', 'delete-original', 'follow-up']);
    expect(bot.emu.originalMessage(asked.token)).toBeUndefined();
    expect(bot.emu.channelMessages(CHANNEL_ID)).toEqual([]);
  });

  it('keeps both the "thinking…" and the answer private with hide:true', async () => {
    const bot = await startBot();
    const asked = await bot.ask(QUESTION, { hide: true });
    const [deferral, answer] = await bot.settled(asked);

    expect(deferral).toMatchObject({ kind: 'callback', type: CALLBACK.deferredReply, flags: EPHEMERAL });
    expect(answer?.embeds?.[0]?.title).toBe(QUESTION);
    expect(bot.emu.originalMessage(asked.token)).toMatchObject({ flags: EPHEMERAL, embeds: [{ title: QUESTION }] });
  });

  it('keeps an empty question private with hide:true without deleting anything', async () => {
    const bot = await startBot();
    const asked = await bot.ask('是什么?', { hide: true });
    const responses = await bot.settled(asked);

    expect(responses.map((r) => r.kind)).toEqual(['callback', 'edit-original']);
    expect(bot.emu.originalMessage(asked.token)).toMatchObject({ flags: EPHEMERAL, content: expect.stringMatching(/"什么"/) });
  });

  it('does not let article text ping anyone: @everyone and role mentions are defused and allowed_mentions is empty', async () => {
    const bot = await startBot({
      extraArticles: [
        {
          title: '@here 小区周末停水通知',
          text: '@everyone 请注意:<@&123456789012345678> 物业通知,本周六小区停水检修,时间为上午9点到下午5点,请 <@123456789012345678> 提前储水。',
          source: '社区通讯',
          publishedAt: '2025-02-13',
        },
      ],
    });
    const [, answer] = await bot.settled(await bot.ask('小区停水检修'));

    expect(answer?.allowed_mentions).toEqual({ parse: [] });
    const text = visibleText(answer);
    expect(text).toContain('停水');
    expect(text).toContain('社区通讯');
    expect(text).not.toMatch(/@everyone|@here/);
    expect(text).not.toMatch(/<@&?\d+>/);
    // The words are still there for the reader, only no longer mention syntax.
    expect(text).toMatch(/@\u200beveryone/);

    const latest = await bot.settled(await bot.command('latest'));
    expect(latest[0]?.allowed_mentions).toEqual({ parse: [] });
    expect(visibleText(latest[0])).toContain('小区周末停水通知');
    expect(visibleText(latest[0])).not.toMatch(/@here/);
  });

  it('does not echo a typed @everyone as a mention when the outlet is unknown', async () => {
    const bot = await startBot();
    const [, answer] = await bot.settled(await bot.ask('特斯拉', { source: '@everyone' }));

    expect(answer?.allowed_mentions).toEqual({ parse: [] });
    expect(answer?.content).toMatch(/No outlet called/);
    expect(answer?.content).not.toMatch(/@everyone/);
  });

  it('answers from one outlet with source:, and lists the indexed outlets for an unknown one', async () => {
    const bot = await startBot();
    const [, fromOne] = await bot.settled(await bot.ask('特斯拉储能', { source: '三里河' }));
    const passages = passagesOf(fromOne?.embeds?.[0]?.description);
    expect(passages.length).toBeGreaterThan(0);
    for (const p of passages) expect(p).toContain(' · 三里河 · ');
    expect(fromOne?.embeds?.[0]?.footer?.text).toContain('三里河');

    bot.clock.advance(60_000);
    const [, unknown] = await bot.settled(await bot.ask('特斯拉储能', { source: '新华社' }));
    expect(unknown?.embeds).toEqual([]);
    expect(unknown?.content).toMatch(/No outlet called "新华社" is indexed/);
    expect(unknown?.content).toMatch(/本报/);
    expect(unknown?.content).toMatch(/三里河/);
  });

  it('answers /ask in a direct message, in that DM and nowhere else', async () => {
    const bot = await startBot();
    const asked = await bot.ask(QUESTION, { dm: true });
    const [deferral, answer] = await bot.settled(asked);

    expect(deferral).toMatchObject({ kind: 'callback', type: CALLBACK.deferredReply });
    expect(answer?.embeds?.[0]?.title).toBe(QUESTION);
    const message = bot.emu.originalMessage(asked.token);
    expect(message?.channel_id).not.toBe(CHANNEL_ID);
    expect(message?.guild_id).toBeUndefined();
    expect(bot.emu.channelMessages(CHANNEL_ID)).toEqual([]);
  });

  it('refuses a question longer than the option allows with a clear private answer, and keeps answering', async () => {
    const bot = await startBot();
    const long = `${QUESTION}${'请详细说明'.repeat(60)}`;
    expect(long.length).toBeGreaterThan(256);
    const responses = await bot.settled(await bot.ask(long));

    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({ kind: 'callback', type: CALLBACK.reply, flags: EPHEMERAL });
    expect(responses[0]?.content).toMatch(new RegExp(`is ${long.length} characters long; the limit is 256`));
    expect(bot.log.lines.filter((l) => l.level === 'error')).toEqual([]);

    const [, next] = await bot.settled(await bot.ask(QUESTION));
    expect(next?.embeds?.[0]?.title).toBe(QUESTION);
  });
});

describe('/sources, /latest and /help', () => {
  it('lists 三里河 and 本报 with their article counts', async () => {
    const bot = await startBot();
    const [reply] = await bot.settled(await bot.command('sources'));

    expect(reply).toMatchObject({ kind: 'callback', type: CALLBACK.reply, allowed_mentions: { parse: [] } });
    const text = visibleText(reply);
    expect(text).toMatch(/本报\*\* · 5 articles/);
    expect(text).toMatch(/三里河\*\* · 1 article\b/);
  });

  it('lists the newest headlines with outlet and date, newest first', async () => {
    const bot = await startBot();
    const [reply] = await bot.settled(await bot.command('latest'));

    const lines = (reply?.embeds?.[0]?.description ?? '').split('\n');
    expect(lines[0]).toBe('“特斯拉速度”刷新,外企与中国市场双向奔赴 · 三里河 · 2025-02-14');
    expect(lines).toContain('特斯拉上海储能超级工厂投产 · 本报 · 2025-02-12');
    expect(lines).toHaveLength(6);

    const [onlyPaper] = await bot.settled(await bot.command('latest', [{ name: 'source', type: 3, value: '本报' }]));
    const paperLines = (onlyPaper?.embeds?.[0]?.description ?? '').split('\n');
    expect(paperLines).toHaveLength(5);
    for (const line of paperLines) expect(line).toContain(' · 本报 · ');

    const [unknown] = await bot.settled(await bot.command('latest', [{ name: 'source', type: 3, value: '新华社' }]));
    expect(unknown).toMatchObject({ flags: EPHEMERAL });
    expect(unknown?.content).toMatch(/No outlet called "新华社"/);
    expect(unknown?.content).toContain('本报');
    expect(unknown?.content).toContain('三里河');
  });

  it('answers /help privately', async () => {
    const bot = await startBot();
    const [reply] = await bot.settled(await bot.command('help'));

    expect(reply).toMatchObject({ kind: 'callback', type: CALLBACK.reply, flags: EPHEMERAL, allowed_mentions: { parse: [] } });
    expect(reply?.content).toMatch(/\/ask/);
    expect(reply?.content).toMatch(/\/sources/);
  });
});
