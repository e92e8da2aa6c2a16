import { spawn } from 'node:child_process';

export interface NodeRun {
  stdout: string;
  stderr: string;
  status: number | null;
}

/**
 * Runs `node <args>` to the end without blocking this process's event loop (spawnSync did: on a busy machine a child
 * taking over a minute starved the test worker's link to vitest, which then reported a timeout of its own).
 */
export function runNode(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { ...(options.cwd ? { cwd: options.cwd } : {}), env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ stdout, stderr, status }));
    child.stdin.end(options.input ?? '');
  });
}
