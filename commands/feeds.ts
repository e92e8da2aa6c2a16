import { MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { describeFeed, DEFAULT_EVERY_MINUTES } from '../src/feeds/describe-feed.js';
import type { Command, CommandContext } from '../src/discord/command.js';
import { DISCORD_DISPLAY, defuseMentions, urlText } from '../src/discord/escape.js';
import { DISCORD_LIMITS } from '../src/discord/limits.js';
import { named, tFor } from '../src/discord/locale.js';
import { replyPrivately } from '../src/discord/reply.js';
import type { Translate } from '../src/i18n/i18n.js';
import { describeError } from '../src/errors.js';
import { checkUrl } from '../src/feeds/safe-url.js';
import { isTimeZone } from '../src/config.js';

const data = named(new SlashCommandBuilder(), 'commands.feeds')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setDMPermission(false)
  .addSubcommand((s) =>
    named(s, 'commands.feeds.add')
      .addStringOption((o) => named(o, 'commands.feeds.url').setRequired(true).setMaxLength(500))
      .addStringOption((o) => named(o, 'commands.feeds.feedName').setMaxLength(60))
      .addIntegerOption((o) => named(o, 'commands.feeds.every', { count: DEFAULT_EVERY_MINUTES }).setMinValue(5).setMaxValue(1440))
      .addStringOption((o) => named(o, 'commands.feeds.timezone').setMaxLength(64)),
  )
  .addSubcommand((s) => named(s, 'commands.feeds.remove').addStringOption((o) => named(o, 'commands.feeds.feed').setRequired(true).setMaxLength(500)))
  .addSubcommand((s) => named(s, 'commands.feeds.list'));

/** Room kept at the end of a long list for the line saying how many feeds are not shown. */
const MORE_LINE_ROOM = 80;

/**
 * The feed list in one message: whole lines only (a feed's health and last error are never cut off), and when
 * they do not all fit, how many more there are and where to see them all.
 */
function feedListMessage(lines: readonly string[], t: Translate, limit: number = DISCORD_LIMITS.content): string {
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
  return hidden > 0 ? `${shown.join('\n')}\n${t('feeds.more', { count: hidden })}` : shown.join('\n');
}

async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<string> {
  const t = tFor(interaction);
  if (!interaction.inGuild()) {
    await replyPrivately(interaction, t('feeds.notInGuild'));
    return 'not-in-guild';
  }
  if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
    await replyPrivately(interaction, t('feeds.forbidden'));
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
        await replyPrivately(interaction, t('feeds.cannotFollow', { reason: describeError(error) }));
        return 'bad-url';
      }
      const name = interaction.options.getString('name')?.trim();
      const timezone = interaction.options.getString('timezone')?.trim() || undefined;
      if (timezone && !isTimeZone(timezone)) {
        await replyPrivately(interaction, `"${defuseMentions(timezone)}" is not a time zone: use an IANA name such as Asia/Shanghai, Asia/Taipei or Europe/Berlin.`);
        return 'bad-timezone';
      }
      const existing = await feeds.byUrl(url.toString());
      if (existing && existing.guildId !== interaction.guildId) {
        // One bot, one index: another server (or the owner) already follows it, and its news is answerable here too.
        await replyPrivately(interaction, t('feeds.alreadyFollowed'));
        return 'already-followed';
      }
      const { feed, created } = await feeds.add(
        { url: url.toString(), ...(name ? { name } : {}), ...(timezone ? { timezone } : {}), everyMinutes: interaction.options.getInteger('every') ?? DEFAULT_EVERY_MINUTES, addedBy: interaction.user.id, guildId: interaction.guildId },
        ctx.now(),
      );
      await replyPrivately(interaction, t(created ? 'feeds.following' : 'feeds.updated', { feed: describeFeed(feed, DISCORD_DISPLAY, t) }));
      return created ? 'added' : 'updated';
    }
    case 'remove': {
      const ref = interaction.options.getString('feed', true);
      const feed = await feeds.find(ref, interaction.guildId);
      if (!feed) {
        await replyPrivately(interaction, t('feeds.notFound', { ref }));
        return 'not-found';
      }
      await feeds.remove(feed.id);
      await replyPrivately(interaction, t('feeds.removed', { url: urlText(feed.url) }));
      return 'removed';
    }
    default: {
      const list = await feeds.list(interaction.guildId);
      await replyPrivately(interaction, list.length ? feedListMessage(list.map((f) => describeFeed(f, DISCORD_DISPLAY, t)), t) : t('feeds.none'));
      return 'list';
    }
  }
}

export default { data, execute } satisfies Command;
