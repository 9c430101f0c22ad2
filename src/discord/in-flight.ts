/**
 * The handlers still running (answers being computed or delivered), so a shutdown can
 * let them finish — a deploy's restart should not leave users looking at "thinking…" —
 * and say how many it had to abandon when they take too long.
 */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  /** Follows `work` until it settles; returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
    return work;
  }

  get size(): number {
    return this.running.size;
  }

  /** Waits until nothing is running or `timeoutMs` has passed; resolves with how many are still running. */
  async settle(timeoutMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    while (this.running.size > 0) {
      const finished = await Promise.race([Promise.all([...this.running]).then(() => true), deadline.then(() => false)]);
      if (!finished) break;
    }
    clearTimeout(timer);
    return this.running.size;
  }
}
