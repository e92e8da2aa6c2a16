import { loadBotConfig } from './config.js';
import { Cooldown } from './discord/cooldown.js';
import { startBot } from './discord/client.js';
import { startDigests } from './discord/digest-delivery.js';
import { NewsIntake } from './feeds/background.js';
import { loadCommands } from './discord/load-commands.js';
import { describeError, isNewsdeskError } from './errors.js';
import { createLogger } from './log.js';
import { Newsdesk } from './newsdesk.js';
import { claimIndex } from './search/index-owner.js';
import { guardedFetch } from './feeds/guarded-fetch.js';

/** `npm start`: the composition root of the bot. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadBotConfig();
  } catch (error) {
    process.stderr.write(`${describeError(error)}\n`);
    process.exit(2);
  }
  const log = createLogger(config.logLevel);
  const now = () => new Date();
  const desk = Newsdesk.open({ dataDir: config.dataDir, log, now });
  const releaseIndex = claimIndex(config.dataDir);
  if (desk.store.articleCount() === 0) log.warn({ dataDir: config.dataDir }, 'the index is empty: add news with `npm run ingest -- <files>`');
  // Read every headline now, before the bot takes interactions: a first autocomplete would otherwise wait for it.
  desk.warmHeadlines();
  const commands = await loadCommands();
  const client = await startBot({
    token: config.discordToken,
    ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}),
    commands,
    ctx: { desk, log, now, cooldown: new Cooldown(now), defaultTimezone: config.timezone, urlPolicy: { allowPrivate: config.allowPrivateUrls } },
  });
  const digests = startDigests(client, { store: desk.store, now, log });
  const policy = { allowPrivate: config.allowPrivateUrls };
  const intake = new NewsIntake({ desk, fetch: guardedFetch(policy), policy, now, log });
  intake.start();
  const shutdown = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    digests.stop();
    await intake.stop();
    await client.destroy();
    desk.saveIndex();
    desk.close();
    releaseIndex();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${isNewsdeskError(error) ? error.message : `newsdesk stopped: ${describeError(error)}`}\n`);
  process.exit(1);
});
