import { config as loadDotenv } from 'dotenv';
import { resolve } from 'node:path';
import { z } from 'zod';
import { NewsdeskError } from './errors.js';
import { pickLocale, supportedLocale, type Locale } from './i18n/i18n.js';
import { LOG_LEVELS, type LogLevel } from './log.js';
import { MAX_SHARDS, type ShardSetting } from './discord/sharding.js';

export interface CoreConfig {
  dataDir: string;
  logLevel: LogLevel;
  /** Let feeds and pages on private, loopback and link-local addresses be fetched (owner's choice; tests use it). */
  allowPrivateUrls: boolean;
  /**
   * IANA zone of the outlets when a feed or file names none (NEWSDESK_TIMEZONE): times without an offset are
   * read in it, a UTC stamp's local day is taken in it, and it is the digests' default.
   */
  timezone: string;
  /**
   * The language of the command line's messages from the shared catalogue: NEWSDESK_LOCALE, then LC_ALL,
   * LC_MESSAGES, LANG (the first the bot writes in), else English. The bot answers in each member's language instead.
   */
  locale: Locale;
  /**
   * NEWSDESK_DATABASE_URL: a `postgres://` or `postgresql://` URL makes every process use that PostgreSQL database
   * instead of `newsdesk.db` in the data directory. Not enumerable (it may hold a password): left out when the config
   * is logged, serialised or spread; pass it on explicitly.
   */
  databaseUrl?: string;
}

/** Most outlets newsdesk reads are Chinese. */
export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

export interface BotConfig extends CoreConfig {
  /** Not enumerable: left out when the config is logged, serialised or spread; pass it on explicitly. */
  discordToken: string;
  applicationId: string;
  guildId?: string;
  /** Overrides Discord's REST base URL (the local emulator in tests). */
  apiUrl?: string;
  /** Serve `GET /healthz` on 127.0.0.1 at this port; undefined: no health check. */
  healthPort?: number;
  /**
   * NEWSDESK_SHARDS: run the gateway as this many shards (`auto`: as many as Discord recommends), all in this one
   * process (discord.js's internal sharding); undefined: one connection, as a bot under 2,500 servers needs.
   */
  shards?: ShardSetting;
}

const snowflake = (name: string) =>
  z
    .string({ message: `is missing: copy ${name === 'DISCORD_APPLICATION_ID' ? 'the Application ID from Developer Portal → your application → General Information' : 'the server id (Developer Mode on, right-click the server → Copy Server ID)'} into .env` })
    .regex(/^\d{17,20}$/, 'must be a Discord id: 17 to 20 digits (Developer Portal → your application → General Information)');

/** The usual spellings of a yes/no setting, in any case: true/false, 1/0, yes/no, on/off. */
const YES = ['true', '1', 'yes', 'on'];
const NO = ['false', '0', 'no', 'off'];
const yesNo = z
  .string()
  .transform((v) => v.trim().toLowerCase())
  .refine((v) => YES.includes(v) || NO.includes(v), { message: 'must be true or false (also accepted: 1/0, yes/no, on/off, in any case)' })
  .transform((v) => YES.includes(v));

const coreSchema = z.object({
  NEWSDESK_DATA_DIR: z.string().min(1).default('./data'),
  NEWSDESK_ALLOW_PRIVATE_URLS: yesNo.default(false),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  NEWSDESK_TIMEZONE: z
    .string()
    .default(DEFAULT_TIMEZONE)
    .refine((tz) => isTimeZone(tz), 'must be an IANA time zone such as Asia/Shanghai or Europe/Berlin'),
  // Set on purpose, so a tag the bot does not write in is a mistake to report (LANG is the system's and just skipped).
  NEWSDESK_LOCALE: z
    .string()
    .refine((tag) => supportedLocale(tag) !== undefined, 'must be en, zh-CN or zh-TW (zh-HK and zh-Hant read as zh-TW)')
    .optional(),
  // Never echo the value: it may carry a password.
  NEWSDESK_DATABASE_URL: z
    .string()
    .refine((url) => /^postgres(ql)?:\/\/\S+$/i.test(url.trim()), 'must be a PostgreSQL URL such as postgres://newsdesk@localhost:5432/newsdesk (postgres:// or postgresql://); leave it empty to use the SQLite database in NEWSDESK_DATA_DIR')
    .optional(),
  LC_ALL: z.string().optional(),
  LC_MESSAGES: z.string().optional(),
  LANG: z.string().optional(),
});

const botSchema = coreSchema.extend({
  DISCORD_TOKEN: z
    .string({ message: 'is missing: copy .env.example to .env and paste the bot token from Developer Portal → Bot → Reset Token' })
    .min(1, 'is empty: paste the bot token from Developer Portal → Bot → Reset Token')
    // Never echo the value: a malformed token is still a secret.
    .regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, 'does not look like a bot token (three dot-separated parts): copy it again from Developer Portal → Bot'),
  DISCORD_APPLICATION_ID: snowflake('DISCORD_APPLICATION_ID'),
  DISCORD_GUILD_ID: snowflake('DISCORD_GUILD_ID').optional(),
  DISCORD_API_URL: z.url({ message: 'must be a URL such as http://127.0.0.1:8080/api' }).optional(),
  NEWSDESK_HEALTH_PORT: z
    .string()
    .regex(/^\d+$/, 'must be a port number from 1 to 65535, such as 8787 (leave it empty for no health check)')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 65535, 'must be a port number from 1 to 65535, such as 8787 (leave it empty for no health check)')
    .optional(),
  NEWSDESK_SHARDS: z
    .string()
    .transform((v) => v.trim().toLowerCase())
    .refine((v) => v === 'auto' || (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_SHARDS), `must be auto (as many shards as Discord recommends) or a number of shards from 1 to ${MAX_SHARDS}; leave it empty for one connection`)
    .transform((v): ShardSetting => (v === 'auto' ? 'auto' : Number(v)))
    .optional(),
});

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

type Env = Record<string, string | undefined>;

function readEnv(env: Env | undefined): Env {
  if (env) return env;
  loadDotenv({ quiet: true });
  return process.env;
}

// Blank values in .env mean "not set", so optional keys left empty do not fail validation.
function withoutBlanks(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
}

function fail(issues: z.core.$ZodIssue[]): never {
  const lines = issues.map((i) => `  - ${String(i.path[0] ?? 'config')} ${i.message}`);
  throw new NewsdeskError('CONFIG_INVALID', `Configuration problems (fix them in .env or the environment):\n${lines.join('\n')}`);
}

/** Settings for the command line: read once, validated, every problem listed in one error. */
export function loadCoreConfig(env?: Env): CoreConfig {
  const parsed = coreSchema.safeParse(withoutBlanks(readEnv(env)));
  if (!parsed.success) fail(parsed.error.issues);
  const d = parsed.data;
  return withDatabaseUrl({ dataDir: resolve(d.NEWSDESK_DATA_DIR), logLevel: d.LOG_LEVEL, allowPrivateUrls: d.NEWSDESK_ALLOW_PRIVATE_URLS, timezone: d.NEWSDESK_TIMEZONE, locale: localeOf(d) }, d.NEWSDESK_DATABASE_URL);
}

/** Sets `databaseUrl` when given, not enumerable (see CoreConfig.databaseUrl). */
function withDatabaseUrl<T extends CoreConfig>(config: T, url: string | undefined): T {
  if (url !== undefined) Object.defineProperty(config, 'databaseUrl', { value: url.trim(), enumerable: false, writable: false });
  return config;
}

function localeOf(d: { NEWSDESK_LOCALE?: string | undefined; LC_ALL?: string | undefined; LC_MESSAGES?: string | undefined; LANG?: string | undefined }): Locale {
  return pickLocale(d.NEWSDESK_LOCALE, d.LC_ALL, d.LC_MESSAGES, d.LANG);
}

/** Settings for the bot; the error lists every missing or malformed key, never a secret's value. */
export function loadBotConfig(env?: Env): BotConfig {
  const parsed = botSchema.safeParse(withoutBlanks(readEnv(env)));
  if (!parsed.success) fail(parsed.error.issues);
  const d = parsed.data;
  const config: BotConfig = {
    dataDir: resolve(d.NEWSDESK_DATA_DIR),
    logLevel: d.LOG_LEVEL,
    allowPrivateUrls: d.NEWSDESK_ALLOW_PRIVATE_URLS,
    locale: localeOf(d),
    discordToken: d.DISCORD_TOKEN,
    applicationId: d.DISCORD_APPLICATION_ID,
    timezone: d.NEWSDESK_TIMEZONE,
  };
  if (d.DISCORD_GUILD_ID) config.guildId = d.DISCORD_GUILD_ID;
  if (d.DISCORD_API_URL) config.apiUrl = d.DISCORD_API_URL;
  if (d.NEWSDESK_HEALTH_PORT !== undefined) config.healthPort = d.NEWSDESK_HEALTH_PORT;
  if (d.NEWSDESK_SHARDS !== undefined) config.shards = d.NEWSDESK_SHARDS;
  return withHiddenToken(withDatabaseUrl(config, d.NEWSDESK_DATABASE_URL));
}

/**
 * The token stays readable as `config.discordToken` but is not enumerable, so a config that is logged whole
 * (`log.info({ config })`), serialised, printed or spread does not carry the secret along. The logger's own
 * redaction only knows a few field names, and pino's redaction copies objects (dropping any toJSON).
 */
function withHiddenToken(config: BotConfig): BotConfig {
  Object.defineProperty(config, 'discordToken', { enumerable: false });
  return config;
}
