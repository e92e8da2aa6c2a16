import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { thawSegment } from '../search/frozen-segment.js';
import { decodeSegment, encodeSegment, type SegmentContent } from '../search/segment-codec.js';
import { DATABASE_FILE } from '../store/store.js';
import { memory } from './measure.js';

/** The naive setup's file, kept in the same temporary directory but not part of the newsdesk index. */
export const NAIVE_INDEX_FILE = 'naive-index.json';

/**
 * Every file of the saved newsdesk index, whatever its layout (one index.json, or a directory of segments
 * and a manifest): all files of the data directory but the database and the naive setup's file.
 */
export function indexFiles(dataDir: string): string[] {
  const skip = (name: string) => name.startsWith(DATABASE_FILE) || name === NAIVE_INDEX_FILE || name.endsWith('.tmp');
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return walk(path);
      return entry.isFile() && !skip(entry.name) ? [path] : [];
    });
  return walk(dataDir).sort();
}

export const totalBytes = (files: readonly string[]): number => files.reduce((sum, f) => sum + statSync(f).size, 0);

/**
 * Where load and save time goes, by repeating, file by file, the steps of a load (read, decode the V8-serialized
 * segment, then for a frozen one its term dictionary) and of a save (encode it again) on the saved index. Each intermediate is dropped
 * as soon as the next step has it, as in a real load, so the collector's work is comparable.
 */
export function loadAndSaveBreakdown(files: readonly string[], gc: (() => void) | undefined): { load: Record<string, number>; save: Record<string, number> } {
  const load = { 'read files': 0, 'decode segments (v8.deserialize)': 0, 'term dictionaries of frozen segments': 0 };
  const save = { 'encode segments (v8.serialize)': 0 };
  for (const file of files.filter((f) => f.endsWith('.bin'))) {
    let start = performance.now();
    let raw: Buffer | undefined = readFileSync(file);
    load['read files'] += performance.now() - start;
    start = performance.now();
    let loaded: SegmentContent | undefined = decodeSegment(raw);
    load['decode segments (v8.deserialize)'] += performance.now() - start;
    raw = undefined;
    if (loaded.kind === 'frozen') {
      start = performance.now();
      thawSegment(loaded.data);
      load['term dictionaries of frozen segments'] += performance.now() - start;
    }
    start = performance.now();
    encodeSegment(loaded);
    save['encode segments (v8.serialize)'] += performance.now() - start;
    loaded = undefined;
    memory(gc);
  }
  return { load, save };
}
