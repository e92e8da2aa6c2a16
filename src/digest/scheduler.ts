import { describeError } from '../errors.js';
import type { Logger } from '../log.js';
import type { DigestService } from './digest-service.js';

/** Wake at least this often, so a subscription added or changed meanwhile is picked up. */
export const MAX_SLEEP_MS = 60_000;

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * Runs due digests at their times: sleeps until the next scheduled instant (computed by croner in
 * DigestService.nextDue), at most a minute at a time, and catches up at start.
 */
export class DigestScheduler {
  private handle: unknown;
  private running = false;
  private stopped = true;

  constructor(
    private readonly service: DigestService<unknown>,
    private readonly deps: { now: () => Date; log: Logger; timers?: Timers },
  ) {}

  start(): void {
    this.stopped = false;
    void this.tick();
  }

  stop(): void {
    this.stopped = true;
    const timers = this.deps.timers ?? globalThis;
    if (this.handle !== undefined) timers.clearTimeout(this.handle as ReturnType<typeof setTimeout>);
    this.handle = undefined;
  }

  /** Runs what is due now, then schedules the next wake-up. */
  async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      const results = await this.service.runDue();
      if (results.length > 0) this.deps.log.info({ results }, 'digest run');
    } catch (error) {
      this.deps.log.error({ error: describeError(error) }, 'digest run failed');
    } finally {
      this.running = false;
    }
    if (this.stopped) return;
    const next = await this.service.nextDue().catch((error: unknown) => {
      this.deps.log.error({ error: describeError(error) }, 'digest run failed');
      return undefined;
    });
    if (this.stopped) return;
    const wait = next ? Math.min(MAX_SLEEP_MS, Math.max(1_000, next.getTime() - this.deps.now().getTime() + 500)) : MAX_SLEEP_MS;
    const timers = this.deps.timers ?? globalThis;
    this.handle = timers.setTimeout(() => void this.tick(), wait);
  }
}
