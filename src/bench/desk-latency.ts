/**
 * Query latency of a saved newsdesk data directory, in its own process (`npm run bench -- --processes`):
 *   desk-latency <data dir> <questions .json (a string array)>   → JSON latency summary (ms) on stdout
 * Each question goes through `ask` (the full path: search, rerank, passages from the store), after 20 uncounted.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { silentLogger } from '../log.js';
import { Newsdesk } from '../newsdesk.js';
import { summarizeLatencies } from './measure.js';

const [dataDir, questionsFile] = process.argv.slice(2);
if (!dataDir || !questionsFile) {
  process.stderr.write('usage: desk-latency <data dir> <questions.json>\n');
  process.exit(2);
}
const questions = JSON.parse(readFileSync(questionsFile, 'utf8')) as string[];
const desk = await Newsdesk.open({ dataDir, log: silentLogger });
for (const q of questions.slice(0, 20)) await desk.ask(q, { top: 3 });
const latencies: number[] = [];
for (const q of questions) {
  const start = performance.now();
  await desk.ask(q, { top: 3 });
  latencies.push(performance.now() - start);
}
await desk.close();
process.stdout.write(`${JSON.stringify(summarizeLatencies(latencies))}\n`);
