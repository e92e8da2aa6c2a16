import { PermissionFlagsBits } from 'discord.js';
import type { PermissionOverwriteJson, UserJson } from './types.js';

/** Channel types the emulator cares about (Discord's numbers). */
export const ChannelKind = { GuildText: 0, DM: 1, GuildVoice: 2, GuildCategory: 4 } as const;

/** What a fresh server grants @everyone: enough for a bot to read, post, embed and attach, nothing more. */
export const DEFAULT_EVERYONE_PERMISSIONS = (
  PermissionFlagsBits.CreateInstantInvite |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.Connect |
  PermissionFlagsBits.Speak |
  PermissionFlagsBits.ChangeNickname |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.SendMessagesInThreads
).toString();

export interface StoredChannel {
  id: string;
  name: string | null;
  type: number;
  guildId: string | null;
  /** The other side of a DM. */
  recipientId: string | null;
  position: number;
  permissionOverwrites: PermissionOverwriteJson[];
}

export interface StoredGuild {
  id: string;
  name: string;
  ownerId: string;
  channelIds: string[];
  joinedAt: string;
  systemChannelId: string | null;
  /** The server's language (Community servers set it; others are en-US). */
  preferredLocale: string;
}

export function userJson(id: string, username: string, globalName: string | null, bot = false): UserJson {
  return {
    id,
    username,
    discriminator: '0',
    global_name: globalName,
    avatar: null,
    avatar_decoration_data: null,
    banner: null,
    accent_color: null,
    ...(bot ? { bot: true } : {}),
    public_flags: 0,
    flags: 0,
  };
}

export function everyoneRoleJson(guildId: string, permissions: string): Record<string, unknown> {
  return {
    // Discord gives @everyone the guild's own id.
    id: guildId,
    name: '@everyone',
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: 0,
    permissions,
    managed: false,
    mentionable: false,
    flags: 0,
  };
}

export function channelJson(channel: StoredChannel, recipient?: UserJson): Record<string, unknown> {
  if (channel.type === ChannelKind.DM) {
    const recipients = recipient ? [recipient] : [];
    return { id: channel.id, type: channel.type, last_message_id: null, flags: 0, recipients };
  }
  return {
    id: channel.id,
    type: channel.type,
    guild_id: channel.guildId,
    name: channel.name,
    position: channel.position,
    permission_overwrites: channel.permissionOverwrites.map((o) => ({ ...o })),
    parent_id: null,
    nsfw: false,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0,
  };
}

/** The REST shape of a guild (`GET /guilds/:id`); the gateway adds channels, members and more on top. */
export function guildJson(guild: StoredGuild, everyonePermissions: string): Record<string, unknown> {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    icon_hash: null,
    splash: null,
    discovery_splash: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    verification_level: 0,
    default_message_notifications: 1,
    explicit_content_filter: 0,
    roles: [everyoneRoleJson(guild.id, everyonePermissions)],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: guild.systemChannelId,
    system_channel_flags: 0,
    rules_channel_id: null,
    max_members: 500_000,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: guild.preferredLocale,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    incidents_data: null,
  };
}

export function memberJson(user: UserJson, joinedAt: string, permissions?: string): Record<string, unknown> {
  return {
    user,
    nick: null,
    avatar: null,
    banner: null,
    roles: [],
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
    // Only interaction payloads carry the member's resolved channel permissions.
    ...(permissions === undefined ? {} : { permissions }),
  };
}

const ALL_PERMISSIONS = (1n << 64n) - 1n;

/**
 * A member's permissions in a guild channel, computed as Discord does: @everyone's permissions (the emulator has no
 * other roles), everything for the owner or an Administrator, then the channel's @everyone overwrite, then the
 * member's own. Without View Channel nothing else counts.
 */
export function channelPermissions(
  guild: StoredGuild,
  channel: StoredChannel,
  userId: string,
  everyonePermissions: string,
): bigint {
  let bits = BigInt(everyonePermissions);
  if (guild.ownerId === userId || (bits & PermissionFlagsBits.Administrator) !== 0n) return ALL_PERMISSIONS;
  const apply = (overwrite: PermissionOverwriteJson | undefined): void => {
    if (!overwrite) return;
    bits &= ~BigInt(overwrite.deny);
    bits |= BigInt(overwrite.allow);
  };
  apply(channel.permissionOverwrites.find((o) => o.type === 0 && o.id === guild.id));
  apply(channel.permissionOverwrites.find((o) => o.type === 1 && o.id === userId));
  return (bits & PermissionFlagsBits.ViewChannel) === 0n ? 0n : bits;
}
