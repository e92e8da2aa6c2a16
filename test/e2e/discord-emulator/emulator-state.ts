import { ChannelKind, channelPermissions, DEFAULT_EVERYONE_PERMISSIONS, userJson } from './discord-objects.js';
import type { StoredChannel, StoredGuild } from './discord-objects.js';
import { createSnowflakeFactory } from './snowflake.js';
import type {
  AllowedMentionsJson,
  AttachmentJson,
  ComponentJson,
  DiscordEmulatorOptions,
  FailureRule,
  InteractionResponseRecord,
  MessageJson,
  RecordedFile,
  RecordedRequest,
  UserJson,
} from './types.js';
import { Waiters } from './waiters.js';
import type { APIEmbed } from 'discord.js';

/** Message flags a bot may set; LOADING (128) and the like are Discord's to set. */
const SETTABLE_FLAGS =
  4 /* SUPPRESS_EMBEDS */ | 64 /* EPHEMERAL */ | 4096 /* SUPPRESS_NOTIFICATIONS */ | 32768; /* IS_COMPONENTS_V2 */
export const FLAG_EPHEMERAL = 64;
export const FLAG_LOADING = 128;

export interface StoredMessage {
  message: MessageJson;
  allowedMentions: AllowedMentionsJson | undefined;
  deleted: boolean;
}

export interface InteractionRecord {
  id: string;
  token: string;
  /** 2 application command, 3 message component. */
  type: number;
  commandName: string | null;
  channelId: string;
  guildId: string | null;
  user: UserJson;
  /** When the interaction was dispatched; the initial callback must come within `acknowledgeWithinMs`. */
  createdAt: number;
  authorizingIntegrationOwners: Record<string, string>;
  acknowledged: boolean;
  /** What `@original` points at: the reply (types 4/5) or, for components, the message clicked (types 6/7). */
  originalMessageId: string | null;
  /** The message holding the clicked component. */
  sourceMessageId: string | null;
  /** Messages the interaction token may edit: the original and every follow-up. */
  ownedMessageIds: Set<string>;
  responses: InteractionResponseRecord[];
}

export interface ActiveFailure extends FailureRule {
  remaining: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Everything the emulator knows: the fake Discord's database plus the test's recordings. */
export class EmulatorState {
  readonly nextId = createSnowflakeFactory();
  readonly applicationId: string;
  readonly botUser: UserJson;
  readonly token: string;
  readonly everyonePermissions: string;
  readonly acknowledgeWithinMs: number;
  readonly nonceWindowMs: number;
  /** `shards` of GET /gateway/bot: how many shards Discord recommends. */
  readonly recommendedShards: number;
  /** More guilds than this on one shard closes its IDENTIFY with 4011 (sharding required). */
  readonly maxGuildsPerShard: number;
  readonly startedAt = new Date().toISOString();
  readonly guilds = new Map<string, StoredGuild>();
  readonly channels = new Map<string, StoredChannel>();
  readonly users = new Map<string, UserJson>();
  readonly messages = new Map<string, StoredMessage>();
  readonly channelPosts = new Map<string, string[]>();
  readonly interactionsByToken = new Map<string, InteractionRecord>();
  readonly interactionsById = new Map<string, InteractionRecord>();
  /** Keyed by guild id, or 'global'. */
  readonly commands = new Map<string, Record<string, unknown>[]>();
  readonly requests: RecordedRequest[] = [];
  readonly failures: ActiveFailure[] = [];
  readonly requestWaiters = new Waiters<RecordedRequest>();
  readonly responseWaiters = new Waiters<{ token: string; response: InteractionResponseRecord }>();
  readonly defaultUserId: string;

  constructor(options: DiscordEmulatorOptions) {
    const botUserId = options.botUserId ?? this.nextId();
    this.applicationId = options.applicationId ?? botUserId;
    this.botUser = userJson(botUserId, options.botUsername ?? 'Newsdesk', null, true);
    this.token = options.token ?? `${Buffer.from(botUserId).toString('base64url')}.emulator.${this.nextId()}`;
    this.everyonePermissions = options.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS;
    this.acknowledgeWithinMs = options.acknowledgeWithinMs ?? 3000;
    this.nonceWindowMs = options.nonceWindowMs ?? 5 * 60_000;
    this.recommendedShards = options.recommendedShards ?? 1;
    this.maxGuildsPerShard = options.maxGuildsPerShard ?? 2500;
    this.users.set(botUserId, this.botUser);
    for (const user of options.users ?? []) {
      this.users.set(user.id, userJson(user.id, user.username, user.globalName ?? null));
    }
    this.defaultUserId = options.users?.[0]?.id ?? this.user(this.nextId(), 'tester').id;

    const guilds = options.guilds ?? [
      { id: this.nextId(), name: 'Newsdesk Test', channels: [{ id: this.nextId(), name: 'general' }] },
    ];
    for (const input of guilds) {
      const guild: StoredGuild = {
        id: input.id,
        name: input.name,
        ownerId: input.ownerId ?? this.defaultUserId,
        channelIds: input.channels.map((c) => c.id),
        joinedAt: this.startedAt,
        systemChannelId: input.systemChannelId === undefined ? (input.channels[0]?.id ?? null) : input.systemChannelId,
        preferredLocale: input.preferredLocale ?? 'en-US',
      };
      this.guilds.set(guild.id, guild);
      input.channels.forEach((c, position) => {
        this.channels.set(c.id, {
          id: c.id,
          name: c.name,
          type: c.type ?? ChannelKind.GuildText,
          guildId: guild.id,
          recipientId: null,
          position,
          permissionOverwrites: (c.permissionOverwrites ?? []).map((o) => ({ ...o })),
        });
      });
    }
  }

  /** A known user, or a made-up one so any id can click and type. */
  user(id: string, username?: string): UserJson {
    let user = this.users.get(id);
    if (!user) {
      user = userJson(id, username ?? `user${id.slice(-4)}`, null);
      this.users.set(id, user);
    }
    return user;
  }

  /** The bot's DM channel with a user, created on first use like `POST /users/@me/channels`. */
  dmChannel(userId: string): StoredChannel {
    for (const channel of this.channels.values()) {
      if (channel.type === ChannelKind.DM && channel.recipientId === userId) return channel;
    }
    const channel: StoredChannel = {
      id: this.nextId(),
      name: null,
      type: ChannelKind.DM,
      guildId: null,
      recipientId: userId,
      position: 0,
      permissionOverwrites: [],
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** The bot's permissions in a channel; undefined outside guilds (a DM), where Discord checks none of them. */
  botPermissionsIn(channelId: string): bigint | undefined {
    const channel = this.channels.get(channelId);
    const guild = channel?.guildId ? this.guilds.get(channel.guildId) : undefined;
    if (!channel || !guild) return undefined;
    return channelPermissions(guild, channel, this.botUser.id, this.everyonePermissions);
  }

  /**
   * A message the bot posted in the channel with this nonce within the nonce window, which Discord returns instead
   * of posting again when the request says `enforce_nonce: true`.
   */
  recentPostWithNonce(channelId: string, nonce: string | number, now = Date.now()): MessageJson | undefined {
    for (const id of [...(this.channelPosts.get(channelId) ?? [])].reverse()) {
      const message = this.liveMessage(id);
      if (!message || message.author.id !== this.botUser.id) continue;
      if (now - Date.parse(message.timestamp) > this.nonceWindowMs) break;
      if (message.nonce !== undefined && String(message.nonce) === String(nonce)) return message;
    }
    return undefined;
  }

  firstGuild(): StoredGuild | undefined {
    return this.guilds.values().next().value;
  }

  liveMessage(id: string): MessageJson | undefined {
    const stored = this.messages.get(id);
    return stored && !stored.deleted ? stored.message : undefined;
  }

  createMessage(
    channelId: string,
    body: Record<string, unknown>,
    files: readonly RecordedFile[],
    extra: Partial<MessageJson>,
  ): MessageJson {
    const channel = this.channels.get(channelId);
    const message: MessageJson = {
      id: this.nextId(),
      type: 0,
      channel_id: channelId,
      ...(channel?.guildId ? { guild_id: channel.guildId } : {}),
      author: this.botUser,
      content: typeof body.content === 'string' ? body.content : '',
      embeds: this.#embeds(body.embeds),
      components: Array.isArray(body.components) ? (body.components as ComponentJson[]) : [],
      attachments: this.#attachments(body, files, []),
      flags: typeof body.flags === 'number' ? body.flags & SETTABLE_FLAGS : 0,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: body.tts === true,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      pinned: false,
      ...(isRecord(body.message_reference) ? { message_reference: { ...body.message_reference, type: 0 } } : {}),
      ...(typeof body.nonce === 'string' || typeof body.nonce === 'number' ? { nonce: body.nonce } : {}),
      ...extra,
    };
    this.messages.set(message.id, {
      message,
      allowedMentions: isRecord(body.allowed_mentions) ? (body.allowed_mentions as AllowedMentionsJson) : undefined,
      deleted: false,
    });
    return message;
  }

  /** Applies only the fields present in `body`, as Discord's PATCH does. */
  editMessage(id: string, body: Record<string, unknown>, files: readonly RecordedFile[]): MessageJson {
    const stored = this.messages.get(id);
    if (!stored) throw new Error(`editMessage: unknown message ${id}`);
    const previous = stored.message;
    const wasLoading = (previous.flags & FLAG_LOADING) !== 0;
    const next: MessageJson = { ...previous };
    if ('content' in body) next.content = typeof body.content === 'string' ? body.content : '';
    if ('embeds' in body) next.embeds = this.#embeds(body.embeds);
    if ('components' in body) {
      next.components = Array.isArray(body.components) ? (body.components as ComponentJson[]) : [];
    }
    if ('attachments' in body || files.length > 0) {
      next.attachments = this.#attachments(body, files, previous.attachments);
    }
    if (typeof body.flags === 'number') {
      // Ephemerality is fixed when a message is created; only the other settable flags change.
      next.flags = (previous.flags & FLAG_EPHEMERAL) | (body.flags & SETTABLE_FLAGS & ~FLAG_EPHEMERAL);
    }
    // Filling in a deferred "is thinking…" message is not an edit in Discord's eyes; it just stops loading.
    next.flags &= ~FLAG_LOADING;
    next.edited_timestamp = wasLoading ? null : new Date().toISOString();
    stored.message = next;
    if (isRecord(body.allowed_mentions)) stored.allowedMentions = body.allowed_mentions as AllowedMentionsJson;
    return next;
  }

  recordResponse(interaction: InteractionRecord, response: InteractionResponseRecord): void {
    interaction.responses.push(response);
    this.responseWaiters.notify({ token: interaction.token, response });
  }

  /** Discord fills in `type: 'rich'` for embeds sent by bots. */
  #embeds(value: unknown): APIEmbed[] {
    if (!Array.isArray(value)) return [];
    return value.filter(isRecord).map((embed) => ({ type: 'rich', ...embed }) as APIEmbed);
  }

  /**
   * Resolves `attachments` entries: an id of an existing attachment keeps it, an id matching an uploaded
   * `files[n]` part (how discord.js numbers them) adds it. Uploaded files not listed are added too.
   */
  #attachments(
    body: Record<string, unknown>,
    files: readonly RecordedFile[],
    existing: AttachmentJson[],
  ): AttachmentJson[] {
    const fromFile = (file: RecordedFile, description?: unknown): AttachmentJson => {
      const id = this.nextId();
      const url = `https://cdn.discordapp.com/attachments/0/${id}/${encodeURIComponent(file.filename)}`;
      return {
        id,
        filename: file.filename,
        size: file.size,
        url,
        proxy_url: url,
        content_type: file.contentType,
        ...(typeof description === 'string' ? { description } : {}),
      };
    };
    const used = new Set<RecordedFile>();
    const result: AttachmentJson[] = [];
    const listed = Array.isArray(body.attachments) ? body.attachments.filter(isRecord) : null;
    for (const entry of listed ?? []) {
      const id = String(entry.id);
      const kept = existing.find((a) => a.id === id);
      const file = files.find((f) => f.field === `files[${id}]`);
      if (kept) result.push(kept);
      else if (file) {
        used.add(file);
        result.push(fromFile(file, entry.description));
      }
    }
    if (!listed) result.push(...existing);
    for (const file of files) if (!used.has(file)) result.push(fromFile(file));
    return result;
  }
}
