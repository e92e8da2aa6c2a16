import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { Command } from '../src/discord/command.js';
import { named, tFor } from '../src/discord/locale.js';
import { NO_PINGS } from '../src/discord/reply.js';

const data = named(new SlashCommandBuilder(), 'commands.help');

async function execute(interaction: ChatInputCommandInteraction): Promise<string> {
  await interaction.reply({ content: tFor(interaction)('help.text'), flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
  return 'ok';
}

export default { data, execute } satisfies Command;
