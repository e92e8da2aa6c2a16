import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { processAlive, writerOf } from '../search/leftover-files.js';
import { NewsdeskError, describeError } from '../errors.js';
import { MIGRATIONS } from './schema.js';
import { DATABASE_FILE, isSqliteError, type Store } from './store.js';

export interface BackupResult {
  path: string;
  bytes: number;
  articles: number;
}

const SIDE_FILES = ['-wal', '-shm', '-journal'];

function removeWithSideFiles(path: string): void {
  for (const suffix of ['', ...SIDE_FILES]) rmSync(path + suffix, { force: true });
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Checks that a file is a whole newsdesk database this version can use, and turns it into a single self-contained
 * file (rollback journal, no `-wal` beside it). Returns its article count; throws STORE_FAILED saying what is wrong.
 */
function verifyCopy(path: string, what: string): number {
  let db;
  try {
    db = new Database(path, { fileMustExist: true });
  } catch (error) {
    throw new NewsdeskError('STORE_FAILED', `${what} cannot be opened as a database (${describeError(error)}).`, { cause: error });
  }
  try {
    const check = (db.pragma('quick_check(5)') as Record<string, unknown>[]).map((row) => String(Object.values(row)[0]));
    if (check.length !== 1 || check[0] !== 'ok') throw new Error(`damaged: ${check.join('; ')}`);
    const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
    if (!tables.has('articles') || !tables.has('passages')) throw new Error('it holds no newsdesk articles table');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) throw new Error(`it was written by a newer newsdesk (schema ${version}, this one knows ${MIGRATIONS.length}); update newsdesk first`);
    db.pragma('journal_mode = DELETE');
    return db.prepare('SELECT count(*) FROM articles').pluck().get() as number;
  } catch (error) {
    throw new NewsdeskError('STORE_FAILED', `${what} is not a usable newsdesk database: ${isSqliteError(error) ? `damaged (${describeError(error)})` : describeError(error)}.`, { cause: error });
  } finally {
    db.close();
  }
}

/**
 * Writes a consistent copy of the database to `target` while others keep reading and writing it: SQLite's online
 * backup (better-sqlite3's `backup`) copies every page in one step, inside one read transaction, so the copy is the
 * database as of one commit. The copy is checked (`quick_check`), made a single file, flushed to disk and only then
 * renamed to `target`: an interrupted backup never leaves a half-written file under that name.
 *
 * @throws NewsdeskError STORE_FAILED when the target is the database itself, its directory is missing, or the
 *   copy fails its check.
 */
export async function backupDatabase(store: Store, target: string): Promise<BackupResult> {
  const path = resolve(target);
  if (path === resolve(store.path)) throw new NewsdeskError('STORE_FAILED', `${path} is the database itself: name a file elsewhere, e.g. backups/newsdesk-2025-02-15.db`);
  if (!existsSync(dirname(path))) throw new NewsdeskError('STORE_FAILED', `The directory ${dirname(path)} does not exist: create it first.`);
  const temp = `${path}.${process.pid}.tmp`;
  // What an earlier backup to this name left when it was killed mid-copy (its process is gone).
  for (const f of readdirSync(dirname(path))) {
    const pid = f.startsWith(`${basename(path)}.`) ? writerOf(f.replace(/-(wal|shm|journal)$/, '')) : undefined;
    if (pid !== undefined && !processAlive(pid)) rmSync(join(dirname(path), f), { force: true });
  }
  removeWithSideFiles(temp);
  try {
    // One step for all pages: a step-wise copy restarts whenever another process writes, and might never finish.
    await store.db.backup(temp, { progress: () => 0x7fffffff });
    const articles = verifyCopy(temp, 'The backup just written');
    fsyncFile(temp);
    renameSync(temp, path);
    return { path, bytes: statSync(path).size, articles };
  } catch (error) {
    removeWithSideFiles(temp);
    if (error instanceof NewsdeskError) throw error;
    throw new NewsdeskError('STORE_FAILED', `The backup to ${path} failed: ${describeError(error)}. Check free space and permissions; the database itself is untouched.`, { cause: error });
  }
}

export interface RestoreResult {
  articles: number;
  /** Where the database that was replaced now is (with its -wal and -shm files), if there was one. */
  replacedBy: string | undefined;
}

/**
 * Puts a backup back as the database of `dataDir`: the backup is copied beside the database, checked, and renamed
 * into place; the database it replaces is not deleted but renamed to `newsdesk.db.replaced-<time>` (with its
 * `-wal` and `-shm`). The caller rebuilds the index (it describes the database it was built from, not this one).
 * The bot must not be running: it holds the database open.
 *
 * @throws NewsdeskError STORE_FAILED when the backup is missing, damaged, not a newsdesk database or from a newer
 *   version; nothing in `dataDir` has changed then.
 */
export function restoreDatabase(dataDir: string, backup: string, now: Date): RestoreResult {
  const source = resolve(backup);
  if (!existsSync(source)) throw new NewsdeskError('STORE_FAILED', `${source} does not exist: name a backup written by \`newsdesk backup <file>\`.`);
  const current = join(dataDir, DATABASE_FILE);
  const temp = `${current}.restore-${process.pid}.tmp`;
  removeWithSideFiles(temp);
  let articles: number;
  try {
    copyFileSync(source, temp);
    articles = verifyCopy(temp, `The backup ${source}`);
    fsyncFile(temp);
  } catch (error) {
    removeWithSideFiles(temp);
    throw error;
  }
  let replacedBy: string | undefined;
  if (existsSync(current)) {
    replacedBy = `${current}.replaced-${now.toISOString().replace(/[:.]/g, '-')}`;
    // Its -wal belongs to it: left beside the restored file, SQLite would apply it to the wrong database.
    for (const suffix of ['', ...SIDE_FILES]) if (existsSync(current + suffix)) renameSync(current + suffix, replacedBy + suffix);
  }
  renameSync(temp, current);
  return { articles, replacedBy };
}
