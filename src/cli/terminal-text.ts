import { stripVTControlCharacters } from 'node:util';
import type { UntrustedDisplay } from '../feeds/describe-feed.js';
import { withoutInvisibleControls } from '../text/invisible-characters.js';

/**
 * Untrusted text (an article, a feed's title, what a server answered, a file name) as it may be printed to a
 * terminal: whole ANSI escape sequences removed (Node's `util.stripVTControlCharacters`: colours, cursor moves, screen
 * clears, OSC 8 hyperlinks and window titles), then every control character left (a lone ESC, CR, the C1 controls
 * such as U+009B) and the bidirectional overrides and invisible characters of `withoutInvisibleControls`. Tabs and line
 * breaks stay. The bot's own colours are added around this text, never inside it.
 */
export function terminalText(text: string): string {
  return withoutInvisibleControls(stripVTControlCharacters(text));
}

/** Untrusted text that stands on one line of the output (a feed's name in `feeds list`): `terminalText`, white space runs made one space. */
export function terminalLine(text: string): string {
  return terminalText(text).replace(/\s+/g, ' ').trim();
}

/** A feed's name, URL and last error as printed by `feeds list`, one line per feed (see `describeFeed`). */
export const TERMINAL_DISPLAY: UntrustedDisplay = { text: terminalLine, url: terminalLine };
