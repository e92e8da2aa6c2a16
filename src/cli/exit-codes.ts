/**
 * Exit statuses of every `newsdesk` command (the README's table lists the same). 2 is what commander itself uses for a
 * bad option or argument once the program maps its errors (see program.ts), so every usage error exits alike.
 */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** Nothing found (no answer, no such article or outlet), something offered was not stored, or `doctor` found something to fix. */
  nothing: 1,
  /** Usage: unknown command or option, a bad value, a missing argument, or a bad setting in .env. */
  usage: 2,
  /** The data directory cannot be used (database damaged, not writable, written by a newer newsdesk). */
  data: 3,
  /** An unexpected error: a bug, please report it with the command that was run. */
  bug: 4,
} as const;
