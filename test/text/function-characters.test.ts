import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findJiebaDictionary } from '../../src/bench/jieba-dictionary.js';
import { FUNCTION_CHARACTERS, FUNCTION_CHARACTER_MIN_FREQUENCY, FUNCTION_WORD_TAGS } from '../../src/text/function-characters.js';

describe('function characters', () => {
  it('are exactly the single-character function words of the jieba dictionary nodejieba ships', () => {
    const derived = new Set<string>();
    for (const line of readFileSync(findJiebaDictionary(), 'utf8').split('\n')) {
      const [word, frequency, tag] = line.trim().split(' ');
      if (!word || [...word].length !== 1 || !/\p{Script=Han}/u.test(word)) continue;
      if (Number(frequency) >= FUNCTION_CHARACTER_MIN_FREQUENCY || FUNCTION_WORD_TAGS.has(tag ?? '')) derived.add(word);
    }
    expect([...FUNCTION_CHARACTERS].sort()).toEqual([...derived].sort());
  });

  it('hold the grammatical words and not the characters names are made of', () => {
    for (const c of '了是在和他你才又也就却很一') expect(FUNCTION_CHARACTERS.has(c)).toBe(true);
    for (const c of '白岳峰吴晓华赫伯罗') expect(FUNCTION_CHARACTERS.has(c)).toBe(false);
  });
});
