import type { ClientOptions } from 'discord.js';

/**
 * NEWSDESK_SHARDS as read by src/config.ts: `auto` (as many shards as Discord's GET /gateway/bot recommends) or a
 * number of shards. Discord requires sharding from 2,500 servers per connection
 * (https://discord.com/developers/docs/topics/gateway#sharding).
 */
export type ShardSetting = 'auto' | number;

/**
 * The most shards one newsdesk process is let run: every shard is one gateway connection in this process (internal
 * sharding), 2,500 servers each, so 64 shards serve 160,000 servers, far beyond what one process should answer.
 */
export const MAX_SHARDS = 64;

/**
 * The discord.js client options for a shard setting: nothing for none (one connection, as before), `shards: 'auto'`,
 * or shards 0…N−1 of N, all in this client. One client holds every shard, so the process keeps one index, one
 * scheduler and one news intake whatever the number of shards (see README "Shards").
 */
export function shardClientOptions(setting: ShardSetting | undefined): Pick<ClientOptions, 'shards' | 'shardCount'> {
  if (setting === undefined) return {};
  if (setting === 'auto') return { shards: 'auto' };
  return { shards: Array.from({ length: setting }, (_, i) => i), shardCount: setting };
}
