import type { Interaction } from 'discord.js';
import { describeError } from '../errors.js';
import type { Command, CommandContext } from './command.js';
import { replyPrivately } from './reply.js';

export const SOMETHING_WENT_WRONG = 'Something went wrong on our side while answering. Please try again in a moment.';

/**
 * The one error boundary: every command and button runs inside it. A failure becomes a private
 * "try again" and one log line with the interaction id; the user is never left on "thinking…".
 * Every interaction gets one log line: command, latency, outcome.
 *
 * Acknowledgement (Discord allows 3 s): a button is acknowledged here with `deferUpdate` before its command sees
 * it; a slash command that may take long (a search, a digest, a network check) defers first thing itself; the
 * others answer from small database reads at once. Other kinds (select menus, autocomplete) are not used.
 */
export function createInteractionHandler(commands: ReadonlyMap<string, Command>, ctx: CommandContext) {
  return async (interaction: Interaction): Promise<void> => {
    if (!interaction.isChatInputCommand() && !interaction.isButton()) return;
    const started = ctx.now().getTime();
    const name = interaction.isChatInputCommand() ? interaction.commandName : (interaction.customId.split('|')[0] ?? '');
    const kind = interaction.isChatInputCommand() ? 'command' : 'button';
    const command = commands.get(name);
    let outcome = 'unknown';
    try {
      if (!command || (kind === 'button' && !command.button)) {
        await replyPrivately(interaction, kind === 'button' ? 'This button is no longer in use. Run the command again.' : `Unknown command /${name}: an admin may need to run \`npm run deploy-commands\`.`);
        outcome = 'unknown-command';
      } else if (interaction.isChatInputCommand()) {
        outcome = await command.execute(interaction, ctx);
      } else if (interaction.isButton() && command.button) {
        // Acknowledge before any work: Discord drops a click not acknowledged within 3 s ("Unknown interaction"),
        // and computing the next page can take that long on a busy machine. The handler then edits the message.
        await interaction.deferUpdate();
        outcome = await command.button(interaction, ctx);
      }
    } catch (error) {
      outcome = 'error';
      ctx.log.error({ interactionId: interaction.id, command: name, kind, error: describeError(error), stack: (error as Error)?.stack }, 'interaction failed');
      try {
        await replyPrivately(interaction, SOMETHING_WENT_WRONG);
      } catch (replyError) {
        ctx.log.error({ interactionId: interaction.id, error: describeError(replyError) }, 'could not tell the user about the failure');
      }
    } finally {
      ctx.log.info(
        { interactionId: interaction.id, command: name, kind, guildId: interaction.guildId, userId: interaction.user.id, latencyMs: ctx.now().getTime() - started, outcome },
        'interaction',
      );
    }
  };
}
