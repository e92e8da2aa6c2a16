import { DiscordAPIError, PermissionFlagsBits, Routes, type Client } from 'discord.js';
import { SendFailure } from '../digest/delivery-errors.js';
import { DigestService } from '../digest/digest-service.js';
import { DigestScheduler } from '../digest/scheduler.js';
import { describeError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';
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
    if (GONE.has(code) || error.status === 404) return new SendFailure('gone', `the channel no longer exists (${error.message})`);
    if (FORBIDDEN.has(code) || error.status === 403) return new SendFailure('forbidden', `the bot may no longer post in this channel (${error.message})`);
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

/** Tells a guild its digest stopped: in its system channel if the bot may post there, else the owner by DM. */
export function discordNotifyGuild(client: Client) {
  return async (guildId: string, text: string): Promise<void> => {
    const guild = client.guilds.cache.get(guildId);
    if (!guild) return;
    const me = guild.members.me ?? (await guild.members.fetchMe());
    const system = guild.systemChannel;
    const content = fitContent(text);
    if (system && system.permissionsFor(me).has([PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages])) {
      await system.send({ content, allowedMentions: NO_PINGS });
      return;
    }
    const owner = await guild.fetchOwner();
    await owner.send({ content: `${guild.name}: ${content}`, allowedMentions: NO_PINGS });
  };
}

export function createDigestService(client: Client, deps: { store: Store; now: () => Date; log: Logger; sleep?: (ms: number) => Promise<void> }): DigestService<DigestMessage> {
  return new DigestService<DigestMessage>({
    store: deps.store,
    now: deps.now,
    log: deps.log,
    render: renderDigest,
    send: discordSend(client),
    notifyGuild: discordNotifyGuild(client),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
  });
}

/** Starts posting digests on schedule; stop it before destroying the client. */
export function startDigests(client: Client, deps: { store: Store; now: () => Date; log: Logger }): DigestScheduler {
  const scheduler = new DigestScheduler(createDigestService(client, deps) as DigestService<unknown>, { now: deps.now, log: deps.log });
  scheduler.start();
  return scheduler;
}
