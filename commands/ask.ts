import { MessageFlags, SlashCommandBuilder, type AutocompleteInteraction, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { MAX_QUESTION_CHARS, type AskFilters } from '../src/search/ask.js';
import { isPeriod, periodFilters, PERIODS, type Period } from '../src/search/period.js';
import type { Command, CommandContext } from '../src/discord/command.js';
import { decodeAskPage, hashQuestion, MAX_SOURCE_IN_ID } from '../src/discord/ask-paging.js';
import { escapeArticleText } from '../src/discord/escape.js';
import { choiceName, cutAtSentence, DISCORD_LIMITS, fitChoices } from '../src/discord/limits.js';
import { choice, interactionLocale, named, tFor } from '../src/discord/locale.js';
import { PAGE_SIZE, renderAnswer } from '../src/discord/render-answer.js';
import { replyPrivately, toMessage } from '../src/discord/reply.js';

// The question is shown as the answer's embed title, which is where the "more" button reads it back.
const MAX_QUESTION = Math.min(MAX_QUESTION_CHARS, DISCORD_LIMITS.embedTitle);

/** The value of a suggested headline: choosing it asks about that article. */
const ARTICLE_CHOICE = /^article:(\d{1,15})$/;

const data = named(new SlashCommandBuilder(), 'commands.ask')
  .addStringOption((o) => named(o, 'commands.ask.question').setRequired(true).setMaxLength(MAX_QUESTION).setAutocomplete(true))
  .addBooleanOption((o) => named(o, 'commands.ask.hide'))
  .addStringOption((o) => named(o, 'commands.ask.source').setMaxLength(MAX_SOURCE_IN_ID).setAutocomplete(true))
  .addStringOption((o) => named(o, 'commands.ask.period').addChoices(...PERIODS.map((p) => choice(`period.${p}`, p))));

/** The filters of a period, in the bot's time zone (the same days `--since` names on the command line). */
function filtersOf(period: Period | undefined, ctx: CommandContext): AskFilters {
  return period ? periodFilters(period, ctx.now(), ctx.defaultTimezone) : {};
}

async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<string> {
  const t = tFor(interaction);
  const locale = interactionLocale(interaction);
  let question = interaction.options.getString('question', true);
  const hide = interaction.options.getBoolean('hide') ?? false;
  const source = interaction.options.getString('source')?.trim() || undefined;
  const chosenPeriod = interaction.options.getString('period') ?? undefined;
  const period = chosenPeriod && isPeriod(chosenPeriod) && chosenPeriod !== 'any' ? chosenPeriod : undefined;

  // A suggested headline the member picked: ask about that article, with its headline as the question.
  let articleId: number | undefined;
  const picked = ARTICLE_CHOICE.exec(question.trim());
  if (picked) {
    const headline = await ctx.desk.headline(Number(picked[1]));
    if (!headline) {
      await replyPrivately(interaction, t('ask.unknownArticle'));
      return 'unknown-article';
    }
    articleId = headline.articleId;
    question = cutAtSentence(headline.title, MAX_QUESTION);
  }

  // Discord enforces the option's max length, but a client can send more. A longer question would not fit the
  // embed title the "more" button reads back, so it is refused with a clear word rather than cut.
  const length = question.trim().length;
  if (length > MAX_QUESTION) {
    await replyPrivately(interaction, t('ask.tooLong', { length, limit: MAX_QUESTION }));
    return 'too-long';
  }
  const wait = ctx.cooldown.take(interaction.user.id);
  if (wait > 0) {
    await replyPrivately(interaction, t('ask.cooldown', { seconds: wait }));
    return 'cooldown';
  }
  // Acknowledge at once: Discord gives 3 seconds, and a cold index or a busy disk can take longer.
  await interaction.deferReply(hide ? { flags: MessageFlags.Ephemeral } : {});
  const outcome = await ctx.desk.ask(question, {
    top: PAGE_SIZE,
    locale,
    ...(source ? { source } : {}),
    ...filtersOf(period, ctx),
    ...(articleId !== undefined ? { articleId } : {}),
  });
  if (outcome.kind === 'empty-query' || outcome.kind === 'too-long') {
    await replyPrivately(interaction, outcome.message);
    return outcome.kind;
  }
  await interaction.editReply(toMessage(renderAnswer(outcome, { hide, t, ...(source ? { source } : {}), ...(period ? { period } : {}) })));
  return articleId !== undefined && outcome.kind === 'hits' ? 'article' : outcome.kind;
}

async function button(interaction: ButtonInteraction, ctx: CommandContext): Promise<string> {
  const t = tFor(interaction);
  const page = decodeAskPage(interaction.customId);
  const question = interaction.message.embeds[0]?.title ?? '';
  if (!page || !question || hashQuestion(question) !== page.questionHash) {
    await replyPrivately(interaction, t('ask.staleButton'));
    return 'stale-button';
  }
  const outcome = await ctx.desk.ask(question, {
    top: PAGE_SIZE,
    offset: page.offset,
    locale: interactionLocale(interaction),
    ...(page.source ? { source: page.source } : {}),
    ...filtersOf(page.period, ctx),
  });
  if (outcome.kind !== 'hits') {
    // The message can name the indexed outlets, which articles wrote.
    await replyPrivately(interaction, escapeArticleText(outcome.message));
    return outcome.kind;
  }
  // Already acknowledged (deferUpdate, by the interaction handler): this edits the answer in place.
  await interaction.editReply(
    toMessage(renderAnswer(outcome, { hide: page.hide, t, ...(page.source ? { source: page.source } : {}), ...(page.period ? { period: page.period } : {}) })),
  );
  return 'page';
}

/**
 * While a member types: `question` suggests headlines of matching articles (newest first among equal matches),
 * `source` the indexed outlets. Both are scans of what is in memory, answered at once.
 */
async function autocomplete(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<string> {
  const focused = interaction.options.getFocused(true);
  const limit = DISCORD_LIMITS.autocompleteChoices;
  if (focused.name === 'source') {
    const names = (await ctx.desk.suggestSources(String(focused.value), limit * 2)).filter((n) => n.length <= MAX_SOURCE_IN_ID);
    await interaction.respond(fitChoices(names.map((n) => ({ name: n, value: n }))));
    return 'outlets';
  }
  // An outlet already chosen in source: narrows the headlines to it.
  const typedSource = interaction.options.getString('source')?.trim();
  const source = typedSource ? await ctx.desk.store.findSource(typedSource) : undefined;
  const headlines = await ctx.desk.suggestHeadlines(String(focused.value), limit, source);
  await interaction.respond(
    fitChoices(headlines.map((h) => ({ name: choiceName(h.title, ` · ${h.source} · ${h.publishedAt.slice(0, 10)}`), value: `article:${h.articleId}` }))),
  );
  return 'headlines';
}

export default { data, execute, button, autocomplete } satisfies Command;
