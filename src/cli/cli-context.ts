import type { Logger } from '../log.js';
import type { Newsdesk, NewsdeskDeps } from '../newsdesk.js';

/** What every command of the command line gets from the program: the desk (opened on demand), output, clock. */
export interface CliContext {
  /**
   * Opens the data directory (after the configuration is read and checked); the caller closes it. The options: see
   * NewsdeskDeps (what an ingest need not load at open).
   */
  openDesk(options?: Pick<NewsdeskDeps, 'loadTokenizer' | 'decodeSegmentsWhenRead'>): Promise<Newsdesk>;
  log: Logger;
  /** Writes a line (or lines) to standard output; a newline is added. */
  out(text: string): void;
  /** Writes a line to standard error: notes and progress, never the command's own output. */
  err(text: string): void;
  now(): Date;
  /** Sets the exit status (see exit-codes.ts); the highest one set wins. */
  exit(code: number): void;
}

/** Runs `fn` on an open desk and closes it whatever happens. */
export async function withDesk<T>(ctx: CliContext, fn: (desk: Newsdesk) => T | Promise<T>, options?: Pick<NewsdeskDeps, 'loadTokenizer' | 'decodeSegmentsWhenRead'>): Promise<T> {
  const desk = await ctx.openDesk(options);
  try {
    return await fn(desk);
  } finally {
    await desk.close();
  }
}
