import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../src/seeded-random.js';
import { lowerBound } from '../src/sorted-search.js';

/** The first index in [start, end) whose value is not below `key`, by walking. */
function walk<T extends string | number>(sorted: ArrayLike<T>, key: T, start: number, end: number): number {
  let i = start;
  while (i < end && sorted[i]! < key) i++;
  return i;
}

describe('lowerBound', () => {
  it('finds where a key goes among sorted strings, numbers and typed arrays, within a range, as walking does', () => {
    const random = createSeededRandom(11);
    for (let n = 0; n < 200; n++) {
      const length = Math.floor(random() * 30);
      const numbers = Array.from({ length }, () => Math.floor(random() * 20)).sort((a, b) => a - b);
      const strings = numbers.map((x) => `w${String.fromCharCode(97 + x)}`).sort();
      const start = Math.floor(random() * (length + 1));
      const end = start + Math.floor(random() * (length - start + 1));
      const key = Math.floor(random() * 22) - 1;
      for (const sorted of [numbers, Uint32Array.from(numbers), Float64Array.from(numbers)]) {
        expect(lowerBound(sorted, key, start, end)).toBe(walk(sorted, key, start, end));
        expect(lowerBound(sorted, key)).toBe(walk(sorted, key, 0, sorted.length));
      }
      const word = `w${String.fromCharCode(97 + Math.max(0, key))}`;
      expect(lowerBound(strings, word, start, end)).toBe(walk(strings, word, start, end));
      expect(lowerBound(strings, 'w')).toBe(0);
    }
  });
});
