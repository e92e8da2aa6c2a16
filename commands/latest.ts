import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { Command, CommandContext } from '../src/discord/command.js';
import { escapeArticleText, escapeInline, maskedLink } from '../src/discord/escape.js';
import { fitEmbed } from '../src/discord/limits.js';
import { NO_PINGS } from '../src/discord/reply.js';
import { ANSWER_COLOR } from '../src/discord/render-answer.js';

const HEADLINES = 10;

const data = new SlashCommandBuilder()
  .setName('latest')
  .setNameLocalizations({ 'zh-CN': '最新', 'zh-TW': '最新' })
  .setDescription('The newest headlines, with links')
  .setDescriptionLocalizations({ 'zh-CN': '最新的新闻标题和链接', 'zh-TW': '最新的新聞標題和連結' })
  .addStringOption((o) =>
    o
      .setName('source')
      .setNameLocalizations({ 'zh-CN': '来源', 'zh-TW': '來源' })
      .setDescription('Only this outlet')
      .setDescriptionLocalizations({ 'zh-CN': '只看这家媒体', 'zh-TW': '只看這家媒體' })
      .setMaxLength(100),
  );

async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<string> {
  const wanted = interaction.options.getString('source')?.trim();
  const source = wanted ? ctx.desk.store.findSource(wanted) : undefined;
  if (wanted && !source) {
    await interaction.reply({
      content: `No outlet called "${escapeArticleText(wanted)}" is indexed. Indexed outlets: ${ctx.desk.store.sourceNames().map(escapeArticleText).join(', ') || 'none yet'}.`,
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_PINGS,
    });
    return 'unknown-source';
  }
  const articles = ctx.desk.latest(HEADLINES, source);
  if (articles.length === 0) {
    await interaction.reply({ content: 'No news indexed yet.', allowedMentions: NO_PINGS });
    return 'empty';
  }
  const lines = articles.map((a) => `${maskedLink(a.title ?? '(untitled)', a.url)} · ${escapeInline(a.source)} · ${a.publishedDay}`);
  await interaction.reply({
    embeds: [fitEmbed({ title: source ? `Latest · ${escapeInline(source)}` : 'Latest / 最新', description: lines.join('\n'), color: ANSWER_COLOR })],
    allowedMentions: NO_PINGS,
  });
  return 'ok';
}

export default { data, execute } satisfies Command;
