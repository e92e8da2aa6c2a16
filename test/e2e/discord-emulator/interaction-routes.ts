import {
  discordError,
  unknownInteraction,
  unknownMessage,
  unknownWebhook,
} from './discord-errors.js';
import { FLAG_EPHEMERAL, FLAG_LOADING } from './emulator-state.js';
import type { EmulatorState, InteractionRecord } from './emulator-state.js';
import { checkMessageBody } from './message-limits.js';
import type { RestRequest, RestResponse, Route } from './route-table.js';
import type {
  AllowedMentionsJson,
  ChoiceJson,
  ComponentJson,
  InteractionResponseKind,
  InteractionResponseRecord,
  MessageJson,
  RecordedFile,
} from './types.js';
import type { APIEmbed } from 'discord.js';

/** Interaction callback types (Discord's numbers). */
const Callback = {
  Reply: 4,
  DeferredReply: 5,
  DeferredUpdate: 6,
  Update: 7,
  Autocomplete: 8,
  Modal: 9,
} as const;

const INTERACTION_COMMAND = 2;
const INTERACTION_AUTOCOMPLETE = 4;
/** Discord's limits on an autocomplete result. */
const MAX_CHOICES = 25;
const MAX_CHOICE_CHARS = 100;
const MESSAGE_TYPE_DEFAULT = 0;
const MESSAGE_TYPE_REPLY_TO_COMMAND = 20;

const alreadyAcknowledged = (): RestResponse =>
  discordError(400, 40060, 'Interaction has already been acknowledged.');

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asObject(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function responseRecord(
  kind: InteractionResponseKind,
  data: Record<string, unknown>,
  files: RecordedFile[],
  extra: { type?: number; messageId?: string },
): InteractionResponseRecord {
  return {
    kind,
    ...extra,
    content: typeof data.content === 'string' ? data.content : undefined,
    embeds: Array.isArray(data.embeds) ? (data.embeds as APIEmbed[]) : undefined,
    components: Array.isArray(data.components) ? (data.components as ComponentJson[]) : undefined,
    flags: typeof data.flags === 'number' ? data.flags : undefined,
    allowed_mentions: isRecord(data.allowed_mentions) ? (data.allowed_mentions as AllowedMentionsJson) : undefined,
    attachments: Array.isArray(data.attachments) ? data.attachments : undefined,
    choices: Array.isArray(data.choices) ? (data.choices as ChoiceJson[]) : undefined,
    files,
    data,
    at: Date.now(),
  };
}

/** What Discord stamps on messages an interaction created, so discord.js can link them back. */
function interactionStamp(
  state: EmulatorState,
  interaction: InteractionRecord,
  isOriginal: boolean,
): Partial<MessageJson> {
  const isCommand = interaction.type === INTERACTION_COMMAND;
  return {
    type: isOriginal && isCommand ? MESSAGE_TYPE_REPLY_TO_COMMAND : MESSAGE_TYPE_DEFAULT,
    webhook_id: state.applicationId,
    application_id: state.applicationId,
    interaction_metadata: {
      id: interaction.id,
      type: interaction.type,
      user: interaction.user,
      authorizing_integration_owners: interaction.authorizingIntegrationOwners,
      ...(isCommand ? { name: interaction.commandName, command_type: 1 } : {}),
      ...(interaction.sourceMessageId ? { interacted_message_id: interaction.sourceMessageId } : {}),
      ...(!isOriginal && interaction.originalMessageId
        ? { original_response_message_id: interaction.originalMessageId }
        : {}),
    },
  };
}

/** Discord's checks on an autocomplete result: 0–25 choices, each name and value 1–100 characters. */
function checkChoices(choices: unknown): RestResponse | undefined {
  const invalid = (index: string | undefined, code: string, message: string): RestResponse => {
    const errors = { _errors: [{ code, message }] };
    return discordError(400, 50035, 'Invalid Form Body', { errors: { data: { choices: index === undefined ? errors : { [index]: errors } } } });
  };
  if (!Array.isArray(choices)) return invalid(undefined, 'BASE_TYPE_REQUIRED', 'This field is required');
  if (choices.length > MAX_CHOICES) return invalid(undefined, 'BASE_TYPE_MAX_LENGTH', `Must be ${MAX_CHOICES} or fewer in length.`);
  for (const [i, c] of choices.entries()) {
    const choice = asObject(c);
    const name = choice.name;
    if (typeof name !== 'string' || name.length < 1 || name.length > MAX_CHOICE_CHARS) {
      return invalid(String(i), 'BASE_TYPE_BAD_LENGTH', `name must be between 1 and ${MAX_CHOICE_CHARS} in length.`);
    }
    const value = choice.value;
    if (typeof value === 'string' ? value.length < 1 || value.length > MAX_CHOICE_CHARS : typeof value !== 'number') {
      return invalid(String(i), 'BASE_TYPE_BAD_LENGTH', `value must be between 1 and ${MAX_CHOICE_CHARS} in length.`);
    }
  }
  return undefined;
}

function callbackRoute(state: EmulatorState): Route {
  const allowedTypes = (interaction: InteractionRecord): number[] =>
    interaction.type === INTERACTION_AUTOCOMPLETE
      ? [Callback.Autocomplete]
      : interaction.type === INTERACTION_COMMAND
        ? [Callback.Reply, Callback.DeferredReply, Callback.Modal]
        : [Callback.Reply, Callback.DeferredReply, Callback.DeferredUpdate, Callback.Update, Callback.Modal];

  const handle = (request: RestRequest, params: Record<string, string>): RestResponse => {
    const interaction = state.interactionsByToken.get(params.token ?? '');
    if (!interaction || interaction.id !== params.interactionId) return unknownInteraction();
    if (interaction.acknowledged) return alreadyAcknowledged();
    // Discord forgets an interaction that is not answered in time; the user sees "The application did not respond".
    if (Date.now() - interaction.createdAt > state.acknowledgeWithinMs) return unknownInteraction();
    const body = asObject(request.body);
    const type = typeof body.type === 'number' ? body.type : -1;
    const data = asObject(body.data);
    if (!allowedTypes(interaction).includes(type)) {
      return discordError(400, 50035, 'Invalid Form Body', {
        errors: { type: { _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: 'Invalid type' }] } },
      });
    }

    if (type === Callback.Autocomplete) {
      const invalid = checkChoices(data.choices);
      if (invalid) return invalid;
    }

    let message: MessageJson | undefined;
    if (type === Callback.Reply) {
      const invalid = checkMessageBody(data, true, request.files.length);
      if (invalid) return { status: 400, body: invalid };
      const stamp = interactionStamp(state, interaction, true);
      message = state.createMessage(interaction.channelId, data, request.files, stamp);
    } else if (type === Callback.DeferredReply) {
      // The "Bot is thinking…" placeholder: empty and LOADING until @original is edited or a follow-up arrives.
      const flags = FLAG_LOADING | ((typeof data.flags === 'number' ? data.flags : 0) & FLAG_EPHEMERAL);
      message = state.createMessage(interaction.channelId, {}, [], {
        ...interactionStamp(state, interaction, true),
        flags,
      });
    } else if (type === Callback.Update) {
      const invalid = checkMessageBody(data, false);
      if (invalid) return { status: 400, body: invalid };
      if (interaction.sourceMessageId) message = state.editMessage(interaction.sourceMessageId, data, request.files);
    } else if (type === Callback.DeferredUpdate && interaction.sourceMessageId) {
      message = state.liveMessage(interaction.sourceMessageId);
    }

    interaction.acknowledged = true;
    if (message) {
      interaction.originalMessageId = message.id;
      interaction.ownedMessageIds.add(message.id);
    }
    state.recordResponse(
      interaction,
      responseRecord('callback', data, request.files, { type, ...(message ? { messageId: message.id } : {}) }),
    );

    if (request.query.with_response !== 'true') return { status: 204 };
    return {
      status: 200,
      body: {
        interaction: {
          id: interaction.id,
          type: interaction.type,
          ...(message
            ? {
                response_message_id: message.id,
                response_message_loading: (message.flags & FLAG_LOADING) !== 0,
                response_message_ephemeral: (message.flags & FLAG_EPHEMERAL) !== 0,
              }
            : {}),
        },
        ...(message && type !== Callback.DeferredUpdate ? { resource: { type, message } } : {}),
      },
    };
  };
  return { method: 'POST', pattern: '/interactions/:interactionId/:token/callback', auth: false, handle };
}

function webhookRoutes(state: EmulatorState): Route[] {
  /** The interaction behind `/webhooks/:appId/:token`; its token is the webhook token. */
  const interactionOf = (params: Record<string, string>): InteractionRecord | undefined => {
    if (params.appId !== state.applicationId) return undefined;
    const interaction = state.interactionsByToken.get(params.token ?? '');
    return interaction?.acknowledged ? interaction : undefined;
  };
  /** `@original` or a follow-up id, limited to messages this interaction created or answered on. */
  const messageOf = (interaction: InteractionRecord, messageId: string): MessageJson | undefined => {
    const id = messageId === '@original' ? interaction.originalMessageId : messageId;
    if (!id || !interaction.ownedMessageIds.has(id)) return undefined;
    return state.liveMessage(id);
  };
  const editKind = (messageId: string): InteractionResponseKind =>
    messageId === '@original' ? 'edit-original' : 'edit-message';

  return [
    {
      method: 'POST',
      pattern: '/webhooks/:appId/:token',
      auth: false,
      handle: (request, params) => {
        const interaction = interactionOf(params);
        if (!interaction) return unknownWebhook();
        const body = asObject(request.body);
        const invalid = checkMessageBody(body, true, request.files.length);
        if (invalid) return { status: 400, body: invalid };
        const original = interaction.originalMessageId ? state.liveMessage(interaction.originalMessageId) : undefined;
        let message: MessageJson;
        if (original && (original.flags & FLAG_LOADING) !== 0) {
          // Discord turns the first follow-up after a deferred reply into that reply, keeping its ephemerality.
          message = state.editMessage(original.id, body, request.files);
        } else {
          const stamp = interactionStamp(state, interaction, false);
          message = state.createMessage(interaction.channelId, body, request.files, stamp);
          interaction.ownedMessageIds.add(message.id);
        }
        state.recordResponse(interaction, responseRecord('follow-up', body, request.files, { messageId: message.id }));
        return request.query.wait === 'true' ? { status: 200, body: message } : { status: 204 };
      },
    },
    {
      method: 'GET',
      pattern: '/webhooks/:appId/:token/messages/:messageId',
      auth: false,
      handle: (request, params) => {
        const interaction = interactionOf(params);
        if (!interaction) return unknownWebhook();
        const message = messageOf(interaction, params.messageId ?? '');
        return message ? { status: 200, body: message } : unknownMessage();
      },
    },
    {
      method: 'PATCH',
      pattern: '/webhooks/:appId/:token/messages/:messageId',
      auth: false,
      handle: (request, params) => {
        const interaction = interactionOf(params);
        if (!interaction) return unknownWebhook();
        const messageId = params.messageId ?? '';
        const message = messageOf(interaction, messageId);
        if (!message) return unknownMessage();
        const body = asObject(request.body);
        const invalid = checkMessageBody(body, false);
        if (invalid) return { status: 400, body: invalid };
        const edited = state.editMessage(message.id, body, request.files);
        const record = responseRecord(editKind(messageId), body, request.files, { messageId: edited.id });
        state.recordResponse(interaction, record);
        return { status: 200, body: edited };
      },
    },
    {
      method: 'DELETE',
      pattern: '/webhooks/:appId/:token/messages/:messageId',
      auth: false,
      handle: (request, params) => {
        const interaction = interactionOf(params);
        if (!interaction) return unknownWebhook();
        const messageId = params.messageId ?? '';
        const message = messageOf(interaction, messageId);
        if (!message) return unknownMessage();
        const stored = state.messages.get(message.id);
        if (stored) stored.deleted = true;
        const kind = messageId === '@original' ? 'delete-original' : 'delete-message';
        state.recordResponse(interaction, responseRecord(kind, {}, [], { messageId: message.id }));
        return { status: 204 };
      },
    },
  ];
}

/** Routes an interaction token authorises: the initial callback and the interaction webhook. */
export function interactionRoutes(state: EmulatorState): Route[] {
  return [callbackRoute(state), ...webhookRoutes(state)];
}
