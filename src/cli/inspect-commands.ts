import { Option, type Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { collectStats, STATS_DAYS, type DeskStats } from '../inspect/collect-stats.js';
import { runDoctor, type Check } from '../inspect/doctor.js';
import { exportArticles } from '../inspect/export-articles.js';
import { withDesk, type CliContext } from './cli-context.js';
import { EXIT } from './exit-codes.js';
import { dayOption } from './options.js';

const bytes = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`);

function age(seconds: number | null): string {
  if (seconds === null) return 'never saved';
  if (seconds < 120) return `${seconds} s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} days ago`;
}

/** `newsdesk stats` as text: counts, outlets, the last 30 days, the index, feeds, digests. */
export function renderStats(s: DeskStats): string {
  const lines = [
    `Data directory ${s.dataDir}`,
    `${s.articles} articles, ${s.passages} passages (${s.indexedPassages} searchable), ${s.outlets.length} outlets, ${s.removed} removed`,
    `Index: ${bytes(s.index.bytes)}, saved ${age(s.index.ageSeconds)}`,
    '',
    'Outlets:',
    ...(s.outlets.length ? s.outlets.map((o) => `  ${o.source}\t${o.articles} articles\tnewest ${o.newest}`) : ['  none yet']),
    '',
    `Articles per day, last ${STATS_DAYS} days (by publication date):`,
    ...s.perDay.filter((d) => d.articles > 0).map((d) => `  ${d.day}  ${d.articles}`),
    ...(s.perDay.every((d) => d.articles === 0) ? ['  none'] : []),
    '',
    'Feeds:',
    ...(s.feeds.length
      ? s.feeds.map((f) => `  #${f.id} ${f.name ?? '(no name)'} ${f.url} · ${f.articles} articles · ${f.healthy ? (f.failures ? `retrying (${f.failures} failures)` : 'ok') : `UNHEALTHY: ${f.lastError ?? 'unknown error'}`}`)
      : ['  none']),
    '',
    'Digests:',
    ...(s.digests.length
      ? s.digests.map((d) => `  channel ${d.channelId} at ${d.time} ${d.timezone}${d.enabled ? '' : ' (disabled)'} · last: ${d.last ? `${d.last.localDay} ${d.last.status}${d.last.items !== null ? `, ${d.last.items} stories` : ''}` : 'none yet'}`)
      : ['  none']),
  ];
  return lines.join('\n');
}

const MARK: Record<Check['status'], string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL', skipped: 'skip' };

/** `newsdesk doctor` as text: one line per check (ok, warn, FAIL, skip), what to do under it, then a verdict. */
export function renderDoctor(checks: readonly Check[]): string {
  const lines = checks.map((c) => `${MARK[c.status]}  ${c.name}: ${c.detail.replace(/\n/g, '\n        ')}${c.fix ? `\n        → ${c.fix}` : ''}`);
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  lines.push('', failed ? `${failed} problem${failed === 1 ? '' : 's'} to fix.` : warned ? `No problems; ${warned} note${warned === 1 ? '' : 's'}.` : 'All good.');
  return lines.join('\n');
}

/** `newsdesk stats`, `newsdesk export`, `newsdesk doctor`. */
export function addInspectCommands(program: Command, ctx: CliContext, deps: { env: () => Record<string, string | undefined>; fetch: typeof globalThis.fetch }): void {
  program
    .command('stats')
    .description(`what the data directory holds: articles, passages, outlets, the last ${STATS_DAYS} days, index size and age, feeds, last digest per channel`)
    .option('--json', 'print the figures as JSON')
    .action((opts: { json?: boolean }) =>
      withDesk(ctx, async (desk) => {
        const stats = await collectStats(desk, ctx.now());
        ctx.out(opts.json ? JSON.stringify(stats, null, 2) : renderStats(stats));
      }),
    );

  program
    .command('export')
    .description('write the stored articles as JSON Lines, the shape `ingest` reads (export → ingest round-trips)')
    .option('--out <file>', 'write to this file instead of standard output')
    .option('--source <outlet>', 'only this outlet')
    .addOption(new Option('--since <date>', 'published on or after this day (YYYY-MM-DD)').argParser(dayOption))
    .addOption(new Option('--until <date>', 'published on or before this day (YYYY-MM-DD)').argParser(dayOption))
    .option('--json', 'same as the default (JSON Lines); accepted for symmetry with the other commands')
    .action((opts: { out?: string; source?: string; since?: string; until?: string }) =>
      withDesk(ctx, async (desk) => {
        const source = opts.source === undefined ? undefined : await desk.store.findSource(opts.source);
        if (opts.source !== undefined && source === undefined) {
          ctx.err(`No outlet called "${opts.source}". Outlets: ${(await desk.store.sourceNames()).join(', ') || 'none yet'}.`);
          return ctx.exit(EXIT.nothing);
        }
        const stream = opts.out ? createWriteStream(opts.out) : process.stdout;
        let n = 0;
        for await (const a of exportArticles(desk.store, { ...(source ? { source } : {}), ...(opts.since ? { since: opts.since } : {}), ...(opts.until ? { until: opts.until } : {}) })) {
          if (!stream.write(JSON.stringify(a) + '\n')) await once(stream, 'drain');
          n++;
        }
        if (opts.out) {
          (stream as ReturnType<typeof createWriteStream>).end();
          await once(stream, 'finish');
          ctx.err(`Exported ${n} articles to ${opts.out}.`);
        }
        if (n === 0) {
          ctx.err('No articles to export.');
          ctx.exit(EXIT.nothing);
        }
      }),
    );

  program
    .command('doctor')
    .description('check the configuration, the bot token\'s shape, the data directory and the index against the database, and say what to fix (exit 1 if something must be fixed)')
    .option('--discord', 'also ask Discord whether it accepts the token (a network call)')
    .option('--json', 'print the checks as JSON: [{"name", "status", "detail", "fix"?}]')
    .action(async (opts: { discord?: boolean; json?: boolean }) => {
      const checks = await runDoctor({ env: deps.env(), discord: opts.discord === true, fetch: deps.fetch, now: ctx.now });
      ctx.out(opts.json ? JSON.stringify(checks, null, 2) : renderDoctor(checks));
      if (checks.some((c) => c.status === 'fail')) ctx.exit(EXIT.nothing);
    });
}
