import { describeError } from '../errors.js';
import { isStoreDamage, storeDamaged } from '../store/store.js';
import type { Logger } from '../log.js';
import { pollDueFeeds, type FeedDeps } from './poll-feed.js';

/** How often the running bot looks for news stored by other processes (`npm run ingest`) and due feeds. */
export const SYNC_EVERY_MS = 30_000;
/** However soon a feed is due, runs are at least this far apart (a feed due in the past must not spin). */
const MIN_DELAY_MS = 1_000;

/**
 * The bot's news intake while it runs: polls due feeds (each at its own interval, recorded in the
 * database) and adds to the in-memory index whatever another process stored meanwhile.
 *
 * Runs never overlap. `start()` runs at once and then whenever a feed is due (at least every
 * SYNC_EVERY_MS); `tick()` asks for one more run; `stop()` is final.
 */
export class NewsIntake {
  private handle: ReturnType<typeof setTimeout> | undefined;
  private state: 'idle' | 'started' | 'stopped' = 'idle';
  /** The latest run, queued or in progress; the next one starts after it. */
  private last: Promise<void> = Promise.resolve();
  /** A run asked for that has not begun yet: callers in the meantime share it. */
  private queued: Promise<void> | undefined;

  /**
   * `onFatal`: called with the damaged-database message when SQLite reports damage mid-run; the bot ends then
   * (going on would only fail again, and a supervisor or the owner must see it).
   */
  constructor(private readonly deps: FeedDeps & { log: Logger; onFatal?: (message: string) => void }) {}

  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'started';
    void this.tick();
  }

  /**
   * Stops for good: no timer is left and no run begins any more. Resolves once a run in progress has
   * finished, so the desk can be closed after it.
   */
  stop(): Promise<void> {
    this.state = 'stopped';
    this.clearTimer();
    return this.last;
  }

  /**
   * One run: adds to the index what other processes stored, then polls the feeds that are due. Called
   * during a run, it waits for that run and then runs again, so whatever was stored before the call is
   * answerable when the promise resolves. Never rejects (failures are logged); does nothing after `stop()`.
   */
  tick(): Promise<void> {
    if (this.state === 'stopped') return this.last;
    if (!this.queued) {
      const run = this.last.then(() => {
        this.queued = undefined;
        return this.run();
      });
      this.queued = run;
      this.last = run;
    }
    return this.queued;
  }

  private async run(): Promise<void> {
    if (this.state === 'stopped') return;
    // A run asked for by hand replaces the one the timer would have started.
    this.clearTimer();
    try {
      // In slices with the event loop running between them: a large ingest by another process must not keep the
      // bot from acknowledging interactions (Discord drops one not acknowledged within 3 s).
      const synced = await this.deps.desk.syncFromStoreInSlices();
      if (synced > 0) {
        this.deps.log.info({ passages: synced }, 'index picked up news stored by another process');
        this.deps.desk.saveIndex();
        // Saved in slices (the bot's desk saves in the background): done before feeds add to the segment it writes.
        await this.deps.desk.indexSaved();
      }
      const results = await pollDueFeeds(this.deps);
      for (const r of results) this.deps.log.info({ feed: r.url, status: r.status, items: r.items, added: r.added, error: r.error }, 'feed polled');
      await this.deps.desk.indexSaved();
    } catch (error) {
      if (isStoreDamage(error) && this.deps.onFatal) {
        this.state = 'stopped';
        this.deps.onFatal(storeDamaged(this.deps.desk.store.location, error).message);
        return;
      }
      this.deps.log.error({ error: describeError(error) }, 'news intake failed');
    }
    await this.schedule();
  }

  private async schedule(): Promise<void> {
    if (this.state !== 'started') return;
    let delay = SYNC_EVERY_MS;
    try {
      const nextFeed = await this.deps.desk.store.feeds.nextDueAt();
      const untilFeed = nextFeed ? Date.parse(nextFeed) - this.deps.now().getTime() : Number.NaN;
      if (Number.isFinite(untilFeed)) delay = Math.max(MIN_DELAY_MS, Math.min(SYNC_EVERY_MS, untilFeed));
    } catch (error) {
      // Keep going at the default pace: one bad read must not end the intake for the life of the bot.
      this.deps.log.error({ error: describeError(error) }, 'news intake failed');
    }
    // Stopped while the database answered: no timer may outlive stop().
    if (this.state !== 'started') return;
    this.handle = setTimeout(() => {
      this.handle = undefined;
      void this.tick();
    }, delay);
  }

  private clearTimer(): void {
    if (this.handle) clearTimeout(this.handle);
    this.handle = undefined;
  }
}
