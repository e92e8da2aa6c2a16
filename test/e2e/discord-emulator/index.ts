import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EmulatorState } from './emulator-state.js';
import { Gateway } from './gateway.js';
import { interactionRoutes } from './interaction-routes.js';
import { buildAutocomplete, buildButtonClick, buildSlashCommand } from './interactions.js';
import type { BuiltInteraction } from './interactions.js';
import { directMessages, postedMessages, restRoutes } from './rest-routes.js';
import { createRequestHandler } from './server.js';
import type { DiscordEmulator, DiscordEmulatorOptions, InjectedInteraction, RecordedRequest } from './types.js';

export type * from './types.js';

/** How long an injection waits for the bot to be on the gateway (e.g. while it resumes after a disconnect). */
// Generous, for a busy machine: waits end on the event, not on these.
const CONNECT_WAIT_MS = 60_000;
const DEFAULT_WAIT_MS = 60_000;

function describeRequests(requests: readonly RecordedRequest[]): string {
  const last = requests.slice(-10).map((r) => `  ${r.method} ${r.path} → ${r.status}`);
  return last.length > 0 ? `last requests:\n${last.join('\n')}` : 'no requests received';
}

/**
 * Starts a Discord REST + gateway emulator on 127.0.0.1 at a free port, for running the real discord.js client
 * end to end: `new Client({ intents, rest: { api: emu.restUrl } })`, then `client.login(emu.token)`.
 */
export async function startDiscordEmulator(options: DiscordEmulatorOptions = {}): Promise<DiscordEmulator> {
  const state = new EmulatorState(options);
  const server = createServer();
  let port = 0;
  const gatewayUrl = (): string => `ws://127.0.0.1:${port}`;
  const gateway = new Gateway(state, gatewayUrl);
  server.on('request', createRequestHandler(state, [...restRoutes(state, gatewayUrl), ...interactionRoutes(state)]));
  server.on('upgrade', (request, socket, head: Buffer) => gateway.handleUpgrade(request, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  const inject = async (built: BuiltInteraction): Promise<InjectedInteraction> => {
    const guildId = typeof built.payload.guild_id === 'string' ? built.payload.guild_id : null;
    // Sent to the shard that owns the guild (Discord's routing), once that shard is connected.
    await gateway.waitForSession(CONNECT_WAIT_MS, guildId);
    // The acknowledgement clock starts when the bot can see the interaction, not while it reconnects.
    built.record.createdAt = Date.now();
    state.interactionsByToken.set(built.record.token, built.record);
    state.interactionsById.set(built.record.id, built.record);
    gateway.dispatch('INTERACTION_CREATE', built.payload, guildId);
    return { interactionId: built.record.id, token: built.record.token };
  };
  const interaction = (token: string) => {
    const record = state.interactionsByToken.get(token);
    if (!record) throw new Error(`Discord emulator: no interaction with token ${token.slice(0, 16)}…`);
    return record;
  };

  let closed = false;
  return {
    restUrl: `http://127.0.0.1:${port}/api`,
    gatewayUrl: gatewayUrl(),
    token: state.token,
    applicationId: state.applicationId,
    botUserId: state.botUser.id,
    requests: state.requests,
    // async, so a bad input (unknown channel, missing button) is a rejection, never a synchronous throw.
    sendSlashCommand: async (input) => inject(buildSlashCommand(state, input)),
    clickButton: async (input) => inject(buildButtonClick(state, input)),
    sendAutocomplete: async (input) => inject(buildAutocomplete(state, input)),
    waitForRequest: (predicate, timeoutMs = DEFAULT_WAIT_MS) =>
      state.requestWaiters.wait(state.requests, predicate, timeoutMs, () =>
        `Discord emulator: no matching request within ${timeoutMs} ms; ${describeRequests(state.requests)}`,
      ),
    interactionResponses: (token) => [...interaction(token).responses],
    waitForInteractionResponse: (token, predicate = () => true, timeoutMs = DEFAULT_WAIT_MS) => {
      const record = interaction(token);
      const got = (): string =>
        record.responses.map((r) => r.kind + (r.type ? ` ${r.type}` : '')).join(', ') || 'nothing';
      return state.responseWaiters
        .wait(
          record.responses.map((response) => ({ token, response })),
          (item) => item.token === token && predicate(item.response),
          timeoutMs,
          () =>
            `Discord emulator: no matching response to interaction ${record.commandName ?? record.id} within ` +
            `${timeoutMs} ms (got: ${got()}); ` +
            describeRequests(state.requests),
        )
        .then((item) => item.response);
    },
    originalMessage: (token) => {
      const id = interaction(token).originalMessageId;
      return id ? state.liveMessage(id) : undefined;
    },
    channelMessages: (channelId) => postedMessages(state, channelId),
    directMessages: (userId) => directMessages(state, userId),
    message: (messageId) => state.liveMessage(messageId),
    commands: (guildId) => [...(state.commands.get(guildId ?? 'global') ?? [])],
    failNext: (rule) => {
      state.failures.push({ ...rule, remaining: rule.times ?? 1 });
    },
    disconnectGateway: (code = 4000, shard?: number) => gateway.disconnect(code, shard),
    connectedShards: () => gateway.connectedShards(),
    holdGateway: () => gateway.hold(),
    releaseGateway: () => gateway.release(),
    close: async () => {
      if (closed) return;
      closed = true;
      state.requestWaiters.rejectAll('Discord emulator closed');
      state.responseWaiters.rejectAll('Discord emulator closed');
      await gateway.close();
      // undici keeps connections alive; without this, close() would wait for them to idle out.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
