import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  SlashCommandBuilder,
  SlashCommandOptionsOnlyBuilder,
  SlashCommandSubcommandsOnlyBuilder,
} from 'discord.js';
import type { Logger } from '../log.js';
import type { Newsdesk } from '../newsdesk.js';
import type { Cooldown } from './cooldown.js';
import type { UrlPolicy } from '../feeds/safe-url.js';

/** What a command may use; passed in, never imported, so tests can run the bot against a fake Discord. */
export interface CommandContext {
  desk: Newsdesk;
  log: Logger;
  now: () => Date;
  cooldown: Cooldown;
  /** Time zone for digests when a subscription names none (NEWSDESK_TIMEZONE). */
  defaultTimezone: string;
  /** Which addresses /feeds may follow (private ones only if the owner allowed them). */
  urlPolicy?: UrlPolicy;
}

/** What a command reports to the per-interaction log line. */
export type CommandOutcome = string;

export interface Command {
  data: SlashCommandBuilder | SlashCommandOptionsOnlyBuilder | SlashCommandSubcommandsOnlyBuilder | { toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody; name: string };
  execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<CommandOutcome>;
  /**
   * Buttons whose custom_id starts with `<command name>|` are routed here, already acknowledged with
   * `deferUpdate`: answer with `editReply` (edits the button's message) or a private `followUp`.
   */
  button?(interaction: ButtonInteraction, ctx: CommandContext): Promise<CommandOutcome>;
  /**
   * Suggestions while a member types an option marked `setAutocomplete(true)`. Must answer at once with
   * `interaction.respond(fitChoices(...))` (within Discord's 3 seconds) and never do slow work.
   */
  autocomplete?(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<CommandOutcome>;
}

export function isCommand(value: unknown): value is Command {
  const v = value as Partial<Command> | undefined;
  return !!v && typeof v === 'object' && typeof v.execute === 'function' && !!v.data && typeof v.data.toJSON === 'function' && typeof v.data.name === 'string';
}
