import { PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { Command, CommandContext } from '../src/discord/command.js';
import { replyPrivately } from '../src/discord/reply.js';
import { escapeInline } from '../src/discord/escape.js';
import type { ArticleRecord } from '../src/store/store.js';

const data = new SlashCommandBuilder()
  .setName('news')
  .setNameLocalizations({ 'zh-CN': '新闻', 'zh-TW': '新聞' })
  .setDescription('Manage the news this server’s feeds brought (Manage Server)')
  .setDescriptionLocalizations({ 'zh-CN': '管理本服务器订阅源带来的新闻（需要“管理服务器”权限）', 'zh-TW': '管理本伺服器訂閱源帶來的新聞（需要「管理伺服器」權限）' })
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setDMPermission(false)
  .addSubcommand((s) =>
    s
      .setName('remove')
      .setDescription('Take an article down: it leaves the answers and the feed does not bring it back')
      .addStringOption((o) => o.setName('article').setDescription('Article id, URL or words of its title').setRequired(true).setMaxLength(500)),
  );

const line = (a: ArticleRecord) => `#${a.id} ${escapeInline(a.title ?? '(no title)')} · ${escapeInline(a.source)} · ${a.publishedDay}`;

async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<string> {
  if (!interaction.inGuild()) {
    await replyPrivately(interaction, 'News is managed from a server: use /news in a server channel.');
    return 'not-in-guild';
  }
  if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
    await replyPrivately(interaction, 'Only members with the Manage Server permission can remove news.');
    return 'forbidden';
  }
  const ref = interaction.options.getString('article', true);
  const outcome = await ctx.desk.removeForGuild(interaction.guildId, ref, interaction.user.id);
  switch (outcome.kind) {
    case 'removed':
      await replyPrivately(interaction, `Removed ${line(outcome.article)}. It no longer appears in answers or digests, and its feed will not bring it back.`);
      return 'removed';
    case 'not-found':
      await replyPrivately(interaction, `No article matches "${ref}". Give the article's id, its URL or words of its title.`);
      return 'not-found';
    case 'not-theirs':
      await replyPrivately(interaction, `${line(outcome.article)} was not brought by this server's feeds: only the bot's owner can remove it.`);
      return 'not-theirs';
    case 'ambiguous':
      await replyPrivately(interaction, `"${ref}" matches ${outcome.candidates.length} articles; give one id:\n${outcome.candidates.map(line).join('\n')}`);
      return 'ambiguous';
  }
}

export default { data, execute } satisfies Command;
