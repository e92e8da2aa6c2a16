import { spawn } from 'node:child_process';

/**
 * Runs the real command line (`node --import tsx src/cli.ts …`) as a child process on a data dir, without blocking
 * the test worker while it runs (spawnSync would, for seconds on a busy machine).
 */
export function runCli(args: string[], dataDir: string): Promise<{ stdout: string; stderr: string; status: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      env: { ...process.env, NEWSDESK_DATA_DIR: dataDir, LOG_LEVEL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (status) => resolve({ stdout, stderr, status }));
  });
}
