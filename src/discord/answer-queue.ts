/**
 * Answers one question at a time, each started only after the event loop has handled
 * the I/O already waiting (`setImmediate` runs after the poll phase). Without it a
 * burst of questions ran back to back, and a new interaction's acknowledgement — due
 * within Discord's 3 s — waited behind all of them: `npm run bench -- --load` measured
 * acknowledgements up to 2.8 s on a busy 2-core machine.
 */
export class AnswerQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  /** Runs `job` after every job queued before it, once pending I/O has been handled. */
  run<T>(job: () => Promise<T>): Promise<T> {
    this.waiting++;
    const result = this.tail
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => {
        this.waiting--;
        return job();
      });
    // One failed answer must not stop the ones queued behind it.
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Questions queued and not yet started. */
  get length(): number {
    return this.waiting;
  }
}
