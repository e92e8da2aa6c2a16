import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INDEX_DIR, OWNER_FILE } from './passage-index.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The pid of another live process that owns the index (the running bot), if any. */
export function indexOwner(dataDir: string): number | undefined {
  const path = join(dataDir, INDEX_DIR, OWNER_FILE);
  if (!existsSync(path)) return undefined;
  const pid = Number(readFileSync(path, 'utf8').trim());
  return Number.isInteger(pid) && pid !== process.pid && alive(pid) ? pid : undefined;
}

/**
 * Makes this process the one that writes the index. Other processes (`npm run ingest`) then write the
 * database only, and the owner picks their passages up from it. Returns a release function.
 */
export function claimIndex(dataDir: string): () => void {
  const dir = join(dataDir, INDEX_DIR);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, OWNER_FILE);
  writeFileSync(path, String(process.pid));
  return () => {
    if (existsSync(path) && readFileSync(path, 'utf8').trim() === String(process.pid)) rmSync(path, { force: true });
  };
}
