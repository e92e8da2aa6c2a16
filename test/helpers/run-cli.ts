import { runNode, type NodeRun } from './run-node.js';

export type CliRun = NodeRun;

/**
 * Runs the real command line (`src/cli.ts` through tsx, as `npx newsdesk` does) in a child process, with
 * NEWSDESK_DATA_DIR set and LOG_LEVEL cleared unless given. Asynchronous, so several tests can wait side by side.
 */
export function runCli(args: readonly string[], options: { dataDir: string; input?: string; env?: Record<string, string> }): Promise<CliRun> {
  return runNode(['--import', 'tsx', 'src/cli.ts', ...args], {
    ...(options.input !== undefined ? { input: options.input } : {}),
    // English, whatever the machine's language (the CLI follows NEWSDESK_LOCALE and LANG: test/cli/locale.test.ts).
    env: { ...process.env, NEWSDESK_DATA_DIR: options.dataDir, LOG_LEVEL: '', NEWSDESK_LOCALE: '', LC_ALL: '', LC_MESSAGES: '', LANG: 'C.UTF-8', ...options.env },
  });
}
