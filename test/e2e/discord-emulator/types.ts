import type { APIEmbed } from 'discord.js';

/**
 * A channel permission overwrite as Discord stores it: `type` 0 for a role (the guild id is @everyone), 1 for a
 * member; `allow` and `deny` are decimal permission bitfields.
 */
export interface PermissionOverwriteJson {
  id: string;
  type: 0 | 1;
  allow: string;
  deny: string;
}

/** A channel to create in an emulated guild; `type` defaults to 0 (GUILD_TEXT). */
export interface EmulatorChannelInput {
  id: string;
  name: string;
  type?: number;
  /**
   * Overwrites on top of @everyone's permissions, e.g. `{ id: guildId, type: 0, allow: '0', deny: '2048' }` takes
   * Send Messages from everyone (the bot included). The bot's posts there are refused like Discord refuses them.
   */
  permissionOverwrites?: PermissionOverwriteJson[];
}

export interface EmulatorGuildInput {
  id: string;
  name: string;
  channels: EmulatorChannelInput[];
  /** Defaults to the first user given in `users`. */
  ownerId?: string;
  /** Where Discord posts join messages and bots post notices; defaults to the first channel, null for none. */
  systemChannelId?: string | null;
  /** The server's `preferred_locale` (sent as `guild_locale` on interactions); default en-US. */
  preferredLocale?: string;
}

export interface EmulatorUserInput {
  id: string;
  username: string;
  globalName?: string;
}

export interface DiscordEmulatorOptions {
  /** Defaults to the bot user id, as for every application created since 2020. */
  applicationId?: string;
  botUserId?: string;
  botUsername?: string;
  /** The only bot token accepted by REST and the gateway; anything else gets 401 / close 4004. */
  token?: string;
  /** Defaults to one guild with one text channel. */
  guilds?: EmulatorGuildInput[];
  /** Users known up front, so interactions from them carry a real name. Unknown ids get a made-up name. */
  users?: EmulatorUserInput[];
  /** Permissions of @everyone, which the bot inherits (decimal bitfield). Used for `app_permissions` too. */
  everyonePermissions?: string;
  /**
   * Discord's deadline for the first answer to an interaction (default 3000 ms, as in production); a later callback
   * gets 404 "Unknown interaction" (10062), which discord.js throws as DiscordAPIError[10062].
   */
  acknowledgeWithinMs?: number;
  /**
   * How long a nonce sent with `enforce_nonce: true` makes a repeat post return the first message instead of
   * creating another (Discord: "the past few minutes"; default 5 minutes of real time).
   */
  nonceWindowMs?: number;
  /** `shards` in GET /gateway/bot, what `shards: 'auto'` connects with (default 1). */
  recommendedShards?: number;
  /**
   * A shard holding more guilds than this is refused at IDENTIFY with close 4011 "Sharding required" (Discord's
   * limit is 2,500, the default); set it low to see a bot that does not shard refused.
   */
  maxGuildsPerShard?: number;
}

/** A file part of a multipart request. */
export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
}

/** One REST request as the emulator saw and answered it. */
export interface RecordedRequest {
  method: string;
  /** Decoded path without the `/api` or `/api/v10` prefix, e.g. `/webhooks/1/tok/messages/@original`. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body, or the parsed `payload_json` of a multipart body; undefined when there was none. */
  body: unknown;
  files: RecordedFile[];
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** The status the emulator answered with; 0 for a request it left hanging (a `hang` failure rule). */
  status: number;
  /** The JSON the emulator answered with (undefined for 204). */
  response: unknown;
  at: number;
}

/** A message component as JSON (rows hold `components`; buttons and menus hold `custom_id`). */
export interface ComponentJson {
  type: number;
  custom_id?: string;
  label?: string;
  style?: number;
  url?: string;
  disabled?: boolean;
  components?: ComponentJson[];
  [key: string]: unknown;
}

export interface AllowedMentionsJson {
  parse?: string[];
  users?: string[];
  roles?: string[];
  replied_user?: boolean;
}

export interface UserJson {
  id: string;
  username: string;
  discriminator: string;
  global_name: string | null;
  avatar: string | null;
  bot?: boolean;
  public_flags?: number;
  [key: string]: unknown;
}

export interface AttachmentJson {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type?: string;
  description?: string;
}

/** A message as the emulator stores it and answers it over REST (Discord's JSON shape). */
export interface MessageJson {
  id: string;
  type: number;
  channel_id: string;
  guild_id?: string;
  author: UserJson;
  content: string;
  embeds: APIEmbed[];
  components: ComponentJson[];
  attachments: AttachmentJson[];
  flags: number;
  timestamp: string;
  edited_timestamp: string | null;
  tts: boolean;
  mention_everyone: boolean;
  mentions: UserJson[];
  mention_roles: string[];
  pinned: boolean;
  webhook_id?: string;
  application_id?: string;
  message_reference?: { message_id?: string; channel_id?: string; guild_id?: string; type?: number };
  interaction_metadata?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A message posted with `POST /channels/:id/messages`, in its current (possibly edited) state. */
export interface PostedMessage extends MessageJson {
  /** What the bot asked for when posting; Discord does not echo it, the emulator keeps it for assertions. */
  allowed_mentions?: AllowedMentionsJson;
}

export type InteractionResponseKind =
  | 'callback'
  | 'edit-original'
  | 'delete-original'
  | 'follow-up'
  | 'edit-message'
  | 'delete-message';

/** One thing the bot did with an interaction, in the order it happened. */
export interface InteractionResponseRecord {
  kind: InteractionResponseKind;
  /** Callback type (kind 'callback' only): 4 reply, 5 deferred reply, 6 deferred update, 7 update, 8, 9... */
  type?: number;
  /** The message created, edited or deleted, when there is one. */
  messageId?: string;
  content?: string;
  embeds?: APIEmbed[];
  components?: ComponentJson[];
  flags?: number;
  allowed_mentions?: AllowedMentionsJson;
  attachments?: unknown[];
  /** The suggestions of an autocomplete result (callback type 8). */
  choices?: ChoiceJson[];
  files: RecordedFile[];
  /** The raw message data sent (the callback's `data`, or the webhook body). */
  data: Record<string, unknown>;
  at: number;
}

/** An option of an injected slash command, as Discord sends it. */
export interface SlashCommandOptionInput {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  options?: SlashCommandOptionInput[];
}

interface InteractionSourceInput {
  userId?: string;
  guildId?: string;
  channelId?: string;
  /** Decimal permission bitfield of the invoking member; defaults to @everyone's. */
  memberPermissions?: string;
  /** Invoke from the bot's DM instead of a guild channel. */
  dm?: boolean;
  /** The member's Discord language (`locale`), e.g. zh-CN, zh-TW, en-US (default). */
  locale?: string;
}

export interface SlashCommandInput extends InteractionSourceInput {
  name: string;
  options?: SlashCommandOptionInput[];
  /** Nests `options` under a SUB_COMMAND option (`/digest subscribe`). */
  subcommand?: string;
  /** Nests the subcommand under a SUB_COMMAND_GROUP option. */
  subcommandGroup?: string;
}

/**
 * What a member has typed so far into an option with autocomplete: `options` as for the slash command, with
 * exactly one of them `focused: true` (its `value` is the partial text, always a string).
 */
export interface AutocompleteInput extends InteractionSourceInput {
  name: string;
  options: SlashCommandOptionInput[];
  subcommand?: string;
  subcommandGroup?: string;
}

/** One suggestion the bot answered (APPLICATION_COMMAND_AUTOCOMPLETE_RESULT). */
export interface ChoiceJson {
  name: string;
  value: string | number;
  name_localizations?: Record<string, string> | null;
}

export interface ButtonClickInput extends InteractionSourceInput {
  customId: string;
  /** The message holding the button; defaults to the newest stored message that has this custom id. */
  messageId?: string;
}

export interface InjectedInteraction {
  interactionId: string;
  token: string;
}

/** Makes the next matching requests fail instead of reaching their route. */
export interface FailureRule {
  method?: string;
  /** Tested against the decoded path without the `/api/v10` prefix. */
  path: RegExp;
  /** The status answered instead of the route's; default 500. Unused with `hang`. */
  status?: number;
  /**
   * Let the request reach its route first, so Discord has done what was asked (a posted message is stored), and
   * only then answer the failure (or hang): the bot never learns that it worked.
   */
  afterAccepting?: boolean;
  /**
   * Never answer: the bot's request stays pending until the emulator closes, as when the network or the bot's
   * process dies mid-request. Recorded at once with status 0.
   */
  hang?: boolean;
  /** How many matching requests fail; default 1. */
  times?: number;
  /** For 429: the `Retry-After` header and `retry_after` field (seconds); default 1. */
  retryAfterSeconds?: number;
  /** Replaces the Discord-shaped default error body. */
  body?: unknown;
}

export interface DiscordEmulator {
  /** Pass as `rest: { api: emu.restUrl }`; discord.js appends `/v10`. */
  readonly restUrl: string;
  readonly gatewayUrl: string;
  readonly token: string;
  readonly applicationId: string;
  readonly botUserId: string;
  /** Every REST request received, oldest first. */
  readonly requests: readonly RecordedRequest[];
  sendSlashCommand(input: SlashCommandInput): Promise<InjectedInteraction>;
  clickButton(input: ButtonClickInput): Promise<InjectedInteraction>;
  /**
   * An APPLICATION_COMMAND_AUTOCOMPLETE interaction (type 4), sent as Discord sends one per keystroke. The bot must
   * answer with callback type 8 within the acknowledgement deadline; choices over Discord's limits (more than 25,
   * a name or value outside 1–100 characters) are refused with 400 like Discord refuses them.
   */
  sendAutocomplete(input: AutocompleteInput): Promise<InjectedInteraction>;
  /** Resolves with the first past or future request matching `predicate`. */
  waitForRequest(predicate: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  interactionResponses(interactionToken: string): InteractionResponseRecord[];
  /** Resolves with the first past or future response to the interaction matching `predicate` (any, by default). */
  waitForInteractionResponse(
    interactionToken: string,
    predicate?: (response: InteractionResponseRecord) => boolean,
    timeoutMs?: number,
  ): Promise<InteractionResponseRecord>;
  /** The interaction's `@original` message in its current state, if it has one. */
  originalMessage(interactionToken: string): MessageJson | undefined;
  channelMessages(channelId: string): PostedMessage[];
  /** Messages the bot sent to a user by DM (`POST /users/@me/channels`, then a post in that channel), oldest first. */
  directMessages(userId: string): PostedMessage[];
  /** Any stored message (channel post, interaction reply, follow-up) by id. */
  message(messageId: string): MessageJson | undefined;
  /** Commands registered with PUT/POST, globally (no argument) or for one guild. */
  commands(guildId?: string): Record<string, unknown>[];
  failNext(rule: FailureRule): void;
  /**
   * Closes the bot's gateway sockets (only shard `shard`'s when given); 4000 (the default) makes discord.js resume,
   * 1000 makes it identify again.
   */
  disconnectGateway(code?: number, shard?: number): void;
  /** The shards with a connected session, as IDENTIFY gave them (`[shard_id, num_shards]`), one per session. */
  connectedShards(): [number, number][];
  /** An outage: the gateway accepts connections but greets none (no HELLO) until `releaseGateway()`. */
  holdGateway(): void;
  releaseGateway(): void;
  close(): Promise<void>;
}
