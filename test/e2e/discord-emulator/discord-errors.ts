import { STATUS_CODES } from 'node:http';
import type { RestResponse } from './route-table.js';

/** A Discord JSON error answer: `{ message, code }` plus optional extras (`errors`, `retry_after`...). */
export function discordError(status: number, code: number, message: string, extra?: object): RestResponse {
  return { status, body: { message, code, ...extra } };
}

export const unknownChannel = (): RestResponse => discordError(404, 10003, 'Unknown Channel');
export const unknownGuild = (): RestResponse => discordError(404, 10004, 'Unknown Guild');
export const unknownMember = (): RestResponse => discordError(404, 10007, 'Unknown Member');
export const unknownMessage = (): RestResponse => discordError(404, 10008, 'Unknown Message');
export const unknownWebhook = (): RestResponse => discordError(404, 10015, 'Unknown Webhook');
export const unknownInteraction = (): RestResponse => discordError(404, 10062, 'Unknown interaction');
export const missingAccess = (): RestResponse => discordError(403, 50001, 'Missing Access');
export const missingPermissions = (): RestResponse => discordError(403, 50013, 'Missing Permissions');
export const unauthorized = (): RestResponse => discordError(401, 0, '401: Unauthorized');
export const routeNotFound = (): RestResponse => discordError(404, 0, '404: Not Found');

/**
 * The error Discord would most likely answer with this status on this path, for `failNext` rules that bring no body.
 * 404s name the resource the path points at, as Discord does (a post to a deleted channel is "Unknown Channel").
 */
export function defaultFailure(status: number, path: string, retryAfterSeconds: number): RestResponse {
  switch (status) {
    case 401:
      return unauthorized();
    case 403:
      return missingPermissions();
    case 404:
      if (/^\/(channels|webhooks)\/.+\/messages\/[^/]+/.test(path)) return unknownMessage();
      if (path.startsWith('/channels/')) return unknownChannel();
      if (path.startsWith('/webhooks/')) return unknownWebhook();
      if (path.startsWith('/interactions/')) return unknownInteraction();
      if (/^\/guilds\/[^/]+\/members\//.test(path)) return unknownMember();
      if (path.startsWith('/guilds/')) return unknownGuild();
      return routeNotFound();
    case 429:
      return {
        status,
        body: { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global: false },
        // discord.js waits on the header only; the body field is what other clients read.
        headers: { 'retry-after': String(retryAfterSeconds), 'x-ratelimit-scope': 'user' },
      };
    default:
      return discordError(status, 0, `${status}: ${STATUS_CODES[status] ?? 'Error'}`);
  }
}
