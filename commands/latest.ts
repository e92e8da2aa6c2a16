import { MessageFlags, SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { Command, CommandContext } from '../src/discord/command.js';
import { escapeArticleText, escapeInline, maskedLink } from '../src/discord/escape.js';
import { DISCORD_LIMITS, fitChoices, fitEmbed } from '../src/discord/limits.js';
import { interactionLocale, named, tFor } from '../src/discord/locale.js';
import { NO_PINGS, replyPrivately } from '../src/discord/reply.js';
import { ANSWER_COLOR } from '../src/discord/render-answer.js';
import { plainList } from '../src/i18n/i18n.js';

const HEADLINES = 10;

const data = named(new SlashCommandBuilder(), 'commands.latest')
  .addStringOption((o) => named(o, 'commands.latest.source').setMaxLength(100).setAutocomplete(true))
  .addStringOption((o) => named(o, 'commands.latest.topic').setMaxLength(100));

async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<string> {
  const t = tFor(interaction);
  const wanted = interaction.options.getString('source')?.trim();
  const topic = interaction.options.getString('topic')?.trim();
  const source = wanted ? await ctx.desk.store.findSource(wanted) : undefined;
  if (wanted && !source) {
    await interaction.reply({
      content: t('ask.unknownSource', { source: escapeArticleText(wanted), sources: plainList(t, (await ctx.desk.store.sourceNames()).map(escapeArticleText)) || t('common.noneYet') }),
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_PINGS,
    });
    return 'unknown-source';
  }
  let articles: { title: string | null; url: string | null; source: string; publishedDay: string }[];
  if (topic) {
    const found = await ctx.desk.latestAbout(topic, HEADLINES, { locale: interactionLocale(interaction), ...(source ? { source } : {}) });
    if (found.kind !== 'articles') {
      await replyPrivately(interaction, found.message);
      return found.kind;
    }
    articles = found.articles;
  } else {
    articles = await ctx.desk.latest(HEADLINES, source);
  }
  if (articles.length === 0) {
    await interaction.reply({ content: t('latest.empty'), allowedMentions: NO_PINGS });
    return 'empty';
  }
  const lines = articles.map((a) => `${maskedLink(a.title ?? t('common.untitled'), a.url)} · ${escapeInline(a.source)} · ${a.publishedDay}`);
  // The outlet as indexed and the topic as typed (escaped: it is the member's text) name what the list is.
  const title = [t('latest.title'), ...(source ? [escapeInline(source)] : []), ...(topic ? [escapeInline(topic)] : [])].join(' · ');
  await interaction.reply({ embeds: [fitEmbed({ title, description: lines.join('\n'), color: ANSWER_COLOR })], allowedMentions: NO_PINGS });
  return topic ? 'topic' : 'ok';
}

/** `source:` suggests the indexed outlets, in either Chinese script. */
async function autocomplete(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<string> {
  const typed = String(interaction.options.getFocused());
  const names = await ctx.desk.suggestSources(typed, DISCORD_LIMITS.autocompleteChoices);
  await interaction.respond(fitChoices(names.map((n) => ({ name: n, value: n }))));
  return 'outlets';
}

export default { data, execute, autocomplete } satisfies Command;
