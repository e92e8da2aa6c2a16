import { pino } from 'pino';
import pinoPretty from 'pino-pretty';

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
 * Logs on stderr only (stdout stays for the command's own output and `--json`): human-readable lines when stderr
 * is a terminal (pino-pretty), one JSON object a line otherwise (a file, a pipe, a service manager). Any field named
 * like a secret is censored, so a token passed along by mistake never reaches a log line.
 */
export function createLogger(level: LogLevel = 'info', options: { pretty?: boolean } = {}): Logger {
  const pretty = options.pretty ?? process.stderr.isTTY === true;
  return pino(
    {
      level,
      redact: {
        paths: ['token', '*.token', 'discordToken', '*.discordToken', 'DISCORD_TOKEN', '*.DISCORD_TOKEN', 'authorization', '*.authorization', '*.*.authorization'],
        censor: '[redacted]',
      },
    },
    // Synchronous, so a line written just before the process exits is not lost.
    pretty ? pinoPretty({ destination: 2, sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }) : pino.destination({ dest: 2, sync: true }),
  );
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };
