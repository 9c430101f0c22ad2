import { describe, expect, it } from 'vitest';
import { median, percentile, summarize } from '../src/statistics.js';

describe('percentile', () => {
  it('interpolates linearly between closest ranks, as NumPy does by default', () => {
    const samples = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    // rank = 0.95 × 9 = 8.55 → 9 + 0.55 × (10 − 9)
    expect(percentile(samples, 95)).toBeCloseTo(9.55, 10);
    expect(percentile(samples, 0)).toBe(1);
    expect(percentile(samples, 100)).toBe(10);
  });

  it('takes the mean of the middle two as the median of an even count, whatever the input order', () => {
    expect(median([40, 10, 30, 20])).toBe(25);
    expect(median([7])).toBe(7);
  });

  it('rejects an empty sample list and a percent outside 0–100', () => {
    expect(() => percentile([], 50)).toThrow(/no samples/);
    expect(() => percentile([1], 101)).toThrow(/0 to 100/);
  });
});

describe('summarize', () => {
  it('reports n, median, p95, min, max and mean', () => {
    const summary = summarize([5, 1, 3, 100]);
    expect(summary).toEqual({ n: 4, median: 4, p95: percentile([1, 3, 5, 100], 95), min: 1, max: 100, mean: 27.25 });
    expect(summary.p95).toBeCloseTo(85.75, 10);
  });
});
