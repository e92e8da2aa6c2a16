import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadBotConfig, loadCoreConfig } from '../src/config.js';
import { isNewsdeskError } from '../src/errors.js';
import { runNode } from './helpers/run-node.js';

const APP_ID = '1300000000000000001';
const TOKEN = 'MTMwMDAwMDAwMDAwMDAwMDAwMQ.Gx1a2B.sEcReT-vAlUe_0123456789';

function configError(env: Record<string, string | undefined>): Error {
  try {
    loadBotConfig(env);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('the bot configuration', () => {
  it('lists a missing DISCORD_TOKEN and a malformed DISCORD_APPLICATION_ID together, each with how to fix it', () => {
    const error = configError({ DISCORD_APPLICATION_ID: 'my-app' });

    expect(isNewsdeskError(error, 'CONFIG_INVALID')).toBe(true);
    const lines = error.message.split('\n');
    const token = lines.find((l) => l.includes('DISCORD_TOKEN'));
    const appId = lines.find((l) => l.includes('DISCORD_APPLICATION_ID'));
    expect(token).toMatch(/missing/);
    expect(token).toMatch(/\.env\.example.*Developer Portal/);
    expect(appId).toMatch(/17 to 20 digits/);
    expect(appId).toMatch(/Developer Portal/);
  });

  it('never shows the token’s value, even when the token is malformed', () => {
    const malformed = 'sEcReT-vAlUe-without-dots';
    const error = configError({ DISCORD_TOKEN: malformed, DISCORD_APPLICATION_ID: '123', LOG_LEVEL: 'loud' });

    expect(error.message).toMatch(/DISCORD_TOKEN does not look like a bot token/);
    expect(error.message).toMatch(/LOG_LEVEL must be one of/);
    expect(error.message).not.toContain(malformed);
    expect(error.message).not.toContain('sEcReT');
  });

  it('treats blank values as unset and reads a complete environment', () => {
    const config = loadBotConfig({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP_ID, DISCORD_GUILD_ID: '  ', NEWSDESK_DATA_DIR: '/tmp/newsdesk' });

    expect(config).toMatchObject({ applicationId: APP_ID, dataDir: '/tmp/newsdesk', timezone: 'Asia/Shanghai', logLevel: 'info' });
    expect(config.discordToken).toBe(TOKEN);
    expect(config.guildId).toBeUndefined();
  });

  it('serves no health check unless NEWSDESK_HEALTH_PORT is set, and refuses a port that is not one', () => {
    expect(loadBotConfig({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP_ID }).healthPort).toBeUndefined();
    expect(loadBotConfig({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP_ID, NEWSDESK_HEALTH_PORT: '8787' }).healthPort).toBe(8787);
    for (const bad of ['http', '70000', '0']) {
      expect(configError({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP_ID, NEWSDESK_HEALTH_PORT: bad }).message).toMatch(
        /NEWSDESK_HEALTH_PORT must be a port number from 1 to 65535, such as 8787 \(leave it empty for no health check\)/,
      );
    }
  });

  it('runs one connection unless NEWSDESK_SHARDS is set, takes auto or a number of shards, and refuses anything else', () => {
    const bot = (shards?: string) => loadBotConfig({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP_ID, ...(shards === undefined ? {} : { NEWSDESK_SHARDS: shards }) });
    expect(bot().shards).toBeUndefined();
    expect(bot(' ').shards).toBeUndefined();
    expect(bot('auto').shards).toBe('auto');
    expect(bot('AUTO').shards).toBe('auto');
    expect(bot('2').shards).toBe(2);
    expect(bot('64').shards).toBe(64);
    for (const bad of ['0', '-1', '1.5', 'two', '65', 'auto,2']) {
      expect(configError({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP_ID, NEWSDESK_SHARDS: bad }).message).toMatch(
        /NEWSDESK_SHARDS must be auto \(as many shards as Discord recommends\) or a number of shards from 1 to 64; leave it empty for one connection/,
      );
    }
  });

  it('keeps the token out of a config that is printed, serialised or spread', () => {
    const config = loadBotConfig({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP_ID });

    expect(JSON.stringify(config)).not.toContain('sEcReT');
    expect(inspect(config)).not.toContain('sEcReT');
    expect(JSON.stringify({ ...config })).not.toContain('sEcReT');
    expect(config.discordToken).toBe(TOKEN);
  });

  it('needs no Discord settings for the command line', () => {
    expect(loadCoreConfig({ LOG_LEVEL: 'debug' })).toMatchObject({ logLevel: 'debug' });
  });
});

describe('the logger', () => {
  it('does not print the token when a log line carries it', async () => {
    // The real logger writes JSON lines to stderr (fd 2), so it runs in a child process whose stderr is read back.
    const script = `
      const { createLogger } = await import(process.argv[1]);
      const { loadBotConfig } = await import(process.argv[2]);
      const token = process.argv[3];
      const log = createLogger('info');
      log.info({ token }, 'a token field');
      log.warn({ env: { DISCORD_TOKEN: token } }, 'the environment');
      log.error({ headers: { authorization: 'Bot ' + token } }, 'a request');
      log.info({ config: loadBotConfig({ DISCORD_TOKEN: token, DISCORD_APPLICATION_ID: '${APP_ID}' }) }, 'the whole config');
    `;
    const src = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));
    const child = await runNode(['--import', 'tsx', '--input-type=module', '-e', script, src('log.ts'), src('config.ts'), TOKEN]);

    expect(child.status, child.stderr).toBe(0);
    const lines = child.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.msg)).toEqual(['a token field', 'the environment', 'a request', 'the whole config']);
    expect(child.stderr).not.toContain('sEcReT');
    expect(lines[0]).toMatchObject({ token: '[redacted]' });
    expect(lines[3]).toMatchObject({ config: { applicationId: APP_ID } });
  });
});

describe('yes/no settings and missing ids', () => {
  it('reads NEWSDESK_ALLOW_PRIVATE_URLS in every usual spelling and case', () => {
    for (const yes of ['true', 'TRUE', 'True', '1', 'yes', 'YES', 'on']) expect(loadCoreConfig({ NEWSDESK_ALLOW_PRIVATE_URLS: yes }).allowPrivateUrls).toBe(true);
    for (const no of ['false', 'FALSE', '0', 'no', 'No', 'off']) expect(loadCoreConfig({ NEWSDESK_ALLOW_PRIVATE_URLS: no }).allowPrivateUrls).toBe(false);
    expect(() => loadCoreConfig({ NEWSDESK_ALLOW_PRIVATE_URLS: 'maybe' })).toThrow(/NEWSDESK_ALLOW_PRIVATE_URLS must be true or false \(also accepted: 1\/0, yes\/no, on\/off, in any case\)/);
  });

  it('reports a missing DISCORD_APPLICATION_ID as a sentence saying where to find it', () => {
    const error = configError({ DISCORD_TOKEN: TOKEN });
    expect(error.message).toContain('DISCORD_APPLICATION_ID is missing: copy the Application ID from Developer Portal → your application → General Information into .env');
    expect(error.message).not.toMatch(/expected string|received undefined|Invalid input/);
  });
});

describe('NEWSDESK_DATABASE_URL', () => {
  const URL = 'postgres://newsdesk:s3cret-pass@db.example:5432/newsdesk';

  it('is read for the command line and the bot, and left out when unset (SQLite in the data directory)', () => {
    expect(loadCoreConfig({ NEWSDESK_DATABASE_URL: URL }).databaseUrl).toBe(URL);
    expect(loadBotConfig({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP_ID, NEWSDESK_DATABASE_URL: 'postgresql://localhost/news' }).databaseUrl).toBe('postgresql://localhost/news');
    expect(loadCoreConfig({}).databaseUrl).toBeUndefined();
    expect(loadCoreConfig({ NEWSDESK_DATABASE_URL: '  ' }).databaseUrl).toBeUndefined();
  });

  it('refuses a URL that is not PostgreSQL, saying what is accepted without echoing the value', () => {
    let error: unknown;
    try {
      loadCoreConfig({ NEWSDESK_DATABASE_URL: 'mysql://root:hunter2@localhost/news' });
    } catch (e) {
      error = e;
    }
    expect(isNewsdeskError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/NEWSDESK_DATABASE_URL must be a PostgreSQL URL such as postgres:\/\//);
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('keeps the URL and its password out of a config that is printed, serialised or spread', () => {
    const config = loadCoreConfig({ NEWSDESK_DATABASE_URL: URL });
    expect(JSON.stringify(config)).not.toContain('s3cret-pass');
    expect(inspect(config)).not.toContain('s3cret-pass');
    expect(JSON.stringify({ ...config })).not.toContain('s3cret-pass');
  });
});
