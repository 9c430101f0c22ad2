import { describe, expect, it } from 'vitest';
import { countIdHits, countTolerantHits } from '../../src/benchmark/recall.js';

describe('recall counted by distance', () => {
  // Exact top 3: ids 0, 1, 2 at 0.10, 0.20, 0.30. Id 3 sits at 0.3004: a near-tie with id 2.
  const exactIds = [0, 1, 2];
  const exactDistances = [0.1, 0.2, 0.3];

  it('counts an equally near point the exact scan happened to rank lower as a hit, where counting ids does not', () => {
    const returnedIds = [0, 1, 3];
    const returnedDistances = [0.1, 0.2, 0.3004];
    expect(countIdHits(exactIds, returnedIds, 3)).toBe(2);
    expect(countTolerantHits(exactDistances, returnedDistances, 3)).toBe(3);
  });

  it('does not count a point farther than the k-th exact distance plus the tolerance', () => {
    expect(countTolerantHits(exactDistances, [0.1, 0.2, 0.302], 3)).toBe(2);
    expect(countTolerantHits(exactDistances, [0.1, 0.2, 0.302], 3, 0.01)).toBe(3);
  });

  it('looks only at the first k results', () => {
    expect(countTolerantHits(exactDistances, [0.1, 0.2, 0.5, 0.1], 3)).toBe(2);
    expect(countIdHits(exactIds, [0, 9, 9, 1], 3)).toBe(1);
  });

  it('needs k exact distances', () => {
    expect(() => countTolerantHits([0.1], [0.1, 0.2], 2)).toThrow(/need 2 exact distances/);
  });
});
