/**
 * Fills a data directory with the bench's synthetic corpus (`npm run bench`'s generator) and a saved index, for
 * measuring the bot's start-up and memory at a realistic size (run-shard-bench.ts). Usage:
 *   npx tsx test/e2e/shard-bench/make-bench-data-dir.ts <dir> <paragraphs>
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { storeBulkCorpus } from '../../../src/bench/bench-corpus.js';
import { loadJiebaDictionary } from '../../../src/bench/jieba-dictionary.js';
import { benchStore } from '../../../src/bench/measure-newsdesk.js';
import { silentLogger } from '../../../src/log.js';
import { Newsdesk } from '../../../src/newsdesk.js';

const [dirArg, paragraphsArg] = process.argv.slice(2);
if (!dirArg || !paragraphsArg) {
  process.stderr.write('usage: make-bench-data-dir.ts <dir> <paragraphs>\n');
  process.exit(2);
}
const dataDir = resolve(dirArg);
if (existsSync(join(dataDir, 'newsdesk.db'))) {
  process.stderr.write(`${dataDir} already holds a database; choose an empty directory\n`);
  process.exit(2);
}
mkdirSync(dataDir, { recursive: true });
const started = performance.now();
const say = (message: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${message}\n`);
const empty = await Newsdesk.open({ dataDir, log: silentLogger, loadTokenizer: false });
storeBulkCorpus({ dictionary: loadJiebaDictionary(), paragraphs: Number(paragraphsArg), questions: 10, seed: 1, cmrcPath: resolve('../shared/eval/cmrc2018-trial.json') }, benchStore(empty), say);
await empty.close();
say('building the index from the database');
const desk = await Newsdesk.open({ dataDir, log: silentLogger });
desk.saveIndex();
say(`done: ${desk.index.documentCount} passages indexed and saved in ${dataDir}`);
await desk.close();
