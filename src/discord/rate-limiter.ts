/**
 * Sliding-window limit per user: at most `limit` events in `windowMs`.
 * `check` records the event when allowed, so a refused attempt does not extend the wait.
 */
export class RateLimiter {
  private readonly events = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** 0 when allowed (and counted), otherwise the whole seconds until the next is allowed. */
  check(userId: string): number {
    const now = this.now();
    const recent = (this.events.get(userId) ?? []).filter((at) => now - at < this.windowMs);
    if (recent.length >= this.limit) {
      this.events.set(userId, recent);
      return Math.max(1, Math.ceil((recent[0]! + this.windowMs - now) / 1000));
    }
    recent.push(now);
    this.events.set(userId, recent);
    this.prune(now);
    return 0;
  }

  /** Forget users whose window has passed, so the map does not grow with every user ever seen. */
  private prune(now: number): void {
    if (this.events.size < 1_000) return;
    for (const [user, times] of this.events) {
      if (times.every((at) => now - at >= this.windowMs)) this.events.delete(user);
    }
  }
}
