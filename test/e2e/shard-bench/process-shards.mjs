// discord.js's ShardingManager over the bot's compiled entry point: one process per shard, each with its own
// index, as the alternative to internal sharding measured by run-shard-bench.ts. Usage (DISCORD_TOKEN set):
//   node process-shards.mjs <dist/src/bot.js> <shards>
import { ShardingManager } from 'discord.js';

const [file, count] = process.argv.slice(2);
const manager = new ShardingManager(file, { totalShards: Number(count), token: process.env.DISCORD_TOKEN, respawn: false });
manager.on('shardCreate', (shard) => process.stderr.write(`${JSON.stringify({ msg: 'shard process spawned', shard: shard.id, pid: shard.process?.pid })}\n`));
// No spawn timeout: at a million passages a shard's start-up takes longer than discord.js's default 30 s.
await manager.spawn({ timeout: -1 });
process.stderr.write(`${JSON.stringify({ msg: 'every shard process spawned' })}\n`);
const stop = () => {
  for (const shard of manager.shards.values()) shard.process?.kill('SIGTERM');
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
