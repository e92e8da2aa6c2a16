import { InvalidArgumentError, Option, type Command } from 'commander';
import { isTimeZone, loadCoreConfig } from '../config.js';
import { checkUrl } from '../feeds/safe-url.js';
import { pollDueFeeds, pollFeed } from '../feeds/poll-feed.js';
import { isNewsdeskError } from '../errors.js';
import type { CliContext } from './cli-context.js';
import { EXIT } from './exit-codes.js';
import { DEFAULT_EVERY_MINUTES, describeFeed } from '../feeds/describe-feed.js';
import { translator, type Translate } from '../i18n/i18n.js';
import { guardedFetch } from '../feeds/guarded-fetch.js';
import { TERMINAL_DISPLAY, terminalText } from './terminal-text.js';

function timeZone(value: string): string {
  if (!isTimeZone(value)) throw new InvalidArgumentError('expected an IANA time zone such as Asia/Shanghai, Asia/Taipei or Europe/Berlin.');
  return value;
}

function minutes(value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 5 || n > 1440) throw new InvalidArgumentError('expected whole minutes from 5 to 1440.');
  return n;
}

/** `newsdesk feeds add|remove|list|poll`. */
export function addFeedsCommand(program: Command, ctx: CliContext, t: Translate = translator()): void {
  const openDesk = () => ctx.openDesk();
  const feeds = program.command('feeds').description('follow RSS/Atom feeds (the bot polls them while it runs)');
  feeds
    .command('add')
    .description('follow a feed: its new items become articles (the running bot polls it; `feeds poll` polls now)')
    .argument('<url>', 'the feed address (RSS 2.0 or Atom)')
    .option('--name <outlet>', 'outlet name for its articles (default: the feed title)')
    .addOption(new Option('--every <minutes>', 'poll interval').argParser(minutes).default(DEFAULT_EVERY_MINUTES))
    .addOption(new Option('--timezone <zone>', "the outlet's zone for times the feed gives without an offset (default NEWSDESK_TIMEZONE)").argParser(timeZone))
    .action(async (url: string, opts: { name?: string; every: number; timezone?: string }) => {
      const config = loadCoreConfig();
      let vetted: URL;
      try {
        vetted = await checkUrl(url, { allowPrivate: config.allowPrivateUrls });
      } catch (error) {
        if (!isNewsdeskError(error)) throw error;
        // A bad address is a bad argument: said in one line, exit 2 like any usage error.
        process.stderr.write(`error: cannot follow ${url}: ${error.message}\n`);
        return ctx.exit(EXIT.usage);
      }
      const desk = await openDesk();
      try {
        const { feed, created } = await desk.store.feeds.add(
          { url: vetted.toString(), ...(opts.name ? { name: opts.name } : {}), ...(opts.timezone ? { timezone: opts.timezone } : {}), everyMinutes: opts.every, addedBy: 'command line' },
          new Date(),
        );
        process.stdout.write(`${created ? 'Added' : 'Updated'} ${describeFeed(feed, TERMINAL_DISPLAY, t)}\nThe bot polls it while running; \`npm run feeds -- poll\` polls now.\n`);
      } finally {
        await desk.close();
      }
    });
  feeds
    .command('remove')
    .description('stop following a feed (its articles stay; `sources remove` removes them)')
    .argument('<feed>', 'feed id, URL or name')
    .action(async (ref: string) => {
      const desk = await openDesk();
      try {
        const feed = await desk.store.feeds.find(ref);
        if (!feed) {
          process.stdout.write(`No feed "${ref}". \`npm run feeds -- list\` shows them.\n`);
          ctx.exit(EXIT.nothing);
          return;
        }
        await desk.store.feeds.remove(feed.id);
        process.stdout.write(`Removed ${terminalText(feed.url)}. Its articles stay in the index.\n`);
      } finally {
        await desk.close();
      }
    });
  feeds.command('list').description('the feeds with their health, last error and next poll').action(async () => {
    const desk = await openDesk();
    try {
      const list = await desk.store.feeds.list();
      process.stdout.write(list.length ? list.map((f) => describeFeed(f, TERMINAL_DISPLAY, t)).join('\n') + '\n' : 'No feeds yet: `npm run feeds -- add <url>`.\n');
    } finally {
      await desk.close();
    }
  });
  feeds
    .command('poll')
    .description('poll feeds now (default: the ones that are due)')
    .option('--all', 'poll every feed, due or not')
    .action(async (opts: { all?: boolean }) => {
      const config = loadCoreConfig();
      const desk = await openDesk();
      try {
        const policy = { allowPrivate: config.allowPrivateUrls };
        const deps = { desk, fetch: guardedFetch(policy), policy, now: ctx.now, log: ctx.log };
        const results = opts.all ? await Promise.all((await desk.store.feeds.list()).map((f) => pollFeed(f, deps))) : await pollDueFeeds(deps);
        if (opts.all) desk.saveIndex();
        for (const r of results) {
          process.stdout.write(`${terminalText(r.url)}: ${r.status === 'failed' ? `failed: ${terminalText(r.error ?? '')}` : `${r.items} items, ${r.added} new articles${r.status === 'not-modified' ? ' (not modified)' : ''}`}\n`);
          for (const w of r.warnings) process.stdout.write(`  warning: ${terminalText(w)}\n`);
          for (const s of r.skipped) process.stdout.write(`  skipped "${terminalText(s.item)}": ${terminalText(s.reason)}\n`);
        }
        if (results.length === 0) process.stdout.write('No feed is due.\n');
        if (results.some((r) => r.status === 'failed' || r.skipped.length > 0)) ctx.exit(EXIT.nothing);
      } finally {
        await desk.close();
      }
    });
}
