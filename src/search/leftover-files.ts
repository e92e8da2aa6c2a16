import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Whether a process with this id is running (EPERM: it runs, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The writer's process id a file name carries: `<name>.<pid>.tmp` (an atomic write's temp file) or
 * `seg-NNNN-p<pid>-….bin` (a segment written by that process's save).
 */
export function writerOf(file: string): number | undefined {
  const m = /\.(\d+)\.tmp$/.exec(file) ?? /^seg-\d+-p(\d+)-/.exec(file);
  return m ? Number(m[1]) : undefined;
}

/**
 * Removes what an interrupted save left in `dir`: temp files, and segment files no manifest names, written by a
 * process that no longer runs. A live writer's files are left alone: it may be saving right now (two ingests at
 * once). Returns the names removed.
 */
export function removeLeftovers(dir: string, keep: ReadonlySet<string>): string[] {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const f of files) {
    if (keep.has(f)) continue;
    const pid = writerOf(f);
    if (pid === undefined || (pid !== process.pid && processAlive(pid))) continue;
    rmSync(join(dir, f), { force: true });
    removed.push(f);
  }
  return removed;
}
