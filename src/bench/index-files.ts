import MiniSearch from 'minisearch';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MINISEARCH_OPTIONS } from '../search/minisearch-options.js';
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

type PlainIndex = Parameters<typeof MiniSearch.loadJS>[0];

const isPlainIndex = (value: unknown): value is PlainIndex =>
  typeof value === 'object' && value !== null && 'index' in value && 'documentIds' in value && 'serializationVersion' in value;

/** A MiniSearch object in a saved file: the whole file, or what follows a first line of metadata. */
function parseIndexFile(raw: string): PlainIndex | undefined {
  for (const body of [raw, raw.slice(raw.indexOf('\n') + 1)]) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (isPlainIndex(parsed)) return parsed;
    } catch {
      // Not this shape: try the next.
    }
  }
  return undefined;
}

/**
 * Where load and save time goes, by repeating, file by file, the steps of a load (read, JSON.parse,
 * MiniSearch.loadJS) and of a save (toJSON, JSON.stringify) on the saved index. Each intermediate is dropped
 * as soon as the next step has it, as in a real load, so the collector's work is comparable.
 */
export function loadAndSaveBreakdown(files: readonly string[], gc: (() => void) | undefined): { load: Record<string, number>; save: Record<string, number> } {
  const load = { 'read files': 0, 'JSON.parse': 0, 'MiniSearch.loadJS': 0 };
  const save = { 'MiniSearch.toJSON': 0, 'JSON.stringify': 0 };
  for (const file of files) {
    let start = performance.now();
    let raw: string | undefined = readFileSync(file, 'utf8');
    load['read files'] += performance.now() - start;
    start = performance.now();
    let parsed = parseIndexFile(raw);
    load['JSON.parse'] += performance.now() - start;
    raw = undefined;
    if (!parsed) continue;
    start = performance.now();
    let loaded: MiniSearch | undefined = MiniSearch.loadJS(parsed, MINISEARCH_OPTIONS);
    load['MiniSearch.loadJS'] += performance.now() - start;
    parsed = undefined;
    start = performance.now();
    let plain: object | undefined = loaded.toJSON();
    save['MiniSearch.toJSON'] += performance.now() - start;
    loaded = undefined;
    start = performance.now();
    JSON.stringify(plain);
    save['JSON.stringify'] += performance.now() - start;
    plain = undefined;
    memory(gc);
  }
  return { load, save };
}
