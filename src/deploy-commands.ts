import { REST, Routes } from 'discord.js';
import { loadBotConfig } from './config.js';
import { loadCommands } from './discord/load-commands.js';
import { describeError } from './errors.js';

/**
 * `npm run deploy-commands`: registers the slash commands from the same `commands/` files the bot runs,
 * to one guild when DISCORD_GUILD_ID is set (instant, for development), else globally (may take up to an hour to show).
 */
async function main(): Promise<void> {
  const config = loadBotConfig();
  const commands = await loadCommands();
  const body = [...commands.values()].map((c) => c.data.toJSON());
  const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.discordToken);
  const route = config.guildId ? Routes.applicationGuildCommands(config.applicationId, config.guildId) : Routes.applicationCommands(config.applicationId);
  await rest.put(route, { body });
  process.stdout.write(`Registered ${body.length} commands (${body.map((c) => `/${c.name}`).join(' ')}) ${config.guildId ? `in guild ${config.guildId}` : 'globally (allow up to an hour to appear)'}.\n`);
}

main().catch((error: unknown) => {
  const text = describeError(error);
  process.stderr.write(/401|Unauthorized/i.test(text) ? 'Discord rejected DISCORD_TOKEN: reset it in the Developer Portal (Bot → Reset Token) and update .env.\n' : `${text}\n`);
  process.exit(1);
});
