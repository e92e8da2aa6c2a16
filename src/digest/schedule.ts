import { Cron } from 'croner';

/** HH:MM, 24-hour. */
export const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function parseTime(time: string): { hour: number; minute: number } | undefined {
  const m = TIME_PATTERN.exec(time.trim());
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : undefined;
}

/** The calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function localDay(instant: Date, timezone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/** A daily schedule at a local time; croner does the time-zone and daylight-saving arithmetic. */
export class DailySchedule {
  private readonly cron: Cron;
  constructor(
    readonly time: string,
    readonly timezone: string,
  ) {
    const t = parseTime(time);
    if (!t) throw new Error(`invalid time ${time}`);
    // paused: used only to compute run times; the scheduler owns the (injectable) timer.
    this.cron = new Cron(`${t.minute} ${t.hour} * * *`, { timezone, paused: true });
  }

  /** The first scheduled instant strictly after `after`. */
  next(after: Date): Date {
    const next = this.cron.nextRun(after);
    if (!next) throw new Error('a daily schedule always has a next run');
    return next;
  }

  /** The latest scheduled instant at or before `at`, if any within the last two days. */
  previous(at: Date): Date | undefined {
    // croner's previousRuns looks strictly before the reference; nudge it so a run exactly at `at` counts.
    return this.cron.previousRuns(1, new Date(at.getTime() + 1))[0];
  }
}
