import { DiscordAPIError, PermissionFlagsBits, Routes, type Client } from 'discord.js';
import { SendFailure } from '../digest/delivery-errors.js';
import { DigestService } from '../digest/digest-service.js';
import { DigestScheduler } from '../digest/scheduler.js';
import { describeError } from '../errors.js';
import type { Logger } from '../log.js';
import type { NewsStore } from '../store/news-store.js';
import { defuseMentions } from './escape.js';
import { fitContent } from './limits.js';
import { renderDigest, type DigestMessage } from './render-digest.js';
import { NO_PINGS } from './reply.js';

// Discord error codes that mean the bot can no longer post there.
const GONE = new Set([10003 /* Unknown Channel */, 10004 /* Unknown Guild */]);
const FORBIDDEN = new Set([50001 /* Missing Access */, 50013 /* Missing Permissions */, 50007 /* Cannot send messages to this user */]);

/** Maps what Discord answered onto what the digest service should do. */
export function classifySendError(error: unknown): SendFailure {
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === 'number' ? error.code : -1;
    // Only Discord's "Unknown …" codes (10xxx) say the channel is gone; a bare 404 (a wrong API address, a proxy)
    // says nothing about the channel and must not stop every subscription for good.
    const unknownSomething = error.status === 404 && code >= 10_001 && code < 20_000;
    if (GONE.has(code) || unknownSomething) return new SendFailure('gone', `the channel no longer exists (${error.message})`, error.message);
    if (FORBIDDEN.has(code) || error.status === 403) return new SendFailure('forbidden', `the bot may no longer post in this channel (${error.message})`, error.message);
    return new SendFailure('retry', `Discord answered ${error.status}: ${error.message}`);
  }
  return new SendFailure('retry', describeError(error));
}

/**
 * Posts a message with a nonce Discord enforces: if the same nonce was used in the last minutes, Discord
 * returns the message already posted instead of posting it again (a resend after a crash is harmless).
 */
export function discordSend(client: Client) {
  return async (channelId: string, message: DigestMessage, nonce: string): Promise<string> => {
    try {
      const posted = (await client.rest.post(Routes.channelMessages(channelId), {
        body: { content: message.content ? fitContent(defuseMentions(message.content)) : undefined, embeds: message.embeds, allowed_mentions: NO_PINGS, nonce, enforce_nonce: true },
      })) as { id: string };
      return posted.id;
    } catch (error) {
      throw classifySendError(error);
    }
  };
}

/**
 * Tells a guild its digest stopped: in its system channel if the bot may post there, else (or if Discord refuses
 * that post after all, e.g. the system channel is the very channel that just refused the digest) the owner by DM.
 * Throws when neither is possible, so the caller can log it.
 */
export function discordNotifyGuild(client: Client, log?: Logger) {
  return async (guildId: string, text: string): Promise<void> => {
    const guild = client.guilds.cache.get(guildId);
    if (!guild) throw new Error(`the bot is not in guild ${guildId} (any more)`);
    const me = guild.members.me ?? (await guild.members.fetchMe());
    const system = guild.systemChannel;
    const content = fitContent(text);
    if (system && system.permissionsFor(me).has([PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages])) {
      try {
        await system.send({ content, allowedMentions: NO_PINGS });
        return;
      } catch (error) {
        log?.warn({ guildId, channelId: system.id, error: describeError(error) }, 'could not post the notice in the system channel; telling the owner');
      }
    }
    const owner = await guild.fetchOwner();
    await owner.send({ content: fitContent(`${guild.name}: ${text}`), allowedMentions: NO_PINGS });
  };
}

export function createDigestService(client: Client, deps: { store: NewsStore; now: () => Date; log: Logger; sleep?: (ms: number) => Promise<void> }): DigestService<DigestMessage> {
  return new DigestService<DigestMessage>({
    store: deps.store,
    now: deps.now,
    log: deps.log,
    render: renderDigest,
    send: discordSend(client),
    notifyGuild: discordNotifyGuild(client, deps.log),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
  });
}

/** Starts posting digests on schedule; stop it before destroying the client. */
export function startDigests(client: Client, deps: { store: NewsStore; now: () => Date; log: Logger }): DigestScheduler {
  const scheduler = new DigestScheduler(createDigestService(client, deps) as DigestService<unknown>, { now: deps.now, log: deps.log });
  scheduler.start();
  return scheduler;
}
