import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { FramedFile } from './postings-file.js';
import { decodeSegment, type SegmentContent } from './segment-codec.js';
import { holdsFrozenFrames, readFramedFrozenHead } from './segment-frames.js';

/**
 * A saved segment file, opened for loading. A full (frozen) segment in the framed format is not read into memory:
 * its term list and document tables are, and each term's postings are read from the file when a question looks the
 * term up (`postingsFileOf`). Postings are most of a segment (about 0.4 KB of its 0.5 KB a passage), and a question
 * reads a few hundred KB of them at most, from the page cache once the file has been read, so the running bot holds
 * about a fifth of the memory for the index it held with whole files in memory, with no question slower
 * (`npm run bench -- --processes`). Older formats, and the newest segment (which still takes adds), are decoded
 * whole as before.
 *
 * The file stays open until {@link PostingsFile.close} (`PassageIndex.close`) or until the segment is garbage, so a
 * save that replaces or removes it (this process's or another's) never pulls it from under a question: POSIX keeps
 * the bytes of an open file.
 */
export interface SegmentFile {
  /** CRC-32 of the file's bytes (compared with the manifest's before anything is decoded). */
  crc32: number;
  /** Decodes the segment; throws an Error naming what is wrong when the file is damaged. */
  decode(): SegmentContent;
}

/** Bytes read at a time while computing a frozen segment's checksum: never the whole file at once. */
const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Opens `path` and computes its CRC-32. A framed frozen segment is read in chunks, keeping nothing of it; any other
 * segment file (the newest segment, older formats) is read whole once and decoded from those bytes. Throws the file
 * system's error when the file cannot be read.
 */
export function openSegmentFile(path: string): SegmentFile {
  const probe = FramedFile.open(path);
  let frozen: boolean;
  try {
    frozen = holdsFrozenFrames(probe);
  } finally {
    probe.close();
  }
  if (!frozen) {
    const bytes = readFileSync(path);
    return { crc32: crc32(bytes), decode: () => decodeSegment(bytes) };
  }
  return {
    crc32: chunkedCrc32(path),
    decode: () => {
      const file = FramedFile.open(path);
      try {
        const data = readFramedFrozenHead(file);
        if (data) return { kind: 'frozen', data };
      } catch (error) {
        file.close();
        throw error;
      }
      // Replaced by another kind since the checksum was taken: decoded whole like one.
      file.close();
      return decodeSegment(readFileSync(path));
    },
  };
}

function chunkedCrc32(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(size, 1)));
    let crc = 0;
    for (let at = 0; at < size; ) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.byteLength, size - at), at);
      if (n === 0) throw new Error(`${path} is shorter than it was a moment ago`);
      crc = crc32(chunk.subarray(0, n), crc);
      at += n;
    }
    return crc;
  } finally {
    closeSync(fd);
  }
}
