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
import { choice, named, tFor } from '../src/discord/locale.js';
import { LOCALES, pickLocale, plainList, quotedList, supportedLocale, type Locale, type Translate } from '../src/i18n/i18n.js';

/** What the bot needs in a channel to post a digest there. */
const POSTING = [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages, PermissionFlagsBits.EmbedLinks];
const TEXT_CHANNELS = [ChannelType.GuildText, ChannelType.GuildAnnouncement] as const;

const data = named(new SlashCommandBuilder(), 'commands.digest')
  // Hidden from members who cannot use it; checked again at run time, since server admins can override this.
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setDMPermission(false)
  .addSubcommand((s) =>
    named(s, 'commands.digest.subscribe')
      .addChannelOption((o) => named(o, 'commands.digest.channel').setRequired(true).addChannelTypes(...TEXT_CHANNELS))
      .addStringOption((o) => named(o, 'commands.digest.time').setRequired(true).setMaxLength(5))
      .addStringOption((o) => named(o, 'commands.digest.timezone').setMaxLength(64))
      .addStringOption((o) => named(o, 'commands.digest.keywords').setMaxLength(200))
      .addIntegerOption((o) => named(o, 'commands.digest.max', { count: DEFAULT_MAX_ITEMS }).setMinValue(1).setMaxValue(20))
      .addBooleanOption((o) => named(o, 'commands.digest.quiet'))
      .addStringOption((o) => named(o, 'commands.digest.language').addChoices(...LOCALES.map((l) => choice(`language.${l}`, l)))),
  )
  .addSubcommand((s) =>
    named(s, 'commands.digest.unsubscribe').addChannelOption((o) => named(o, 'commands.digest.unsubscribeChannel').setRequired(true).addChannelTypes(...TEXT_CHANNELS)),
  )
  .addSubcommand((s) => named(s, 'commands.digest.status'))
  .addSubcommand((s) => named(s, 'commands.digest.preview').addChannelOption((o) => named(o, 'commands.digest.previewChannel').addChannelTypes(...TEXT_CHANNELS)));

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

function describeDelivery(d: Delivery | undefined, t: Translate): string {
  if (!d) return t('digest.noDigestYet');
  const when = d.completedAt ? `<t:${unix(d.completedAt)}:R>` : `<t:${unix(d.claimedAt)}:R>`;
  const outcome: Record<Delivery['status'], string> = {
    sent: t('digest.deliverySent', { stories: t('common.stories', { count: d.items ?? 0 }) }),
    empty: t('digest.deliveryEmpty'),
    failed: t('digest.deliveryFailed', { error: d.error ?? t('digest.unknownError') }),
    missed: t('digest.deliveryMissed'),
    interrupted: t('digest.deliveryInterrupted', { error: d.error ?? '' }),
    claimed: t('digest.deliveryClaimed'),
  };
  return `${d.localDay} · ${typed(outcome[d.status])}${d.late && d.status === 'sent' ? t('digest.lateMark') : ''} · ${when}`;
}

function describeSubscription(sub: Subscription, now: Date, last: Delivery | undefined, t: Translate): string {
  const head = t('digest.statusHead', {
    channel: sub.channelId,
    time: sub.time,
    zone: sub.timezone,
    language: t(`language.${sub.locale}`),
    keywords: sub.keywords.length ? ` · ${typed(plainList(t, sub.keywords))}` : '',
    max: sub.maxItems,
  });
  const next = sub.enabled
    ? t('digest.statusNext', { when: `<t:${unix(new DailySchedule(sub.time, sub.timezone).next(now))}:F>` })
    : t('digest.statusStopped', { reason: typed(sub.disabledReason ?? t('digest.disabled')) });
  return `${head}\n${next}\n${t('digest.statusLast', { delivery: describeDelivery(last, t) })}`;
}

async function botCanPost(interaction: ChatInputCommandInteraction<'cached'>, channel: GuildBasedChannel): Promise<boolean> {
  const me = interaction.guild.members.me ?? (await interaction.guild.members.fetchMe());
  return channel.permissionsFor(me).has(POSTING);
}

async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<string> {
  const t = tFor(interaction);
  if (!interaction.inCachedGuild()) {
    await replyPrivately(interaction, t('digest.notInGuild'));
    return 'not-in-guild';
  }
  if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
    await replyPrivately(interaction, t('digest.forbidden'));
    return 'forbidden';
  }
  const digests = ctx.desk.store.digests;
  const now = ctx.now();
  switch (interaction.options.getSubcommand()) {
    case 'subscribe': {
      const channel = interaction.options.getChannel('channel', true, TEXT_CHANNELS);
      const time = interaction.options.getString('time', true).trim();
      const timezone = interaction.options.getString('timezone')?.trim() || ctx.defaultTimezone;
      const hm = parseTime(time);
      if (!hm) {
        await answerPrivately(interaction, t('digest.badTime', { time: typed(time) }));
        return 'bad-time';
      }
      if (!isTimeZone(timezone)) {
        await answerPrivately(interaction, t('digest.badTimezone', { zone: typed(timezone) }));
        return 'bad-timezone';
      }
      // Asking Discord for the bot's own member can take longer than the 3 s allowed before an acknowledgement.
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      if (!(await botCanPost(interaction, channel))) {
        await answerPrivately(interaction, t('digest.cannotPost', { channel: channel.id }));
        return 'cannot-post';
      }
      const keywords = parseKeywords(interaction.options.getString('keywords'));
      // The digest's language: as chosen, else the server's preferred language (its posts are read by everyone there).
      const chosen = supportedLocale(interaction.options.getString('language'));
      const language: Locale = chosen ?? pickLocale(interaction.guildLocale);
      const { subscription, created } = await digests.upsertSubscription(
        {
          channelId: channel.id,
          guildId: interaction.guildId,
          time: `${String(hm.hour).padStart(2, '0')}:${String(hm.minute).padStart(2, '0')}`,
          timezone,
          keywords,
          maxItems: interaction.options.getInteger('max') ?? DEFAULT_MAX_ITEMS,
          quietWhenEmpty: interaction.options.getBoolean('quiet') ?? false,
          createdBy: interaction.user.id,
          locale: language,
        },
        now,
      );
      const next = new DailySchedule(subscription.time, subscription.timezone).next(now);
      await answerPrivately(
        interaction,
        t(created ? 'digest.subscribed' : 'digest.updated', {
          channel: channel.id,
          language: t(`language.${subscription.locale}`),
          time: subscription.time,
          zone: subscription.timezone,
          about: keywords.length ? t('digest.about', { keywords: typed(quotedList(t, keywords)) }) : '',
          stories: t('common.stories', { count: subscription.maxItems }),
          first: `<t:${unix(next)}:F>`,
        }),
      );
      return created ? 'subscribed' : 'updated';
    }
    case 'unsubscribe': {
      const channel = interaction.options.getChannel('channel', true, TEXT_CHANNELS);
      const sub = await digests.getSubscription(channel.id);
      if (!sub || sub.guildId !== interaction.guildId) {
        await answerPrivately(interaction, t('digest.notSubscribed', { channel: channel.id }));
        return 'not-subscribed';
      }
      await digests.removeSubscription(channel.id);
      await answerPrivately(interaction, t('digest.unsubscribed', { channel: channel.id }));
      return 'unsubscribed';
    }
    case 'status': {
      const subs = await digests.subscriptions({ guildId: interaction.guildId });
      const text = subs.length
        ? (await Promise.all(subs.map(async (s) => describeSubscription(s, now, await digests.lastDelivery(s.channelId), t)))).join('\n\n')
        : t('digest.noneInServer');
      await answerPrivately(interaction, text);
      return 'status';
    }
    case 'preview': {
      // Building a digest (clustering a day of articles) is work: acknowledge first.
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const channel = interaction.options.getChannel('channel', false, TEXT_CHANNELS);
      const sub = channel ? await digests.getSubscription(channel.id) : undefined;
      if (channel && !sub) {
        await answerPrivately(interaction, t('digest.previewNoSubscription', { channel: channel.id }));
      }
      const settings = sub ?? { channelId: channel?.id ?? interaction.channelId, keywords: [], maxItems: DEFAULT_MAX_ITEMS, time: '—', timezone: ctx.defaultTimezone };
      const digest = await previewDigest(ctx.desk.store, settings, now);
      const [first, ...rest] = renderDigest(digest, {
        localDay: localDay(now, sub?.timezone ?? ctx.defaultTimezone),
        late: false,
        subscription: {
          ...(sub ?? { guildId: interaction.guildId, quietWhenEmpty: false, locale: pickLocale(interaction.guildLocale), enabled: true, disabledReason: null, createdBy: null, createdAt: '', updatedAt: '' }),
          ...settings,
        } as Subscription,
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
      await replyPrivately(interaction, t('digest.unknownSubcommand'));
      return 'unknown';
  }
}

export default { data, execute } satisfies Command;
