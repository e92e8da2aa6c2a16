import { createHash } from 'node:crypto';
import { isPeriod, type Period } from '../search/period.js';
import { DISCORD_LIMITS } from './limits.js';

/**
 * The state of a "more" button, all of it in the button's custom_id so paging survives a restart of
 * the bot. The question itself is too long for the 100-character id, so it stays in the answer's
 * embed title and the id carries a hash of it: a forged or mismatched button is detected, not obeyed.
 */
export interface AskPage {
  offset: number;
  hide: boolean;
  questionHash: string;
  source?: string;
  /** The /ask `period` the answer was filtered by ('any' is not written). */
  period?: Period;
}

const PREFIX = 'ask';
export const MAX_SOURCE_IN_ID = 40;

export function hashQuestion(question: string): string {
  return createHash('sha256').update(question).digest('base64url').slice(0, 12);
}

export function encodeAskPage(page: AskPage): string {
  const parts = [PREFIX, String(page.offset), page.hide ? '1' : '0', page.questionHash, page.source ?? ''];
  if (page.period && page.period !== 'any') parts.push(page.period);
  const id = parts.join('|');
  if (id.length > DISCORD_LIMITS.customId) throw new Error('ask button state does not fit in a custom_id');
  return id;
}

/** Parses a custom_id; undefined for anything this bot did not make. Buttons made before periods existed have 5 parts. */
export function decodeAskPage(customId: string): AskPage | undefined {
  const parts = customId.split('|');
  if ((parts.length !== 5 && parts.length !== 6) || parts[0] !== PREFIX) return undefined;
  const [, offset, hide, questionHash, source, period] = parts as [string, string, string, string, string, string | undefined];
  const n = Number(offset);
  if (!Number.isInteger(n) || n < 0 || n > 1000 || (hide !== '0' && hide !== '1') || !/^[\w-]{12}$/.test(questionHash)) return undefined;
  if (period !== undefined && !isPeriod(period)) return undefined;
  return { offset: n, hide: hide === '1', questionHash, ...(source ? { source } : {}), ...(period ? { period } : {}) };
}

export const isAskButton = (customId: string) => customId.startsWith(`${PREFIX}|`);
