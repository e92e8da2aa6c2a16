import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConnectionWatch } from '../../src/discord/connection-watch.js';
import { healthReport } from '../../src/health/health-report.js';
import { startHealthServer, type HealthServer } from '../../src/health/health-server.js';
import { BotRun, CHANNEL_ID, GUILD_ID, removeTempDirs } from './bot-harness.js';
import { startDiscordEmulator, type DiscordEmulator } from './discord-emulator/index.js';

let run: BotRun | undefined;
let health: HealthServer | undefined;
let emu: DiscordEmulator | undefined;
let child: ChildProcess | undefined;
const dirs: string[] = [];
afterEach(async () => {
  child?.kill('SIGKILL');
  child = undefined;
  await health?.close();
  health = undefined;
  await run?.stop();
  run = undefined;
  await emu?.close();
  emu = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
afterAll(removeTempDirs);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The bot as an owner runs it (`npm start`), as a child process against the emulator; its log lines are collected. */
function startBotProcess(emulator: DiscordEmulator, healthPort: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'newsdesk-fatal-'));
  dirs.push(dataDir);
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/bot.ts'], {
    env: {
      ...process.env,
      DISCORD_TOKEN: emulator.token,
      DISCORD_APPLICATION_ID: emulator.applicationId,
      DISCORD_API_URL: emulator.restUrl,
      NEWSDESK_DATA_DIR: dataDir,
      NEWSDESK_HEALTH_PORT: String(healthPort),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let output = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const w of waiters.splice(0)) (w.pattern.test(output) ? w.resolve() : waiters.push(w));
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return {
    output: () => output,
    exited,
    waitForOutput: (pattern: RegExp) =>
      pattern.test(output) ? Promise.resolve() : new Promise<void>((resolve, reject) => {
        waiters.push({ pattern, resolve });
        void exited.then((code) => reject(new Error(`the bot exited (${code}) before printing ${pattern}:\n${output}`)));
      }),
  };
}

describe('a gateway close Discord will not take back', () => {
  it('ends the bot with one clear line (what happened, what to do) and a non-zero exit when the gateway closes with 4004 mid-session', async () => {
    emu = await startDiscordEmulator({ guilds: [{ id: GUILD_ID, name: 'Newsroom', channels: [{ id: CHANNEL_ID, name: 'news' }] }] });
    const port = await freePort();
    const bot = startBotProcess(emu, port);
    await bot.waitForOutput(/"msg":"bot ready"/);
    await bot.waitForOutput(/"msg":"health check on http:\/\/127\.0\.0\.1:\d+\/healthz"/);

    // Alive and well first, as a supervisor sees it.
    const well = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(well.status).toBe(200);
    expect(await well.json()).toMatchObject({ status: 'ok', gateway: { connected: true } });

    // The token is reset in the Developer Portal while the bot runs: Discord closes the session with 4004.
    emu.disconnectGateway(4004);
    const code = await bot.exited;

    expect(code).toBe(1);
    const fatal = bot
      .output()
      .split('\n')
      .filter((l) => l.includes('"fatal":true'));
    expect(fatal).toHaveLength(1);
    expect(JSON.parse(fatal[0]!).msg).toMatch(/4004 \(authentication failed\).*DISCORD_TOKEN.*start the bot again/);
    expect(bot.output()).not.toContain(emu.token);
  }, 120_000);
});

describe('the connection to Discord, watched', { timeout: 120_000 }, () => {
  function watch(r: BotRun) {
    const fatal: string[] = [];
    const w = new ConnectionWatch(r.client, { log: r.log, now: r.clock.now, onFatal: (m) => fatal.push(m) });
    return { w, fatal };
  }

  it('stops the bot when Discord rejects the token on a request while it runs (401)', async () => {
    run = await BotRun.start();
    const { fatal } = watch(run);
    run.emu.failNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 401 });
    const channel = await run.client.channels.fetch(CHANNEL_ID);
    // What a digest does: post in a channel, with the token.
    await expect(channel!.isSendable() && channel.send('今日新闻')).rejects.toThrow();
    expect(fatal).toEqual([expect.stringMatching(/rejected DISCORD_TOKEN while the bot was running \(HTTP 401\)/)]);
  });

  it.each([4010, 4011, 4012, 4013, 4014])('stops the bot with what to do when Discord closes the gateway with %i', async (code) => {
    run = await BotRun.start();
    const { fatal } = watch(run);
    const disconnected = new Promise((resolve) => run!.client.once('shardDisconnect', resolve));
    run.emu.disconnectGateway(code);
    await disconnected;
    expect(fatal).toEqual([expect.stringContaining(`Discord closed the gateway with ${code} (`)]);
  });

  it('lets discord.js resume after an ordinary close, without stopping the bot', async () => {
    run = await BotRun.start();
    const { w, fatal } = watch(run);
    const resumed = new Promise((resolve) => run!.client.once('shardResume', resolve));
    run.emu.disconnectGateway(4000);
    await resumed;
    expect(fatal).toEqual([]);
    expect(w.status().connected).toBe(true);
  });

  it('logs when the bot has been disconnected for more than a minute, answers 503 with the reason meanwhile, and says when it is back', async () => {
    run = await BotRun.start();
    const r = run;
    const { w, fatal } = watch(r);
    health = await startHealthServer({
      port: 0,
      log: r.log,
      report: async () => healthReport({ now: r.clock.now(), gateway: w.status(), indexPassages: r.desk.index.documentCount, facts: await r.desk.store.healthFacts() }),
    });
    const healthz = async () => {
      const res = await fetch(`http://127.0.0.1:${health!.port}/healthz`);
      return { status: res.status, body: (await res.json()) as { status: string; reasons: string[]; gateway: { connected: boolean } } };
    };
    expect((await healthz()).status).toBe(200);

    r.emu.holdGateway();
    const reconnecting = new Promise((resolve) => r.client.once('shardReconnecting', resolve));
    r.emu.disconnectGateway(4000);
    await reconnecting;
    r.clock.advance(30_000);
    w.check();
    expect(r.log.lines.filter((l) => /disconnected from Discord/.test(l.msg ?? ''))).toEqual([]);
    // Under a minute a resume is ordinary: still healthy.
    expect((await healthz()).status).toBe(200);

    r.clock.advance(31_000);
    w.check();
    w.check();
    const long = r.log.lines.filter((l) => /disconnected from Discord for 61 s/.test(l.msg ?? ''));
    expect(long).toHaveLength(1);
    const down = await healthz();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'unhealthy', reasons: ['gateway disconnected for 61 s'], gateway: { connected: false } });

    const resumed = new Promise((resolve) => r.client.once('shardResume', resolve));
    r.emu.releaseGateway();
    await resumed;
    await r.log.waitFor((l) => /reconnected to Discord after 61 s/.test(l.msg ?? ''));
    expect((await healthz()).status).toBe(200);
    expect(fatal).toEqual([]);
  });
});
