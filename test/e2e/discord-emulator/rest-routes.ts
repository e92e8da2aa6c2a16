import { PermissionFlagsBits } from 'discord.js';
import { channelJson, guildJson, memberJson } from './discord-objects.js';
import {
  discordError,
  missingAccess,
  missingPermissions,
  unknownChannel,
  unknownGuild,
  unknownMessage,
} from './discord-errors.js';
import type { EmulatorState } from './emulator-state.js';
import { checkMessageBody } from './message-limits.js';
import type { RestRequest, RestResponse, Route } from './route-table.js';
import type { PostedMessage } from './types.js';

const ok = (body: unknown): RestResponse => ({ status: 200, body });
const noContent = (): RestResponse => ({ status: 204 });

function bodyObject(request: RestRequest): Record<string, unknown> {
  const { body } = request;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** The channel as REST returns it (DMs name their recipient). */
function channelResponse(state: EmulatorState, channelId: string): RestResponse {
  const channel = state.channels.get(channelId);
  if (!channel) return unknownChannel();
  return ok(channelJson(channel, channel.recipientId ? state.user(channel.recipientId) : undefined));
}

/** Applies a command body the way Discord stores it: ids, version, and defaults for omitted fields. */
function storedCommand(
  state: EmulatorState,
  input: Record<string, unknown>,
  previous: Record<string, unknown> | undefined,
  guildId: string | null,
): Record<string, unknown> {
  const type = typeof input.type === 'number' ? input.type : 1;
  return {
    id: previous?.id ?? state.nextId(),
    application_id: state.applicationId,
    version: state.nextId(),
    type,
    name: input.name,
    name_localizations: input.name_localizations ?? null,
    description: type === 1 ? (input.description ?? '') : '',
    description_localizations: input.description_localizations ?? null,
    ...(Array.isArray(input.options) && input.options.length > 0 ? { options: input.options } : {}),
    default_member_permissions: input.default_member_permissions ?? null,
    dm_permission: input.dm_permission ?? true,
    contexts: input.contexts ?? null,
    integration_types: input.integration_types ?? [0],
    nsfw: input.nsfw ?? false,
    ...(guildId ? { guild_id: guildId } : {}),
  };
}

const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** The checks Discord applies on registration that a bot's command builders can get wrong. */
function commandError(commands: unknown[]): RestResponse | null {
  const errors: Record<string, unknown> = {};
  const names = new Set<string>();
  commands.forEach((command, i) => {
    const c = (typeof command === 'object' && command !== null ? command : {}) as Record<string, unknown>;
    const type = typeof c.type === 'number' ? c.type : 1;
    const problems: Record<string, unknown> = {};
    const name = typeof c.name === 'string' ? c.name : '';
    if (!COMMAND_NAME.test(name) || (type === 1 && name !== name.toLowerCase())) {
      problems.name = { _errors: [{ code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' }] };
    }
    const description = typeof c.description === 'string' ? c.description : '';
    if (type === 1 && ([...description].length < 1 || [...description].length > 100)) {
      problems.description = {
        _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }],
      };
    }
    if (Array.isArray(c.options) && c.options.length > 25) {
      problems.options = { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' }] };
    }
    if (names.has(`${type}:${name}`)) {
      problems.name = {
        _errors: [{ code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message: `Application command names must be unique` }],
      };
    }
    names.add(`${type}:${name}`);
    if (Object.keys(problems).length > 0) errors[String(i)] = problems;
  });
  if (commands.length > 100) {
    errors._errors = [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 100 or fewer in length.' }];
  }
  return Object.keys(errors).length > 0 ? discordError(400, 50035, 'Invalid Form Body', { errors }) : null;
}

function commandRoutes(state: EmulatorState): Route[] {
  const scopeOf = (params: Record<string, string>): string => params.guildId ?? 'global';
  const guard = (params: Record<string, string>): RestResponse | null => {
    if (params.appId !== state.applicationId) return missingAccess();
    if (params.guildId !== undefined && !state.guilds.has(params.guildId)) return missingAccess();
    return null;
  };
  const list = (request: RestRequest, params: Record<string, string>): RestResponse =>
    guard(params) ?? ok(state.commands.get(scopeOf(params)) ?? []);
  const overwrite = (request: RestRequest, params: Record<string, string>): RestResponse => {
    const refused = guard(params);
    if (refused) return refused;
    if (!Array.isArray(request.body)) return discordError(400, 50035, 'Invalid Form Body');
    const invalid = commandError(request.body);
    if (invalid) return invalid;
    const previous = state.commands.get(scopeOf(params)) ?? [];
    const next = request.body.map((input: Record<string, unknown>) =>
      storedCommand(
        state,
        input,
        previous.find((p) => p.name === input.name && p.type === (input.type ?? 1)),
        params.guildId ?? null,
      ),
    );
    state.commands.set(scopeOf(params), next);
    return ok(next);
  };
  const create = (request: RestRequest, params: Record<string, string>): RestResponse => {
    const refused = guard(params);
    if (refused) return refused;
    const input = bodyObject(request);
    const invalid = commandError([input]);
    if (invalid) return invalid;
    const existing = state.commands.get(scopeOf(params)) ?? [];
    const previous = existing.find((p) => p.name === input.name && p.type === (input.type ?? 1));
    const command = storedCommand(state, input, previous, params.guildId ?? null);
    state.commands.set(scopeOf(params), [...existing.filter((p) => p !== previous), command]);
    // Discord answers 201 for a new command and 200 when the name already existed.
    return { status: previous ? 200 : 201, body: command };
  };
  return [
    { method: 'GET', pattern: '/applications/:appId/commands', auth: true, handle: list },
    { method: 'PUT', pattern: '/applications/:appId/commands', auth: true, handle: overwrite },
    { method: 'POST', pattern: '/applications/:appId/commands', auth: true, handle: create },
    { method: 'GET', pattern: '/applications/:appId/guilds/:guildId/commands', auth: true, handle: list },
    { method: 'PUT', pattern: '/applications/:appId/guilds/:guildId/commands', auth: true, handle: overwrite },
    { method: 'POST', pattern: '/applications/:appId/guilds/:guildId/commands', auth: true, handle: create },
  ];
}

function channelMessageRoutes(state: EmulatorState): Route[] {
  const channelMessage = (params: Record<string, string>) => {
    const message = state.liveMessage(params.messageId ?? '');
    return message && message.channel_id === params.channelId ? message : undefined;
  };
  return [
    {
      method: 'POST',
      pattern: '/channels/:channelId/messages',
      auth: true,
      handle: (request, params) => {
        const channelId = params.channelId ?? '';
        if (!state.channels.has(channelId)) return unknownChannel();
        const permissions = state.botPermissionsIn(channelId);
        if (permissions === 0n) return missingAccess();
        if (permissions !== undefined && (permissions & PermissionFlagsBits.SendMessages) === 0n) return missingPermissions();
        const body = bodyObject(request);
        const invalid = checkMessageBody(body, true, request.files.length);
        if (invalid) return { status: 400, body: invalid };
        // With enforce_nonce, a repeat of a recent post (a retry after a lost answer) returns the first message.
        const nonce = body.nonce;
        if (body.enforce_nonce === true && (typeof nonce === 'string' || typeof nonce === 'number')) {
          const earlier = state.recentPostWithNonce(channelId, nonce);
          if (earlier) return ok(earlier);
        }
        const message = state.createMessage(channelId, body, request.files, {});
        state.channelPosts.set(channelId, [...(state.channelPosts.get(channelId) ?? []), message.id]);
        return ok(message);
      },
    },
    {
      method: 'GET',
      pattern: '/channels/:channelId/messages',
      auth: true,
      handle: (request, params) => {
        if (!state.channels.has(params.channelId ?? '')) return unknownChannel();
        const limit = Math.min(Number(request.query.limit ?? 50) || 50, 100);
        const messages = [...state.messages.values()]
          .filter((m) => !m.deleted && m.message.channel_id === params.channelId && (m.message.flags & 64) === 0)
          .map((m) => m.message)
          .reverse(); // Discord lists newest first.
        return ok(messages.slice(0, limit));
      },
    },
    {
      method: 'GET',
      pattern: '/channels/:channelId/messages/:messageId',
      auth: true,
      handle: (request, params) => {
        if (!state.channels.has(params.channelId ?? '')) return unknownChannel();
        const message = channelMessage(params);
        return message ? ok(message) : unknownMessage();
      },
    },
    {
      method: 'PATCH',
      pattern: '/channels/:channelId/messages/:messageId',
      auth: true,
      handle: (request, params) => {
        if (!state.channels.has(params.channelId ?? '')) return unknownChannel();
        const message = channelMessage(params);
        if (!message) return unknownMessage();
        const body = bodyObject(request);
        const invalid = checkMessageBody(body, false);
        if (invalid) return { status: 400, body: invalid };
        return ok(state.editMessage(message.id, body, request.files));
      },
    },
    {
      method: 'DELETE',
      pattern: '/channels/:channelId/messages/:messageId',
      auth: true,
      handle: (request, params) => {
        if (!state.channels.has(params.channelId ?? '')) return unknownChannel();
        const message = channelMessage(params);
        if (!message) return unknownMessage();
        const stored = state.messages.get(message.id);
        if (stored) stored.deleted = true;
        return noContent();
      },
    },
  ];
}

/** The bot-token REST routes: identity, gateway discovery, channels, guilds, commands. */
export function restRoutes(state: EmulatorState, gatewayUrl: () => string): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/gateway/bot',
      auth: true,
      handle: () =>
        ok({
          url: gatewayUrl(),
          shards: state.recommendedShards,
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
        }),
    },
    { method: 'GET', pattern: '/gateway', auth: false, handle: () => ok({ url: gatewayUrl() }) },
    {
      method: 'GET',
      pattern: '/users/@me',
      auth: true,
      handle: () => ok({ ...state.botUser, mfa_enabled: true, verified: true, locale: 'en-US', email: null }),
    },
    {
      method: 'GET',
      pattern: '/users/:userId',
      auth: true,
      handle: (request, params) => ok(state.user(params.userId ?? '')),
    },
    {
      method: 'POST',
      pattern: '/users/@me/channels',
      auth: true,
      handle: (request) => {
        const recipientId = bodyObject(request).recipient_id;
        if (typeof recipientId !== 'string') return discordError(400, 50035, 'Invalid Form Body');
        return channelResponse(state, state.dmChannel(recipientId).id);
      },
    },
    {
      method: 'GET',
      pattern: '/applications/@me',
      auth: true,
      handle: () =>
        ok({
          id: state.applicationId,
          name: state.botUser.username,
          icon: null,
          description: '',
          summary: '',
          type: null,
          bot: state.botUser,
          bot_public: true,
          bot_require_code_grant: false,
          verify_key: '0'.repeat(64),
          flags: 0,
          owner: state.user(state.defaultUserId),
          team: null,
          approximate_guild_count: state.guilds.size,
          integration_types_config: { '0': {} },
        }),
    },
    {
      method: 'GET',
      pattern: '/channels/:channelId',
      auth: true,
      handle: (request, params) => channelResponse(state, params.channelId ?? ''),
    },
    ...channelMessageRoutes(state),
    {
      method: 'GET',
      pattern: '/guilds/:guildId',
      auth: true,
      handle: (request, params) => {
        const guild = state.guilds.get(params.guildId ?? '');
        if (!guild) return unknownGuild();
        const counts =
          request.query.with_counts === 'true'
            ? { approximate_member_count: 2, approximate_presence_count: 1 }
            : {};
        return ok({ ...guildJson(guild, state.everyonePermissions), ...counts });
      },
    },
    {
      method: 'GET',
      pattern: '/guilds/:guildId/channels',
      auth: true,
      handle: (request, params) => {
        const guild = state.guilds.get(params.guildId ?? '');
        if (!guild) return unknownGuild();
        return ok(guild.channelIds.flatMap((id) => {
          const channel = state.channels.get(id);
          return channel ? [channelJson(channel)] : [];
        }));
      },
    },
    {
      method: 'GET',
      pattern: '/guilds/:guildId/members/:userId',
      auth: true,
      handle: (request, params) => {
        const guild = state.guilds.get(params.guildId ?? '');
        if (!guild) return unknownGuild();
        return ok(memberJson(state.user(params.userId ?? ''), guild.joinedAt));
      },
    },
    ...commandRoutes(state),
  ];
}

/** Messages the bot sent a user in their DM channel, oldest first; none if it never opened one. */
export function directMessages(state: EmulatorState, userId: string): PostedMessage[] {
  for (const channel of state.channels.values()) {
    if (channel.guildId === null && channel.recipientId === userId) return postedMessages(state, channel.id);
  }
  return [];
}

/** Messages posted to a channel with `POST /channels/:id/messages`, oldest first, as they are now. */
export function postedMessages(state: EmulatorState, channelId: string): PostedMessage[] {
  return (state.channelPosts.get(channelId) ?? []).flatMap((id) => {
    const stored = state.messages.get(id);
    if (!stored || stored.deleted) return [];
    return [{ ...stored.message, ...(stored.allowedMentions ? { allowed_mentions: stored.allowedMentions } : {}) }];
  });
}
