import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { channelJson, guildJson, memberJson } from './discord-objects.js';
import type { EmulatorState } from './emulator-state.js';

const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  PresenceUpdate: 3,
  VoiceStateUpdate: 4,
  Resume: 6,
  RequestGuildMembers: 8,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;

const Close = {
  UnknownOpcode: 4001,
  DecodeError: 4002,
  NotAuthenticated: 4003,
  AuthenticationFailed: 4004,
  AlreadyAuthenticated: 4005,
  InvalidShard: 4010,
  ShardingRequired: 4011,
  InvalidApiVersion: 4012,
} as const;

/** Discord's usual value; discord.js's first beat is a random fraction of it, so tests never wait for one. */
const HEARTBEAT_INTERVAL_MS = 41_250;
/** Replayed on RESUME; a test never produces more than a handful of events while disconnected. */
const REPLAY_BUFFER = 200;

interface Session {
  id: string;
  /** `[shard_id, num_shards]` as the bot identified; `[0, 1]` when it sent none (one connection for everything). */
  shard: [number, number];
  seq: number;
  socket: WebSocket | null;
  /** Dispatches already sent, for replay on RESUME. */
  sent: { s: number; frame: string }[];
}

interface Connection {
  socket: WebSocket;
  session: Session | null;
}

interface GatewayPayload {
  op: number;
  d?: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The shard a guild's events go to, by Discord's formula `shard_id = (guild_id >> 22) % num_shards`
 * (https://discord.com/developers/docs/topics/gateway#sharding). Events without a guild (DMs) go to shard 0.
 */
export function shardOfGuild(guildId: string | null | undefined, numShards: number): number {
  if (!guildId || numShards <= 1) return 0;
  return Number((BigInt(guildId) >> 22n) % BigInt(numShards));
}

/**
 * The gateway: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, RESUME, and dispatches from the test. Sharded as
 * Discord shards: IDENTIFY's `shard: [id, count]` gives a session that shard's guilds only (READY, GUILD_CREATE),
 * and a guild's events go to the sessions of the shard that owns it.
 */
export class Gateway {
  readonly #state: EmulatorState;
  readonly #url: () => string;
  readonly #server = new WebSocketServer({ noServer: true });
  readonly #connections = new Set<Connection>();
  readonly #sessions = new Map<string, Session>();
  readonly #readyListeners = new Set<() => void>();
  /** While set, new sockets are accepted but get no HELLO: the bot sits reconnecting, as during an outage. */
  #held: WebSocket[] | null = null;

  constructor(state: EmulatorState, url: () => string) {
    this.#state = state;
    this.#url = url;
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const query = new URL(request.url ?? '/', 'http://gateway').searchParams;
    this.#server.handleUpgrade(request, socket, head, (ws) => this.#accept(ws, query));
  }

  /**
   * Sends a dispatch to every live session of the shard that owns `guildId` (shard 0 for none, as Discord sends
   * DMs); false when no such session is connected. Two bots on the same token and shard both get it, as on Discord.
   */
  dispatch(event: string, data: unknown, guildId: string | null = null): boolean {
    let sent = false;
    for (const session of this.#sessions.values()) {
      if (!session.socket || !this.#owns(session, guildId)) continue;
      this.#dispatchTo(session, event, data);
      sent = true;
    }
    return sent;
  }

  /**
   * Resolves once a session that receives `guildId`'s events (any session when undefined) is identified or
   * resumed and connected (at once if one is).
   */
  waitForSession(timeoutMs: number, guildId?: string | null): Promise<void> {
    const connected = (): boolean =>
      [...this.#sessions.values()].some((s) => s.socket && (guildId === undefined || this.#owns(s, guildId)));
    if (connected()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const listener = (): void => {
        if (!connected()) return;
        clearTimeout(timer);
        this.#readyListeners.delete(listener);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#readyListeners.delete(listener);
        const which = guildId === undefined ? '' : ` for guild ${guildId ?? '(none: DMs)'}`;
        reject(new Error(`Discord emulator: the bot did not connect to the gateway${which} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#readyListeners.add(listener);
    });
  }

  /** The shards of the live sessions, as `[shard_id, num_shards]`, one entry per connected session. */
  connectedShards(): [number, number][] {
    return [...this.#sessions.values()].filter((s) => s.socket).map((s) => [...s.shard]);
  }

  /** Closes the bot's sockets (only shard `shard`'s when given); sessions stay resumable. */
  disconnect(code: number, shard?: number): void {
    for (const connection of this.#connections) {
      if (shard !== undefined && connection.session?.shard[0] !== shard) continue;
      // Detach now, not on the close event: a dispatch in between would go to a closing socket and be lost.
      if (connection.session?.socket === connection.socket) connection.session.socket = null;
      connection.socket.close(code, 'Emulator disconnect');
    }
  }

  /** Stops greeting new connections (an outage), until `release()`. */
  hold(): void {
    this.#held ??= [];
  }

  /** Ends the outage: every connection that waited gets its HELLO now. */
  release(): void {
    const waiting = this.#held ?? [];
    this.#held = null;
    for (const socket of waiting) if (socket.readyState === socket.OPEN) this.#hello(socket);
  }

  async close(): Promise<void> {
    for (const connection of this.#connections) connection.socket.terminate();
    this.#connections.clear();
    this.#sessions.clear();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(socket: WebSocket, query: URLSearchParams): void {
    const connection: Connection = { socket, session: null };
    this.#connections.add(connection);
    socket.on('close', () => {
      this.#connections.delete(connection);
      if (connection.session?.socket === socket) connection.session.socket = null;
    });
    socket.on('error', () => socket.terminate());
    socket.on('message', (data) => this.#onMessage(connection, String(data)));

    // Only what discord.js speaks without zlib-sync: v10, plain JSON.
    if ((query.get('v') ?? '10') !== '10') {
      socket.close(Close.InvalidApiVersion, 'Invalid API version');
      return;
    }
    if ((query.get('encoding') ?? 'json') !== 'json') {
      socket.close(Close.DecodeError, 'Error while decoding payload.');
      return;
    }
    if (this.#held) this.#held.push(socket);
    else this.#hello(socket);
  }

  #hello(socket: WebSocket): void {
    this.#send(socket, {
      op: Op.Hello,
      d: { heartbeat_interval: HEARTBEAT_INTERVAL_MS, _trace: ['["gateway-emulator",{}]'] },
    });
  }

  #onMessage(connection: Connection, raw: string): void {
    let payload: GatewayPayload;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!isRecord(parsed) || typeof parsed.op !== 'number') throw new Error('not a payload');
      payload = parsed as unknown as GatewayPayload;
    } catch {
      connection.socket.close(Close.DecodeError, 'Error while decoding payload.');
      return;
    }
    const d = isRecord(payload.d) ? payload.d : {};
    switch (payload.op) {
      case Op.Heartbeat:
        this.#send(connection.socket, { op: Op.HeartbeatAck });
        return;
      case Op.Identify:
        this.#identify(connection, d);
        return;
      case Op.Resume:
        this.#resume(connection, d);
        return;
      case Op.PresenceUpdate:
      case Op.VoiceStateUpdate:
        if (!connection.session) connection.socket.close(Close.NotAuthenticated, 'Not authenticated.');
        return;
      case Op.RequestGuildMembers:
        if (!connection.session) connection.socket.close(Close.NotAuthenticated, 'Not authenticated.');
        else this.#answerMemberRequest(connection.session, d);
        return;
      default:
        connection.socket.close(Close.UnknownOpcode, 'Unknown opcode.');
    }
  }

  #tokenMatches(token: unknown): boolean {
    return typeof token === 'string' && token.replace(/^Bot\s+/i, '') === this.#state.token;
  }

  #identify(connection: Connection, d: Record<string, unknown>): void {
    if (connection.session) {
      connection.socket.close(Close.AlreadyAuthenticated, 'Already authenticated.');
      return;
    }
    if (!this.#tokenMatches(d.token)) {
      connection.socket.close(Close.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    const shard = this.#shardOf(d.shard);
    if (!shard) {
      // Discord: "You sent us an invalid shard when identifying."
      connection.socket.close(Close.InvalidShard, 'Invalid shard.');
      return;
    }
    const state = this.#state;
    // Discord refuses one connection for more guilds than a shard may hold (2,500); the emulator's limit is set by the test.
    const owned = [...state.guilds.keys()].filter((id) => shardOfGuild(id, shard[1]) === shard[0]);
    if (owned.length > state.maxGuildsPerShard) {
      connection.socket.close(Close.ShardingRequired, 'Sharding required.');
      return;
    }
    const session: Session = { id: randomBytes(16).toString('hex'), shard, seq: 0, socket: connection.socket, sent: [] };
    this.#sessions.set(session.id, session);
    connection.session = session;
    this.#dispatchTo(session, 'READY', {
      v: 10,
      user: { ...state.botUser, verified: true, mfa_enabled: true, email: null },
      // discord.js waits for a GUILD_CREATE for every guild listed here (15 s otherwise).
      guilds: owned.map((id) => ({ id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.#url(),
      shard,
      application: { id: state.applicationId, flags: 0 },
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      user_settings: {},
      geo_ordered_rtc_regions: [],
      _trace: ['["gateway-emulator",{}]'],
    });
    for (const guild of owned) this.#dispatchTo(session, 'GUILD_CREATE', this.#guildCreate(guild));
    this.#notifyReady();
  }

  /** IDENTIFY's `shard` field: absent means `[0, 1]`; anything but two whole numbers with id < count is invalid. */
  #shardOf(value: unknown): [number, number] | null {
    if (value === undefined || value === null) return [0, 1];
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [id, count] = value as unknown[];
    if (!Number.isInteger(id) || !Number.isInteger(count)) return null;
    const [i, n] = [id as number, count as number];
    return i >= 0 && n >= 1 && i < n ? [i, n] : null;
  }

  #owns(session: Session, guildId: string | null): boolean {
    return shardOfGuild(guildId, session.shard[1]) === session.shard[0];
  }

  #resume(connection: Connection, d: Record<string, unknown>): void {
    if (!this.#tokenMatches(d.token)) {
      connection.socket.close(Close.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    const session = typeof d.session_id === 'string' ? this.#sessions.get(d.session_id) : undefined;
    if (!session) {
      // d: false tells the client to identify afresh.
      this.#send(connection.socket, { op: Op.InvalidSession, d: false });
      return;
    }
    session.socket = connection.socket;
    connection.session = session;
    const since = typeof d.seq === 'number' ? d.seq : 0;
    for (const { s, frame } of session.sent) if (s > since) connection.socket.send(frame);
    this.#dispatchTo(session, 'RESUMED', { _trace: ['["gateway-emulator",{}]'] });
    this.#notifyReady();
  }

  /** Answers op 8 with the members the emulator knows about, in one chunk, so `members.fetch` never hangs. */
  #answerMemberRequest(session: Session, d: Record<string, unknown>): void {
    const guild = typeof d.guild_id === 'string' ? this.#state.guilds.get(d.guild_id) : undefined;
    if (!guild) return;
    const ids = Array.isArray(d.user_ids)
      ? d.user_ids.map(String)
      : typeof d.user_ids === 'string'
        ? [d.user_ids]
        : null;
    const users = ids ? ids.map((id) => this.#state.user(id)) : [...this.#state.users.values()];
    this.#dispatchTo(session, 'GUILD_MEMBERS_CHUNK', {
      guild_id: guild.id,
      members: users.map((user) => memberJson(user, guild.joinedAt)),
      chunk_index: 0,
      chunk_count: 1,
      not_found: [],
      ...(d.nonce === undefined ? {} : { nonce: d.nonce }),
    });
  }

  #guildCreate(guildId: string): Record<string, unknown> {
    const state = this.#state;
    const guild = state.guilds.get(guildId);
    if (!guild) throw new Error(`unknown guild ${guildId}`);
    const channels = guild.channelIds.flatMap((id) => {
      const channel = state.channels.get(id);
      return channel ? [channelJson(channel)] : [];
    });
    return {
      ...guildJson(guild, state.everyonePermissions),
      joined_at: guild.joinedAt,
      large: false,
      unavailable: false,
      lazy: true,
      member_count: 2,
      // Without the GuildMembers intent Discord still sends the bot's own member.
      members: [memberJson(state.botUser, guild.joinedAt)],
      channels,
      threads: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      embedded_activities: [],
    };
  }

  #dispatchTo(session: Session, event: string, data: unknown): void {
    session.seq += 1;
    const frame = JSON.stringify({ op: Op.Dispatch, t: event, s: session.seq, d: data });
    session.sent.push({ s: session.seq, frame });
    if (session.sent.length > REPLAY_BUFFER) session.sent.shift();
    session.socket?.send(frame);
  }

  #notifyReady(): void {
    for (const listener of [...this.#readyListeners]) listener();
  }

  #send(socket: WebSocket, payload: { op: number; d?: unknown }): void {
    socket.send(JSON.stringify({ op: payload.op, d: payload.d ?? null, s: null, t: null }));
  }
}
