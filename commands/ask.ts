import { MessageFlags, SlashCommandBuilder, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { MAX_QUESTION_CHARS } from '../src/search/ask.js';
import type { Command, CommandContext } from '../src/discord/command.js';
import { decodeAskPage, hashQuestion, MAX_SOURCE_IN_ID } from '../src/discord/ask-paging.js';
import { escapeArticleText } from '../src/discord/escape.js';
import { DISCORD_LIMITS } from '../src/discord/limits.js';
import { PAGE_SIZE, renderAnswer } from '../src/discord/render-answer.js';
import { replyPrivately, toMessage } from '../src/discord/reply.js';

// The question is shown as the answer's embed title, which is where the "more" button reads it back.
const MAX_QUESTION = Math.min(MAX_QUESTION_CHARS, DISCORD_LIMITS.embedTitle);

const data = new SlashCommandBuilder()
  .setName('ask')
  .setNameLocalizations({ 'zh-CN': '提问', 'zh-TW': '提問' })
  .setDescription('Ask about the news: the best passages with their sources')
  .setDescriptionLocalizations({ 'zh-CN': '询问新闻：给出最相关的段落及其出处', 'zh-TW': '詢問新聞：給出最相關的段落及其出處' })
  .addStringOption((o) =>
    o
      .setName('question')
      .setNameLocalizations({ 'zh-CN': '问题', 'zh-TW': '問題' })
      .setDescription('Your question, e.g. 特斯拉上海储能超级工厂用了多久建成?')
      .setDescriptionLocalizations({ 'zh-CN': '你的问题，例如：特斯拉上海储能超级工厂用了多久建成？', 'zh-TW': '你的問題，例如：特斯拉上海儲能超級工廠用了多久建成？' })
      .setRequired(true)
      .setMaxLength(MAX_QUESTION),
  )
  .addBooleanOption((o) =>
    o
      .setName('hide')
      .setNameLocalizations({ 'zh-CN': '仅自己可见', 'zh-TW': '僅自己可見' })
      .setDescription('Only you see the answer')
      .setDescriptionLocalizations({ 'zh-CN': '只有你能看到回答', 'zh-TW': '只有你能看到回答' }),
  )
  .addStringOption((o) =>
    o
      .setName('source')
      .setNameLocalizations({ 'zh-CN': '来源', 'zh-TW': '來源' })
      .setDescription('Only passages from this outlet')
      .setDescriptionLocalizations({ 'zh-CN': '只看这家媒体的报道', 'zh-TW': '只看這家媒體的報導' })
      .setMaxLength(MAX_SOURCE_IN_ID),
  );

async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<string> {
  const question = interaction.options.getString('question', true);
  const hide = interaction.options.getBoolean('hide') ?? false;
  const source = interaction.options.getString('source')?.trim() || undefined;

  // Discord enforces the option's max length, but a client can send more. A longer question would not fit the
  // embed title the "more" button reads back, so it is refused with a clear word rather than cut.
  const length = question.trim().length;
  if (length > MAX_QUESTION) {
    await replyPrivately(interaction, `Your question is ${length} characters long; the limit is ${MAX_QUESTION}. Ask about one thing in a sentence or two.`);
    return 'too-long';
  }
  const wait = ctx.cooldown.take(interaction.user.id);
  if (wait > 0) {
    await replyPrivately(interaction, `You are asking faster than the bot can keep up: try again in ${wait} s.`);
    return 'cooldown';
  }
  // Acknowledge at once: Discord gives 3 seconds, and a cold index or a busy disk can take longer.
  await interaction.deferReply(hide ? { flags: MessageFlags.Ephemeral } : {});
  const outcome = ctx.desk.ask(question, { top: PAGE_SIZE, ...(source ? { source } : {}) });
  if (outcome.kind === 'empty-query' || outcome.kind === 'too-long') {
    await replyPrivately(interaction, outcome.message);
    return outcome.kind;
  }
  await interaction.editReply(toMessage(renderAnswer(outcome, { hide, ...(source ? { source } : {}) })));
  return outcome.kind;
}

async function button(interaction: ButtonInteraction, ctx: CommandContext): Promise<string> {
  const page = decodeAskPage(interaction.customId);
  const question = interaction.message.embeds[0]?.title ?? '';
  if (!page || !question || hashQuestion(question) !== page.questionHash) {
    await replyPrivately(interaction, 'This button no longer matches its question. Ask again with /ask.');
    return 'stale-button';
  }
  const outcome = ctx.desk.ask(question, { top: PAGE_SIZE, offset: page.offset, ...(page.source ? { source: page.source } : {}) });
  if (outcome.kind !== 'hits') {
    // The message can name the indexed outlets, which articles wrote.
    await replyPrivately(interaction, escapeArticleText(outcome.message));
    return outcome.kind;
  }
  // Already acknowledged (deferUpdate, by the interaction handler): this edits the answer in place.
  await interaction.editReply(toMessage(renderAnswer(outcome, { hide: page.hide, ...(page.source ? { source: page.source } : {}) })));
  return 'page';
}

export default { data, execute, button } satisfies Command;
