import { Events, RESTEvents, type Client } from 'discord.js';
import type { Logger } from '../log.js';

/**
 * Gateway close codes after which Discord will not take the session back, with what the owner should do.
 * Source: https://discord.com/developers/docs/topics/opcodes-and-status-codes#gateway-gateway-close-event-codes
 * (the codes marked "Reconnect: false"). discord.js stops on these and waits forever; a supervisor only helps
 * if the process ends.
 */
export const FATAL_CLOSE_CODES: ReadonlyMap<number, string> = new Map([
  [4004, 'Discord closed the gateway with 4004 (authentication failed): the bot token was reset or revoked. Put the current token (Developer Portal → your application → Bot → Reset Token) in DISCORD_TOKEN and start the bot again.'],
  [4010, 'Discord closed the gateway with 4010 (invalid shard): Discord did not accept the shard the bot identified as. Set NEWSDESK_SHARDS=auto (or leave it empty for one connection) and start the bot again; report it if it repeats.'],
  [4011, 'Discord closed the gateway with 4011 (sharding required): the bot is in more servers than one connection may serve (2,500). Set NEWSDESK_SHARDS=auto and start the bot again.'],
  [4012, 'Discord closed the gateway with 4012 (invalid API version): update newsdesk (npm install) so discord.js speaks a current gateway version.'],
  [4013, 'Discord closed the gateway with 4013 (invalid intents): this newsdesk build asks for intents Discord does not know; update newsdesk.'],
  [4014, 'Discord closed the gateway with 4014 (disallowed intents): the bot asked for a privileged intent not enabled for it. Enable it in Developer Portal → Bot → Privileged Gateway Intents, or update newsdesk (it needs none).'],
]);

export const TOKEN_REJECTED =
  'Discord rejected DISCORD_TOKEN while the bot was running (HTTP 401): the token was reset or revoked. Put the current token (Developer Portal → your application → Bot → Reset Token) in DISCORD_TOKEN and start the bot again.';

/** After this long without the gateway, say so in the log (discord.js keeps trying to resume meanwhile). */
export const LONG_DISCONNECT_MS = 60_000;

export interface GatewayStatus {
  /** Every shard is connected (with NEWSDESK_SHARDS, a shard that is away leaves its servers unanswered). */
  connected: boolean;
  /** When the gateway last connected (ready or resumed), or when it (its first shard) was lost if it is not connected. */
  since: Date;
  /** When the last gateway dispatch arrived (any event Discord sent), by the injected clock. */
  lastEventAt: Date;
}

export interface ConnectionWatchOptions {
  log: Logger;
  now: () => Date;
  /** Called once with one clear line when the bot cannot go on (a fatal close, a rejected token). */
  onFatal: (message: string) => void;
}

/**
 * Watches a logged-in discord.js client: ends the bot through `onFatal` when Discord will not take it back, and
 * keeps the gateway's state for the health check. Resumable closes are left to discord.js, which reconnects by
 * itself; `check()` (called every few seconds) logs once when that has taken more than LONG_DISCONNECT_MS.
 */
export class ConnectionWatch {
  /** The shards that are away; with one connection, shard 0 alone. */
  private readonly away = new Set<number>();
  private since: Date;
  private lastEventAt: Date;
  private reportedLong = false;
  private fatal = false;
  private readonly detach: () => void;

  constructor(
    private readonly client: Client,
    private readonly options: ConnectionWatchOptions,
  ) {
    this.since = options.now();
    this.lastEventAt = this.since;
    const onRaw = () => {
      this.lastEventAt = this.options.now();
    };
    const onUp = (shard: number) => this.up(shard);
    const onReconnecting = (shard: number) => this.down(shard);
    const onDisconnect = (event: { code: number }, shard: number) => {
      const message = FATAL_CLOSE_CODES.get(event.code);
      if (message) this.stop(message, shard);
      else this.down(shard);
    };
    const onResponse = (request: { data: { auth?: boolean } }, response: { status: number }) => {
      // Interaction replies go to webhooks without the token (auth false): their 401s are not about it.
      if (response.status === 401 && request.data.auth !== false) this.stop(TOKEN_REJECTED);
    };
    client.on(Events.Raw, onRaw);
    client.on(Events.ShardReady, onUp);
    client.on(Events.ShardResume, onUp);
    client.on(Events.ShardReconnecting, onReconnecting);
    client.on(Events.ShardDisconnect, onDisconnect);
    client.rest.on(RESTEvents.Response, onResponse);
    this.detach = () => {
      client.off(Events.Raw, onRaw);
      client.off(Events.ShardReady, onUp);
      client.off(Events.ShardResume, onUp);
      client.off(Events.ShardReconnecting, onReconnecting);
      client.off(Events.ShardDisconnect, onDisconnect);
      client.rest.off(RESTEvents.Response, onResponse);
    };
  }

  status(): GatewayStatus {
    return { connected: this.connected, since: this.since, lastEventAt: this.lastEventAt };
  }

  private get connected(): boolean {
    return this.away.size === 0;
  }

  /** Logs once per outage when the gateway has been away longer than LONG_DISCONNECT_MS. */
  check(): void {
    if (this.connected || this.reportedLong) return;
    const awayMs = this.options.now().getTime() - this.since.getTime();
    if (awayMs <= LONG_DISCONNECT_MS) return;
    this.reportedLong = true;
    this.options.log.warn(
      { disconnectedSince: this.since.toISOString(), seconds: Math.round(awayMs / 1000), shards: [...this.away] },
      `disconnected from Discord for ${Math.round(awayMs / 1000)} s; still trying to reconnect (check the network, and https://discordstatus.com)`,
    );
  }

  close(): void {
    this.detach();
  }

  private up(shard: number): void {
    const now = this.options.now();
    const wasAway = this.away.delete(shard);
    // Another shard still away: the outage goes on, and its clock with it.
    if (!this.connected) return;
    if (wasAway) {
      const seconds = Math.round((now.getTime() - this.since.getTime()) / 1000);
      if (this.reportedLong) this.options.log.info({ seconds }, `reconnected to Discord after ${seconds} s`);
      else this.options.log.debug({ seconds }, 'gateway resumed');
    }
    this.reportedLong = false;
    this.since = now;
    this.lastEventAt = now;
  }

  private down(shard: number): void {
    if (this.connected) this.since = this.options.now();
    this.away.add(shard);
  }

  /** `shard`: the one Discord closed; none for the whole bot (a rejected token), recorded as shard −1. */
  private stop(message: string, shard = -1): void {
    if (this.fatal) return;
    this.fatal = true;
    this.down(shard);
    this.options.onFatal(message);
  }
}
