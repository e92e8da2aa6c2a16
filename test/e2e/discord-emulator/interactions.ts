import { ChannelKind, channelJson, memberJson } from './discord-objects.js';
import type { EmulatorState, InteractionRecord } from './emulator-state.js';
import { randomToken } from './snowflake.js';
import type {
  AutocompleteInput,
  ButtonClickInput,
  ComponentJson,
  MessageJson,
  SlashCommandInput,
  SlashCommandOptionInput,
} from './types.js';

const INTERACTION_APPLICATION_COMMAND = 2;
const INTERACTION_MESSAGE_COMPONENT = 3;
const INTERACTION_AUTOCOMPLETE = 4;
const OPTION_SUB_COMMAND = 1;
const OPTION_SUB_COMMAND_GROUP = 2;
const OPTION_CHANNEL = 7;
const COMPONENT_BUTTON = 2;
const CONTEXT_GUILD = 0;
const CONTEXT_BOT_DM = 1;
/** 10 MiB: what Discord reports for a server without boosts. */
const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

export interface BuiltInteraction {
  payload: Record<string, unknown>;
  record: InteractionRecord;
}

interface Source {
  guildId: string | null;
  channelId: string;
}

/** Where an interaction happens: the given channel, the given guild's first channel, or the first guild's. */
function resolveSource(
  state: EmulatorState,
  input: { dm?: boolean; guildId?: string; channelId?: string },
  userId: string,
): Source {
  if (input.dm) return { guildId: null, channelId: state.dmChannel(userId).id };
  if (input.channelId) {
    const channel = state.channels.get(input.channelId);
    if (!channel) throw new Error(`Discord emulator: unknown channel ${input.channelId}`);
    if (input.guildId && channel.guildId !== input.guildId) {
      throw new Error(`Discord emulator: channel ${input.channelId} is not in guild ${input.guildId}`);
    }
    return { guildId: channel.guildId, channelId: channel.id };
  }
  const guild = input.guildId ? state.guilds.get(input.guildId) : state.firstGuild();
  if (!guild) throw new Error(`Discord emulator: unknown guild ${input.guildId ?? '(none configured)'}`);
  const channelId = guild.channelIds.find((id) => state.channels.get(id)?.type === ChannelKind.GuildText);
  if (!channelId) throw new Error(`Discord emulator: guild ${guild.id} has no text channel`);
  return { guildId: guild.id, channelId };
}

/** The fields every interaction carries; the ones discord.js needs or it drops the event silently. */
function basePayload(
  state: EmulatorState,
  type: number,
  source: Source,
  input: { userId?: string; memberPermissions?: string; locale?: string },
): BuiltInteraction {
  const id = state.nextId();
  const token = randomToken(`interaction:${id}`);
  const user = state.user(input.userId ?? state.defaultUserId);
  const channel = state.channels.get(source.channelId);
  if (!channel) throw new Error(`Discord emulator: unknown channel ${source.channelId}`);
  const permissions = input.memberPermissions ?? state.everyonePermissions;
  // GUILD_INSTALL (0) maps to the guild, or to "0" in the bot's DM.
  const owners = { '0': source.guildId ?? '0' };
  const guild = source.guildId ? state.guilds.get(source.guildId) : undefined;

  const payload: Record<string, unknown> = {
    id,
    application_id: state.applicationId,
    type,
    token,
    version: 1,
    channel_id: channel.id,
    channel: { ...channelJson(channel, user), permissions },
    // The bot's own permissions in this channel, overwrites included.
    app_permissions: state.botPermissionsIn(channel.id)?.toString() ?? state.everyonePermissions,
    locale: input.locale ?? 'en-US',
    entitlements: [],
    authorizing_integration_owners: owners,
    context: guild ? CONTEXT_GUILD : CONTEXT_BOT_DM,
    attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
    ...(guild
      ? {
          guild_id: guild.id,
          guild: { id: guild.id, locale: guild.preferredLocale, features: [] },
          guild_locale: guild.preferredLocale,
          member: memberJson(user, guild.joinedAt, permissions),
        }
      : { user }),
  };
  const record: InteractionRecord = {
    id,
    token,
    type,
    commandName: null,
    channelId: channel.id,
    guildId: guild?.id ?? null,
    user,
    createdAt: Date.now(),
    authorizingIntegrationOwners: owners,
    acknowledged: false,
    originalMessageId: null,
    sourceMessageId: null,
    ownedMessageIds: new Set(),
    responses: [],
  };
  return { payload, record };
}

function nestOptions(input: Pick<SlashCommandInput, 'options' | 'subcommand' | 'subcommandGroup'>): SlashCommandOptionInput[] {
  const leaf = input.options ?? [];
  if (!input.subcommand) return leaf;
  const sub: SlashCommandOptionInput = { name: input.subcommand, type: OPTION_SUB_COMMAND, options: leaf };
  if (!input.subcommandGroup) return [sub];
  return [{ name: input.subcommandGroup, type: OPTION_SUB_COMMAND_GROUP, options: [sub] }];
}

/**
 * Discord sends the channels named by channel options in `data.resolved.channels` (with the invoking member's
 * permissions there); discord.js reads `getChannel()` from it, so without it a required channel option is "missing".
 */
function resolvedChannels(
  state: EmulatorState,
  options: readonly SlashCommandOptionInput[],
  memberPermissions: string,
): Record<string, unknown> | undefined {
  const channels: Record<string, unknown> = {};
  const visit = (list: readonly SlashCommandOptionInput[]): void => {
    for (const option of list) {
      if (option.options) visit(option.options);
      if (option.type !== OPTION_CHANNEL || option.value === undefined) continue;
      const channel = state.channels.get(String(option.value));
      if (!channel) throw new Error(`Discord emulator: option ${option.name} names unknown channel ${String(option.value)}`);
      channels[channel.id] = { ...channelJson(channel), permissions: memberPermissions };
    }
  };
  visit(options);
  return Object.keys(channels).length > 0 ? channels : undefined;
}

export function buildSlashCommand(state: EmulatorState, input: SlashCommandInput): BuiltInteraction {
  const userId = input.userId ?? state.defaultUserId;
  const source = resolveSource(state, input, userId);
  const built = basePayload(state, INTERACTION_APPLICATION_COMMAND, source, input);
  // Prefer the id the bot registered, so command-id lookups in the bot work as in production.
  const registered = [
    ...(source.guildId ? (state.commands.get(source.guildId) ?? []) : []),
    ...(state.commands.get('global') ?? []),
  ].find((c) => c.name === input.name && (c.type ?? 1) === 1);
  const options = nestOptions(input);
  const resolved = resolvedChannels(state, options, input.memberPermissions ?? state.everyonePermissions);
  built.payload.data = {
    id: typeof registered?.id === 'string' ? registered.id : state.nextId(),
    name: input.name,
    type: 1,
    ...(options.length > 0 ? { options } : {}),
    ...(resolved ? { resolved: { channels: resolved } } : {}),
    ...(typeof registered?.guild_id === 'string' ? { guild_id: registered.guild_id } : {}),
  };
  built.record.commandName = input.name;
  return built;
}

/** Counts the focused options, wherever they are nested. */
function focusedCount(options: readonly SlashCommandOptionInput[]): number {
  return options.reduce((n, o) => n + (o.focused ? 1 : 0) + focusedCount(o.options ?? []), 0);
}

/** A keystroke in an autocomplete option: the command's options so far, one of them focused. */
export function buildAutocomplete(state: EmulatorState, input: AutocompleteInput): BuiltInteraction {
  const options = nestOptions(input);
  if (focusedCount(options) !== 1) throw new Error('Discord emulator: an autocomplete interaction has exactly one focused option');
  const userId = input.userId ?? state.defaultUserId;
  const source = resolveSource(state, input, userId);
  const built = basePayload(state, INTERACTION_AUTOCOMPLETE, source, input);
  const registered = [
    ...(source.guildId ? (state.commands.get(source.guildId) ?? []) : []),
    ...(state.commands.get('global') ?? []),
  ].find((c) => c.name === input.name && (c.type ?? 1) === 1);
  built.payload.data = {
    id: typeof registered?.id === 'string' ? registered.id : state.nextId(),
    name: input.name,
    type: 1,
    options,
    ...(typeof registered?.guild_id === 'string' ? { guild_id: registered.guild_id } : {}),
  };
  built.record.commandName = input.name;
  return built;
}

function findComponent(components: readonly ComponentJson[], customId: string): ComponentJson | undefined {
  for (const component of components) {
    if (component.custom_id === customId) return component;
    const inner = component.components ? findComponent(component.components, customId) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

/** The newest live message showing a component with this custom id. */
function newestMessageWith(state: EmulatorState, customId: string): MessageJson | undefined {
  const all = [...state.messages.values()].reverse();
  return all.find((m) => !m.deleted && findComponent(m.message.components, customId))?.message;
}

/**
 * A button click. Discord only sends clicks for buttons a user can see, so clicking a button that is not on the
 * message (or is disabled) throws: that is a bug in the bot or the test, not something to emulate.
 */
export function buildButtonClick(state: EmulatorState, input: ButtonClickInput): BuiltInteraction {
  const userId = input.userId ?? state.defaultUserId;
  let message = input.messageId ? state.liveMessage(input.messageId) : newestMessageWith(state, input.customId);
  if (input.messageId && !message) throw new Error(`Discord emulator: no message ${input.messageId} to click on`);
  if (!message) {
    // Nothing the bot sent shows this button (e.g. a test of a handler alone): make a bot message that does.
    const source = resolveSource(state, input, userId);
    const button = { type: COMPONENT_BUTTON, style: 1, label: input.customId, custom_id: input.customId };
    message = state.createMessage(source.channelId, { components: [{ type: 1, components: [button] }] }, [], {});
  }
  const button = findComponent(message.components, input.customId);
  if (!button) throw new Error(`Discord emulator: message ${message.id} has no component "${input.customId}"`);
  if (button.disabled === true) throw new Error(`Discord emulator: button "${input.customId}" is disabled`);

  const channel = state.channels.get(message.channel_id);
  const source: Source = { guildId: channel?.guildId ?? null, channelId: message.channel_id };
  const built = basePayload(state, INTERACTION_MESSAGE_COMPONENT, source, input);
  built.payload.data = { custom_id: input.customId, component_type: button.type };
  built.payload.message = message;
  built.record.sourceMessageId = message.id;
  return built;
}
