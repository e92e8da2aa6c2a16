import { describe, expect, it } from 'vitest';
import type { BotRun } from './bot-harness.js';
import { MANAGE_SERVER, useBotPerTest, visibleText } from './bot-harness.js';
import type { SlashCommandOptionInput } from './discord-emulator/index.js';

/** 07:00 on 15 February in Shanghai: the samples are ingested now, an hour before the digest time. */
const BEFORE_EIGHT = '2025-02-14T23:00:00Z';
const FIRST_DIGEST_CHANNEL = '1300000000000000003';
const SECOND_DIGEST_CHANNEL = '1300000000000000004';
const CHANNELS = [FIRST_DIGEST_CHANNEL, SECOND_DIGEST_CHANNEL];

const startBot = useBotPerTest();

async function subscribe(bot: BotRun, channelId: string): Promise<void> {
  const options: SlashCommandOptionInput[] = [
    { name: 'channel', type: 7, value: channelId },
    { name: 'time', type: 3, value: '08:00' },
    { name: 'timezone', type: 3, value: 'Asia/Shanghai' },
  ];
  const responses = await bot.settled(await bot.digest('subscribe', options, { memberPermissions: MANAGE_SERVER }));
  expect(visibleText(responses.at(-1))).toContain(`<#${channelId}> gets a digest`);
}

function postsTo(bot: BotRun, channelId: string) {
  return bot.emu.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${channelId}/messages`);
}

describe('two bots sharing one data directory (two machines, or a test bot beside production)', () => {
  it('posts one digest per channel when both run their digests at the same time', async () => {
    const bot = await startBot({
      startAt: BEFORE_EIGHT,
      channels: [
        { id: FIRST_DIGEST_CHANNEL, name: 'digest' },
        { id: SECOND_DIGEST_CHANNEL, name: 'digest-2' },
      ],
    });
    for (const channel of CHANNELS) await subscribe(bot, channel);
    const other = await bot.startTwin();
    expect((await other.desk.store.digests.subscriptions()).map((s) => s.channelId).sort()).toEqual(CHANNELS);

    bot.clock.advanceTo('2025-02-15T00:00:30Z');
    const [mine, theirs] = await Promise.all([bot.digestService().runDue(), other.digestService().runDue()]);
    const again = await Promise.all([bot.digestService().runDue(), other.digestService().runDue()]);

    // Each channel was delivered by exactly one of the two, and neither delivers anything on a second run.
    expect([...mine, ...theirs].map((r) => `${r.channelId} ${r.status}`).sort()).toEqual(CHANNELS.map((c) => `${c} sent`).sort());
    expect(again).toEqual([[], []]);
    for (const channel of CHANNELS) {
      expect(bot.emu.channelMessages(channel)).toHaveLength(1);
      // Not two posts that Discord's nonce folded into one: one post.
      expect(postsTo(bot, channel).map((r) => r.status)).toEqual([200]);
      expect(await bot.desk.store.digests.deliveryFor(channel, '2025-02-15')).toMatchObject({ status: 'sent', messageIds: [bot.emu.channelMessages(channel)[0]?.id] });
    }
  });

  it('does not post again a digest the other bot is in the middle of posting; a bot that starts after a stop resumes it once', async () => {
    const bot = await startBot({ startAt: BEFORE_EIGHT, channels: [{ id: FIRST_DIGEST_CHANNEL, name: 'digest' }] });
    await subscribe(bot, FIRST_DIGEST_CHANNEL);
    const other = await bot.startTwin();
    const otherService = other.digestService();
    bot.clock.advanceTo('2025-02-15T00:00:10Z');
    // The first bot's post reaches Discord, but the answer has not come back yet: it is still posting.
    bot.emu.failNext({ method: 'POST', path: new RegExp(`^/channels/${FIRST_DIGEST_CHANNEL}/messages$`), afterAccepting: true, hang: true });
    void bot.digestService().runDue().catch(() => undefined);
    await bot.emu.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${FIRST_DIGEST_CHANNEL}/messages` && r.status === 0);

    bot.clock.advance(30_000);
    expect(await otherService.runDue()).toEqual([]);
    expect(postsTo(bot, FIRST_DIGEST_CHANNEL)).toHaveLength(1);

    // The first bot stops for good; a bot started after that (within Discord's nonce window) finishes its delivery.
    bot.clock.advance(30_000);
    const restarted = await bot.startTwin();
    expect(await restarted.digestService().runDue()).toEqual([{ channelId: FIRST_DIGEST_CHANNEL, localDay: '2025-02-15', status: 'sent', late: false }]);
    expect(bot.emu.channelMessages(FIRST_DIGEST_CHANNEL)).toHaveLength(1);
    expect(await bot.desk.store.digests.deliveryFor(FIRST_DIGEST_CHANNEL, '2025-02-15')).toMatchObject({ status: 'sent', messageIds: [bot.emu.channelMessages(FIRST_DIGEST_CHANNEL)[0]?.id] });
  });
});
