import * as OpenCC from 'opencc-js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NewsdeskError } from '../errors.js';
import type { Logger } from '../log.js';
import { Newsdesk, SAMPLES_DIR } from '../newsdesk.js';
import { MAX_PASSAGE_CHARS } from '../search/passages.js';

export interface EvalQuestion {
  q: string;
  answers: string[];
}

/** An article of an eval set: its headline (the encyclopedia page's title for CMRC) and its text. */
export interface EvalArticle {
  title: string;
  text: string;
}

export interface RetrievalScores {
  questions: number;
  recallAt1: number;
  recallAt3: number;
  recallAt5: number;
  mrrAt10: number;
  /** Questions with no answer in the top 10. */
  misses: EvalQuestion[];
}

interface SquadFile {
  data: Array<{ title?: string; paragraphs: Array<{ id?: string; context: string; qas: Array<{ question: string; answers: Array<{ text: string }> }> }> }>;
}

/**
 * CMRC 2018 (SQuAD format) → one article per paragraph, headed by its page's title as a news article is by its
 * headline, and the questions with their answer texts.
 */
export function readCmrc(path: string, limit?: number): { articles: EvalArticle[]; questions: EvalQuestion[] } {
  const file = JSON.parse(readFileSync(path, 'utf8')) as SquadFile;
  const articles: EvalArticle[] = [];
  const questions: EvalQuestion[] = [];
  for (const doc of file.data) {
    for (const p of doc.paragraphs) {
      articles.push({ title: doc.title?.trim() || `paragraph ${articles.length + 1}`, text: p.context });
      for (const qa of p.qas) questions.push({ q: qa.question, answers: [...new Set(qa.answers.map((a) => a.text))] });
    }
  }
  return { articles, questions: limit ? questions.slice(0, limit) : questions };
}

export function readSeedQuestions(path: string): EvalQuestion[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as EvalQuestion);
}

/** Recall@k and MRR@10, where a hit is a returned passage that contains one of the answer texts. */
export async function scoreRetrieval(desk: Newsdesk, questions: readonly EvalQuestion[]): Promise<RetrievalScores> {
  let r1 = 0;
  let r3 = 0;
  let r5 = 0;
  let mrr = 0;
  const misses: EvalQuestion[] = [];
  for (const question of questions) {
    const outcome = await desk.ask(question.q, { top: 10 });
    const passages = outcome.kind === 'hits' ? outcome.passages : [];
    const rank = passages.findIndex((p) => question.answers.some((a) => p.text.includes(a)));
    if (rank === 0) r1++;
    if (rank >= 0 && rank < 3) r3++;
    if (rank >= 0 && rank < 5) r5++;
    if (rank >= 0) mrr += 1 / (rank + 1);
    else misses.push(question);
  }
  const n = Math.max(1, questions.length);
  return { questions: questions.length, recallAt1: r1 / n, recallAt3: r3 / n, recallAt5: r5 / n, mrrAt10: mrr / n, misses };
}

/** Indexes each article into a fresh temporary data directory. */
export async function deskWithArticles(articles: readonly EvalArticle[], log: Logger): Promise<{ desk: Newsdesk; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'newsdesk-eval-'));
  const file = join(dir, 'articles.jsonl');
  writeFileSync(file, articles.map((a, i) => JSON.stringify({ id: i, title: a.title, text: a.text, source: 'cmrc2018', publishedAt: '2018-01-01' })).join('\n'));
  const desk = await Newsdesk.open({ dataDir: join(dir, 'data'), log });
  await desk.ingest([file]);
  return { desk, cleanup: async () => { await desk.close(); rmSync(dir, { recursive: true, force: true }); } };
}

export async function deskWithSamples(log: Logger): Promise<{ desk: Newsdesk; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'newsdesk-eval-'));
  const desk = await Newsdesk.open({ dataDir: dir, log });
  await desk.ingest([SAMPLES_DIR]);
  return { desk, cleanup: async () => { await desk.close(); rmSync(dir, { recursive: true, force: true }); } };
}

const pct = (x: number) => x.toFixed(3);
// Simplified → traditional (Hong Kong standard, with its phrase table) for the traditional-script run.
const toTraditional = OpenCC.Converter({ from: 'cn', to: 'hk' });

export async function runEval(options: { evalDir: string; limit?: number; log: Logger }): Promise<void> {
  const evalDir = resolve(options.evalDir);
  const cmrcPath = join(evalDir, 'cmrc2018-trial.json');
  const seedPath = join(evalDir, 'seed-questions.jsonl');
  if (!existsSync(cmrcPath) || !existsSync(seedPath)) {
    throw new NewsdeskError('NOT_FOUND', `The question sets are not in ${evalDir}: pass --eval-dir <dir holding cmrc2018-trial.json and seed-questions.jsonl>.`);
  }
  const { articles, questions } = readCmrc(cmrcPath, options.limit);
  const started = Date.now();
  const cmrc = await deskWithArticles(articles, options.log);
  const cmrcScores = await scoreRetrieval(cmrc.desk, questions);
  // The same questions as a Hong Kong or Taiwan reader would type them: traditional script must rank as well.
  const traditionalScores = await scoreRetrieval(cmrc.desk, questions.map((q) => ({ ...q, q: toTraditional(q.q) })));
  await cmrc.cleanup();
  const seeds = await deskWithSamples(options.log);
  const seedScores = await scoreRetrieval(seeds.desk, readSeedQuestions(seedPath));
  await seeds.cleanup();

  const rows = [
    ['set', 'questions', 'Recall@1', 'Recall@3', 'Recall@5', 'MRR@10'],
    ['CMRC 2018 trial', String(cmrcScores.questions), pct(cmrcScores.recallAt1), pct(cmrcScores.recallAt3), pct(cmrcScores.recallAt5), pct(cmrcScores.mrrAt10)],
    ['CMRC 2018 trial, questions in traditional script', String(traditionalScores.questions), pct(traditionalScores.recallAt1), pct(traditionalScores.recallAt3), pct(traditionalScores.recallAt5), pct(traditionalScores.mrrAt10)],
    ['seed questions', String(seedScores.questions), pct(seedScores.recallAt1), pct(seedScores.recallAt3), pct(seedScores.recallAt5), pct(seedScores.mrrAt10)],
  ];
  const table = rows.map((r) => `| ${r.join(' | ')} |`);
  table.splice(1, 0, `|${rows[0]!.map(() => '---').join('|')}|`);
  process.stdout.write(`Passages of at most ${MAX_PASSAGE_CHARS} characters; ${((Date.now() - started) / 1000).toFixed(1)} s.\n\n${table.join('\n')}\n`);
  if (seedScores.misses.length > 0) {
    process.stdout.write(`\nSeed questions not answered in the top 10:\n${seedScores.misses.map((m) => `  - ${m.q}`).join('\n')}\n`);
  }
}
