/**
 * Timing loops on `performance.now()`. Each run is timed on its own, after
 * untimed warm-up runs (JIT, file cache, lazy imports), so the caller gets a
 * distribution rather than one total that hides outliers.
 */

export interface TimingOptions {
  /** Untimed runs first. */
  warmup: number;
  /** Timed runs. */
  runs: number;
  /** Untimed work before each run (e.g. a fresh folder), given the run's number (warm-ups count too). */
  before?: (run: number) => Promise<void> | void;
}

/** Milliseconds of each timed run of `task`, in order. */
export async function timeRuns(task: (run: number) => Promise<unknown> | unknown, options: TimingOptions): Promise<number[]> {
  if (!Number.isInteger(options.runs) || options.runs < 1) throw new Error(`benchmark: runs must be a positive whole number (got ${options.runs})`);
  const samples: number[] = [];
  const total = options.warmup + options.runs;
  for (let run = 0; run < total; run++) {
    await options.before?.(run);
    const started = performance.now();
    await task(run);
    const elapsed = performance.now() - started;
    if (run >= options.warmup) samples.push(elapsed);
  }
  return samples;
}

/** Result and milliseconds of one call. */
export async function timeOnce<T>(task: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await task();
  return { value, ms: performance.now() - started };
}
