import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startBot } from '../../src/discord/client.js';
import { Cooldown } from '../../src/discord/cooldown.js';
import { loadCommands } from '../../src/discord/load-commands.js';
import { registerCommands } from '../../src/discord/register-commands.js';
import type { Newsdesk } from '../../src/newsdesk.js';
import { BotRun, CALLBACK, CHANNEL_ID, EPHEMERAL, GUILD_ID, MEMBER_ID, OTHER_MEMBER_ID, recordingLog, removeTempDirs } from './bot-harness.js';
import { startDiscordEmulator } from './discord-emulator/index.js';

const QUESTION = '特斯拉上海储能超级工厂用了多久建成?';
const EDIT_ORIGINAL = /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/;

let run: BotRun | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});
afterAll(removeTempDirs);

describe('when Discord misbehaves', () => {
  it.each([
    ['a 500 once', { status: 500 }],
    ['a 429 with Retry-After', { status: 429, retryAfterSeconds: 0.2 }],
  ])('still delivers the answer exactly once after %s on the edit of the deferred reply', async (_, failure) => {
    run = await BotRun.start();
    run.emu.failNext({ method: 'PATCH', path: EDIT_ORIGINAL, ...failure });
    const asked = await run.ask(QUESTION);
    const responses = await run.settled(asked);

    const edits = run.emu.requests.filter((r) => r.method === 'PATCH' && EDIT_ORIGINAL.test(r.path));
    expect(edits.map((r) => r.status)).toEqual([failure.status, 200]);
    expect(responses.map((r) => r.kind)).toEqual(['callback', 'edit-original']);
    expect(run.emu.originalMessage(asked.token)?.embeds.map((e) => e.title)).toEqual([QUESTION]);
    expect(run.outcome(asked)).toBe('hits');
  });

  it('tells the user privately that something went wrong when Discord keeps failing the edit, and does not hang', async () => {
    run = await BotRun.start();
    // discord.js retries a 5xx three times; the fourth failure reaches the command.
    run.emu.failNext({ method: 'PATCH', path: EDIT_ORIGINAL, status: 502, times: 4 });
    const asked = await run.ask(QUESTION);
    const responses = await run.settled(asked);

    expect(responses.at(-1)).toMatchObject({ kind: 'follow-up', flags: EPHEMERAL, content: expect.stringMatching(/^Something went wrong/) });
    expect(run.emu.originalMessage(asked.token)).toBeUndefined();
    expect(run.outcome(asked)).toBe('error');
  });
});

describe('the per-user cooldown', () => {
  it('tells a member who asks too fast, privately, how many seconds to wait; others and later questions are answered', async () => {
    run = await BotRun.start();
    const burst = 4;
    for (let i = 0; i < burst; i++) {
      const [, answer] = await run.settled(await run.ask(QUESTION));
      expect(answer?.embeds?.[0]?.title).toBe(QUESTION);
      run.clock.advance(1_000);
    }

    const tooFast = await run.settled(await run.ask(QUESTION));
    expect(tooFast).toHaveLength(1);
    expect(tooFast[0]).toMatchObject({ kind: 'callback', type: CALLBACK.reply, flags: EPHEMERAL });
    // Four questions at 0, 1, 2 and 3 s fill the 20 s window; at 4 s the first one frees up in 16 s.
    expect(tooFast[0]?.content).toMatch(/try again in 16 s/);
    expect(run.emu.channelMessages(CHANNEL_ID)).toEqual([]);

    const [, other] = await run.settled(await run.ask(QUESTION, { userId: OTHER_MEMBER_ID }));
    expect(other?.embeds?.[0]?.title).toBe(QUESTION);

    run.clock.advance(16_000);
    const [, later] = await run.settled(await run.ask(QUESTION, { userId: MEMBER_ID }));
    expect(later?.embeds?.[0]?.title).toBe(QUESTION);
  });
});

describe('the one error boundary', () => {
  it('answers a failing command with a private "Something went wrong" and one error line with the interaction id', async () => {
    run = await BotRun.start();
    // The database going away under the bot is the kind of failure no command handles itself.
    await run.desk.close();
    const asked = await run.ask(QUESTION);
    const responses = await run.settled(asked);

    const told = responses.at(-1);
    expect(told).toMatchObject({ flags: EPHEMERAL, allowed_mentions: { parse: [] } });
    expect(told?.content).toMatch(/^Something went wrong.*try again/i);
    // The public "thinking…" is gone, nothing else was posted.
    expect(responses.map((r) => r.kind)).toEqual(['callback', 'delete-original', 'follow-up']);
    expect(run.emu.originalMessage(asked.token)).toBeUndefined();
    const errors = run.log.lines.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.obj).toMatchObject({ interactionId: asked.interactionId, command: 'ask' });
    expect(run.outcome(asked)).toBe('error');
  });

  it('answers a failing button privately too, and keeps serving other commands', async () => {
    let failing = false;
    run = await BotRun.start({
      wrapDesk: (desk) => {
        const ask = desk.ask.bind(desk);
        desk.ask = (...args) => {
          if (failing) throw new Error('index file vanished');
          return ask(...args);
        };
        return desk;
      },
    });
    const asked = await run.ask('上海');
    await run.settled(asked);
    const more = run.emu.originalMessage(asked.token)?.components[0]?.components?.find((b) => b.label?.includes('More'));
    failing = true;

    const clicked = await run.emu.clickButton({ customId: more!.custom_id!, messageId: run.emu.originalMessage(asked.token)!.id });
    const [ack, reply] = await run.settled(clicked);

    expect(ack).toMatchObject({ kind: 'callback', type: CALLBACK.deferredUpdate });
    expect(reply).toMatchObject({ kind: 'follow-up', flags: EPHEMERAL, content: expect.stringMatching(/^Something went wrong/) });
    expect(run.log.lines.filter((l) => l.level === 'error').map((l) => l.obj)).toEqual([
      expect.objectContaining({ interactionId: clicked.interactionId, kind: 'button', error: 'index file vanished' }),
    ]);
    // The answer that was on screen is left as it was.
    expect(run.emu.originalMessage(asked.token)?.embeds[0]?.footer?.text).toMatch(/^1–3/);

    const [sources] = await run.settled(await run.command('sources'));
    expect(sources?.embeds?.[0]?.description).toContain('三里河');
  });
});

describe('starting the bot', () => {
  it('fails with a plain message naming DISCORD_TOKEN, never the token, when Discord rejects it', async () => {
    const emu = await startDiscordEmulator();
    const log = recordingLog();
    const now = () => new Date('2025-02-20T08:00:00Z');
    const wrongToken = 'MTMwMDAwMDAwMDAwMDAwMDAwMQ.Gx1a2B.not-the-real-secret-value';
    try {
      const started = startBot({
        token: wrongToken,
        apiUrl: emu.restUrl,
        commands: await loadCommands(),
        // Never reached: login fails first.
        ctx: { desk: {} as Newsdesk, log, now, cooldown: new Cooldown(now), defaultTimezone: 'Asia/Shanghai' },
      });
      const error = (await started.then(
        () => undefined,
        (e: unknown) => e,
      )) as Error & { code?: string };

      expect(error).toBeInstanceOf(Error);
      expect(error.message).toMatch(/DISCORD_TOKEN/);
      expect(error.message).toMatch(/Reset Token/);
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message).not.toContain(wrongToken);
      expect(error.message).not.toContain('not-the-real-secret-value');
      expect(JSON.stringify(log.lines)).not.toContain('not-the-real-secret-value');
    } finally {
      await emu.close();
    }
  });
});

describe('registering the commands (npm run deploy-commands)', () => {
  it('registers exactly the commands the bot runs, within Discord’s rules', async () => {
    const emu = await startDiscordEmulator({ guilds: [{ id: GUILD_ID, name: 'Newsroom', channels: [{ id: CHANNEL_ID, name: 'news' }] }] });
    try {
      const commands = await loadCommands();
      const registered = await registerCommands({
        token: emu.token,
        applicationId: emu.applicationId,
        guildId: GUILD_ID,
        apiUrl: emu.restUrl,
        commands,
      });

      expect(registered).toEqual({ names: ['ask', 'digest', 'feeds', 'help', 'latest', 'news', 'sources'], scope: 'guild' });
      type Registered = { options: { name: string; max_length?: number; required?: boolean }[]; name_localizations: Record<string, string> };
      const ask = emu.commands(GUILD_ID).find((c) => c.name === 'ask') as Registered;
      expect(ask.options.find((o) => o.name === 'question')).toMatchObject({ required: true, max_length: 256 });
      expect(ask.name_localizations['zh-CN']).toBe('提问');
    } finally {
      await emu.close();
    }
  });

  it('says which setting to fix when Discord refuses the application id, without the token', async () => {
    const emu = await startDiscordEmulator();
    try {
      const refused = registerCommands({ token: emu.token, applicationId: '1399999999999999999', apiUrl: emu.restUrl, commands: await loadCommands() });
      const error = (await refused.catch((e: unknown) => e)) as Error;

      expect(error.message).toMatch(/DISCORD_APPLICATION_ID \(1399999999999999999\)/);
      expect(error.message).not.toContain(emu.token);
    } finally {
      await emu.close();
    }
  });
});
