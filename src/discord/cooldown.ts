/**
 * Per-user rate limit: at most `burst` uses in any `windowMs`. Keeps one member from flooding a channel
 * (and the index) while leaving normal back-and-forth untouched.
 */
export class Cooldown {
  private readonly uses = new Map<string, number[]>();
  constructor(
    private readonly now: () => Date,
    private readonly burst = 4,
    private readonly windowMs = 20_000,
  ) {}

  /** Records a use and returns 0, or returns how many seconds to wait without recording. */
  take(userId: string): number {
    const t = this.now().getTime();
    const recent = (this.uses.get(userId) ?? []).filter((u) => t - u < this.windowMs);
    if (recent.length >= this.burst) {
      this.uses.set(userId, recent);
      return Math.ceil((this.windowMs - (t - (recent[0] ?? t))) / 1000);
    }
    recent.push(t);
    this.uses.set(userId, recent);
    if (this.uses.size > 10_000) this.prune(t);
    return 0;
  }

  private prune(t: number): void {
    for (const [user, times] of this.uses) if (times.every((u) => t - u >= this.windowMs)) this.uses.delete(user);
  }
}
