/**
 * The one definition of a percentile (p50, p95…) for every figure the project prints:
 * `npm run eval`'s latency, `npm run bench`, `npm run report` and `/stats`.
 * Percentiles interpolate linearly between closest ranks (NumPy's default, "type 7"):
 * the median of an even number of samples is the mean of the middle two, and a p95 moves
 * smoothly as samples change instead of jumping from one sample to the next. It was
 * chosen over nearest-rank because the benchmark and report figures in the README and
 * docs were already measured with it.
 */

export interface Distribution {
  /** Number of samples. */
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
  mean: number;
}

/** The `percent`-th percentile (0–100) of the samples; throws on an empty list. */
export function percentile(samples: readonly number[], percent: number): number {
  if (samples.length === 0) throw new Error('statistics: percentile of no samples');
  if (!(percent >= 0 && percent <= 100)) throw new Error(`statistics: percentile must be from 0 to 100 (got ${percent})`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (percent / 100) * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.ceil(rank);
  const low = sorted[below]!;
  const high = sorted[above]!;
  return low + (high - low) * (rank - below);
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** n, median, p95, min, max and mean of the samples; throws on an empty list. */
export function summarize(samples: readonly number[]): Distribution {
  if (samples.length === 0) throw new Error('statistics: cannot summarize no samples');
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const value of samples) {
    sum += value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { n: samples.length, median: median(samples), p95: percentile(samples, 95), min, max, mean: sum / samples.length };
}
