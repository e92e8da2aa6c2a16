import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { afterAll, afterEach } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'discord.js';
import { startBot } from '../../src/discord/client.js';
import { createDigestService } from '../../src/discord/digest-delivery.js';
import type { DigestMessage } from '../../src/discord/render-digest.js';
import type { DigestService } from '../../src/digest/digest-service.js';
import type { CommandContext } from '../../src/discord/command.js';
import { Cooldown } from '../../src/discord/cooldown.js';
import { loadCommands } from '../../src/discord/load-commands.js';
import { registerCommands } from '../../src/discord/register-commands.js';
import type { ShardSetting } from '../../src/discord/sharding.js';
import type { UrlPolicy } from '../../src/feeds/safe-url.js';
import type { Logger } from '../../src/log.js';
import { Newsdesk, SAMPLES_DIR } from '../../src/newsdesk.js';
import { writeJsonl, type TestArticle } from '../helpers/articles.js';
import { startDiscordEmulator } from './discord-emulator/index.js';
import type {
  DiscordEmulator,
  EmulatorChannelInput,
  EmulatorGuildInput,
  InjectedInteraction,
  InteractionResponseRecord,
  SlashCommandOptionInput,
} from './discord-emulator/index.js';

export const GUILD_ID = '1300000000000000001';
export const CHANNEL_ID = '1300000000000000002';
export const MEMBER_ID = '1300000000000000042';
export const OTHER_MEMBER_ID = '1300000000000000043';
export const EPHEMERAL = 64;
/** Interaction callback types, as Discord numbers them. */
export const CALLBACK = { reply: 4, deferredReply: 5, deferredUpdate: 6, update: 7 } as const;

/** Manage Server, as a decimal permission bitfield (what `/digest` requires of a member). */
export const MANAGE_SERVER = '32';

const START = '2025-02-20T08:00:00Z';

/** A clock the test moves by hand, so cooldowns and latencies never depend on real time. */
export class ManualClock {
  private t: number;
  constructor(start: string = START) {
    this.t = Date.parse(start);
  }
  readonly now = (): Date => new Date(this.t);
  advance(ms: number): void {
    this.t += ms;
  }
  /** Moves forward to an instant (never back: cooldowns and schedules only see time go on). */
  advanceTo(iso: string): void {
    const to = Date.parse(iso);
    if (!(to >= this.t)) throw new Error(`ManualClock: ${iso} is before ${this.now().toISOString()}`);
    this.t = to;
  }
}

export interface LogLine {
  level: 'info' | 'warn' | 'error' | 'debug';
  msg: string | undefined;
  obj: Record<string, unknown>;
}

/** A logger that keeps every line and lets a test wait for one (e.g. the end-of-interaction line). */
export function recordingLog() {
  const lines: LogLine[] = [];
  const waiters: { match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  const at =
    (level: LogLine['level']) =>
    (obj: object, msg?: string): void => {
      const line: LogLine = { level, msg, obj: obj as Record<string, unknown> };
      lines.push(line);
      for (const w of waiters.splice(0)) {
        if (w.match(line)) w.resolve(line);
        else waiters.push(w);
      }
    };
  const log = { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') } satisfies Logger;
  return {
    ...log,
    lines,
    // Generous: on a busy machine the bot can take seconds to answer; a test waits for the line, not for a time.
    waitFor(match: (line: LogLine) => boolean, timeoutMs = 60_000): Promise<LogLine> {
      const found = lines.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const said = lines.map((l) => `  ${l.level} ${l.msg ?? ''} ${JSON.stringify(l.obj).slice(0, 160)}`).join('\n');
          reject(new Error(`no matching log line within ${timeoutMs} ms; the log said:\n${said}`));
        }, timeoutMs);
        waiters.push({
          match,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
      });
    },
  };
}
export type RecordingLog = ReturnType<typeof recordingLog>;

const tempDirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

const templates = new Map<string, string>();
/**
 * A data dir holding the bundled samples, ingested (at `ingestedAt`, which digests look at) once per test file and
 * start time, and copied for each bot.
 */
async function samplesDataDir(ingestedAt: string): Promise<string> {
  let template = templates.get(ingestedAt);
  if (!template) {
    template = tempDir('newsdesk-e2e-template-');
    const desk = await Newsdesk.open({ dataDir: template, log: recordingLog(), now: () => new Date(ingestedAt) });
    try {
      await desk.ingest([SAMPLES_DIR]);
    } finally {
      await desk.close();
    }
    templates.set(ingestedAt, template);
  }
  const copy = tempDir('newsdesk-e2e-data-');
  cpSync(template, copy, { recursive: true });
  return copy;
}

/** Removes the templates and every data dir; call from afterAll. */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  templates.clear();
}

/**
 * For a test file whose tests each start one bot: returns the start function, and stops that bot after each test
 * and removes the data dirs after the file.
 */
export function useBotPerTest(): (...args: Parameters<typeof BotRun.start>) => Promise<BotRun> {
  let run: BotRun | undefined;
  afterEach(async () => {
    await run?.stop();
    run = undefined;
  });
  afterAll(removeTempDirs);
  return async (...args) => (run = await BotRun.start(...args));
}

export interface BotRunOptions {
  /** Articles ingested on top of the samples (as a .jsonl file outside the data dir). */
  extraArticles?: TestArticle[];
  /** Replaces the desk the commands see (e.g. one that fails). */
  wrapDesk?: (desk: Newsdesk) => Newsdesk;
  /** Per-user burst allowed by the cooldown (default: the bot's own). */
  cooldownBurst?: number;
  /** Where the manual clock starts (ISO); the samples count as ingested then. Default 2025-02-20T08:00:00Z. */
  startAt?: string;
  /** More channels in the guild, after #news (the channel commands are used in, and the system channel). */
  channels?: EmulatorChannelInput[];
  /** The guild's system channel: #news unless given; null for none. */
  systemChannelId?: string | null;
  /** Which addresses `/feeds add` may follow, as the owner set NEWSDESK_ALLOW_PRIVATE_URLS (default: none given). */
  urlPolicy?: UrlPolicy;
  /** The server's preferred language (default en-US, as Discord gives servers that never set one). */
  guildLocale?: string;
  /** More servers the bot is in, after the Newsroom guild (GUILD_ID); the commands are registered in each. */
  moreGuilds?: EmulatorGuildInput[];
  /** NEWSDESK_SHARDS as the bot reads it; default one connection. */
  shards?: ShardSetting;
  /** How many shards the emulator's GET /gateway/bot recommends (what `shards: 'auto'` connects with). */
  recommendedShards?: number;
}

/** A second bot sharing a BotRun's data directory and emulator (see `BotRun.startTwin`). */
export interface BotTwin {
  client: Client;
  desk: Newsdesk;
  log: RecordingLog;
  /** Its digest service, as the bot builds it; retries do not wait. */
  digestService(): DigestService<DigestMessage>;
}

/** Who sends an interaction: the member (default MEMBER_ID), in a DM, with a Discord language (default en-US). */
export interface From {
  userId?: string;
  /** The server and channel the interaction comes from; default the Newsroom guild's #news. */
  guildId?: string;
  channelId?: string;
  dm?: boolean;
  locale?: string;
  memberPermissions?: string;
}

/**
 * The real bot (startBot + the commands in commands/ + a Newsdesk on a data dir with the samples) against
 * the local Discord emulator. Everything a test starts is stopped by `stop()`.
 */
export class BotRun {
  client!: Client;
  desk!: Newsdesk;
  readonly clock: ManualClock;
  readonly log = recordingLog();
  cooldown: Cooldown;
  private stopped = false;
  private readonly twins: BotTwin[] = [];

  private constructor(
    readonly emu: DiscordEmulator,
    readonly dataDir: string,
    private readonly options: BotRunOptions,
  ) {
    this.clock = new ManualClock(options.startAt);
    this.cooldown = new Cooldown(this.clock.now, ...(options.cooldownBurst ? [options.cooldownBurst] : []));
  }

  static async start(options: BotRunOptions = {}): Promise<BotRun> {
    const emu = await startDiscordEmulator({
      // Discord's 3 s would make every test a race against the machine's load. That the bot acknowledges before it
      // works is tested by order (ask-paging.e2e.test.ts); the emulator's own test covers the deadline itself.
      acknowledgeWithinMs: 60_000,
      guilds: [
        {
          id: GUILD_ID,
          name: 'Newsroom',
          channels: [{ id: CHANNEL_ID, name: 'news' }, ...(options.channels ?? [])],
          ...(options.systemChannelId !== undefined ? { systemChannelId: options.systemChannelId } : {}),
          ...(options.guildLocale ? { preferredLocale: options.guildLocale } : {}),
        },
        ...(options.moreGuilds ?? []),
      ],
      ...(options.recommendedShards ? { recommendedShards: options.recommendedShards } : {}),
      users: [
        { id: MEMBER_ID, username: 'reader' },
        { id: OTHER_MEMBER_ID, username: 'editor' },
      ],
    });
    const dataDir = await samplesDataDir(options.startAt ?? START);
    const run = new BotRun(emu, dataDir, options);
    try {
      await run.openDesk();
      if (options.extraArticles) await run.desk.ingest([writeJsonl(tempDir('newsdesk-e2e-extra-'), options.extraArticles)]);
      // As `npm run deploy-commands` does once, so interactions carry the registered command ids.
      for (const guildId of [GUILD_ID, ...(options.moreGuilds ?? []).map((g) => g.id)]) {
        await registerCommands({ token: emu.token, applicationId: emu.applicationId, guildId, apiUrl: emu.restUrl, commands: await loadCommands() });
      }
      await run.connect();
    } catch (error) {
      await run.stop();
      throw error;
    }
    return run;
  }

  private async openDesk(): Promise<void> {
    this.desk = await Newsdesk.open({ dataDir: this.dataDir, log: this.log, now: this.clock.now });
  }

  private async connect(): Promise<void> {
    const ctx: CommandContext = {
      desk: this.options.wrapDesk ? this.options.wrapDesk(this.desk) : this.desk,
      log: this.log,
      now: this.clock.now,
      cooldown: this.cooldown,
      defaultTimezone: 'Asia/Shanghai',
      ...(this.options.urlPolicy ? { urlPolicy: this.options.urlPolicy } : {}),
    };
    this.client = await startBot({
      token: this.emu.token,
      apiUrl: this.emu.restUrl,
      commands: await loadCommands(),
      ctx,
      ...(this.options.shards !== undefined ? { shards: this.options.shards } : {}),
    });
  }

  /** What a restart of the bot process amounts to: a new client, a new Newsdesk on the same data dir, a fresh cooldown. */
  async restart(): Promise<void> {
    await this.client.destroy();
    await this.desk.close();
    this.cooldown = new Cooldown(this.clock.now);
    await this.openDesk();
    await this.connect();
  }

  /**
   * A second bot on the same data directory and the same Discord (another machine sharing the store, or a test bot
   * beside the production one): its own discord.js client, Newsdesk and log, the same clock. Stopped by `stop()`.
   * It receives the same interactions as this one (Discord sends a shard's events to every connection of it).
   */
  async startTwin(): Promise<BotTwin> {
    const log = recordingLog();
    const desk = await Newsdesk.open({ dataDir: this.dataDir, log, now: this.clock.now });
    const ctx: CommandContext = { desk, log, now: this.clock.now, cooldown: new Cooldown(this.clock.now), defaultTimezone: 'Asia/Shanghai' };
    let client: Client;
    try {
      client = await startBot({ token: this.emu.token, apiUrl: this.emu.restUrl, commands: await loadCommands(), ctx });
    } catch (error) {
      await desk.close();
      throw error;
    }
    const clock = this.clock;
    const twin: BotTwin = {
      client,
      desk,
      log,
      digestService: () => createDigestService(client, { store: desk.store, now: clock.now, log, sleep: async () => {} }),
    };
    this.twins.push(twin);
    return twin;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const twin of this.twins.splice(0)) {
      await twin.client.destroy();
      await twin.desk.close();
    }
    await this.client?.destroy();
    await this.desk?.close();
    await this.emu.close();
  }

  /**
   * The digest service as the bot builds it, on the running client and desk (build it again after `restart()`).
   * Retries do not wait: the test's clock does not move by itself.
   */
  digestService(): DigestService<DigestMessage> {
    return createDigestService(this.client, { store: this.desk.store, now: this.clock.now, log: this.log, sleep: async () => {} });
  }

  /** `/digest <subcommand>` from a member, with the member's permissions (default: @everyone's, no Manage Server). */
  digest(subcommand: string, options: SlashCommandOptionInput[] = [], from: From = {}): Promise<InjectedInteraction> {
    return this.emu.sendSlashCommand({ name: 'digest', subcommand, options, ...who(from) });
  }

  /** `/ask` from a member in the guild channel (or a DM); options as Discord sends them. */
  ask(question: string, extra: { hide?: boolean; source?: string; period?: string } & From = {}): Promise<InjectedInteraction> {
    const { hide, source, period, ...from } = extra;
    const options: SlashCommandOptionInput[] = [{ name: 'question', type: 3, value: question }];
    if (hide !== undefined) options.push({ name: 'hide', type: 5, value: hide });
    if (source !== undefined) options.push({ name: 'source', type: 3, value: source });
    if (period !== undefined) options.push({ name: 'period', type: 3, value: period });
    return this.command('ask', options, from);
  }

  command(name: string, options: SlashCommandOptionInput[] = [], from: From = {}): Promise<InjectedInteraction> {
    return this.emu.sendSlashCommand({ name, options, ...who(from) });
  }

  /**
   * A keystroke in an autocomplete option: `typed` is what the focused option holds so far, `others` the options
   * already filled in. Resolves with the bot's suggestions once it has answered.
   */
  async autocomplete(command: string, focused: string, typed: string, from: From = {}, others: SlashCommandOptionInput[] = []) {
    const sent = await this.emu.sendAutocomplete({ name: command, options: [...others, { name: focused, type: 3, value: typed, focused: true }], ...who(from) });
    const responses = await this.settled(sent);
    return { sent, responses, choices: responses[0]?.choices };
  }

  /**
   * Waits until the bot has finished with the interaction (its handler writes one log line per interaction, last),
   * then returns everything it sent for it, in order.
   */
  async settled(interaction: InjectedInteraction): Promise<InteractionResponseRecord[]> {
    await this.log.waitFor((l) => l.msg === 'interaction' && l.obj.interactionId === interaction.interactionId);
    return this.emu.interactionResponses(interaction.token);
  }

  /** The outcome the bot logged for an interaction ('hits', 'no-match', 'cooldown', 'error'...). */
  outcome(interaction: InjectedInteraction): unknown {
    return this.log.lines.find((l) => l.msg === 'interaction' && l.obj.interactionId === interaction.interactionId)?.obj.outcome;
  }
}

function who(from: From) {
  return {
    userId: from.userId ?? MEMBER_ID,
    ...(from.dm ? { dm: true } : {}),
    ...(from.guildId ? { guildId: from.guildId } : {}),
    ...(from.channelId ? { channelId: from.channelId } : {}),
    ...(from.locale ? { locale: from.locale } : {}),
    ...(from.memberPermissions ? { memberPermissions: from.memberPermissions } : {}),
  };
}

/** The text a user reads in a response: content plus every embed's title, description, fields and footer. */
export function visibleText(r: InteractionResponseRecord | undefined): string {
  if (!r) return '';
  const embeds = (r.embeds ?? []).map((e) =>
    [e.title, e.description, ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text].filter(Boolean).join('\n'),
  );
  return [r.content ?? '', ...embeds].filter(Boolean).join('\n');
}

/** Every button the response shows, flattened out of its action rows. */
export function buttons(r: InteractionResponseRecord | undefined): { label?: string; custom_id?: string; disabled?: boolean }[] {
  return (r?.components ?? []).flatMap((row) => row.components ?? []);
}

/** The numbered passages of an answer embed ("**1** …"), each as its text up to the source line. */
export function passagesOf(description: string | undefined): string[] {
  return (description ?? '').split('\n\n').filter((p) => /^\*\*\d+\*\* /.test(p));
}
