import { loadBotConfig } from './config.js';
import { Cooldown } from './discord/cooldown.js';
import { startBot } from './discord/client.js';
import { ConnectionWatch } from './discord/connection-watch.js';
import { startDigests } from './discord/digest-delivery.js';
import { NewsIntake } from './feeds/background.js';
import { loadCommands } from './discord/load-commands.js';
import { describeError, isNewsdeskError } from './errors.js';
import { healthReport } from './health/health-report.js';
import { startHealthServer, type HealthServer } from './health/health-server.js';
import { createLogger } from './log.js';
import { Newsdesk } from './newsdesk.js';
import { claimIndex } from './search/index-owner.js';
import { guardedFetch } from './feeds/guarded-fetch.js';

/** How often the bot looks at how long the gateway has been away (the log line comes within this of the minute). */
const CONNECTION_CHECK_MS = 10_000;

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
  const desk = await Newsdesk.open({ dataDir: config.dataDir, log, now, zone: config.timezone, checkStore: true, saveInBackground: true, ...(config.databaseUrl !== undefined ? { databaseUrl: config.databaseUrl } : {}) });
  const releaseIndex = claimIndex(config.dataDir);
  if ((await desk.store.articleCount()) === 0) log.warn({ dataDir: config.dataDir }, 'the index is empty: add news with `npm run ingest -- <files>`');
  // Read every headline now, before the bot takes interactions: a first autocomplete would otherwise wait for it.
  await desk.warmHeadlines();
  // And every article's facts (outlet, day) that ranking and filters read: a full table scan the first question must not pay.
  await desk.warmFacts();
  const commands = await loadCommands();
  const client = await startBot({
    token: config.discordToken,
    ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}),
    ...(config.shards !== undefined ? { shards: config.shards } : {}),
    commands,
    ctx: { desk, log, now, cooldown: new Cooldown(now), defaultTimezone: config.timezone, urlPolicy: { allowPrivate: config.allowPrivateUrls } },
  });
  const digests = startDigests(client, { store: desk.store, now, log });
  const policy = { allowPrivate: config.allowPrivateUrls };
  const intake = new NewsIntake({ desk, fetch: guardedFetch(policy), policy, now, log, onFatal: (message) => fatal(message) });

  let stopping = false;
  let health: HealthServer | undefined;
  const shutdown = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    clearInterval(checking);
    watch.close();
    digests.stop();
    await intake.stop();
    await health?.close();
    await client.destroy();
    desk.saveIndex();
    await desk.indexSaved();
    await desk.close();
    releaseIndex();
    process.exit(exitCode);
  };
  // A close Discord will not take back, or a token it rejects, ends the process: a supervisor restarts it, or the
  // owner sees it stopped. Staying up disconnected would look alive and answer no one.
  function fatal(message: string): void {
    log.error({ fatal: true }, message);
    void shutdown(1);
  }
  const watch = new ConnectionWatch(client, { log, now, onFatal: fatal });
  const checking = setInterval(() => watch.check(), CONNECTION_CHECK_MS);
  intake.start();
  if (config.healthPort !== undefined) {
    health = await startHealthServer({
      port: config.healthPort,
      log,
      report: async () => {
        let facts;
        try {
          facts = await desk.store.healthFacts();
        } catch (error) {
          facts = error instanceof Error ? error : new Error(String(error));
        }
        return healthReport({ now: now(), gateway: watch.status(), indexPassages: desk.index.documentCount, facts });
      },
    });
  }
  const onSignal = (signal: string) => {
    log.info({ signal }, 'shutting down');
    void shutdown(0);
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${isNewsdeskError(error) ? error.message : `newsdesk stopped: ${describeError(error)}`}\n`);
  process.exit(1);
});
