import { DiscordAPIError, HTTPError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { classifySendError } from '../../src/discord/digest-delivery.js';

const URL = 'https://discord.com/api/v10/channels/1300000000000000003/messages';
const apiError = (status: number, code: number, message: string) =>
  new DiscordAPIError({ code, message }, code, status, 'POST', URL, { body: {} });

describe('classifySendError', () => {
  it.each([
    ['403 Missing Permissions', 'forbidden', 403, 50013],
    ['403 Missing Access', 'forbidden', 403, 50001],
    ['404 Unknown Channel', 'gone', 404, 10003],
    ['404 Unknown Guild', 'gone', 404, 10004],
    ['a 404 that names no resource (a wrong API address)', 'retry', 404, 0],
    ['500 Internal Server Error', 'retry', 500, 0],
  ] as const)('treats %s as %s', (what, kind, status, code) => {
    expect(classifySendError(apiError(status, code, what)).kind).toBe(kind);
  });

  it('retries what never got a Discord answer: HTTP errors without JSON and network failures', () => {
    expect(classifySendError(new HTTPError(502, 'Bad Gateway', 'POST', URL, { body: {} })).kind).toBe('retry');
    expect(classifySendError(new Error('other side closed')).kind).toBe('retry');
  });

  it('says why, in words an admin can act on', () => {
    expect(classifySendError(apiError(403, 50013, 'Missing Permissions')).message).toBe('the bot may no longer post in this channel (Missing Permissions)');
  });
});
