import { loadBotConfig } from './config.js';
import { loadCommands } from './discord/load-commands.js';
import { registerCommands } from './discord/register-commands.js';
import { describeError, isNewsdeskError } from './errors.js';

/**
 * `npm run deploy-commands`: registers the slash commands from the same `commands/` files the bot runs,
 * to one guild when DISCORD_GUILD_ID is set (instant, for development), else globally (may take up to an hour to show).
 */
async function main(): Promise<void> {
  const config = loadBotConfig();
  const { names, scope } = await registerCommands({
    token: config.discordToken,
    applicationId: config.applicationId,
    ...(config.guildId ? { guildId: config.guildId } : {}),
    ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}),
    commands: await loadCommands(),
  });
  const where = scope === 'guild' ? `in guild ${config.guildId}` : 'globally (allow up to an hour to appear)';
  process.stdout.write(`Registered ${names.length} commands (${names.map((n) => `/${n}`).join(' ')}) ${where}.\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${describeError(error)}\n`);
  // As every newsdesk command: 2 for a bad setting in .env (usage), 1 when Discord did not take the commands.
  process.exit(isNewsdeskError(error, 'CONFIG_INVALID') ? 2 : 1);
});
