import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** A fresh temporary directory, removed after the test. */
export function useTempDir(): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsdesk-test-'));
    dirs.push(dir);
    return dir;
  };
}

export interface RecordedLog {
  level: string;
  msg: string | undefined;
  obj: object;
}

/** A logger that remembers what was said, for tests that check what an admin is told. */
export function recordingLogger() {
  const lines: RecordedLog[] = [];
  const at = (level: string) => (obj: object, msg?: string) => lines.push({ level, msg, obj });
  return { lines, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
}
