import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, type Interaction } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startDiscordEmulator } from './discord-emulator/index.js';
import type { DiscordEmulator } from './discord-emulator/index.js';
import { shardOfGuild } from './discord-emulator/gateway.js';

// (id >> 22) % 2: the first lands on shard 0, the second on shard 1.
const GUILD_ON_SHARD_0 = '1300000000000000001';
const GUILD_ON_SHARD_1 = '1300000000004194305';
const GUILDS = [
  { id: GUILD_ON_SHARD_0, name: 'Even', channels: [{ id: '1300000000000000002', name: 'news' }] },
  { id: GUILD_ON_SHARD_1, name: 'Odd', channels: [{ id: '1300000000004194306', name: 'news' }] },
];

let emu: DiscordEmulator | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await emu?.close();
  emu = undefined;
});

/** A discord.js client with `shards: 'auto'` that answers every slash command with the shard that received it. */
async function shardedClient(emulator: DiscordEmulator): Promise<Client> {
  const bot = new Client({ intents: [GatewayIntentBits.Guilds], shards: 'auto', rest: { api: emulator.restUrl } });
  client = bot;
  bot.on(Events.InteractionCreate, (interaction: Interaction) => {
    if (interaction.isChatInputCommand()) void interaction.reply({ content: `shard ${interaction.guild?.shardId ?? 'dm'}` });
  });
  const ready = once(bot, Events.ClientReady);
  await bot.login(emulator.token);
  await ready;
  return bot;
}

/** Raw IDENTIFY with a given `shard` field; resolves with the READY payload or the close code. */
function identify(emulator: DiscordEmulator, shard: unknown): Promise<{ ready?: { guilds: { id: string }[]; shard: unknown }; closed?: number }> {
  const socket = new WebSocket(`${emulator.gatewayUrl}/?v=10&encoding=json`);
  return new Promise((resolve) => {
    socket.on('message', (data) => {
      const payload = JSON.parse(String(data)) as { op: number; t?: string; d: unknown };
      if (payload.op === 10) socket.send(JSON.stringify({ op: 2, d: { token: emulator.token, intents: 1, properties: {}, shard } }));
      if (payload.t === 'READY') {
        resolve({ ready: payload.d as { guilds: { id: string }[]; shard: unknown } });
        socket.terminate();
      }
    });
    socket.on('close', (code: number) => resolve({ closed: code }));
  });
}

describe('Discord emulator sharding', () => {
  it('routes a guild to shard (guild_id >> 22) % num_shards, as Discord documents', () => {
    expect(shardOfGuild(GUILD_ON_SHARD_0, 2)).toBe(0);
    expect(shardOfGuild(GUILD_ON_SHARD_1, 2)).toBe(1);
    expect(shardOfGuild(GUILD_ON_SHARD_1, 1)).toBe(0);
    expect(shardOfGuild(null, 2)).toBe(0);
  });

  it('recommends the configured shard count in GET /gateway/bot', async () => {
    emu = await startDiscordEmulator({ guilds: GUILDS, recommendedShards: 2 });
    const response = await fetch(`${emu.restUrl}/v10/gateway/bot`, { headers: { authorization: `Bot ${emu.token}` } });

    expect(await response.json()).toMatchObject({ shards: 2, url: emu.gatewayUrl });
  });

  it("lists only the identifying shard's guilds in READY", async () => {
    emu = await startDiscordEmulator({ guilds: GUILDS });

    const zero = await identify(emu, [0, 2]);
    const one = await identify(emu, [1, 2]);
    const whole = await identify(emu, undefined);

    expect(zero.ready).toMatchObject({ shard: [0, 2], guilds: [{ id: GUILD_ON_SHARD_0 }] });
    expect(one.ready).toMatchObject({ shard: [1, 2], guilds: [{ id: GUILD_ON_SHARD_1 }] });
    expect(whole.ready?.guilds.map((g) => g.id).sort()).toEqual([GUILD_ON_SHARD_0, GUILD_ON_SHARD_1]);
  });

  it('closes an IDENTIFY with an invalid shard with 4010', async () => {
    emu = await startDiscordEmulator({ guilds: GUILDS });

    expect(await identify(emu, [2, 2])).toEqual({ closed: 4010 });
    expect(await identify(emu, [0, 0])).toEqual({ closed: 4010 });
    expect(await identify(emu, ['0', 2])).toEqual({ closed: 4010 });
  });

  it('closes with 4011 (sharding required) when one shard would hold too many guilds', async () => {
    emu = await startDiscordEmulator({ guilds: GUILDS, maxGuildsPerShard: 1 });

    expect(await identify(emu, [0, 1])).toEqual({ closed: 4011 });
    expect((await identify(emu, [1, 2])).ready?.guilds).toEqual([{ id: GUILD_ON_SHARD_1, unavailable: true }]);
  });

  it("delivers each guild's interactions to the shard that owns it", async () => {
    emu = await startDiscordEmulator({ guilds: GUILDS, recommendedShards: 2 });
    const bot = await shardedClient(emu);

    const even = await emu.sendSlashCommand({ name: 'which', guildId: GUILD_ON_SHARD_0 });
    const odd = await emu.sendSlashCommand({ name: 'which', guildId: GUILD_ON_SHARD_1 });

    expect((await emu.waitForInteractionResponse(even.token)).content).toBe('shard 0');
    expect((await emu.waitForInteractionResponse(odd.token)).content).toBe('shard 1');
    expect(bot.ws.shards.size).toBe(2);
    expect(emu.connectedShards().sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(bot.guilds.cache.get(GUILD_ON_SHARD_1)?.shardId).toBe(1);
  });

  it('drops one shard alone: the other keeps receiving, and the dropped one resumes', async () => {
    emu = await startDiscordEmulator({ guilds: GUILDS, recommendedShards: 2 });
    const bot = await shardedClient(emu);
    const resumed = new Promise<number>((resolve) => bot.on(Events.ShardResume, (id) => resolve(id)));
    emu.holdGateway();

    emu.disconnectGateway(4000, 1);
    const even = await emu.sendSlashCommand({ name: 'which', guildId: GUILD_ON_SHARD_0 });
    expect((await emu.waitForInteractionResponse(even.token)).content).toBe('shard 0');
    expect(emu.connectedShards()).toEqual([[0, 2]]);
    emu.releaseGateway();
    const odd = await emu.sendSlashCommand({ name: 'which', guildId: GUILD_ON_SHARD_1 });

    expect(await resumed).toBe(1);
    expect((await emu.waitForInteractionResponse(odd.token)).content).toBe('shard 1');
  });
});
