import { DiscordAPIError, REST, Routes } from 'discord.js';
import { NewsdeskError, describeError } from '../errors.js';
import type { Command } from './command.js';

export interface RegisterOptions {
  token: string;
  applicationId: string;
  /** Registers in this guild only (shows at once, for development); globally otherwise (may take up to an hour). */
  guildId?: string;
  /** Discord's REST base URL override (the local emulator in tests). */
  apiUrl?: string;
  commands: ReadonlyMap<string, Command>;
}

export interface Registered {
  names: string[];
  scope: 'guild' | 'global';
}

/**
 * Replaces the application's slash commands with the ones in `commands` (the same files the bot runs, so what is
 * registered is what answers). Failures Discord explains (bad token, wrong application, bot not in the guild)
 * become a plain message saying which setting to fix; the token never appears in it.
 */
export async function registerCommands(options: RegisterOptions): Promise<Registered> {
  const body = [...options.commands.values()].map((c) => c.data.toJSON());
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  const route = options.guildId ? Routes.applicationGuildCommands(options.applicationId, options.guildId) : Routes.applicationCommands(options.applicationId);
  try {
    await rest.put(route, { body });
  } catch (error) {
    throw explain(error, options);
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
  return { names: body.map((c) => c.name), scope: options.guildId ? 'guild' : 'global' };
}

function explain(error: unknown, options: RegisterOptions): NewsdeskError {
  const status = error instanceof DiscordAPIError ? error.status : (error as { status?: number }).status;
  if (status === 401) {
    const fix = 'reset it in the Developer Portal (your application → Bot → Reset Token) and update .env';
    return new NewsdeskError('CONFIG_INVALID', `Discord rejected DISCORD_TOKEN: ${fix}.`, { cause: error });
  }
  if (status === 403) {
    const where = options.guildId
      ? `DISCORD_GUILD_ID (${options.guildId}) is a server the bot has joined (invite it with the applications.commands scope) and `
      : '';
    const check = `${where}DISCORD_APPLICATION_ID (${options.applicationId}) is this bot's application id`;
    return new NewsdeskError('CONFIG_INVALID', `Discord refused to register the commands: check that ${check}.`, { cause: error });
  }
  return new NewsdeskError('CONFIG_INVALID', `Could not register the commands: ${describeError(error)}`, { cause: error });
}
