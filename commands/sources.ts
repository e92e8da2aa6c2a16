import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { Command, CommandContext } from '../src/discord/command.js';
import { escapeInline } from '../src/discord/escape.js';
import { fitEmbed } from '../src/discord/limits.js';
import { named, tFor } from '../src/discord/locale.js';
import { NO_PINGS } from '../src/discord/reply.js';
import { ANSWER_COLOR } from '../src/discord/render-answer.js';

const data = named(new SlashCommandBuilder(), 'commands.sources');

async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<string> {
  const t = tFor(interaction);
  const sources = await ctx.desk.sources();
  if (sources.length === 0) {
    await interaction.reply({ content: t('sources.empty'), allowedMentions: NO_PINGS });
    return 'empty';
  }
  const lines = sources.map((s) =>
    t('sources.line', { source: escapeInline(s.source), articles: t('common.articles', { count: s.articles }), day: s.newest }),
  );
  await interaction.reply({
    embeds: [fitEmbed({ title: t('sources.title', { count: sources.length }), description: lines.join('\n'), color: ANSWER_COLOR })],
    allowedMentions: NO_PINGS,
  });
  return 'ok';
}

export default { data, execute } satisfies Command;
