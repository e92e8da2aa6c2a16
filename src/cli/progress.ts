import cliProgress from 'cli-progress';

export interface ProgressReporter {
  onProgress(done: number, total: number): void;
  stop(): void;
}

/**
 * Progress of long work (indexing, ingesting) on standard error, only once it has taken longer than `afterMs`
 * (default 1 s): a bar on a terminal; otherwise one plain line when it starts to take long and one when it ends,
 * so a log file or CI run says why a command was quiet. `now` is the clock in ms (injected for tests).
 */
export function progressReporter(
  label: string,
  unit: string,
  options: { tty: boolean; write: (line: string) => void; now: () => number; afterMs?: number; stream?: NodeJS.WritableStream },
): ProgressReporter {
  const started = options.now();
  const after = options.afterMs ?? 1000;
  let bar: cliProgress.SingleBar | undefined;
  let announced = false;
  let last: { done: number; total: number } | undefined;
  return {
    onProgress(done, total) {
      last = { done, total };
      if (done >= total && !bar && !announced) {
        // Finished at the first report: no bar for work already done, but a long one is still said when not on a terminal.
        if (!options.tty && options.now() - started >= after) options.write(`${label}: ${done.toLocaleString('en-US')} ${unit} done in ${Math.round((options.now() - started) / 1000)} s.`);
        return;
      }
      if (!bar && !announced && options.now() - started < after) return;
      if (options.tty) {
        if (!bar) {
          bar = new cliProgress.SingleBar({ format: `${label} [{bar}] {value}/{total} ${unit}`, stream: options.stream ?? process.stderr }, cliProgress.Presets.shades_classic);
          bar.start(total, done);
        }
        bar.update(done);
      } else if (!announced) {
        announced = true;
        options.write(`${label}: ${total.toLocaleString('en-US')} ${unit} to do, this takes a while…`);
      }
    },
    stop() {
      if (bar) {
        bar.stop();
        bar = undefined;
      } else if (announced && last) {
        options.write(`${label}: ${last.done.toLocaleString('en-US')} ${unit} done in ${Math.round((options.now() - started) / 1000)} s.`);
      }
      announced = false;
    },
  };
}
