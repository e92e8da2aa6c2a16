import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadBotConfig, loadCoreConfig, type BotConfig, type CoreConfig } from '../config.js';
import { describeError } from '../errors.js';
import { INDEX_FORMAT_VERSION } from '../search/minisearch-options.js';
import { INDEX_DIR, MANIFEST_FILE } from '../search/passage-index.js';
import { MIGRATIONS } from '../store/schema.js';
import type { NewsStore } from '../store/news-store.js';
import { openStore } from '../store/open-store.js';
import { DATABASE_FILE } from '../store/store.js';
import { isHealthy } from '../store/feed-store.js';
import { sampleArticleIds } from '../samples.js';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skipped';

/** One finding: what was checked, how it went, and (unless all is well) what to do. */
export interface Check {
  name: 'config' | 'bot-config' | 'discord' | 'data-dir' | 'database' | 'index' | 'samples' | 'feeds';
  status: CheckStatus;
  detail: string;
  fix?: string;
}

export interface DoctorDeps {
  env: Record<string, string | undefined>;
  /** Ask Discord whether the token is accepted (off unless asked: it is a network call with the secret). */
  discord: boolean;
  fetch: typeof globalThis.fetch;
  now: () => Date;
}

const DISCORD_API = 'https://discord.com/api';

/**
 * Checks what `newsdesk` needs before it runs, without changing anything: the configuration (every key the CLI and
 * the bot read), the bot token's shape (never its value), Discord's answer to it when asked, the data directory,
 * the database, the saved index against the database, leftover sample news and the feeds. Never opens the index
 * (that could start a rebuild) and never creates the data directory; the only write it may make is bringing an
 * older database's schema up to date, as any command would.
 */
export async function runDoctor(deps: DoctorDeps): Promise<Check[]> {
  const checks: Check[] = [];
  let core: CoreConfig | undefined;
  try {
    core = loadCoreConfig(deps.env);
    checks.push({ name: 'config', status: 'ok', detail: `data directory ${core.dataDir}, log level ${core.logLevel}, private URLs ${core.allowPrivateUrls ? 'allowed' : 'refused'}` });
  } catch (error) {
    checks.push({ name: 'config', status: 'fail', detail: describeError(error), fix: 'Correct the keys listed in .env (see .env.example).' });
  }
  let bot: BotConfig | undefined;
  try {
    bot = loadBotConfig(deps.env);
    checks.push({ name: 'bot-config', status: 'ok', detail: `token has the shape of a bot token, application ${bot.applicationId}${bot.guildId ? `, commands for guild ${bot.guildId}` : ', commands registered globally'}` });
  } catch (error) {
    checks.push({
      name: 'bot-config',
      status: 'warn',
      detail: `${describeError(error)}`,
      fix: 'Only `start` and `deploy-commands` need these: fill them in .env before running the bot.',
    });
  }
  checks.push(deps.discord ? await checkDiscord(bot, deps.fetch) : { name: 'discord', status: 'skipped', detail: 'not asked (add --discord to ask Discord whether it accepts the token)' });
  if (core) checks.push(...(await checkData(core.dataDir, deps.now(), core.databaseUrl)));
  return checks;
}

async function checkDiscord(bot: BotConfig | undefined, fetch: typeof globalThis.fetch): Promise<Check> {
  if (!bot) return { name: 'discord', status: 'skipped', detail: 'the bot configuration is incomplete (see bot-config)' };
  const url = `${(bot.apiUrl ?? DISCORD_API).replace(/\/$/, '')}/v10/applications/@me`;
  try {
    const res = await fetch(url, { headers: { Authorization: `Bot ${bot.discordToken}` }, signal: AbortSignal.timeout(10_000) });
    if (res.status === 401) return { name: 'discord', status: 'fail', detail: 'Discord refused the token (401).', fix: 'Reset the token in Developer Portal → Bot and paste the new one into .env.' };
    if (!res.ok) return { name: 'discord', status: 'fail', detail: `Discord answered ${res.status}.`, fix: 'Try again later; https://discordstatus.com says whether Discord is down.' };
    const app = (await res.json()) as { id?: string; name?: string };
    if (app.id && app.id !== bot.applicationId) {
      return { name: 'discord', status: 'fail', detail: `the token belongs to application ${app.id}, DISCORD_APPLICATION_ID says ${bot.applicationId}`, fix: 'Copy the Application ID of the same application (General Information) into .env.' };
    }
    return { name: 'discord', status: 'ok', detail: `Discord accepts the token (application ${app.name ?? app.id ?? 'unknown'})` };
  } catch (error) {
    return { name: 'discord', status: 'fail', detail: `Discord could not be reached: ${describeError(error)}`, fix: 'Check the network connection (and DISCORD_API_URL, if set).' };
  }
}

async function checkData(dataDir: string, now: Date, databaseUrl?: string): Promise<Check[]> {
  if (!existsSync(dataDir)) {
    return [{ name: 'data-dir', status: 'warn', detail: `${dataDir} does not exist yet`, fix: 'It is created by the first `newsdesk ingest`; check NEWSDESK_DATA_DIR if you expected news there.' }];
  }
  try {
    accessSync(dataDir, constants.W_OK);
  } catch {
    return [{ name: 'data-dir', status: 'fail', detail: `${dataDir} is not writable`, fix: 'Give the user running newsdesk write access, or point NEWSDESK_DATA_DIR elsewhere.' }];
  }
  const checks: Check[] = [{ name: 'data-dir', status: 'ok', detail: `${dataDir} is writable` }];
  const dbPath = join(dataDir, DATABASE_FILE);
  if (databaseUrl === undefined && !existsSync(dbPath)) {
    checks.push({ name: 'database', status: 'warn', detail: 'no database yet', fix: 'Add news: `newsdesk ingest <files>` or `newsdesk feeds add <url>`.' });
    return checks;
  }
  // The schema version is read without migrating: the doctor changes nothing.
  let version = 0;
  if (databaseUrl === undefined) try {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      version = db.pragma('user_version', { simple: true }) as number;
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } finally {
      db.close();
    }
  } catch (error) {
    checks.push({ name: 'database', status: 'fail', detail: `${dbPath} cannot be read: ${describeError(error)}`, fix: 'Restore it from a backup, or move it aside and ingest your news again.' });
    return checks;
  }
  if (version > MIGRATIONS.length) {
    checks.push({ name: 'database', status: 'fail', detail: `written by a newer newsdesk (schema ${version}, this one knows ${MIGRATIONS.length})`, fix: 'Update newsdesk.' });
    return checks;
  }
  let store: NewsStore;
  try {
    store = await openStore({ dataDir, ...(databaseUrl !== undefined ? { databaseUrl } : {}) });
  } catch (error) {
    // The SQLite file was checked above; a PostgreSQL server that cannot be reached is a finding, not a crash.
    if (databaseUrl === undefined) throw error;
    checks.push({ name: 'database', status: 'fail', detail: describeError(error), fix: 'Check NEWSDESK_DATABASE_URL and that the PostgreSQL server runs and accepts newsdesk.' });
    return checks;
  }
  try {
    const articles = await store.articleCount();
    const passages = await store.passageCount();
    const where = store.kind === 'sqlite' ? `${(statSync(dbPath).size / 1024 / 1024).toFixed(1)} MB` : store.location;
    checks.push({ name: 'database', status: 'ok', detail: `${articles} articles, ${passages} passages, ${where}` });
    checks.push(await checkIndex(dataDir, store));
    const samples = await sampleArticleIds(store, now);
    checks.push(
      samples.length > 0 && samples.length < articles
        ? { name: 'samples', status: 'warn', detail: `the bundled sample news (${samples.length} articles) is mixed with your own`, fix: '`newsdesk sources remove --samples` takes it out.' }
        : samples.length > 0
          ? { name: 'samples', status: 'warn', detail: `only the bundled sample news is here (${samples.length} articles)`, fix: '`newsdesk sources remove --samples` before ingesting your own, or use this directory for trying only.' }
          : { name: 'samples', status: 'ok', detail: 'no sample news among yours' },
    );
    const feeds = await store.feeds.list();
    const sick = feeds.filter((f) => !isHealthy(f));
    checks.push(
      sick.length > 0
        ? { name: 'feeds', status: 'warn', detail: `${sick.length} of ${feeds.length} feeds failing: ${sick.map((f) => `#${f.id} ${f.url} (${f.lastError ?? 'unknown error'})`).join('; ')}`, fix: '`newsdesk feeds list` shows them; fix the address or `newsdesk feeds remove <id>`.' }
        : { name: 'feeds', status: 'ok', detail: feeds.length ? `${feeds.length} feeds, all healthy` : 'no feeds' },
    );
  } finally {
    await store.close();
  }
  return checks;
}

async function checkIndex(dataDir: string, store: NewsStore): Promise<Check> {
  const manifestPath = join(dataDir, INDEX_DIR, MANIFEST_FILE);
  const passages = await store.passageCount();
  if (!existsSync(manifestPath)) {
    return passages === 0
      ? { name: 'index', status: 'ok', detail: 'nothing to index yet' }
      : { name: 'index', status: 'warn', detail: `no saved index for ${passages} passages`, fix: 'The next command builds it (progress is shown); nothing to do but wait once.' };
  }
  try {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version?: number; lastPassageId?: number; documentCount?: number; removedPassages?: number; changeSeq?: number; savedAt?: string };
    if (m.version !== INDEX_FORMAT_VERSION) return { name: 'index', status: 'warn', detail: `saved by another index version (${m.version})`, fix: 'The next command rebuilds it from the database.' };
    const indexed = (m.documentCount ?? 0) - (m.removedPassages ?? 0);
    const upTo = await store.countPassagesUpTo(m.lastPassageId ?? 0);
    const pendingRemovals = (await store.articles.changesAfter(m.changeSeq ?? 0)).filter((c) => c.kind === 'removed').length;
    const behind = await store.countPassagesAfter(m.lastPassageId ?? 0);
    if (pendingRemovals === 0 && indexed !== upTo) {
      return { name: 'index', status: 'warn', detail: `the index holds ${indexed} passages where the database has ${upTo}`, fix: 'The next command rebuilds it from the database (nothing is lost: the database is the truth).' };
    }
    const notes = [behind > 0 ? `${behind} passages to add` : '', pendingRemovals > 0 ? `${pendingRemovals} removals to apply` : ''].filter(Boolean);
    return notes.length
      ? { name: 'index', status: 'ok', detail: `saved ${m.savedAt ?? '?'}; ${notes.join(', ')} (done at the next start)` }
      : { name: 'index', status: 'ok', detail: `matches the database (${indexed} passages, saved ${m.savedAt ?? '?'})` };
  } catch (error) {
    return { name: 'index', status: 'warn', detail: `the saved index cannot be read: ${describeError(error)}`, fix: 'The next command rebuilds it from the database.' };
  }
}
