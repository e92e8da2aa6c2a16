import {
  ChannelType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
  type GuildBasedChannel,
} from 'discord.js';
import { isTimeZone } from '../src/config.js';
import type { Command, CommandContext } from '../src/discord/command.js';
import { defuseMentions } from '../src/discord/escape.js';
import { fitContent } from '../src/discord/limits.js';
import { renderDigest, type DigestMessage } from '../src/discord/render-digest.js';
import { NO_PINGS, replyPrivately } from '../src/discord/reply.js';
import { DEFAULT_MAX_ITEMS } from '../src/digest/build-digest.js';
import { previewDigest } from '../src/digest/digest-service.js';
import { parseKeywords } from '../src/digest/keywords.js';
import { DailySchedule, localDay, parseTime } from '../src/digest/schedule.js';
import type { Delivery, Subscription } from '../src/store/digest-store.js';

/** What the bot needs in a channel to post a digest there. */
const POSTING = [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages, PermissionFlagsBits.EmbedLinks];
const TEXT_CHANNELS = [ChannelType.GuildText, ChannelType.GuildAnnouncement] as const;

const data = new SlashCommandBuilder()
  .setName('digest')
  .setNameLocalizations({ 'zh-CN': '每日摘要', 'zh-TW': '每日摘要' })
  .setDescription('Daily news digests posted to a channel (Manage Server)')
  .setDescriptionLocalizations({ 'zh-CN': '每天把新闻摘要发到频道（需要“管理服务器”权限）', 'zh-TW': '每天把新聞摘要發到頻道（需要「管理伺服器」權限）' })
  // Hidden from members who cannot use it; checked again at run time, since server admins can override this.
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setDMPermission(false)
  .addSubcommand((s) =>
    s
      .setName('subscribe')
      .setDescription('Post a digest in a channel every day at a local time')
      .setDescriptionLocalizations({ 'zh-CN': '每天在指定时间把摘要发到频道', 'zh-TW': '每天在指定時間把摘要發到頻道' })
      .addChannelOption((o) => o.setName('channel').setDescription('Where to post').setRequired(true).addChannelTypes(...TEXT_CHANNELS))
      .addStringOption((o) => o.setName('time').setDescription('Local time, 24-hour HH:MM, e.g. 08:00').setRequired(true).setMaxLength(5))
      .addStringOption((o) => o.setName('timezone').setDescription('IANA time zone, e.g. Asia/Shanghai (default: the bot’s)').setMaxLength(64))
      .addStringOption((o) => o.setName('keywords').setDescription('Only stories mentioning one of these words, e.g. 储能, Tesla').setMaxLength(200))
      .addIntegerOption((o) => o.setName('max').setDescription(`At most this many stories (1–20, default ${DEFAULT_MAX_ITEMS})`).setMinValue(1).setMaxValue(20))
      .addBooleanOption((o) => o.setName('quiet').setDescription('Post nothing on days without news (default: a short note)')),
  )
  .addSubcommand((s) =>
    s
      .setName('unsubscribe')
      .setDescription('Stop the digest in a channel')
      .setDescriptionLocalizations({ 'zh-CN': '停止频道的每日摘要', 'zh-TW': '停止頻道的每日摘要' })
      .addChannelOption((o) => o.setName('channel').setDescription('The channel').setRequired(true).addChannelTypes(...TEXT_CHANNELS)),
  )
  .addSubcommand((s) =>
    s
      .setName('status')
      .setDescription('Each subscription: next run, last delivery and its outcome')
      .setDescriptionLocalizations({ 'zh-CN': '各订阅的下次发送时间和上次结果', 'zh-TW': '各訂閱的下次發送時間和上次結果' }),
  )
  .addSubcommand((s) =>
    s
      .setName('preview')
      .setDescription('The digest as it would be posted now, shown only to you')
      .setDescriptionLocalizations({ 'zh-CN': '预览现在会发送的摘要（仅自己可见）', 'zh-TW': '預覽現在會發送的摘要（僅自己可見）' })
      .addChannelOption((o) => o.setName('channel').setDescription('Preview this channel’s subscription').addChannelTypes(...TEXT_CHANNELS)),
  );

const unix = (d: Date | string) => Math.floor(new Date(d).getTime() / 1000);

/**
 * A private answer that names channels as clickable <#id> mentions (replyPrivately defuses those, as it must for
 * text it did not write). Whatever a member typed is defused where it is put in, with `typed`.
 */
async function answerPrivately(interaction: ChatInputCommandInteraction, content: string): Promise<void> {
  const payload = { content: fitContent(content), flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS } as const;
  await (interaction.replied || interaction.deferred ? interaction.followUp(payload) : interaction.reply(payload));
}
const typed = (text: string) => defuseMentions(text);

function describeDelivery(d: Delivery | undefined): string {
  if (!d) return 'no digest yet';
  const when = d.completedAt ? `<t:${unix(d.completedAt)}:R>` : `<t:${unix(d.claimedAt)}:R>`;
  const outcome: Record<Delivery['status'], string> = {
    sent: `posted ${d.items ?? 0} stories`,
    empty: 'no new articles',
    failed: `failed: ${d.error ?? 'unknown error'}`,
    missed: 'missed: the bot was not running',
    interrupted: `interrupted: ${d.error ?? ''}`,
    claimed: 'being posted now',
  };
  return `${d.localDay} · ${typed(outcome[d.status])}${d.late && d.status === 'sent' ? ' (late)' : ''} · ${when}`;
}

function describeSubscription(sub: Subscription, now: Date, last: Delivery | undefined): string {
  const head = `<#${sub.channelId}> · ${sub.time} ${sub.timezone}${sub.keywords.length ? ` · ${typed(sub.keywords.join(', '))}` : ''} · max ${sub.maxItems}`;
  const next = sub.enabled ? `next <t:${unix(new DailySchedule(sub.time, sub.timezone).next(now))}:F>` : `**stopped**: ${typed(sub.disabledReason ?? 'disabled')}`;
  return `${head}\n${next}\nlast: ${describeDelivery(last)}`;
}

async function botCanPost(interaction: ChatInputCommandInteraction<'cached'>, channel: GuildBasedChannel): Promise<boolean> {
  const me = interaction.guild.members.me ?? (await interaction.guild.members.fetchMe());
  return channel.permissionsFor(me).has(POSTING);
}

async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<string> {
  if (!interaction.inCachedGuild()) {
    await replyPrivately(interaction, 'Digests belong to a server: use /digest in a server channel.');
    return 'not-in-guild';
  }
  if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
    await replyPrivately(interaction, 'Only members with the Manage Server permission can set up digests.');
    return 'forbidden';
  }
  const digests = ctx.desk.store.digests;
  const now = ctx.now();
  switch (interaction.options.getSubcommand()) {
    case 'subscribe': {
      const channel = interaction.options.getChannel('channel', true, TEXT_CHANNELS);
      const time = interaction.options.getString('time', true).trim();
      const timezone = interaction.options.getString('timezone')?.trim() || ctx.defaultTimezone;
      const t = parseTime(time);
      if (!t) {
        await answerPrivately(interaction, `"${typed(time)}" is not a time: use 24-hour HH:MM, for example 08:00 or 18:30.`);
        return 'bad-time';
      }
      if (!isTimeZone(timezone)) {
        await answerPrivately(interaction, `"${typed(timezone)}" is not a time zone: use an IANA name such as Asia/Shanghai, America/New_York or Europe/Berlin.`);
        return 'bad-timezone';
      }
      // Asking Discord for the bot's own member can take longer than the 3 s allowed before an acknowledgement.
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      if (!(await botCanPost(interaction, channel))) {
        await answerPrivately(interaction, `I cannot post in <#${channel.id}>: give me View Channel, Send Messages and Embed Links there, then subscribe again.`);
        return 'cannot-post';
      }
      const keywords = parseKeywords(interaction.options.getString('keywords'));
      const { subscription, created } = digests.upsertSubscription(
        {
          channelId: channel.id,
          guildId: interaction.guildId,
          time: `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`,
          timezone,
          keywords,
          maxItems: interaction.options.getInteger('max') ?? DEFAULT_MAX_ITEMS,
          quietWhenEmpty: interaction.options.getBoolean('quiet') ?? false,
          createdBy: interaction.user.id,
        },
        now,
      );
      const next = new DailySchedule(subscription.time, subscription.timezone).next(now);
      await answerPrivately(
        interaction,
        `${created ? 'Subscribed' : 'Updated'}: <#${channel.id}> gets a digest every day at ${subscription.time} (${subscription.timezone})${keywords.length ? ` about ${typed(keywords.join(', '))}` : ''}, at most ${subscription.maxItems} stories. First one <t:${unix(next)}:F>.`,
      );
      return created ? 'subscribed' : 'updated';
    }
    case 'unsubscribe': {
      const channel = interaction.options.getChannel('channel', true, TEXT_CHANNELS);
      const sub = digests.getSubscription(channel.id);
      if (!sub || sub.guildId !== interaction.guildId) {
        await answerPrivately(interaction, `<#${channel.id}> has no digest subscription.`);
        return 'not-subscribed';
      }
      digests.removeSubscription(channel.id);
      await answerPrivately(interaction, `<#${channel.id}> will get no more digests.`);
      return 'unsubscribed';
    }
    case 'status': {
      const subs = digests.subscriptions({ guildId: interaction.guildId });
      const text = subs.length
        ? subs.map((s) => describeSubscription(s, now, digests.lastDelivery(s.channelId))).join('\n\n')
        : 'No digests in this server yet. Start one with /digest subscribe.';
      await answerPrivately(interaction, text);
      return 'status';
    }
    case 'preview': {
      // Building a digest (clustering a day of articles) is work: acknowledge first.
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const channel = interaction.options.getChannel('channel', false, TEXT_CHANNELS);
      const sub = channel ? digests.getSubscription(channel.id) : undefined;
      if (channel && !sub) {
        await answerPrivately(interaction, `<#${channel.id}> has no digest subscription; showing what a new one would get.`);
      }
      const settings = sub ?? { channelId: channel?.id ?? interaction.channelId, keywords: [], maxItems: DEFAULT_MAX_ITEMS, time: '—', timezone: ctx.defaultTimezone };
      const digest = previewDigest(ctx.desk.store, settings, now);
      const [first, ...rest] = renderDigest(digest, {
        localDay: localDay(now, sub?.timezone ?? ctx.defaultTimezone),
        late: false,
        subscription: { ...(sub ?? { guildId: interaction.guildId, quietWhenEmpty: false, enabled: true, disabledReason: null, createdBy: null, createdAt: '', updatedAt: '' }), ...settings } as Subscription,
      });
      // After the deferral, the first follow-up becomes the deferred reply (Discord's rule), private as deferred.
      const send = interaction.followUp.bind(interaction);
      // As the digest would be posted: its text (which may echo typed keywords) defused, no pings.
      const content = (m: DigestMessage | undefined) => (m?.content ? fitContent(defuseMentions(m.content)) : '');
      await send({ content: content(first), embeds: first?.embeds ?? [], flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
      for (const m of rest) await interaction.followUp({ content: content(m), embeds: m.embeds, flags: MessageFlags.Ephemeral, allowedMentions: NO_PINGS });
      return 'preview';
    }
    default:
      await replyPrivately(interaction, 'Unknown /digest subcommand.');
      return 'unknown';
  }
}

export default { data, execute } satisfies Command;
