import type { AutocompleteInteraction, Interaction } from 'discord.js';
import { describeError } from '../errors.js';
import type { Command, CommandContext } from './command.js';
import { tFor } from './locale.js';
import { replyPrivately } from './reply.js';

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
    if (interaction.isAutocomplete()) {
      await suggest(interaction);
      return;
    }
    if (!interaction.isChatInputCommand() && !interaction.isButton()) return;
    const started = ctx.now().getTime();
    const name = interaction.isChatInputCommand() ? interaction.commandName : (interaction.customId.split('|')[0] ?? '');
    const kind = interaction.isChatInputCommand() ? 'command' : 'button';
    const command = commands.get(name);
    const t = tFor(interaction);
    let outcome = 'unknown';
    try {
      if (!command || (kind === 'button' && !command.button)) {
        await replyPrivately(interaction, kind === 'button' ? t('common.unknownButton') : t('common.unknownCommand', { name }));
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
        await replyPrivately(interaction, t('common.somethingWentWrong'));
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

  /**
   * Autocomplete has no message to fail into: a failure answers no suggestions (Discord shows its own "no options"),
   * so the member's typing is never left hanging. One log line, as for every interaction (at debug level).
   */
  async function suggest(interaction: AutocompleteInteraction): Promise<void> {
    const started = ctx.now().getTime();
    const command = commands.get(interaction.commandName);
    let outcome = 'unknown';
    try {
      if (command?.autocomplete) {
        outcome = await command.autocomplete(interaction, ctx);
      } else {
        await interaction.respond([]);
        outcome = 'no-suggestions';
      }
    } catch (error) {
      outcome = 'error';
      ctx.log.error({ interactionId: interaction.id, command: interaction.commandName, kind: 'autocomplete', error: describeError(error) }, 'interaction failed');
      if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
    } finally {
      // One line per keystroke: debug, so a busy server's log is not mostly suggestions.
      ctx.log.debug(
        { interactionId: interaction.id, command: interaction.commandName, kind: 'autocomplete', guildId: interaction.guildId, userId: interaction.user.id, latencyMs: ctx.now().getTime() - started, outcome },
        'interaction',
      );
    }
  }
}
