interface Waiter<T> {
  predicate: (item: T) => boolean;
  resolve: (item: T) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Promises that resolve on the first past or future item matching a predicate. Past items are checked first, so a
 * test never races the bot: it may ask before or after the request arrived.
 */
export class Waiters<T> {
  readonly #waiters = new Set<Waiter<T>>();

  wait(
    past: readonly T[],
    predicate: (item: T) => boolean,
    timeoutMs: number,
    describeTimeout: () => string,
  ): Promise<T> {
    const found = past.find(predicate);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.delete(waiter);
          reject(new Error(describeTimeout()));
        }, timeoutMs),
      };
      this.#waiters.add(waiter);
    });
  }

  notify(item: T): void {
    for (const waiter of this.#waiters) {
      if (!waiter.predicate(item)) continue;
      clearTimeout(waiter.timer);
      this.#waiters.delete(waiter);
      waiter.resolve(item);
    }
  }

  /** Fails every pending wait, so closing the emulator leaves no timer behind. */
  rejectAll(reason: string): void {
    for (const waiter of this.#waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(reason));
    }
    this.#waiters.clear();
  }
}
