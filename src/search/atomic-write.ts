import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';

/**
 * Writes a file so that readers see either the old or the new content, never half of one:
 * write to a temporary file beside it, flush it to disk, then rename over the target.
 */
export function writeFileAtomic(path: string, chunks: Iterable<string | Uint8Array>): void {
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    for (const chunk of chunks) {
      if (typeof chunk === 'string') writeSync(fd, chunk);
      else writeSync(fd, chunk);
    }
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temp, path);
}

/**
 * {@link writeFileAtomic} with the writing and the flush done on libuv's thread pool, so that the thread calling
 * it only hands the buffers over: the running bot's index saves (tens of MB, and an fsync that can take a second
 * on a busy disk) must not stop its main thread. Same guarantee: readers see the old file or the new one. The
 * temporary file is removed when a step fails, and the error (the file system's) is thrown.
 */
export async function writeFileAtomicAsync(path: string, chunks: readonly Uint8Array[]): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  const file = await open(temp, 'w');
  try {
    for (const chunk of chunks) {
      // A write may take fewer bytes than it was given: go on from there.
      for (let at = 0; at < chunk.byteLength; ) at += (await file.write(chunk, at)).bytesWritten;
    }
    await file.sync();
  } catch (error) {
    await file.close().catch(() => {});
    await rm(temp, { force: true });
    throw error;
  }
  await file.close();
  await rename(temp, path);
}
