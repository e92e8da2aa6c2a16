import nodejieba from 'nodejieba';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { NewsdeskError } from '../errors.js';

/** The words jieba knows, with the corpus frequency its dictionary gives each. */
export interface JiebaDictionary {
  path: string;
  words: string[];
  /** frequencies[i] is the frequency of words[i]. */
  frequencies: Float64Array;
  /** word → frequency; a word that is not in the dictionary is rarer than any that is. */
  frequencyOf: Map<string, number>;
}

/** Where nodejieba keeps its main dictionary (it says so itself at run time; older layouts are tried after). */
export function findJiebaDictionary(): string {
  const declared = (nodejieba as unknown as { DEFAULT_DICT?: unknown }).DEFAULT_DICT;
  const candidates: string[] = typeof declared === 'string' ? [declared] : [];
  try {
    const packageDir = dirname(createRequire(import.meta.url).resolve('nodejieba'));
    candidates.push(join(packageDir, 'submodules/cppjieba/dict/jieba.dict.utf8'), join(packageDir, 'dict/jieba.dict.utf8'));
  } catch {
    // Resolution failed: only the declared path is left to try.
  }
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new NewsdeskError('NOT_FOUND', `jieba.dict.utf8 not found (tried ${candidates.join(', ') || 'nothing'}): is nodejieba installed?`);
  }
  return found;
}

/** Reads `word freq tag` lines; words are kept as written (the index lower-cases them itself). */
export function loadJiebaDictionary(path = findJiebaDictionary()): JiebaDictionary {
  const words: string[] = [];
  const counts: number[] = [];
  const frequencyOf = new Map<string, number>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [word, freq] = line.trim().split(/\s+/);
    const count = Number(freq);
    if (!word || !(count > 0)) continue;
    words.push(word);
    counts.push(count);
    const lower = word.toLowerCase();
    frequencyOf.set(lower, (frequencyOf.get(lower) ?? 0) + count);
  }
  return { path, words, frequencies: Float64Array.from(counts), frequencyOf };
}
