import { InvalidArgumentError, Option, type Command } from 'commander';
import { loadCoreConfig } from '../config.js';
import { checkUrl } from '../feeds/safe-url.js';
import { pollDueFeeds, pollFeed } from '../feeds/poll-feed.js';
import type { Logger } from '../log.js';
import type { Newsdesk } from '../newsdesk.js';
import { DEFAULT_EVERY_MINUTES, describeFeed } from '../feeds/describe-feed.js';
import { translator, type Translate } from '../i18n/i18n.js';
import { guardedFetch } from '../feeds/guarded-fetch.js';

function minutes(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 5 || n > 1440) throw new InvalidArgumentError('expected whole minutes from 5 to 1440.');
  return n;
}

/** `newsdesk feeds add|remove|list|poll`. */
export function addFeedsCommand(program: Command, openDesk: () => Newsdesk, log: Logger, t: Translate = translator()): void {
  const feeds = program.command('feeds').description('follow RSS/Atom feeds (the bot polls them while it runs)');
  feeds
    .command('add')
    .argument('<url>', 'the feed address (RSS 2.0 or Atom)')
    .option('--name <outlet>', 'outlet name for its articles (default: the feed title)')
    .addOption(new Option('--every <minutes>', 'poll interval').argParser(minutes).default(DEFAULT_EVERY_MINUTES))
    .action(async (url: string, opts: { name?: string; every: number }) => {
      const config = loadCoreConfig();
      const vetted = await checkUrl(url, { allowPrivate: config.allowPrivateUrls });
      const desk = openDesk();
      try {
        const { feed, created } = desk.store.feeds.add({ url: vetted.toString(), ...(opts.name ? { name: opts.name } : {}), everyMinutes: opts.every, addedBy: 'command line' }, new Date());
        process.stdout.write(`${created ? 'Added' : 'Updated'} ${describeFeed(feed, t)}\nThe bot polls it while running; \`npm run feeds -- poll\` polls now.\n`);
      } finally {
        desk.close();
      }
    });
  feeds
    .command('remove')
    .argument('<feed>', 'feed id, URL or name')
    .action((ref: string) => {
      const desk = openDesk();
      try {
        const feed = desk.store.feeds.find(ref);
        if (!feed) {
          process.stdout.write(`No feed "${ref}". \`npm run feeds -- list\` shows them.\n`);
          process.exitCode = 1;
          return;
        }
        desk.store.feeds.remove(feed.id);
        process.stdout.write(`Removed ${feed.url}. Its articles stay in the index.\n`);
      } finally {
        desk.close();
      }
    });
  feeds.command('list').action(() => {
    const desk = openDesk();
    try {
      const list = desk.store.feeds.list();
      process.stdout.write(list.length ? list.map((f) => describeFeed(f, t)).join('\n') + '\n' : 'No feeds yet: `npm run feeds -- add <url>`.\n');
    } finally {
      desk.close();
    }
  });
  feeds
    .command('poll')
    .description('poll feeds now (default: the ones that are due)')
    .option('--all', 'poll every feed, due or not')
    .action(async (opts: { all?: boolean }) => {
      const config = loadCoreConfig();
      const desk = openDesk();
      try {
        const policy = { allowPrivate: config.allowPrivateUrls };
        const deps = { desk, fetch: guardedFetch(policy), policy, now: () => new Date(), log };
        const results = opts.all ? await Promise.all(desk.store.feeds.list().map((f) => pollFeed(f, deps))) : await pollDueFeeds(deps);
        if (opts.all) desk.saveIndex();
        for (const r of results) {
          process.stdout.write(`${r.url}: ${r.status === 'failed' ? `failed: ${r.error}` : `${r.items} items, ${r.added} new articles${r.status === 'not-modified' ? ' (not modified)' : ''}`}\n`);
          for (const s of r.skipped) process.stdout.write(`  skipped "${s.item}": ${s.reason}\n`);
        }
        if (results.length === 0) process.stdout.write('No feed is due.\n');
      } finally {
        desk.close();
      }
    });
}
