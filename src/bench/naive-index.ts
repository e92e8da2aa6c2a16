import MiniSearch, { type Options } from 'minisearch';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { tokenize } from '../text/tokenize.js';
import { attempt } from './measure.js';

/** What a first attempt looks like: one MiniSearch with default options but our tokenizer, nothing stored. */
export interface NaiveDocument {
  id: number;
  text: string;
}

export const NAIVE_OPTIONS: Options<NaiveDocument> = {
  fields: ['text'],
  storeFields: [],
  tokenize: (text) => tokenize(text),
};

export function createNaiveIndex(): MiniSearch<NaiveDocument> {
  return new MiniSearch<NaiveDocument>(NAIVE_OPTIONS);
}

/** Ids of the best hits for already tokenised terms: the very terms the newsdesk index is asked for. */
export function searchNaive(mini: MiniSearch<NaiveDocument>, terms: readonly string[]): number[] {
  if (terms.length === 0) return [];
  return mini.search(terms.join(' '), { tokenize: (query) => query.split(' ') }).map((r) => r.id as number);
}

export type NaiveSaveResult =
  | { ok: true; stringifyMs: number; writeMs: number; bytes: number }
  | { ok: false; error: string; ms: number };

/** `JSON.stringify` into one string, then one write; at large sizes V8's string length limit throws, which is a result. */
export function saveNaive(mini: MiniSearch<NaiveDocument>, path: string): NaiveSaveResult {
  const json = attempt(() => JSON.stringify(mini));
  if (!json.ok) return json;
  const written = attempt(() => writeFileSync(path, json.value));
  if (!written.ok) return { ok: false, error: written.error, ms: json.ms + written.ms };
  return { ok: true, stringifyMs: json.ms, writeMs: written.ms, bytes: statSync(path).size };
}

export function loadNaive(path: string): { mini: MiniSearch<NaiveDocument>; readMs: number; loadJsonMs: number } {
  const start = performance.now();
  const json = readFileSync(path, 'utf8');
  const readMs = performance.now() - start;
  const loadStart = performance.now();
  const mini = MiniSearch.loadJSON<NaiveDocument>(json, NAIVE_OPTIONS);
  return { mini, readMs, loadJsonMs: performance.now() - loadStart };
}
