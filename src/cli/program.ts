import { Command, InvalidArgumentError, Option } from 'commander';
import cliProgress from 'cli-progress';
import { createInterface } from 'node:readline';
import { loadCoreConfig } from '../config.js';
import { NewsdeskError, describeError, isNewsdeskError } from '../errors.js';
import { createLogger, type Logger } from '../log.js';
import { Newsdesk, SAMPLES_DIR } from '../newsdesk.js';
import { ANSI_BOLD, PLAIN_MARKS, answerJson, renderAnswer } from './render-answer.js';
import { renderIngestSummary } from './ingest-report.js';
import { runEval } from '../eval/run-eval.js';
import { buildDigest, DEFAULT_MAX_ITEMS } from '../digest/build-digest.js';
import { parseKeywords } from '../digest/keywords.js';
import { renderDigestText } from './render-digest.js';
import { addFeedsCommand } from './feeds-command.js';
import { translator, type Locale } from '../i18n/i18n.js';

function isoDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidArgumentError('expected a date as YYYY-MM-DD, e.g. 2025-02-14.');
  }
  return value;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new InvalidArgumentError('expected a whole number from 1 to 100.');
  return n;
}

function openDesk(log: Logger): Newsdesk {
  const config = loadCoreConfig();
  return Newsdesk.open({ dataDir: config.dataDir, log });
}

/** A newcomer's first question should be answered, not met with an empty index: index the samples once. */
function ensureSomeNews(desk: Newsdesk): void {
  if (desk.store.articleCount() > 0) return;
  process.stderr.write(`The index is empty: indexing the bundled sample news in ${SAMPLES_DIR} first.\n`);
  const summary = desk.ingest([SAMPLES_DIR]);
  process.stderr.write(renderIngestSummary(summary) + '\n\n');
}

/** A progress bar on a terminal, shown only for work big enough to wait for (`min` items or more). */
function progressBar(label: string, unit: string, min: number): { onProgress: (done: number, total: number) => void; stop: () => void } | undefined {
  if (!process.stderr.isTTY) return undefined;
  const bar = new cliProgress.SingleBar({ format: `${label} [{bar}] {value}/{total} ${unit}`, stream: process.stderr }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    onProgress(done, total) {
      if (total < min) return;
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}

/** `locale`: the language of the messages that come from the shared catalogue (ask's hints, feed lines). */
export function buildProgram(log: Logger, locale: Locale = 'en'): Command {
  const program = new Command('newsdesk')
    .description('Answers questions about the news from a local full-text index (the core of the newsdesk Discord bot).')
    .showHelpAfterError();

  program
    .command('ask')
    .description('print the passages that best answer a question, with their sources')
    .argument('[question...]', 'the question (quote it, or use --jsonl to read questions from standard input)')
    .addOption(new Option('--top <n>', 'how many passages').argParser(positiveInt).default(3))
    .addOption(new Option('--offset <n>', 'skip the first n articles (paging)').argParser(Number).default(0))
    .option('--json', 'print the answer as JSON')
    .option('--jsonl', 'read one question per line from standard input, print one JSON line per question')
    .option('--source <outlet>', 'only passages from this outlet')
    .addOption(new Option('--since <date>', 'only articles published on or after this day').argParser(isoDate))
    .addOption(new Option('--until <date>', 'only articles published on or before this day').argParser(isoDate))
    .action(async (words: string[], opts: { top: number; offset: number; json?: boolean; jsonl?: boolean; source?: string; since?: string; until?: string }) => {
      const desk = openDesk(log);
      try {
        ensureSomeNews(desk);
        const filters = { top: opts.top, offset: opts.offset, locale, ...(opts.source ? { source: opts.source } : {}), ...(opts.since ? { since: opts.since } : {}), ...(opts.until ? { until: opts.until } : {}) };
        if (opts.jsonl) {
          for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
            if (line.trim() === '') continue;
            process.stdout.write(JSON.stringify(answerJson(desk.ask(line, filters))) + '\n');
          }
          return;
        }
        const question = words.join(' ');
        if (!question.trim()) throw new NewsdeskError('PARSE_FAILED', 'No question given. Example: npm run ask -- "特斯拉上海储能超级工厂用了多久建成?"');
        const outcome = desk.ask(question, filters);
        if (opts.json) process.stdout.write(JSON.stringify(answerJson(outcome), null, 2) + '\n');
        else process.stdout.write(renderAnswer(outcome, process.stdout.isTTY ? ANSI_BOLD : PLAIN_MARKS) + '\n');
        if (outcome.kind !== 'hits') process.exitCode = 1;
      } finally {
        desk.close();
      }
    });

  program
    .command('ingest')
    .description('add news files or directories (.txt .md .html .json .jsonl; GBK and Big5 are detected) to the index')
    .argument('<paths...>', 'files or directories (walked recursively)')
    .option('--source <outlet>', 'outlet for files whose text does not name one')
    .addOption(new Option('--date <date>', 'publication day for files whose text does not give one').argParser(isoDate))
    .action((paths: string[], opts: { source?: string; date?: string }) => {
      const desk = openDesk(log);
      const bar = progressBar('ingest', 'files', 5);
      const indexBar = progressBar('index ', 'passages', 20_000);
      try {
        const summary = desk.ingest(paths, {
          hints: { ...(opts.source ? { source: opts.source } : {}), ...(opts.date ? { date: opts.date } : {}) },
          ...(bar ? { onProgress: bar.onProgress } : {}),
          ...(indexBar ? { onIndexProgress: (done: number, total: number) => (bar?.stop(), indexBar.onProgress(done, total)) } : {}),
        });
        bar?.stop();
        indexBar?.stop();
        process.stdout.write(renderIngestSummary(summary) + '\n');
        if (summary.files === 0 && summary.skipped.length > 0) process.exitCode = 1;
      } finally {
        bar?.stop();
        indexBar?.stop();
        desk.close();
      }
    });

  program
    .command('sources')
    .description('list the outlets in the index with their article counts and newest date')
    .action(() => {
      const desk = openDesk(log);
      try {
        const sources = desk.sources();
        if (sources.length === 0) process.stdout.write('No articles yet: run `npm run ingest -- <files>`.\n');
        for (const s of sources) process.stdout.write(`${s.source}\t${s.articles} articles\tnewest ${s.newest.slice(0, 10)}\n`);
      } finally {
        desk.close();
      }
    });

  program
    .command('digest')
    .description('print the digest of what is new, as a channel would get it')
    .option('--preview', 'print it here (the only mode on the command line: channels get theirs from the bot)')
    .addOption(new Option('--since <date>', 'articles ingested since this day (default: the last 24 hours)').argParser(isoDate))
    .option('--keywords <words>', 'only articles mentioning one of these words (comma or space separated)')
    .addOption(new Option('--max <n>', 'at most this many stories').argParser(positiveInt).default(DEFAULT_MAX_ITEMS))
    .action((opts: { since?: string; keywords?: string; max: number }) => {
      const desk = openDesk(log);
      try {
        ensureSomeNews(desk);
        const now = new Date();
        const since = opts.since ? new Date(`${opts.since}T00:00:00Z`) : new Date(now.getTime() - 86_400_000);
        const digest = buildDigest(desk.store, { since, until: now, keywords: parseKeywords(opts.keywords), max: opts.max });
        process.stdout.write(renderDigestText(digest, `Digest since ${since.toISOString().slice(0, 10)}`) + '\n');
        if (digest.items.length === 0 && !opts.since) process.stdout.write('(Older news? Add --since YYYY-MM-DD, e.g. --since 2025-02-01 for the bundled samples.)\n');
      } finally {
        desk.close();
      }
    });

  addFeedsCommand(program, () => openDesk(log), log, translator(locale));

  program
    .command('eval')
    .description('measure retrieval quality on the CMRC 2018 trial set and the seed questions')
    .option('--eval-dir <dir>', 'where the question sets are', '../shared/eval')
    .option('--limit <n>', 'only the first n CMRC questions', Number)
    .action(async (opts: { evalDir: string; limit?: number }) => {
      await runEval({ evalDir: opts.evalDir, ...(opts.limit ? { limit: opts.limit } : {}), log });
    });

  return program;
}

export async function main(argv: string[]): Promise<void> {
  let log: Logger;
  let locale: Locale;
  try {
    // The terminal is for answers: only warnings and errors are logged unless LOG_LEVEL asks for more.
    const config = loadCoreConfig();
    log = createLogger(process.env['LOG_LEVEL'] ? config.logLevel : 'warn');
    locale = config.locale;
  } catch (error) {
    process.stderr.write(`${describeError(error)}\n`);
    process.exitCode = 2;
    return;
  }
  try {
    await buildProgram(log, locale).parseAsync(argv);
  } catch (error) {
    if (isNewsdeskError(error)) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = error.code === 'CONFIG_INVALID' ? 2 : 1;
      return;
    }
    process.stderr.write(`Unexpected error: ${describeError(error)}\nPlease report it with the command you ran.\n`);
    log.error({ error: describeError(error), stack: (error as Error).stack }, 'unexpected error');
    process.exitCode = 1;
  }
}

