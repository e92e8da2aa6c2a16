import { MessageFlags, type MessageMentionOptions, type RepliableInteraction } from 'discord.js';
import { defuseMentions } from './escape.js';
import { fitContent } from './limits.js';
import type { RenderedReply } from './render-answer.js';

/** Nothing this bot posts may ping anyone, whatever the article text says. */
export const NO_PINGS: MessageMentionOptions = { parse: [] };

/**
 * Message text within Discord's limit. Messages can echo what a user typed (an outlet name, a question word), so
 * mention syntax is defused as well: allowedMentions stops the ping, this stops the text looking like one.
 */
function safeContent(content: string): string {
  return fitContent(defuseMentions(content));
}

/** A private text reply, whether or not the interaction was already acknowledged. */
export async function replyPrivately(interaction: RepliableInteraction, content: string): Promise<void> {
  const payload = { content: safeContent(content), allowedMentions: NO_PINGS, embeds: [], components: [] };
  if (interaction.isMessageComponent() && interaction.deferred && !interaction.replied) {
    // A click acknowledged with deferUpdate: its "reply" is the message the button is on, which must stay.
    await interaction.followUp({ ...payload, flags: MessageFlags.Ephemeral });
  } else if (interaction.deferred && !interaction.replied) {
    // The deferral decided visibility; a follow-up can still be private and the "thinking…" is removed.
    if (interaction.ephemeral) {
      await interaction.editReply(payload);
    } else {
      await interaction.deleteReply().catch(() => undefined);
      await interaction.followUp({ ...payload, flags: MessageFlags.Ephemeral });
    }
  } else if (interaction.replied) {
    await interaction.followUp({ ...payload, flags: MessageFlags.Ephemeral });
  } else {
    await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
  }
}

export function toMessage(reply: RenderedReply) {
  return {
    content: reply.content ? safeContent(reply.content) : '',
    embeds: reply.embeds,
    components: reply.components,
    allowedMentions: NO_PINGS,
  };
}
