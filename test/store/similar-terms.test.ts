import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../src/seeded-random.js';
import { findSimilarTerms, findTerm } from '../../src/store/similar-terms.js';

/** Edit distance by the textbook table: Levenshtein, or with adjacent swaps (optimal string alignment). */
function distance(a: string, b: string, transpositions: boolean): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (transpositions && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

describe('findSimilarTerms', () => {
  // Words over a small alphabet share many prefixes and letters, which is where pruning can go wrong.
  const random = createSeededRandom(42);
  const word = (): string => Array.from({ length: 1 + Math.floor(random() * 9) }, () => 'abcde'[Math.floor(random() * 5)]).join('');
  const vocabulary = [...new Set(Array.from({ length: 1_500 }, word))].sort();

  it.each([
    [1, false],
    [2, false],
    [1, true],
    [2, true],
    [3, false],
  ])('finds exactly the terms within %i edits (transpositions: %s) that a full scan finds', (maxDistance, transpositions) => {
    for (let trial = 0; trial < 30; trial++) {
      const query = word();
      const found = findSimilarTerms(vocabulary, query, maxDistance, { transpositions });
      const expected = vocabulary.flatMap((term, index) => {
        const d = distance(query, term, transpositions);
        return d <= maxDistance ? [{ index, distance: d }] : [];
      });
      expect(found).toEqual(expected);
    }
  });

  it('finds exactly those terms also with letters outside a–z, which share bits of the letter sets, at distances 0 to 3', () => {
    // 'é' and 'ñ', '1' and '7', '-' and '3' fall on the same shared bits: the filter must not drop their terms.
    const mixed = (): string => Array.from({ length: 1 + Math.floor(random() * 8) }, () => 'aé1-bñ73'[Math.floor(random() * 8)]).join('');
    const terms = [...new Set(Array.from({ length: 1_200 }, mixed))].sort();
    for (const maxDistance of [0, 1, 2, 3]) {
      for (const transpositions of [false, true]) {
        for (let trial = 0; trial < 20; trial++) {
          const query = mixed();
          const expected = terms.flatMap((term, index) => {
            const d = distance(query, term, transpositions);
            return d <= maxDistance ? [{ index, distance: d }] : [];
          });
          expect(findSimilarTerms(terms, query, maxDistance, { transpositions })).toEqual(expected);
        }
      }
    }
  });

  it('searches each list by its own profile, and words longer than every term', () => {
    const short = ['ab', 'abc', 'b'];
    const long = ['abcdefgh', 'abcdefgx'];
    expect(findSimilarTerms(short, 'abd', 1)).toEqual([{ index: 0, distance: 1 }, { index: 1, distance: 1 }]);
    expect(findSimilarTerms(long, 'abcdefgh', 1)).toEqual([{ index: 0, distance: 0 }, { index: 1, distance: 1 }]);
    expect(findSimilarTerms(short, 'abcdefghij', 2)).toEqual([]);
    expect(findSimilarTerms(short, 'ab', -1)).toEqual([]);
  });

  it('finds a term by binary search, and nothing in an empty list', () => {
    expect(findTerm(vocabulary, vocabulary[123]!)).toBe(123);
    expect(findTerm(vocabulary, 'zzz')).toBe(-1);
    expect(findSimilarTerms([], 'abc', 1)).toEqual([]);
  });
});
