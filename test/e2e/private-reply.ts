import { expect } from 'vitest';
import { CALLBACK, EPHEMERAL, type BotRun } from './bot-harness.js';
import type { InjectedInteraction } from './discord-emulator/index.js';

/**
 * The one private reply a command gives: either at once, or (when it does slow work first, such as `/feeds add`
 * looking the address up) acknowledged privately and then answered by editing that reply. Never pings.
 */
export async function privateReply(run: BotRun, interaction: InjectedInteraction): Promise<string> {
  const responses = await run.settled(interaction);
  if (responses[0]?.type === CALLBACK.deferredReply) {
    expect(responses[0]).toMatchObject({ kind: 'callback', flags: EPHEMERAL });
    responses.shift();
    expect(run.emu.originalMessage(interaction.token)?.flags).toBe(EPHEMERAL);
    expect(responses[0]).toMatchObject({ allowed_mentions: { parse: [] } });
  } else {
    expect(responses[0]).toMatchObject({ kind: 'callback', type: CALLBACK.reply, flags: EPHEMERAL, allowed_mentions: { parse: [] } });
  }
  expect(responses.slice(1)).toEqual([]);
  return responses[0]?.content ?? '';
}
