/**
 * Start-up and memory of the bot as shards, through real processes against the local Discord emulator, on a data
 * directory made by make-bench-data-dir.ts: one connection (today), NEWSDESK_SHARDS=N (discord.js's internal
 * sharding: one process, one index) and discord.js's ShardingManager (one process per shard, an index each).
 * Each setup is started from the compiled bot (`npm run build` first), timed from spawn to the last "bot ready"
 * log line, asked one /ask in a server of every shard, and measured then: resident memory and CPU time of every
 * process of the setup (from /proc). Usage:
 *   npx tsx test/e2e/shard-bench/run-shard-bench.ts <data dir> [shards=2] [repeat=1] [setups, comma-separated]
 * where setups are any of `one`, `internal`, `process` (default all three).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { loadCommands } from '../../../src/discord/load-commands.js';
import { registerCommands } from '../../../src/discord/register-commands.js';
import { startDiscordEmulator, type DiscordEmulator } from '../discord-emulator/index.js';
import { shardOfGuild } from '../discord-emulator/gateway.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const BOT = join(ROOT, 'dist', 'src', 'bot.js');
const MANAGER = join(import.meta.dirname, 'process-shards.mjs');
const CLOCK_TICKS_PER_S = 100;

type Setup = 'one connection' | 'internal shards' | 'process shards';

interface Figures {
  setup: Setup;
  processes: number;
  startUpS: number;
  rssMB: number[];
  cpuS: number;
  load: [number, number];
}

/** The ids of `pid` and all its descendants (Linux /proc). */
function processTree(pid: number): number[] {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    const taskDir = `/proc/${pids[i]}/task`;
    if (!existsSync(taskDir)) continue;
    for (const task of readdirSync(taskDir)) {
      try {
        const children = readFileSync(join(taskDir, task, 'children'), 'utf8').trim();
        if (children) pids.push(...children.split(/\s+/).map(Number));
      } catch {
        // The task ended meanwhile.
      }
    }
  }
  return pids;
}

function rssMB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat; here counted from field 3.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}

function guildsFor(shards: number): { id: string; channelId: string }[] {
  // Consecutive snowflake timestamps land on consecutive shards.
  return Array.from({ length: shards }, (_, i) => {
    const base = 1_300_000_000_000_000_001n + BigInt(i) * (1n << 22n);
    return { id: String(base), channelId: String(base + 1n) };
  });
}

async function runSetup(setup: Setup, dataDir: string, shards: number): Promise<Figures> {
  const guilds = guildsFor(shards);
  const emu: DiscordEmulator = await startDiscordEmulator({
    acknowledgeWithinMs: 600_000,
    recommendedShards: shards,
    guilds: guilds.map((g, i) => ({ id: g.id, name: `Guild ${i}`, channels: [{ id: g.channelId, name: 'news' }] })),
  });
  const commands = await loadCommands();
  for (const g of guilds) await registerCommands({ token: emu.token, applicationId: emu.applicationId, guildId: g.id, apiUrl: emu.restUrl, commands });
  const env = {
    ...process.env,
    DISCORD_TOKEN: emu.token,
    DISCORD_APPLICATION_ID: emu.applicationId,
    DISCORD_API_URL: emu.restUrl,
    NEWSDESK_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    ...(setup === 'internal shards' ? { NEWSDESK_SHARDS: String(shards) } : {}),
  };
  const expectedReady = setup === 'process shards' ? shards : 1;
  const loadBefore = loadavg()[0]!;
  const started = performance.now();
  const child: ChildProcess =
    setup === 'process shards'
      ? spawn(process.execPath, [MANAGER, BOT, String(shards)], { env, stdio: ['ignore', 'inherit', 'pipe'] })
      : spawn(process.execPath, [BOT], { env, stdio: ['ignore', 'inherit', 'pipe'] });
  try {
    let readyAt = 0;
    await new Promise<void>((resolveReady, reject) => {
      let ready = 0;
      child.once('exit', (code) => reject(new Error(`${setup}: the bot exited with ${code} before it was ready`)));
      createInterface({ input: child.stderr! }).on('line', (line) => {
        if (!line.includes('"bot ready"')) {
          if (/"level":(40|50|60)/.test(line)) process.stderr.write(`  ${line.slice(0, 300)}\n`);
          return;
        }
        ready++;
        if (ready === expectedReady) {
          readyAt = performance.now();
          resolveReady();
        }
      });
    });
    // One question in a server of every shard, so each process has answered once (the first answer loads more).
    for (const g of guilds) {
      const sent = await emu.sendSlashCommand({ name: 'ask', guildId: g.id, channelId: g.channelId, options: [{ name: 'question', type: 3, value: '上海储能超级工厂' }] });
      await emu.waitForInteractionResponse(sent.token, (r) => r.kind === 'edit-original', 600_000);
    }
    const pids = processTree(child.pid!).filter((pid) => existsSync(`/proc/${pid}`));
    const figures: Figures = {
      setup,
      processes: pids.length,
      startUpS: (readyAt - started) / 1000,
      rssMB: pids.map(rssMB),
      cpuS: pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0),
      load: [loadBefore, loadavg()[0]!],
    };
    // No clean shutdown: nothing was changed, and a save by two processes of one index would only add noise.
    for (const pid of pids.reverse()) process.kill(pid, 'SIGKILL');
    return figures;
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await emu.close();
  }
}

const [dirArg, shardsArg = '2', repeatArg = '1', setupsArg = 'one,internal,process'] = process.argv.slice(2);
const SETUPS: Record<string, Setup> = { one: 'one connection', internal: 'internal shards', process: 'process shards' };
const chosen = setupsArg.split(',').map((name) => SETUPS[name.trim()] ?? (() => { throw new Error(`unknown setup ${name}: one, internal or process`); })());
if (!dirArg || !existsSync(join(resolve(dirArg), 'newsdesk.db'))) {
  process.stderr.write('usage: run-shard-bench.ts <data dir made by make-bench-data-dir.ts> [shards] [repeat]\n');
  process.exit(2);
}
if (!existsSync(BOT)) {
  process.stderr.write('no compiled bot: run `npm run build` first\n');
  process.exit(2);
}
const shards = Number(shardsArg);
if (guildsFor(shards).some((g, i) => shardOfGuild(g.id, shards) !== i)) throw new Error('guild ids do not spread over the shards');
const results: Figures[] = [];
for (let round = 0; round < Number(repeatArg); round++) {
  for (const setup of chosen) {
    const figures = await runSetup(setup, resolve(dirArg), shards);
    results.push(figures);
    process.stdout.write(
      `${setup.padEnd(16)} processes ${figures.processes}  start-up ${figures.startUpS.toFixed(1)} s  ` +
        `resident ${figures.rssMB.map((mb) => mb.toFixed(0)).join(' + ')} = ${figures.rssMB.reduce((a, b) => a + b, 0).toFixed(0)} MB  ` +
        `CPU ${figures.cpuS.toFixed(1)} s  load ${figures.load.map((l) => l.toFixed(1)).join(' → ')}\n`,
    );
  }
}
process.stdout.write(`${JSON.stringify(results)}\n`);
