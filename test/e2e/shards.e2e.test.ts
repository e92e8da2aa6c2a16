import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Events, type Interaction } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { ConnectionWatch } from '../../src/discord/connection-watch.js';
import type { BotRun, BotRunOptions } from './bot-harness.js';
import { CHANNEL_ID, GUILD_ID, MANAGE_SERVER, useBotPerTest, visibleText } from './bot-harness.js';
import { shardOfGuild } from './discord-emulator/gateway.js';
import { startDiscordEmulator, type SlashCommandOptionInput } from './discord-emulator/index.js';

/** 07:00 on 15 February in Shanghai: the samples are ingested now, an hour before the digest time. */
const BEFORE_EIGHT = '2025-02-14T23:00:00Z';
/** A second server whose id lands on shard 1 of 2 ((id >> 22) % 2), where the Newsroom guild lands on shard 0. */
const OTHER_GUILD_ID = '1300000000004194305';
const OTHER_CHANNEL_ID = '1300000000004194306';
const DIGEST_CHANNEL_ID = '1300000000000000003';
const QUESTION = '特斯拉上海储能超级工厂用了多久建成?';

const startBot = useBotPerTest();

/** The bot with NEWSDESK_SHARDS=2 in the Newsroom guild (shard 0) and a second server (shard 1). */
function startSharded(options: BotRunOptions = {}): Promise<BotRun> {
  return startBot({
    startAt: BEFORE_EIGHT,
    shards: 2,
    channels: [{ id: DIGEST_CHANNEL_ID, name: 'digest' }],
    moreGuilds: [{ id: OTHER_GUILD_ID, name: 'Second paper', channels: [{ id: OTHER_CHANNEL_ID, name: 'news' }] }],
    ...options,
  });
}

/** Which shard of the bot received each interaction, by interaction id. */
function shardsReceiving(bot: BotRun): Map<string, number | undefined> {
  const seen = new Map<string, number | undefined>();
  bot.client.on(Events.InteractionCreate, (interaction: Interaction) => seen.set(interaction.id, interaction.guild?.shardId));
  return seen;
}

async function askIn(bot: BotRun, guildId: string, channelId: string) {
  const sent = await bot.ask(QUESTION, { guildId, channelId });
  const responses = await bot.settled(sent);
  return { sent, answer: visibleText(responses.at(-1)), outcome: bot.outcome(sent) };
}

function subscribeOptions(channelId: string): SlashCommandOptionInput[] {
  return [
    { name: 'channel', type: 7, value: channelId },
    { name: 'time', type: 3, value: '08:00' },
    { name: 'timezone', type: 3, value: 'Asia/Shanghai' },
  ];
}

async function subscribeIn(bot: BotRun, guildId: string, channelId: string): Promise<string> {
  const responses = await bot.settled(await bot.digest('subscribe', subscribeOptions(channelId), { memberPermissions: MANAGE_SERVER, guildId, channelId }));
  return visibleText(responses.at(-1));
}

describe('the bot as two shards (NEWSDESK_SHARDS=2)', () => {
  it('answers /ask in two servers on different shards, each from the shard that owns the server', async () => {
    expect(shardOfGuild(GUILD_ID, 2)).toBe(0);
    expect(shardOfGuild(OTHER_GUILD_ID, 2)).toBe(1);
    const bot = await startSharded();
    const received = shardsReceiving(bot);

    const first = await askIn(bot, GUILD_ID, CHANNEL_ID);
    const second = await askIn(bot, OTHER_GUILD_ID, OTHER_CHANNEL_ID);

    expect(bot.emu.connectedShards().sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    for (const asked of [first, second]) {
      expect(asked.outcome).toBe('hits');
      expect(asked.answer).toContain('特斯拉');
    }
    expect(received.get(first.sent.interactionId)).toBe(0);
    expect(received.get(second.sent.interactionId)).toBe(1);
    // Each shard knows its own servers only; the one client holds both.
    expect(bot.client.guilds.cache.get(GUILD_ID)?.shardId).toBe(0);
    expect(bot.client.guilds.cache.get(OTHER_GUILD_ID)?.shardId).toBe(1);
  });

  it('connects as many shards as Discord recommends with NEWSDESK_SHARDS=auto', async () => {
    const bot = await startSharded({ shards: 'auto', recommendedShards: 2 });

    expect(bot.client.ws.shards.size).toBe(2);
    expect(bot.emu.connectedShards().sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect((await askIn(bot, OTHER_GUILD_ID, OTHER_CHANNEL_ID)).outcome).toBe('hits');
  });

  it("posts the digest subscribed in each server's channel once per channel, whichever shard the server is on", async () => {
    const bot = await startSharded();
    expect(await subscribeIn(bot, GUILD_ID, DIGEST_CHANNEL_ID)).toContain(`<#${DIGEST_CHANNEL_ID}> gets a digest`);
    expect(await subscribeIn(bot, OTHER_GUILD_ID, OTHER_CHANNEL_ID)).toContain(`<#${OTHER_CHANNEL_ID}> gets a digest`);

    bot.clock.advanceTo('2025-02-15T00:00:30Z');
    const service = bot.digestService();
    const results = await service.runDue();
    expect(await service.runDue()).toEqual([]);

    expect(results.map((r) => `${r.channelId} ${r.status}`).sort()).toEqual([`${OTHER_CHANNEL_ID} sent`, `${DIGEST_CHANNEL_ID} sent`].sort());
    expect(bot.emu.channelMessages(DIGEST_CHANNEL_ID)).toHaveLength(1);
    expect(bot.emu.channelMessages(OTHER_CHANNEL_ID)).toHaveLength(1);
    expect(bot.emu.channelMessages(DIGEST_CHANNEL_ID)[0]?.embeds[0]?.title).toMatch(/^Today's news · 2025-02-15/);
  });

  it('keeps answering on the other shard while one shard is away, posts its digest meanwhile, and answers there again once it is back', async () => {
    const bot = await startSharded();
    await subscribeIn(bot, OTHER_GUILD_ID, OTHER_CHANNEL_ID);
    const resumed = new Promise<number>((resolve) => bot.client.on(Events.ShardResume, (id) => resolve(id)));

    // Shard 1's connection drops and cannot come back (the gateway greets no new connection).
    bot.emu.holdGateway();
    bot.emu.disconnectGateway(4000, 1);
    expect(bot.emu.connectedShards()).toEqual([[0, 2]]);
    expect((await askIn(bot, GUILD_ID, CHANNEL_ID)).outcome).toBe('hits');
    // A digest goes out over REST, not the gateway: the away shard's server still gets it, once.
    bot.clock.advanceTo('2025-02-15T00:00:30Z');
    expect(await bot.digestService().runDue()).toEqual([{ channelId: OTHER_CHANNEL_ID, localDay: '2025-02-15', status: 'sent', late: false }]);
    expect(bot.emu.channelMessages(OTHER_CHANNEL_ID)).toHaveLength(1);

    bot.emu.releaseGateway();
    const again = await askIn(bot, OTHER_GUILD_ID, OTHER_CHANNEL_ID);

    expect(await resumed).toBe(1);
    expect(again.outcome).toBe('hits');
    expect(again.answer).toContain('特斯拉');
  });

  it('counts the gateway as away while one shard is, logs it after a minute naming the shard, and as back once it resumes', async () => {
    const bot = await startSharded();
    const fatal: string[] = [];
    const watch = new ConnectionWatch(bot.client, { log: bot.log, now: bot.clock.now, onFatal: (m) => fatal.push(m) });
    try {
      bot.emu.holdGateway();
      const reconnecting = new Promise((resolve) => bot.client.once(Events.ShardReconnecting, resolve));
      bot.emu.disconnectGateway(4000, 1);
      await reconnecting;
      expect(watch.status().connected).toBe(false);

      bot.clock.advance(61_000);
      watch.check();
      const long = bot.log.lines.filter((l) => /disconnected from Discord for 61 s/.test(l.msg ?? ''));
      expect(long.map((l) => l.obj.shards)).toEqual([[1]]);

      const resumed = new Promise((resolve) => bot.client.once(Events.ShardResume, resolve));
      bot.emu.releaseGateway();
      await resumed;
      await bot.log.waitFor((l) => /reconnected to Discord after 61 s/.test(l.msg ?? ''));
      expect(watch.status().connected).toBe(true);
      expect(fatal).toEqual([]);
    } finally {
      watch.close();
    }
  });
});

describe('npm start with NEWSDESK_SHARDS=2', () => {
  it('runs both shards in one process and answers /ask in a server of each', { timeout: 180_000 }, async () => {
    const emu = await startDiscordEmulator({
      acknowledgeWithinMs: 60_000,
      guilds: [
        { id: GUILD_ID, name: 'Newsroom', channels: [{ id: CHANNEL_ID, name: 'news' }] },
        { id: OTHER_GUILD_ID, name: 'Second paper', channels: [{ id: OTHER_CHANNEL_ID, name: 'news' }] },
      ],
    });
    const dataDir = mkdtempSync(join(tmpdir(), 'newsdesk-shards-'));
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/bot.ts'], {
      env: { ...process.env, DISCORD_TOKEN: emu.token, DISCORD_APPLICATION_ID: emu.applicationId, DISCORD_API_URL: emu.restUrl, NEWSDESK_DATA_DIR: dataDir, NEWSDESK_SHARDS: '2', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      const ready = new Promise<void>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString('utf8');
          if (/"msg":"bot ready"/.test(output)) resolve();
        };
        proc.stdout.on('data', onData);
        proc.stderr.on('data', onData);
        proc.once('exit', (code) => reject(new Error(`the bot exited (${code}) before it was ready:\n${output}`)));
      });
      await ready;

      const readyLine = JSON.parse(output.split('\n').find((l) => l.includes('"msg":"bot ready"'))!) as { shards: number; guilds: number };
      expect(readyLine).toMatchObject({ shards: 2, guilds: 2 });
      expect(emu.connectedShards().sort()).toEqual([
        [0, 2],
        [1, 2],
      ]);
      for (const [guildId, channelId] of [
        [GUILD_ID, CHANNEL_ID],
        [OTHER_GUILD_ID, OTHER_CHANNEL_ID],
      ] as const) {
        const sent = await emu.sendSlashCommand({ name: 'ask', guildId, channelId, options: [{ name: 'question', type: 3, value: QUESTION }] });
        // An empty data directory: the answer says how to add news, from whichever shard owns the server.
        expect(await emu.waitForInteractionResponse(sent.token, (r) => r.kind === 'edit-original' || (r.kind === 'callback' && r.type === 4))).toBeDefined();
      }
      expect(output).not.toContain(emu.token);
    } finally {
      proc.kill('SIGKILL');
      await emu.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
