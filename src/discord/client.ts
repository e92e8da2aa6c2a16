import { Client, Events, GatewayIntentBits, type ClientOptions } from 'discord.js';
import { NewsdeskError, describeError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Command, CommandContext } from './command.js';
import { createInteractionHandler } from './interaction-handler.js';
import { NO_PINGS } from './reply.js';
import { shardClientOptions, type ShardSetting } from './sharding.js';

export interface BotOptions {
  token: string;
  /** Discord's REST base URL override (the local emulator in tests); the gateway address follows from it. */
  apiUrl?: string;
  commands: ReadonlyMap<string, Command>;
  ctx: CommandContext;
  /** NEWSDESK_SHARDS: every shard runs in this one client; undefined for one connection. */
  shards?: ShardSetting;
}

/** A logged-in discord.js client with the command handler attached. Rejects with a plain message if Discord refuses the token. */
export async function startBot(options: BotOptions): Promise<Client> {
  const clientOptions: ClientOptions = {
    // Slash commands need no privileged intents; Guilds gives the channel and guild cache.
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: NO_PINGS,
    ...(options.apiUrl ? { rest: { api: options.apiUrl } } : {}),
    ...shardClientOptions(options.shards),
  };
  const client = new Client(clientOptions);
  const { log } = options.ctx;
  const handle = createInteractionHandler(options.commands, options.ctx);
  client.on(Events.InteractionCreate, (interaction) => void handle(interaction));
  client.on(Events.Error, (error) => log.error({ error: describeError(error) }, 'discord client error'));
  client.on(Events.Warn, (message) => log.warn({ message }, 'discord client warning'));
  client.rest.on('rateLimited', (info) => log.warn({ route: info.route, retryAfterMs: info.retryAfter, global: info.global }, 'rate limited by Discord'));

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(options.token);
  } catch (error) {
    await client.destroy();
    const text = describeError(error);
    if (/token/i.test(text) || /401/.test(text) || (error as { code?: string }).code === 'TokenInvalid') {
      throw new NewsdeskError('CONFIG_INVALID', 'Discord rejected DISCORD_TOKEN. Reset the token in the Developer Portal (your application → Bot → Reset Token) and put the new one in .env.', { cause: error });
    }
    throw new NewsdeskError('CONFIG_INVALID', `Could not connect to Discord: ${text}. Check the network and DISCORD_API_URL if you set it.`, { cause: error });
  }
  await ready;
  // ClientReady comes once every shard is ready.
  log.info({ user: client.user?.tag, guilds: client.guilds.cache.size, shards: client.ws.shards.size, commands: [...options.commands.keys()] }, 'bot ready');
  return client;
}
