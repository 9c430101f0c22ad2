import { describe, expect, it } from 'vitest';
import { remember } from '../src/remember.js';

describe('remember', () => {
  it('computes a value once and returns it after', () => {
    const cache = new Map<string, number>();
    let computed = 0;
    const value = (): number => ++computed;
    expect(remember(cache, 'a', 10, value)).toBe(1);
    expect(remember(cache, 'a', 10, value)).toBe(1);
    expect(computed).toBe(1);
  });

  it('never holds more than its capacity, dropping the oldest entries first', () => {
    const cache = new Map<number, number>();
    for (let i = 0; i < 1_000; i++) {
      remember(cache, i, 64, () => i * 2);
      expect(cache.size).toBeLessThanOrEqual(64);
    }
    const kept = [...cache.keys()];
    // The newest entries, in order, and the last one inserted among them.
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 1_000 - kept.length + i));
    expect(kept.length).toBeGreaterThanOrEqual(60);
    let recomputed = false;
    expect(remember(cache, 0, 64, () => ((recomputed = true), 0))).toBe(0);
    expect(recomputed).toBe(true);
  });
});
