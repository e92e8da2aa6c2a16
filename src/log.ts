import { pino } from 'pino';

/** The slice of a logger the core needs; pino satisfies it, and tests can pass a recorder. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Structured JSON logs on stderr (stdout stays clean for `--json` output). Any field named like a
 * secret is censored, so a token passed along by mistake never reaches a log line.
 */
export function createLogger(level: LogLevel = 'info'): Logger {
  return pino(
    {
      level,
      redact: {
        paths: ['token', '*.token', 'discordToken', '*.discordToken', 'DISCORD_TOKEN', '*.DISCORD_TOKEN', 'authorization', '*.authorization', '*.*.authorization'],
        censor: '[redacted]',
      },
    },
    pino.destination(2),
  );
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };
