import { MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { describeFeed, DEFAULT_EVERY_MINUTES } from '../src/feeds/describe-feed.js';
import type { Command, CommandContext } from '../src/discord/command.js';
import { DISCORD_DISPLAY, defuseMentions, urlText } from '../src/discord/escape.js';
import { DISCORD_LIMITS } from '../src/discord/limits.js';
import { replyPrivately } from '../src/discord/reply.js';
import { describeError } from '../src/errors.js';
import { checkUrl } from '../src/feeds/safe-url.js';
import { isTimeZone } from '../src/config.js';

const data = new SlashCommandBuilder()
  .setName('feeds')
  .setNameLocalizations({ 'zh-CN': '订阅源', 'zh-TW': '訂閱源' })
  .setDescription('RSS/Atom feeds the bot follows (Manage Server)')
  .setDescriptionLocalizations({ 'zh-CN': '机器人关注的 RSS/Atom 源（需要“管理服务器”权限）', 'zh-TW': '機器人關注的 RSS/Atom 源（需要「管理伺服器」權限）' })
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setDMPermission(false)
  .addSubcommand((s) =>
    s
      .setName('add')
      .setDescription('Follow a feed')
      .addStringOption((o) => o.setName('url').setDescription('Feed address, e.g. https://example.com/rss.xml').setRequired(true).setMaxLength(500))
      .addStringOption((o) => o.setName('name').setDescription('Outlet name for its articles (default: the feed title)').setMaxLength(60))
      .addIntegerOption((o) => o.setName('every').setDescription(`Poll every N minutes (5–1440, default ${DEFAULT_EVERY_MINUTES})`).setMinValue(5).setMaxValue(1440))
      .addStringOption((o) => o.setName('timezone').setDescription('IANA zone of its times that have no offset, e.g. Asia/Taipei (default: the bot’s)').setMaxLength(64)),
  )
  .addSubcommand((s) =>
    s
      .setName('remove')
      .setDescription('Stop following a feed (its articles stay)')
      .addStringOption((o) => o.setName('feed').setDescription('Feed id, URL or name (see /feeds list)').setRequired(true).setMaxLength(500)),
  )
  .addSubcommand((s) => s.setName('list').setDescription('Feeds, their health and last error'));

/** Room kept at the end of a long list for the line saying how many feeds are not shown. */
const MORE_LINE_ROOM = 80;

/**
 * The feed list in one message: whole lines only (a feed's health and last error are never cut off), and when
 * they do not all fit, how many more there are and where to see them all.
 */
function feedListMessage(lines: readonly string[], limit: number = DISCORD_LIMITS.content): string {
  const shown: string[] = [];
  let used = 0;
  for (const raw of lines) {
    // Measured as sent: mentions in a name are defused, which lengthens the line.
    const line = defuseMentions(raw);
    const cost = line.length + (shown.length > 0 ? 1 : 0);
    const isLast = shown.length === lines.length - 1;
    if (used + cost > (isLast ? limit : limit - MORE_LINE_ROOM)) break;
    shown.push(line);
    used += cost;
  }
  // A single line over the limit is left to the reply's own cut.
  if (shown.length === 0 && lines.length > 0) shown.push(defuseMentions(lines[0]!));
  const hidden = lines.length - shown.length;
  return hidden > 0 ? `${shown.join('\n')}\n… and ${hidden} more: \`npm run feeds -- list\` on the bot's machine shows them all.` : shown.join('\n');
}

async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<string> {
  if (!interaction.inGuild()) {
    await replyPrivately(interaction, 'Feeds are managed from a server: use /feeds in a server channel.');
    return 'not-in-guild';
  }
  if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
    await replyPrivately(interaction, 'Only members with the Manage Server permission can manage feeds.');
    return 'forbidden';
  }
  const feeds = ctx.desk.store.feeds;
  switch (interaction.options.getSubcommand()) {
    case 'add': {
      const raw = interaction.options.getString('url', true).trim();
      // The address is looked up in DNS before it is accepted, which can take longer than Discord's 3 s.
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      let url: URL;
      try {
        // A guild admin is not the bot's owner: private and loopback addresses only if the owner allowed them.
        url = await checkUrl(raw, ctx.urlPolicy ?? { allowPrivate: false });
      } catch (error) {
        await replyPrivately(interaction, `Cannot follow that feed: ${describeError(error)}`);
        return 'bad-url';
      }
      const name = interaction.options.getString('name')?.trim();
      const timezone = interaction.options.getString('timezone')?.trim() || undefined;
      if (timezone && !isTimeZone(timezone)) {
        await replyPrivately(interaction, `"${defuseMentions(timezone)}" is not a time zone: use an IANA name such as Asia/Shanghai, Asia/Taipei or Europe/Berlin.`);
        return 'bad-timezone';
      }
      const existing = feeds.byUrl(url.toString());
      if (existing && existing.guildId !== interaction.guildId) {
        // One bot, one index: another server (or the owner) already follows it, and its news is answerable here too.
        await replyPrivately(interaction, 'That feed is already followed for everyone (added by the bot’s owner or another server); its articles are already answerable here.');
        return 'already-followed';
      }
      const { feed, created } = feeds.add(
        { url: url.toString(), ...(name ? { name } : {}), ...(timezone ? { timezone } : {}), everyMinutes: interaction.options.getInteger('every') ?? DEFAULT_EVERY_MINUTES, addedBy: interaction.user.id, guildId: interaction.guildId },
        ctx.now(),
      );
      await replyPrivately(interaction, `${created ? 'Following' : 'Updated'}: ${describeFeed(feed, DISCORD_DISPLAY)}. New articles are answerable within minutes.`);
      return created ? 'added' : 'updated';
    }
    case 'remove': {
      const ref = interaction.options.getString('feed', true);
      const feed = feeds.find(ref, interaction.guildId);
      if (!feed) {
        await replyPrivately(interaction, `No feed "${ref}". /feeds list shows them.`);
        return 'not-found';
      }
      feeds.remove(feed.id);
      await replyPrivately(interaction, `No longer following ${urlText(feed.url)}. Its articles stay in the index.`);
      return 'removed';
    }
    default: {
      const list = feeds.list(interaction.guildId);
      await replyPrivately(interaction, list.length ? feedListMessage(list.map((f) => describeFeed(f, DISCORD_DISPLAY))) : 'No feeds yet. Add one with /feeds add.');
      return 'list';
    }
  }
}

export default { data, execute } satisfies Command;
