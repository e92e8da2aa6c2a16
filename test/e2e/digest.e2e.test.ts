import { PermissionFlagsBits } from 'discord.js';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { BotRunOptions } from './bot-harness.js';
import { BotRun, CALLBACK, CHANNEL_ID, EPHEMERAL, GUILD_ID, MANAGE_SERVER, MEMBER_ID, removeTempDirs, visibleText } from './bot-harness.js';
import type { InteractionResponseRecord, PostedMessage, SlashCommandOptionInput } from './discord-emulator/index.js';

/** 07:00 on 15 February in Shanghai: the samples are ingested now, an hour before the digest time. */
const BEFORE_EIGHT = '2025-02-14T23:00:00Z';
const EIGHT_IN_SHANGHAI = '2025-02-15T00:00:00Z';
const DIGEST_CHANNEL_ID = '1300000000000000003';
/** A channel where @everyone, and so the bot, may read but not post. */
const READ_ONLY_CHANNEL_ID = '1300000000000000004';
const NO_SENDING = [{ id: GUILD_ID, type: 0 as const, allow: '0', deny: String(PermissionFlagsBits.SendMessages) }];
const POST_TO_DIGEST_CHANNEL = new RegExp(`^/channels/${DIGEST_CHANNEL_ID}/messages$`);
const STRING = 3;
const CHANNEL = 7;

let run: BotRun | undefined;
async function startBot(options: BotRunOptions = {}): Promise<BotRun> {
  run = await BotRun.start({
    startAt: BEFORE_EIGHT,
    channels: [
      { id: DIGEST_CHANNEL_ID, name: 'digest' },
      { id: READ_ONLY_CHANNEL_ID, name: 'read-only', permissionOverwrites: NO_SENDING },
    ],
    ...options,
  });
  return run;
}
afterEach(async () => {
  await run?.stop();
  run = undefined;
});
afterAll(removeTempDirs);

function subscribeOptions(channelId: string, time: string, timezone?: string): SlashCommandOptionInput[] {
  return [
    { name: 'channel', type: CHANNEL, value: channelId },
    { name: 'time', type: STRING, value: time },
    ...(timezone ? [{ name: 'timezone', type: STRING, value: timezone }] : []),
  ];
}

/** `/digest subscribe` by an admin; returns the one reply. */
async function subscribe(bot: BotRun, time = '08:00', channelId = DIGEST_CHANNEL_ID) {
  const [reply, ...rest] = afterDeferral(await bot.settled(await bot.digest('subscribe', subscribeOptions(channelId, time, 'Asia/Shanghai'), { memberPermissions: MANAGE_SERVER })));
  expect(rest).toEqual([]);
  return reply;
}

/** What the admin reads of a command that acknowledges privately first (it checks with Discord or builds a digest). */
function afterDeferral(responses: InteractionResponseRecord[]): InteractionResponseRecord[] {
  expect(responses[0]).toMatchObject({ kind: 'callback', type: CALLBACK.deferredReply, flags: EPHEMERAL });
  return responses.slice(1);
}

/** Every story of a posted digest, as the reader sees it: headline line and body. */
function stories(messages: PostedMessage[]) {
  return messages.flatMap((m) => m.embeds.flatMap((e) => e.fields ?? []));
}

describe('/digest subscribe and the daily digest, end to end', () => {
  it('posts the digest at 08:00 Shanghai for an admin who subscribed: the Tesla story once, naming both outlets, without pings', async () => {
    const bot = await startBot();
    const reply = await subscribe(bot);

    expect(reply).toMatchObject({ flags: EPHEMERAL, allowed_mentions: { parse: [] } });
    // The channel is named as a mention the admin can click.
    expect(reply?.content).toContain(`<#${DIGEST_CHANNEL_ID}> gets a digest in English every day at 08:00 (Asia/Shanghai)`);
    expect(await bot.desk.store.digests.getSubscription(DIGEST_CHANNEL_ID)).toMatchObject({ guildId: GUILD_ID, time: '08:00', timezone: 'Asia/Shanghai', enabled: true, createdBy: MEMBER_ID });

    const service = bot.digestService();
    bot.clock.advanceTo('2025-02-14T23:59:00Z'); // 07:59 in Shanghai
    expect(await service.runDue()).toEqual([]);
    bot.clock.advanceTo('2025-02-15T00:00:30Z');
    expect(await service.runDue()).toEqual([{ channelId: DIGEST_CHANNEL_ID, localDay: '2025-02-15', status: 'sent', late: false }]);

    const posted = bot.emu.channelMessages(DIGEST_CHANNEL_ID);
    expect(posted).toHaveLength(1);
    const [digest] = posted;
    expect(digest?.allowed_mentions).toEqual({ parse: [] });
    expect(digest?.embeds[0]?.title).toMatch(/^Today's news · 2025-02-15 \(\d+ stories\)$/);
    expect(digest?.embeds[0]?.footer).toBeUndefined();
    const tesla = stories(posted).filter((s) => s.name.includes('特斯拉'));
    expect(tesla).toHaveLength(1);
    expect(tesla[0]?.name).toMatch(/2 outlets/);
    expect(tesla[0]?.value).toContain('三里河');
    expect(tesla[0]?.value).toContain('本报');
    // Discord took it as it was (the emulator refuses what is over Discord's limits), once, with its nonce enforced.
    const posts = bot.emu.requests.filter((r) => r.method === 'POST' && POST_TO_DIGEST_CHANNEL.test(r.path));
    expect(posts.map((r) => r.status)).toEqual([200]);
    expect(posts[0]?.body).toMatchObject({ nonce: expect.any(String), enforce_nonce: true });

    bot.clock.advanceTo('2025-02-15T06:00:00Z');
    expect(await service.runDue()).toEqual([]);
    expect(bot.emu.channelMessages(DIGEST_CHANNEL_ID)).toHaveLength(1);
    expect(bot.emu.channelMessages(CHANNEL_ID)).toEqual([]);
  });

  it('refuses a member without Manage Server, privately, and stores nothing', async () => {
    const bot = await startBot();
    const [reply, ...rest] = await bot.settled(await bot.digest('subscribe', subscribeOptions(DIGEST_CHANNEL_ID, '08:00', 'Asia/Shanghai')));

    expect(rest).toEqual([]);
    expect(reply).toMatchObject({ kind: 'callback', flags: EPHEMERAL, content: expect.stringMatching(/Manage Server/) });
    expect(await bot.desk.store.digests.subscriptions()).toEqual([]);
  });

  it('refuses an invalid time (25:00, 8am) or time zone (Mars/Base) privately, with an example of a valid one', async () => {
    const bot = await startBot();
    const cases: [string, string, RegExp][] = [
      ['25:00', 'Asia/Shanghai', /"25:00" is not a time.*08:00/],
      ['8am', 'Asia/Shanghai', /"8am" is not a time.*08:00/],
      ['08:00', 'Mars/Base', /"Mars\/Base" is not a time zone.*Asia\/Shanghai/],
      // What a member typed is shown back, but never as a ping.
      ['@here', 'Asia/Shanghai', /"@\u200bhere" is not a time/],
    ];
    for (const [time, timezone, says] of cases) {
      const [reply] = await bot.settled(await bot.digest('subscribe', subscribeOptions(DIGEST_CHANNEL_ID, time, timezone), { memberPermissions: MANAGE_SERVER }));
      expect(reply).toMatchObject({ kind: 'callback', flags: EPHEMERAL, allowed_mentions: { parse: [] } });
      expect(reply?.content).toMatch(says);
    }
    expect(await bot.desk.store.digests.subscriptions()).toEqual([]);
  });

  it('says it cannot post in a channel where the bot lacks Send Messages, and stores nothing', async () => {
    const bot = await startBot();
    const reply = await subscribe(bot, '08:00', READ_ONLY_CHANNEL_ID);

    expect(reply).toMatchObject({ flags: EPHEMERAL });
    expect(reply?.content).toMatch(new RegExp(`^I cannot post in <#${READ_ONLY_CHANNEL_ID}>: .*Send Messages`));
    expect(await bot.desk.store.digests.subscriptions()).toEqual([]);
  });
});

describe('delivering digests when things go wrong, end to end', () => {
  it('posts exactly one digest when the bot restarts in the middle of a delivery Discord had already accepted', async () => {
    const bot = await startBot();
    await subscribe(bot);
    bot.clock.advanceTo('2025-02-15T00:00:10Z');
    // Discord stores the post, but its answer never comes back: the bot process is stopped while it waits.
    bot.emu.failNext({ method: 'POST', path: POST_TO_DIGEST_CHANNEL, afterAccepting: true, hang: true });
    const cutOff = bot.digestService().runDue().then(
      () => 'finished',
      () => 'died with the process',
    );
    await bot.emu.waitForRequest((r) => r.method === 'POST' && POST_TO_DIGEST_CHANNEL.test(r.path) && r.status === 0);
    expect((await bot.desk.store.digests.deliveryFor(DIGEST_CHANNEL_ID, '2025-02-15'))?.status).toBe('claimed');

    await bot.restart();
    bot.clock.advance(60_000);
    const service = bot.digestService();
    expect(await service.runDue()).toEqual([{ channelId: DIGEST_CHANNEL_ID, localDay: '2025-02-15', status: 'sent', late: false }]);
    expect(await service.runDue()).toEqual([]);

    const posted = bot.emu.channelMessages(DIGEST_CHANNEL_ID);
    expect(posted).toHaveLength(1);
    expect(stories(posted).filter((s) => s.name.includes('特斯拉'))).toHaveLength(1);
    // The resend carried the same enforced nonce, and Discord answered with the message it already had.
    const posts = bot.emu.requests.filter((r) => r.method === 'POST' && POST_TO_DIGEST_CHANNEL.test(r.path));
    expect(posts.map((r) => r.status)).toEqual([0, 200]);
    expect(posts[1]?.body).toMatchObject({ nonce: (posts[0]?.body as { nonce: string }).nonce, enforce_nonce: true });
    expect(posts[1]?.response).toMatchObject({ id: posted[0]?.id });
    expect(await bot.desk.store.digests.deliveryFor(DIGEST_CHANNEL_ID, '2025-02-15')).toMatchObject({ status: 'sent', messageIds: [posted[0]?.id] });

    // The old process's request ends only with the connection; it can no longer touch anything.
    await bot.stop();
    expect(await cutOff).toBe('died with the process');
  });

  it('posts a digest whose time passed while the bot was down once, late, and says so', async () => {
    const bot = await startBot();
    await subscribe(bot);
    bot.clock.advanceTo('2025-02-15T03:00:00Z'); // 11:00 in Shanghai: three hours late, the same local day

    await bot.restart();
    const service = bot.digestService();
    expect(await service.runDue()).toEqual([{ channelId: DIGEST_CHANNEL_ID, localDay: '2025-02-15', status: 'sent', late: true }]);
    expect(await service.runDue()).toEqual([]);

    const posted = bot.emu.channelMessages(DIGEST_CHANNEL_ID);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.embeds.at(-1)?.footer?.text).toMatch(/sent late \(scheduled 08:00 Asia\/Shanghai\)/);
    const [status] = await bot.settled(await bot.digest('status', [], { memberPermissions: MANAGE_SERVER }));
    expect(status?.content).toMatch(/2025-02-15 · posted \d+ stories \(late\)/);
  });

  it('stops the subscription with the reason on 403, shows it in /digest status, and tells the guild in its system channel', async () => {
    const bot = await startBot();
    await subscribe(bot);
    bot.clock.advanceTo('2025-02-15T00:00:10Z');
    bot.emu.failNext({ method: 'POST', path: /\/channels\/\d+\/messages/, status: 403, body: { code: 50013, message: 'Missing Permissions' } });

    expect(await bot.digestService().runDue()).toMatchObject([{ localDay: '2025-02-15', status: 'failed' }]);

    expect(await bot.desk.store.digests.getSubscription(DIGEST_CHANNEL_ID)).toMatchObject({ enabled: false, disabledReason: expect.stringMatching(/Missing Permissions/) });
    const [status] = await bot.settled(await bot.digest('status', [], { memberPermissions: MANAGE_SERVER }));
    expect(status).toMatchObject({ kind: 'callback', flags: EPHEMERAL });
    expect(status?.content).toContain(`<#${DIGEST_CHANNEL_ID}> · 08:00 Asia/Shanghai`);
    expect(status?.content).toMatch(/\*\*stopped\*\*: the bot may no longer post in this channel \(Missing Permissions\)/);
    expect(status?.content).toMatch(/last: 2025-02-15 · failed: .*Missing Permissions/);
    // #news is the guild's system channel.
    const notices = bot.emu.channelMessages(CHANNEL_ID);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.content).toMatch(new RegExp(`digest for <#${DIGEST_CHANNEL_ID}> was stopped: .*Missing Permissions.*/digest subscribe`));
    expect(notices[0]?.allowed_mentions).toEqual({ parse: [] });

    bot.clock.advanceTo('2025-02-16T00:00:10Z');
    expect(await bot.digestService().runDue()).toEqual([]);
    expect(bot.emu.channelMessages(DIGEST_CHANNEL_ID)).toEqual([]);
  });

  it('tells the owner by DM when the bot may not post in the system channel either', async () => {
    const bot = await startBot({ systemChannelId: READ_ONLY_CHANNEL_ID });
    await subscribe(bot);
    bot.clock.advanceTo('2025-02-15T00:00:10Z');
    bot.emu.failNext({ method: 'POST', path: POST_TO_DIGEST_CHANNEL, status: 403, body: { code: 50013, message: 'Missing Permissions' } });

    await bot.digestService().runDue();

    expect(bot.emu.channelMessages(READ_ONLY_CHANNEL_ID)).toEqual([]);
    // The guild's owner is the first member the emulator knows.
    const dms = bot.emu.directMessages(MEMBER_ID);
    expect(dms).toHaveLength(1);
    expect(dms[0]?.content).toMatch(/^Newsroom: The daily digest for <#\d+> was stopped: .*Missing Permissions/);
  });

  it('tells the owner by DM when posting in the system channel is refused as well', async () => {
    const bot = await startBot();
    await subscribe(bot);
    bot.clock.advanceTo('2025-02-15T00:00:10Z');
    // The digest channel, then the system channel (#news) refuse; the owner's DM channel does not.
    const refused = { method: 'POST', status: 403, body: { code: 50013, message: 'Missing Permissions' } };
    bot.emu.failNext({ ...refused, path: POST_TO_DIGEST_CHANNEL });
    bot.emu.failNext({ ...refused, path: new RegExp(`^/channels/${CHANNEL_ID}/messages$`) });

    await bot.digestService().runDue();

    expect(bot.emu.channelMessages(CHANNEL_ID)).toEqual([]);
    expect(bot.emu.directMessages(MEMBER_ID)).toMatchObject([{ content: expect.stringMatching(/was stopped: .*Missing Permissions/) }]);
  });
});

describe('/digest preview and unsubscribe, end to end', () => {
  it('previews the digest privately for an Administrator without recording a delivery, then unsubscribes', async () => {
    const bot = await startBot();
    await subscribe(bot);
    const ADMINISTRATOR = { memberPermissions: String(PermissionFlagsBits.Administrator) };

    const [preview, ...more] = afterDeferral(await bot.settled(await bot.digest('preview', [{ name: 'channel', type: CHANNEL, value: DIGEST_CHANNEL_ID }], ADMINISTRATOR)));
    expect(more).toEqual([]);
    expect(preview).toMatchObject({ kind: 'follow-up', flags: EPHEMERAL, allowed_mentions: { parse: [] } });
    expect(visibleText(preview)).toMatch(/特斯拉.*2 outlets/);
    expect(await bot.desk.store.digests.lastDelivery(DIGEST_CHANNEL_ID)).toBeUndefined();
    expect(bot.emu.channelMessages(DIGEST_CHANNEL_ID)).toEqual([]);

    // The preview took nothing away from the real digest.
    bot.clock.advanceTo(EIGHT_IN_SHANGHAI);
    await bot.digestService().runDue();
    expect(stories(bot.emu.channelMessages(DIGEST_CHANNEL_ID)).filter((s) => s.name.includes('特斯拉'))).toHaveLength(1);

    const [gone] = await bot.settled(await bot.digest('unsubscribe', [{ name: 'channel', type: CHANNEL, value: DIGEST_CHANNEL_ID }], ADMINISTRATOR));
    expect(gone).toMatchObject({ flags: EPHEMERAL, content: `<#${DIGEST_CHANNEL_ID}> will get no more digests.` });
    expect(await bot.desk.store.digests.getSubscription(DIGEST_CHANNEL_ID)).toBeUndefined();
    const [status] = await bot.settled(await bot.digest('status', [], ADMINISTRATOR));
    expect(status?.content).toMatch(/No digests in this server yet/);

    bot.clock.advanceTo('2025-02-16T00:00:10Z');
    expect(await bot.digestService().runDue()).toEqual([]);
    expect(bot.emu.channelMessages(DIGEST_CHANNEL_ID)).toHaveLength(1);
  });
});
