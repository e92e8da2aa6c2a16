import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { config as loadDotenv } from 'dotenv';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadCoreConfig } from '../config.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { NewsdeskError, describeError, isNewsdeskError } from '../errors.js';
import { createLogger, type Logger } from '../log.js';
import { Newsdesk } from '../newsdesk.js';
import { demoDataDir, openDemo, sampleArticleIds } from '../samples.js';
import { ANSI_BOLD, PLAIN_MARKS, answerJson, renderAnswer } from './render-answer.js';
import { ingestExitCode, renderIngestSummary } from './ingest-report.js';
import { runEval } from '../eval/run-eval.js';
import { buildDigest, DEFAULT_MAX_ITEMS } from '../digest/build-digest.js';
import { parseKeywords } from '../digest/keywords.js';
import { renderDigestText } from './render-digest.js';
import { addFeedsCommand } from './feeds-command.js';
import { addArticlesCommand, addSourcesRemove } from './articles-command.js';
import { addInspectCommands } from './inspect-commands.js';
import type { CliContext } from './cli-context.js';
import { withDesk } from './cli-context.js';
import { EXIT } from './exit-codes.js';
import { dayOption, wholeNumber } from './options.js';
import { progressReporter } from './progress.js';
import { isTimeZone } from '../config.js';
import { localDayOf, startOfLocalDay } from '../text/publication-date.js';
import { terminalText } from './terminal-text.js';
import { addBackupCommands } from './backup-command.js';
import { addMigrateStoreCommand } from './migrate-store-command.js';
import { translator, type Locale } from '../i18n/i18n.js';

function timeZone(value: string): string {
  if (!isTimeZone(value)) throw new InvalidArgumentError('expected an IANA time zone such as Asia/Shanghai, Asia/Taipei or Europe/Berlin.');
  return value;
}

// From the package root: the same whether this runs from src/ (tsx) or bundled into dist/ (npm run build).
const VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const usage = (message: string) => new CommanderError(EXIT.usage, 'newsdesk.usage', `error: ${message}`);

/** A progress reporter for indexing on standard error (a bar on a terminal, plain lines otherwise), after 1 s. */
function indexProgress(label: string) {
  return progressReporter(label, 'passages', { tty: process.stderr.isTTY === true, write: (l) => process.stderr.write(`${l}\n`), now: () => performance.now() });
}

/** Opens a desk, saying so when the index must be rebuilt or caught up for more than a second. */
async function openWithProgress(open: (onIndexProgress: (done: number, total: number) => void) => Promise<Newsdesk>): Promise<Newsdesk> {
  const progress = indexProgress('indexing');
  try {
    return await open(progress.onProgress);
  } finally {
    progress.stop();
  }
}

/** The question a first-time user asks in the README's quick start (`npm run demo`). */
export const DEMO_QUESTION = '特斯拉上海储能超级工厂用了多久建成?';

/** Runs another entry point (`src/bot`, …) as the npm scripts do (compiled when built, else through tsx); its exit status is ours. */
function runScript(entry: string, args: readonly string[]): number {
  const result = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'bin', 'launch.js'), entry, ...args], { stdio: 'inherit' });
  return result.status ?? EXIT.bug;
}

/**
 * Every `newsdesk` command, wired to `ctx` (the desk, output, clock and exit status); commander parses and checks the
 * options. `locale`: the language of the messages that come from the shared catalogue (ask's hints, feed lines).
 */
export function buildProgram(ctx: CliContext, locale: Locale = 'en'): Command {
  const program = new Command('newsdesk')
    .description('Answers questions about the news from a local full-text index (the core of the newsdesk Discord bot).')
    .version(VERSION, '-V, --version', 'print the version')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .addHelpText('after', '\nExit status: 0 done, 1 nothing found or something not stored, 2 usage, 3 data directory unusable, 4 unexpected error.');

  program
    .command('ask')
    .description('print the passages that best answer a question, with their sources')
    .argument('[question...]', 'the question (quote it, or use --jsonl to read questions from standard input)')
    .addOption(new Option('--top <n>', 'how many passages (1 to 100)').argParser(wholeNumber(1, 100)).default(3))
    .addOption(new Option('--offset <n>', 'skip the first n articles (paging; 0 to 1000)').argParser(wholeNumber(0, 1000)).default(0))
    .option('--json', 'print the answer as JSON')
    .option('--jsonl', 'read one question per line from standard input, print one JSON line per question')
    .option('--source <outlet>', 'only passages from this outlet')
    .addOption(new Option('--since <date>', 'only articles published on or after this day (YYYY-MM-DD)').argParser(dayOption))
    .addOption(new Option('--until <date>', 'only articles published on or before this day (YYYY-MM-DD)').argParser(dayOption))
    .option('--samples', 'answer from the bundled sample news (indexed on first use into a demo directory of its own, never with your news)')
    .action(async (words: string[], opts: { top: number; offset: number; json?: boolean; jsonl?: boolean; source?: string; since?: string; until?: string; samples?: boolean }) => {
      if (opts.since && opts.until && opts.since > opts.until) throw usage(`--since ${opts.since} is after --until ${opts.until}.`);
      const question = words.join(' ');
      if (!opts.jsonl && !question.trim()) throw usage(`no question given. Example: newsdesk ask "${DEMO_QUESTION}"`);
      const desk = opts.samples ? await openSamples(ctx) : await ctx.openDesk();
      try {
        if (!opts.samples && (await desk.store.articleCount()) === 0) {
          ctx.err(`No news in ${desk.dataDir} yet: \`newsdesk ingest <files>\` adds yours; \`newsdesk ask --samples "${DEMO_QUESTION}"\` tries the bundled samples.`);
        }
        const filters = { top: opts.top, offset: opts.offset, locale, ...(opts.source ? { source: opts.source } : {}), ...(opts.since ? { since: opts.since } : {}), ...(opts.until ? { until: opts.until } : {}) };
        if (opts.jsonl) {
          let answered = 0;
          let unanswered = 0;
          for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
            if (line.trim() === '') continue;
            const outcome = await desk.ask(line, filters);
            if (outcome.kind === 'hits') answered++;
            else unanswered++;
            ctx.out(JSON.stringify(answerJson(outcome)));
          }
          // As for one question: 1 when a question got no passages (or none was given).
          if (unanswered > 0 || answered === 0) ctx.exit(EXIT.nothing);
          return;
        }
        const outcome = await desk.ask(question, filters);
        if (opts.json) ctx.out(JSON.stringify(answerJson(outcome), null, 2));
        else ctx.out(renderAnswer(outcome, process.stdout.isTTY ? ANSI_BOLD : PLAIN_MARKS));
        if (outcome.kind !== 'hits') ctx.exit(EXIT.nothing);
      } finally {
        await desk.close();
      }
    });

  program
    .command('ingest')
    .description('add news files or directories (.txt .md .html .json .jsonl; GBK and Big5 are detected)')
    .argument('<paths...>', 'files or directories (walked recursively; hidden files and other types are listed as skipped)')
    .option('--source <outlet>', 'outlet for files whose text does not name one')
    .addOption(new Option('--date <date>', 'publication day for files whose text does not give one (YYYY-MM-DD)').argParser(dayOption))
    .addOption(new Option('--timezone <zone>', 'zone of times the files give without an offset (default NEWSDESK_TIMEZONE)').argParser(timeZone))
    .option('--json', 'print the summary as JSON')
    .action((paths: string[], opts: { source?: string; date?: string; timezone?: string; json?: boolean }) =>
      withDesk(ctx, async (desk) => {
        const hadOwnNews = (await desk.store.articleCount()) > (await sampleArticleIds(desk.store, desk.now())).length;
        const files = progressReporter('ingest', 'files', { tty: process.stderr.isTTY === true, write: (l) => ctx.err(l), now: () => performance.now() });
        const index = indexProgress('indexing');
        try {
          const summary = await desk.ingest(paths, {
            hints: { ...(opts.source ? { source: opts.source } : {}), ...(opts.date ? { date: opts.date } : {}), ...(opts.timezone ? { timezone: opts.timezone } : {}) },
            onProgress: files.onProgress,
            onWaitForLock: (file: string, waitedMs: number) => {
              files.stop();
              ctx.err(`waiting for another process writing to the database (${Math.round(waitedMs / 1000)} s so far), to store ${file}…`);
            },
            onIndexProgress: (done, total) => (files.stop(), index.onProgress(done, total)),
          });
          files.stop();
          index.stop();
          ctx.out(opts.json ? JSON.stringify(summary, null, 2) : renderIngestSummary(summary));
          const samples = (await sampleArticleIds(desk.store, desk.now())).length;
          if (samples > 0 && !hadOwnNews && summary.articles > 0) {
            ctx.err(`Note: ${desk.dataDir} also holds the bundled sample news (${samples} articles); \`newsdesk sources remove --samples\` takes it out.`);
          }
          ctx.exit(ingestExitCode(summary));
        } finally {
          files.stop();
          index.stop();
        }
        // A large ingest tokenizes on its own thread, a small one loads jieba here when it first tokenizes (about a second
        // saved); only the newest index segment takes the news, the full ones are decoded only if something reads them.
      }, { loadTokenizer: false, decodeSegmentsWhenRead: true }),
    );

  const sources = program.command('sources').description('list the outlets (with article counts and newest date), or remove one');
  sources
    .command('list', { isDefault: true })
    .description('list the outlets in the index with their article counts and newest date (the default)')
    .option('--json', 'print JSON: [{"source", "articles", "newest"}]')
    .action((opts: { json?: boolean }) =>
      withDesk(ctx, async (desk) => {
        const list = await desk.sources();
        if (opts.json) ctx.out(JSON.stringify(list, null, 2));
        else if (list.length === 0) ctx.out('No articles yet: run `newsdesk ingest <files>`.');
        else for (const s of list) ctx.out(`${terminalText(s.source)}\t${s.articles} articles\tnewest ${s.newest}`);
        if (list.length === 0) ctx.exit(EXIT.nothing);
      }),
    );
  addSourcesRemove(sources, ctx);

  addArticlesCommand(program, ctx);

  program
    .command('digest')
    .description('print the digest of what is new, as a channel would get it')
    .option('--preview', 'print it here (the only mode on the command line: channels get theirs from the bot)')
    .addOption(new Option('--since <date>', 'articles ingested since this day (YYYY-MM-DD; default: the last 24 hours)').argParser(dayOption))
    .option('--keywords <words>', 'only articles mentioning one of these words (comma or space separated)')
    .addOption(new Option('--max <n>', 'at most this many stories (1 to 100)').argParser(wholeNumber(1, 100)).default(DEFAULT_MAX_ITEMS))
    .option('--samples', 'from the bundled sample news (its demo directory), e.g. with --since 2025-02-01')
    .option('--json', 'print the digest as JSON')
    .action(async (opts: { since?: string; keywords?: string; max: number; samples?: boolean; json?: boolean }) => {
      const desk = opts.samples ? await openSamples(ctx) : await ctx.openDesk();
      try {
        const now = ctx.now();
        // --since is a local day where the outlets are (NEWSDESK_TIMEZONE), like every day newsdesk shows.
        const since = opts.since ? startOfLocalDay(opts.since, desk.zone) : new Date(now.getTime() - 86_400_000);
        const digest = await buildDigest(desk.store, { since, until: now, keywords: parseKeywords(opts.keywords), max: opts.max, zone: desk.zone });
        if (opts.json) ctx.out(JSON.stringify(digest, null, 2));
        else ctx.out(renderDigestText(digest, `Digest since ${opts.since ?? localDayOf(since, desk.zone)}`));
        if (digest.items.length === 0) {
          if (!opts.since && !opts.json) ctx.out('(Older news? Add --since YYYY-MM-DD, e.g. --samples --since 2025-02-01 for the bundled samples.)');
          ctx.exit(EXIT.nothing);
        }
      } finally {
        await desk.close();
      }
    });

  addFeedsCommand(program, ctx, translator(locale));
  addInspectCommands(program, ctx, {
    env: () => {
      loadDotenv({ quiet: true });
      return process.env;
    },
    fetch: globalThis.fetch,
  });
  addBackupCommands(program, ctx.log);
  addMigrateStoreCommand(program, ctx);

  program
    .command('eval')
    .description('measure retrieval quality on the CMRC 2018 trial set and the seed questions')
    .option('--eval-dir <dir>', 'where the question sets are', '../shared/eval')
    .addOption(new Option('--limit <n>', 'only the first n CMRC questions').argParser(wholeNumber(1, 1_000_000)))
    .action(async (opts: { evalDir: string; limit?: number }) => {
      await runEval({ evalDir: opts.evalDir, ...(opts.limit ? { limit: opts.limit } : {}), log: ctx.log });
    });

  // The bot and its helpers run as they do under npm scripts, in a child process whose exit status is ours.
  program
    .command('start')
    .description('run the Discord bot (needs DISCORD_TOKEN and DISCORD_APPLICATION_ID in .env; `newsdesk doctor` checks them)')
    .action(() => ctx.exit(runScript('src/bot', [])));
  program
    .command('deploy-commands')
    .description('register the slash commands with Discord (once, and after commands change)')
    .action(() => ctx.exit(runScript('src/deploy-commands', [])));
  program
    .command('bench')
    .description('measure the speed and memory of the index on a synthetic corpus (see README, Benchmarks)')
    // Its options are its own: `newsdesk bench --help` is answered by the benchmark.
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[options...]', 'options of the benchmark (newsdesk bench --help lists them)')
    .action((args: string[]) => ctx.exit(runScript('src/bench/run-bench', args)));

  return program;
}

/** The desk on the bundled samples' own data directory, indexing them first if needed (and saying so). */
async function openSamples(ctx: CliContext): Promise<Newsdesk> {
  const config = loadCoreConfig();
  const { desk, indexed } = await openDemo(config.dataDir, ctx.log, ctx.now);
  if (indexed) ctx.err(`Indexed the bundled sample news into ${demoDataDir(config.dataDir)} (your own news never goes there): ${indexed.articles} articles.\n`);
  return desk;
}

/** Runs the command line and sets the exit status from the table in exit-codes.ts (and the README). */
export async function main(argv: string[]): Promise<void> {
  let status: number = EXIT.ok;
  let log: Logger | undefined;
  const getLog = (): Logger => {
    // The terminal is for answers: only warnings and errors are logged unless LOG_LEVEL asks for more.
    log ??= createLogger(process.env['LOG_LEVEL'] ? loadCoreConfig().logLevel : 'warn');
    return log;
  };
  const ctx: CliContext = {
    openDesk: (options = {}) => {
      const config = loadCoreConfig();
      return openWithProgress((onIndexProgress) =>
        Newsdesk.open({ dataDir: config.dataDir, log: getLog(), zone: config.timezone, onIndexProgress, ...options, ...(config.databaseUrl !== undefined ? { databaseUrl: config.databaseUrl } : {}) }),
      );
    },
    get log() {
      return getLog();
    },
    out: (text) => void process.stdout.write(`${text}\n`),
    err: (text) => void process.stderr.write(`${text}\n`),
    now: () => new Date(),
    exit: (code) => {
      status = Math.max(status, code);
    },
  };
  try {
    // A bad setting is reported by the command that reads the configuration (exit 2); until then, English.
    let locale: Locale = 'en';
    try {
      locale = loadCoreConfig().locale;
    } catch {
      locale = 'en';
    }
    await buildProgram(ctx, locale).parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version exit 0; every other commander error (and ours) is a usage error: 2.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') status = EXIT.ok;
      else {
        if (error.code === 'newsdesk.usage') process.stderr.write(`${error.message}\n(add --help for usage)\n`);
        status = EXIT.usage;
      }
    } else if (isNewsdeskError(error)) {
      // An error can quote a URL, a server's answer or a file's content.
      process.stderr.write(`${terminalText(error.message)}\n`);
      status = error.code === 'CONFIG_INVALID' ? EXIT.usage : error.code === 'STORE_FAILED' || error.code === 'STORE_DAMAGED' || error.code === 'INDEX_CORRUPT' ? EXIT.data : EXIT.nothing;
    } else {
      process.stderr.write(`Unexpected error: ${terminalText(describeError(error))}\nPlease report it with the command you ran.\n`);
      if (log) log.error({ error: describeError(error), stack: (error as Error).stack }, 'unexpected error');
      status = EXIT.bug;
    }
  }
  process.exitCode = status;
}

export { NewsdeskError };
