import { describeError } from '../errors.js';
import type { Logger } from '../log.js';
import { pollDueFeeds, type FeedDeps } from './poll-feed.js';

/** How often the running bot looks for news stored by other processes (`npm run ingest`) and due feeds. */
export const SYNC_EVERY_MS = 30_000;

/**
 * The bot's news intake while it runs: polls due feeds (each at its own interval, recorded in the
 * database) and adds to the in-memory index whatever another process stored meanwhile.
 */
export class NewsIntake {
  private handle: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;
  private running = false;

  constructor(private readonly deps: FeedDeps & { log: Logger }) {}

  start(): void {
    this.stopped = false;
    void this.tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.handle) clearTimeout(this.handle);
  }

  async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      const synced = this.deps.desk.syncFromStore();
      if (synced > 0) {
        this.deps.log.info({ passages: synced }, 'index picked up news stored by another process');
        this.deps.desk.saveIndex();
      }
      const results = await pollDueFeeds(this.deps);
      for (const r of results) this.deps.log.info({ feed: r.url, status: r.status, items: r.items, added: r.added, error: r.error }, 'feed polled');
    } catch (error) {
      this.deps.log.error({ error: describeError(error) }, 'news intake failed');
    } finally {
      this.running = false;
    }
    if (this.stopped) return;
    const nextFeed = this.deps.desk.store.feeds.nextDueAt();
    const untilFeed = nextFeed ? Date.parse(nextFeed) - this.deps.now().getTime() : SYNC_EVERY_MS;
    this.handle = setTimeout(() => void this.tick(), Math.max(1_000, Math.min(SYNC_EVERY_MS, untilFeed)));
  }
}
