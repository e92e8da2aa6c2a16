import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  MessageFlags,
  PermissionFlagsBits,
  Routes,
} from 'discord.js';
import type { Interaction } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { startDiscordEmulator } from './discord-emulator/index.js';
import type { DiscordEmulator } from './discord-emulator/index.js';

const GUILD_ID = '1300000000000000001';
const CHANNEL_ID = '1300000000000000002';
const GUILDS = [{ id: GUILD_ID, name: 'Newsroom', channels: [{ id: CHANNEL_ID, name: 'news' }], preferredLocale: 'zh-TW' }];

let emu: DiscordEmulator;
let client: Client | undefined;
/** Errors thrown inside the test's interaction handler; discord.js would otherwise only log them. */
let handlerErrors: unknown[];
/** The message a clicked button sat on, as discord.js saw it. */
let clickedMessageId: string | undefined;

/** A tiny bot: enough commands to exercise every kind of response the emulator records. */
async function answer(interaction: Interaction): Promise<void> {
  if (interaction.isButton() && interaction.customId === 'ping:again') {
    clickedMessageId = interaction.message.id;
    await interaction.update({ content: 'Pong again', components: [] });
    return;
  }
  if (interaction.isAutocomplete()) {
    const typed = interaction.options.getFocused();
    const count = typed === 'many' ? 26 : 2;
    const name = typed === 'long' ? 'x'.repeat(101) : `${typed} in ${interaction.locale} / ${interaction.guildLocale ?? 'dm'}`;
    await interaction.respond(Array.from({ length: count }, (_, i) => ({ name, value: `v${i}` })));
    return;
  }
  if (!interaction.isChatInputCommand()) return;
  switch (interaction.commandName) {
    case 'ping': {
      await interaction.deferReply();
      const button = new ButtonBuilder().setCustomId('ping:again').setLabel('Again').setStyle(ButtonStyle.Primary);
      await interaction.editReply({
        content: 'Pong',
        embeds: [new EmbedBuilder().setTitle('Pong').setDescription('Latency is fine.')],
        components: [new ActionRowBuilder<ButtonBuilder>().addComponents(button)],
        allowedMentions: { parse: [] },
      });
      return;
    }
    case 'slow':
      await delay(100);
      await interaction.reply('Too late');
      return;
    case 'where': {
      const channel = interaction.options.getChannel('channel', true);
      await interaction.reply({ content: `in ${channel.id} (${channel.name ?? ''})`, allowedMentions: { parse: [] } });
      return;
    }
    case 'secret':
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await interaction.editReply('Only you can see this');
      return;
    case 'digest': {
      const where = interaction.inGuild() ? 'guild' : 'dm';
      const hour = interaction.options.getInteger('hour', true);
      await interaction.reply({
        content:
          `${interaction.options.getSubcommand()} at ${hour} in ${where} ` +
          `by ${interaction.user.id} (${interaction.commandId})`,
        allowedMentions: { parse: [] },
      });
      await interaction.followUp({ content: 'Saved.', flags: MessageFlags.Ephemeral });
      return;
    }
  }
}

async function connect(): Promise<Client> {
  const bot = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emu.restUrl } });
  client = bot;
  bot.on(Events.InteractionCreate, (interaction) => {
    answer(interaction).catch((error: unknown) => handlerErrors.push(error));
  });
  const ready = once(bot, Events.ClientReady);
  await bot.login(emu.token);
  await ready;
  return bot;
}

beforeEach(async () => {
  handlerErrors = [];
  clickedMessageId = undefined;
  emu = await startDiscordEmulator({ guilds: GUILDS });
});

afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await emu.close();
});

describe('Discord emulator with the real discord.js client', () => {
  it('logs in and is ready well under a second, with the guild and channel cached', async () => {
    const started = Date.now();
    const bot = await connect();

    expect(Date.now() - started).toBeLessThan(1000);
    expect(bot.user?.id).toBe(emu.botUserId);
    expect(bot.guilds.cache.get(GUILD_ID)?.name).toBe('Newsroom');
    expect(bot.channels.cache.get(CHANNEL_ID)?.isTextBased()).toBe(true);
    expect(bot.guilds.cache.get(GUILD_ID)?.members.me?.id).toBe(emu.botUserId);
  });

  it('records a deferred reply and its edit with the embed, the button and no pings', async () => {
    await connect();
    const { token } = await emu.sendSlashCommand({ name: 'ping' });
    await emu.waitForInteractionResponse(token, (r) => r.kind === 'edit-original');

    const [deferral, edit] = emu.interactionResponses(token);
    expect(deferral).toMatchObject({ kind: 'callback', type: 5 });
    expect(edit).toMatchObject({ kind: 'edit-original', content: 'Pong', allowed_mentions: { parse: [] } });
    expect(edit?.embeds?.[0]).toMatchObject({ title: 'Pong', description: 'Latency is fine.' });
    expect(edit?.components?.[0]?.components?.[0]).toMatchObject({ type: 2, custom_id: 'ping:again', label: 'Again' });
    // discord.js sends `%40original`; the recording shows it decoded.
    expect(emu.requests.some((r) => r.method === 'PATCH' && r.path.endsWith('/messages/@original'))).toBe(true);
    expect(emu.originalMessage(token)).toMatchObject({ content: 'Pong', flags: 0, channel_id: CHANNEL_ID });
    expect(handlerErrors).toEqual([]);
  });

  it('sends a keystroke as an autocomplete interaction with the member’s and the server’s language, and records the suggestions', async () => {
    await connect();
    const { token } = await emu.sendAutocomplete({ name: 'pick', options: [{ name: 'what', type: 3, value: '上海', focused: true }], locale: 'zh-CN' });
    const result = await emu.waitForInteractionResponse(token);

    expect(result).toMatchObject({ kind: 'callback', type: 8 });
    expect(result.choices).toEqual([
      { name: '上海 in zh-CN / zh-TW', value: 'v0' },
      { name: '上海 in zh-CN / zh-TW', value: 'v1' },
    ]);
    expect(handlerErrors).toEqual([]);
  });

  it.each([
    ['more than 25 suggestions', 'many'],
    ['a suggestion over 100 characters', 'long'],
  ])('refuses %s with 400, as Discord does', async (_, typed) => {
    await connect();
    const { token } = await emu.sendAutocomplete({ name: 'pick', options: [{ name: 'what', type: 3, value: typed, focused: true }] });
    await emu.waitForRequest((r) => r.path.endsWith('/callback'));

    await vi.waitFor(() => expect(handlerErrors).toHaveLength(1));
    expect(handlerErrors[0]).toBeInstanceOf(DiscordAPIError);
    expect((handlerErrors[0] as DiscordAPIError).code).toBe(50035);
    expect(emu.interactionResponses(token)).toEqual([]);
  });

  it('records an update when the button on the reply is clicked', async () => {
    await connect();
    const command = await emu.sendSlashCommand({ name: 'ping' });
    await emu.waitForInteractionResponse(command.token, (r) => r.kind === 'edit-original');
    const replyId = emu.originalMessage(command.token)?.id;

    const click = await emu.clickButton({ customId: 'ping:again' });
    const update = await emu.waitForInteractionResponse(click.token);

    expect(update).toMatchObject({ kind: 'callback', type: 7, content: 'Pong again', components: [] });
    expect(clickedMessageId).toBe(replyId);
    expect(emu.message(replyId ?? '')).toMatchObject({ content: 'Pong again', components: [] });
    expect(handlerErrors).toEqual([]);
  });

  it('shows the ephemeral flag 64 on a private deferral and keeps it through the edit', async () => {
    await connect();
    const { token } = await emu.sendSlashCommand({ name: 'secret' });
    await emu.waitForInteractionResponse(token, (r) => r.kind === 'edit-original');

    const ephemeral = MessageFlags.Ephemeral;
    expect(emu.interactionResponses(token)[0]).toMatchObject({ kind: 'callback', type: 5, flags: ephemeral });
    expect(emu.originalMessage(token)).toMatchObject({ content: 'Only you can see this', flags: ephemeral });
  });

  it('delivers subcommand options and the registered command id, in a guild and in a DM', async () => {
    const bot = await connect();
    const registered = (await bot.rest.put(Routes.applicationGuildCommands(emu.applicationId, GUILD_ID), {
      body: [
        {
          name: 'digest',
          description: 'Daily digest',
          options: [{ name: 'subscribe', description: 'Subscribe', type: 1 }],
        },
      ],
    })) as { id: string; name: string }[];
    expect(emu.commands(GUILD_ID)).toEqual(registered);

    const options = [{ name: 'hour', type: 4, value: 8 }];
    const userId = '1300000000000000042';
    const inGuild = await emu.sendSlashCommand({ name: 'digest', subcommand: 'subscribe', options, userId });
    const inDm = await emu.sendSlashCommand({ name: 'digest', subcommand: 'subscribe', options, dm: true });
    await emu.waitForInteractionResponse(inGuild.token, (r) => r.kind === 'follow-up');
    await emu.waitForInteractionResponse(inDm.token, (r) => r.kind === 'follow-up');

    expect(emu.interactionResponses(inGuild.token)[0]?.content).toBe(
      `subscribe at 8 in guild by ${userId} (${registered[0]?.id})`,
    );
    expect(emu.interactionResponses(inDm.token)[0]?.content).toMatch(/^subscribe at 8 in dm by \d{17,19} /);
    const followUp = emu.interactionResponses(inGuild.token)[1];
    expect(followUp).toMatchObject({ kind: 'follow-up', content: 'Saved.', flags: 64 });
    expect(handlerErrors).toEqual([]);
  });

  it('resolves a channel option into the channel, as Discord does in data.resolved', async () => {
    await connect();
    const { token } = await emu.sendSlashCommand({ name: 'where', options: [{ name: 'channel', type: 7, value: CHANNEL_ID }] });

    const reply = await emu.waitForInteractionResponse(token);

    expect(reply.content).toBe(`in ${CHANNEL_ID} (news)`);
    expect(handlerErrors).toEqual([]);
  });

  it('answers a failed edit with 500 once, and discord.js retries it to success', async () => {
    await connect();
    emu.failNext({ method: 'PATCH', path: /\/messages\/@original$/, status: 500 });
    const { token } = await emu.sendSlashCommand({ name: 'ping' });
    await emu.waitForInteractionResponse(token, (r) => r.kind === 'edit-original');

    const edits = emu.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('@original'));
    expect(edits.map((r) => r.status)).toEqual([500, 200]);
    expect(handlerErrors).toEqual([]);
  });

  it('answers 429 with Retry-After, and discord.js waits and posts once', async () => {
    const bot = await connect();
    emu.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 429, retryAfterSeconds: 1 });
    const channel = bot.channels.cache.get(CHANNEL_ID);
    if (!channel?.isSendable()) throw new Error('channel is not sendable');

    const started = Date.now();
    await channel.send({ content: 'Morning digest', allowedMentions: { parse: [] } });

    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const posts = emu.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL_ID}/messages`);
    expect(posts.map((r) => r.status)).toEqual([429, 200]);
    expect(posts[0]?.response).toMatchObject({ retry_after: 1, global: false });
    const posted = emu.channelMessages(CHANNEL_ID);
    expect(posted).toMatchObject([{ content: 'Morning digest', allowed_mentions: { parse: [] } }]);
  });

  it('surfaces 403 Missing Permissions as a DiscordAPIError with code 50013', async () => {
    const bot = await connect();
    emu.failNext({ path: /^\/channels\/\d+\/messages$/, status: 403 });
    const channel = bot.channels.cache.get(CHANNEL_ID);
    if (!channel?.isSendable()) throw new Error('channel is not sendable');

    const error = await channel.send('hello').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ code: 50013, status: 403 });
    expect(emu.channelMessages(CHANNEL_ID)).toEqual([]);
  });

  it('returns the first message for a repeated nonce with enforce_nonce, and creates nothing', async () => {
    const bot = await connect();
    const post = (body: Record<string, unknown>) =>
      bot.rest.post(Routes.channelMessages(CHANNEL_ID), { body }) as Promise<{ id: string; content: string }>;

    const first = await post({ content: 'Morning digest', nonce: 'd1p0', enforce_nonce: true });
    const again = await post({ content: 'Morning digest, resent', nonce: 'd1p0', enforce_nonce: true });
    const other = await post({ content: 'Second part', nonce: 'd1p1', enforce_nonce: true });

    expect(again).toMatchObject({ id: first.id, content: 'Morning digest' });
    expect(other.id).not.toBe(first.id);
    expect(emu.channelMessages(CHANNEL_ID).map((m) => m.content)).toEqual(['Morning digest', 'Second part']);
    const posts = emu.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL_ID}/messages`);
    expect(posts.map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it('posts again for a repeated nonce without enforce_nonce, or once the nonce window has passed', async () => {
    await emu.close();
    emu = await startDiscordEmulator({ guilds: GUILDS, nonceWindowMs: 20 });
    const bot = await connect();
    const post = (body: Record<string, unknown>) => bot.rest.post(Routes.channelMessages(CHANNEL_ID), { body });

    await post({ content: 'one', nonce: 'n1' });
    await post({ content: 'two', nonce: 'n1' });
    await post({ content: 'three', nonce: 'n2', enforce_nonce: true });
    await delay(50);
    await post({ content: 'four', nonce: 'n2', enforce_nonce: true });

    expect(emu.channelMessages(CHANNEL_ID).map((m) => m.content)).toEqual(['one', 'two', 'three', 'four']);
  });

  it('refuses a nonce longer than 25 characters as Discord does', async () => {
    const bot = await connect();
    const error = await bot.rest
      .post(Routes.channelMessages(CHANNEL_ID), { body: { content: 'x', nonce: 'n'.repeat(26), enforce_nonce: true } })
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 50035, status: 400 });
    expect(emu.channelMessages(CHANNEL_ID)).toEqual([]);
  });

  it('stores a post whose answer is lost (afterAccepting), so a retry with the same enforced nonce gets it back', async () => {
    const bot = await connect();
    emu.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 500, afterAccepting: true });

    // discord.js retries the 500 itself, with the same body.
    const posted = (await bot.rest.post(Routes.channelMessages(CHANNEL_ID), {
      body: { content: 'Morning digest', nonce: 'd7p0', enforce_nonce: true },
    })) as { id: string };

    const posts = emu.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL_ID}/messages`);
    expect(posts.map((r) => r.status)).toEqual([500, 200]);
    expect(emu.channelMessages(CHANNEL_ID)).toMatchObject([{ id: posted.id, content: 'Morning digest' }]);
  });

  it('leaves a request hanging with hang (recorded with status 0) until the emulator closes', async () => {
    const bot = await connect();
    emu.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, afterAccepting: true, hang: true });

    const pending = bot.rest.post(Routes.channelMessages(CHANNEL_ID), { body: { content: 'Stuck' } }).then(
      () => 'answered',
      () => 'failed',
    );
    await emu.waitForRequest((r) => r.method === 'POST' && r.status === 0);

    expect(emu.channelMessages(CHANNEL_ID)).toMatchObject([{ content: 'Stuck' }]);
    await emu.close();
    expect(await pending).toBe('failed');
  });

  it('applies channel permission overwrites: the bot sees them in its cache and Discord refuses its posts', async () => {
    await emu.close();
    const LOCKED_ID = '1300000000000000003';
    const SEND = PermissionFlagsBits.SendMessages;
    emu = await startDiscordEmulator({
      guilds: [
        {
          ...GUILDS[0]!,
          channels: [
            { id: CHANNEL_ID, name: 'news' },
            { id: LOCKED_ID, name: 'locked', permissionOverwrites: [{ id: GUILD_ID, type: 0, allow: '0', deny: String(SEND) }] },
          ],
          systemChannelId: null,
        },
      ],
    });
    const bot = await connect();
    const guild = bot.guilds.cache.get(GUILD_ID)!;
    const locked = guild.channels.cache.get(LOCKED_ID);
    if (!locked?.isSendable() || !('permissionsFor' in locked)) throw new Error('locked is not a text channel');

    expect(locked.permissionsFor(guild.members.me!).has(SEND)).toBe(false);
    expect(guild.systemChannel).toBeNull();
    const error = await locked.send('hello').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 50013, status: 403 });
    expect(emu.channelMessages(LOCKED_ID)).toEqual([]);
    const news = bot.channels.cache.get(CHANNEL_ID);
    if (!news?.isSendable()) throw new Error('news is not sendable');
    await news.send('fine');
    expect(emu.channelMessages(CHANNEL_ID)).toMatchObject([{ content: 'fine' }]);
  });

  it('keeps the messages the bot sends a user by DM', async () => {
    const bot = await connect();
    const userId = '1300000000000000042';
    const user = await bot.users.fetch(userId);

    await user.send({ content: 'Your digest was stopped', allowedMentions: { parse: [] } });

    expect(emu.directMessages(userId)).toMatchObject([{ content: 'Your digest was stopped', allowed_mentions: { parse: [] } }]);
    expect(emu.directMessages('1300000000000000099')).toEqual([]);
  });

  it('understands multipart uploads (payload_json plus files)', async () => {
    const bot = await connect();
    const channel = bot.channels.cache.get(CHANNEL_ID);
    if (!channel?.isSendable()) throw new Error('channel is not sendable');

    await channel.send({ content: 'Attached', files: [{ attachment: Buffer.from('hello'), name: 'note.txt' }] });

    const [posted] = emu.channelMessages(CHANNEL_ID);
    expect(posted).toMatchObject({ content: 'Attached', attachments: [{ filename: 'note.txt', size: 5 }] });
  });

  it('refuses a message over Discord limits the way Discord does', async () => {
    const bot = await connect();
    const channel = bot.channels.cache.get(CHANNEL_ID);
    if (!channel?.isSendable()) throw new Error('channel is not sendable');

    const error = await channel.send('x'.repeat(2001)).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 50035, status: 400 });
    expect(String(error)).toContain('content[BASE_TYPE_MAX_LENGTH]');
  });

  it('refuses an answer that comes after the acknowledgement window with Unknown interaction', async () => {
    await emu.close();
    // Production's window is 3 s; a short one keeps the test fast and exercises the same path.
    emu = await startDiscordEmulator({ guilds: GUILDS, acknowledgeWithinMs: 50 });
    await connect();

    await emu.sendSlashCommand({ name: 'slow' });

    await vi.waitFor(() => expect(handlerErrors).toHaveLength(1), { timeout: 30_000 });
    expect(handlerErrors[0]).toMatchObject({ code: 10062, status: 404 });
  });

  it('makes login reject for a wrong token (401 from GET /gateway/bot)', async () => {
    const bot = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emu.restUrl } });
    client = bot;

    await expect(bot.login('not-the-token')).rejects.toThrow(/invalid token/i);
    expect(emu.requests.at(-1)).toMatchObject({ method: 'GET', path: '/gateway/bot', status: 401 });
  });

  it('closes the gateway with 4004 when IDENTIFY carries a wrong token', async () => {
    const socket = new WebSocket(`${emu.gatewayUrl}/?v=10&encoding=json`);
    socket.on('message', (data) => {
      const payload = JSON.parse(String(data)) as { op: number };
      if (payload.op === 10) socket.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 1, properties: {} } }));
    });

    const [code] = (await once(socket, 'close')) as [number];

    expect(code).toBe(4004);
  });

  it('resumes after the gateway drops and keeps receiving interactions', async () => {
    const bot = await connect();
    const resumed = once(bot, Events.ShardResume);

    emu.disconnectGateway();
    await resumed;
    const { token } = await emu.sendSlashCommand({ name: 'secret' });

    await expect(emu.waitForInteractionResponse(token, (r) => r.kind === 'edit-original')).resolves.toBeDefined();
  });

  it('answers unknown routes and bad tokens with Discord-shaped JSON errors', async () => {
    const unknown = await fetch(`${emu.restUrl}/v10/no/such/route`, { headers: { authorization: `Bot ${emu.token}` } });
    const badToken = await fetch(`${emu.restUrl}/v10/users/@me`, { headers: { authorization: 'Bot nope' } });

    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/json');
    expect(await unknown.json()).toEqual({ message: '404: Not Found', code: 0 });
    expect(badToken.status).toBe(401);
    expect(await badToken.json()).toEqual({ message: '401: Unauthorized', code: 0 });
    expect(emu.requests.map((r) => `${r.status} ${r.path}`)).toEqual(['404 /no/such/route', '401 /users/@me']);
  });
});
