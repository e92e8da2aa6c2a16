import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { FrozenSegmentData } from './frozen-segment.js';

/** Closes a segment file's descriptor once nothing refers to its segment any more (when nobody closed it first). */
const closeWhenGarbage = new FinalizationRegistry<FramedFile>((file) => file.close());

/** An open framed segment file, read by position. */
export class FramedFile {
  private fd: number | undefined;
  readonly size: number;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
    this.size = fstatSync(fd).size;
  }

  static open(path: string): FramedFile {
    return new FramedFile(path, openSync(path, 'r'));
  }

  /** `length` bytes at byte `position` into `into` (at its start); throws when the file is closed or cut short. */
  read(position: number, length: number, into: Uint8Array = Buffer.allocUnsafe(length)): Uint8Array {
    if (this.fd === undefined) throw new Error(`index segment ${this.path} was closed`);
    for (let at = 0; at < length; ) {
      const n = readSync(this.fd, into, at, length - at, position + at);
      if (n === 0) throw new Error(`index segment ${this.path} is cut short`);
      at += n;
    }
    return into;
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch {
      // Already closed with its process's other files: nothing left to free.
    }
  }
}

/** Where a frozen segment's postings sit in its file, and how to read one term's. */
export class PostingsFile {
  constructor(
    private readonly file: FramedFile,
    /** Byte offset of the `docs` array (Uint32, little-endian) in the file. */
    private readonly docsAt: number,
    /** Byte offset of the `freqs` array (Uint16). */
    private readonly freqsAt: number,
    /** Postings in the segment. */
    readonly length: number,
    /** Whether a document id names a document of the segment's tables. */
    private readonly documents: (doc: number) => boolean,
  ) {}

  /** Ties the file's descriptor to `owner`: closed when `owner` is garbage. */
  closeWith(owner: object): void {
    closeWhenGarbage.register(owner, this.file, this);
  }

  /**
   * Postings `start` up to `end` (indices into the segment's postings, as `offsets` gives them). Throws when the
   * file was changed since it was checked at load (a posting names no document): never a wrong answer.
   */
  read(start: number, end: number): { docs: Uint32Array; freqs: Uint16Array } {
    const n = end - start;
    const docs = new Uint32Array(n);
    const freqs = new Uint16Array(n);
    this.file.read(this.docsAt + start * 4, n * 4, new Uint8Array(docs.buffer));
    this.file.read(this.freqsAt + start * 2, n * 2, new Uint8Array(freqs.buffer));
    // A term's documents are in ascending order, so the last is the largest: one look instead of one per posting
    // (a document MiniSearch discarded is skipped at scoring time anyway).
    if (n > 0 && !this.documents(docs[n - 1]!)) throw new Error(`index segment ${this.file.path} changed on disk since it was loaded: restart newsdesk to rebuild it`);
    return { docs, freqs };
  }

  /** Every document id, or every frequency, at once: for a save or a comparison, never for a question. */
  readWhole(array: 'docs'): Uint32Array;
  readWhole(array: 'freqs'): Uint16Array;
  readWhole(array: 'docs' | 'freqs'): Uint32Array | Uint16Array {
    const whole = array === 'docs' ? new Uint32Array(this.length) : new Uint16Array(this.length);
    this.file.read(array === 'docs' ? this.docsAt : this.freqsAt, whole.byteLength, new Uint8Array(whole.buffer));
    return whole;
  }

  close(): void {
    closeWhenGarbage.unregister(this);
    this.file.close();
  }
}

const POSTINGS_FILE = Symbol('postings file');

/** The file a frozen segment's postings are read from per term, or undefined when they are in memory. */
export function postingsFileOf(data: FrozenSegmentData): PostingsFile | undefined {
  return (data as { [POSTINGS_FILE]?: PostingsFile })[POSTINGS_FILE];
}

/**
 * `data` (everything but the postings) made whole by `file`: its `docs` and `freqs` read the file when asked for
 * (a save or a test's comparison), while questions read one term's postings at a time (`postingsFileOf`).
 */
export function withPostingsFile(data: Omit<FrozenSegmentData, 'docs' | 'freqs'>, file: PostingsFile): FrozenSegmentData {
  const whole = data as FrozenSegmentData;
  Object.defineProperty(whole, POSTINGS_FILE, { value: file, enumerable: false });
  Object.defineProperty(whole, 'docs', { get: () => file.readWhole('docs'), enumerable: true, configurable: true });
  Object.defineProperty(whole, 'freqs', { get: () => file.readWhole('freqs'), enumerable: true, configurable: true });
  file.closeWith(whole);
  return whole;
}
