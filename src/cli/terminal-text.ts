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

/** A feed's name, URL and last error as printed by `feeds list` (see `describeFeed`). */
export const TERMINAL_DISPLAY: UntrustedDisplay = { text: terminalText, url: terminalText };
