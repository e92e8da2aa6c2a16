// Each Chinese character of jieba's dictionary (nodejieba's copy) weighted by the summed frequencies of the words it
// occurs in: how common the generated tables (make-common-hanzi.mjs, make-rare-variants.mjs) take a character to be.
import { readFileSync } from 'node:fs';

/** Character → summed word frequency, from node_modules/nodejieba's jieba.dict.utf8 (run from the project root). */
export function jiebaCharWeights() {
  const dict = readFileSync('node_modules/nodejieba/submodules/cppjieba/dict/jieba.dict.utf8', 'utf8');
  const weight = new Map();
  for (const line of dict.split('\n')) {
    const [word, freq] = line.split(' ');
    if (!word || !freq) continue;
    for (const ch of word) if (/\p{Script=Han}/u.test(ch)) weight.set(ch, (weight.get(ch) ?? 0) + Number(freq));
  }
  return weight;
}
