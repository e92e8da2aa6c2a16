import { SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { Command, CommandContext } from '../src/discord/command.js';
import { escapeInline } from '../src/discord/escape.js';
import { fitEmbed } from '../src/discord/limits.js';
import { NO_PINGS } from '../src/discord/reply.js';
import { ANSWER_COLOR } from '../src/discord/render-answer.js';

const data = new SlashCommandBuilder()
  .setName('sources')
  .setNameLocalizations({ 'zh-CN': '来源', 'zh-TW': '來源' })
  .setDescription('The outlets in the index, with article counts and newest date')
  .setDescriptionLocalizations({ 'zh-CN': '索引中的媒体、文章数量和最新日期', 'zh-TW': '索引中的媒體、文章數量和最新日期' });

async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<string> {
  const sources = ctx.desk.sources();
  if (sources.length === 0) {
    await interaction.reply({ content: 'No news indexed yet. An admin can add some with `npm run ingest -- <files>`.', allowedMentions: NO_PINGS });
    return 'empty';
  }
  const lines = sources.map(
    (s) => `**${escapeInline(s.source)}** · ${s.articles} ${s.articles === 1 ? 'article' : 'articles'} · newest ${s.newest}`,
  );
  await interaction.reply({
    embeds: [fitEmbed({ title: `${sources.length} outlets / 媒体`, description: lines.join('\n'), color: ANSWER_COLOR })],
    allowedMentions: NO_PINGS,
  });
  return 'ok';
}

export default { data, execute } satisfies Command;
