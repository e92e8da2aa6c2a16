import { spawn } from 'node:child_process';

export interface CliRun {
  stdout: string;
  stderr: string;
  status: number | null;
}

/**
 * Runs the real command line (`src/cli.ts` through tsx, as `npx newsdesk` does) in a child process, with
 * NEWSDESK_DATA_DIR set and LOG_LEVEL cleared unless given. Asynchronous, so several tests can wait side by side.
 */
export function runCli(args: readonly string[], options: { dataDir: string; input?: string; env?: Record<string, string> }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      // English, whatever the machine's language (the CLI follows NEWSDESK_LOCALE and LANG: test/cli/locale.test.ts).
      env: { ...process.env, NEWSDESK_DATA_DIR: options.dataDir, LOG_LEVEL: '', NEWSDESK_LOCALE: '', LC_ALL: '', LC_MESSAGES: '', LANG: 'C.UTF-8', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ stdout, stderr, status }));
    child.stdin.end(options.input ?? '');
  });
}
