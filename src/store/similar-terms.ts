/**
 * Vocabulary terms within a small edit distance of a word, found in a sorted term list
 * the way a trie is searched: the edit-distance rows of a prefix are computed once for
 * every term sharing it, and a prefix that is already too far skips every term under it.
 * Used for fuzzy lexical matching (Levenshtein) and typo correction (with transpositions).
 */

import { lowerBound } from '../sorted-search.js';

export interface SimilarTerm {
  /** Index of the term in the sorted list. */
  index: number;
  distance: number;
}

export interface SimilarTermOptions {
  /** Count a swap of two neighbouring letters as one edit (optimal string alignment). */
  transpositions?: boolean;
}

/**
 * Every term of `sortedTerms` (sorted by UTF-16 code units, as `Array.prototype.sort`
 * does) within `maxDistance` edits of `word`, the word itself included at distance 0,
 * in list order.
 */
export function findSimilarTerms(sortedTerms: readonly string[], word: string, maxDistance: number, options: SimilarTermOptions = {}): SimilarTerm[] {
  const found: SimilarTerm[] = [];
  if (maxDistance < 0 || sortedTerms.length === 0) return found;
  const shared = sharedPrefixLengths(sortedTerms);
  const transpositions = options.transpositions ?? false;
  const columns = word.length + 1;
  // A term longer than this is out of reach whatever its letters.
  const maxRows = word.length + maxDistance + 1;
  const rows = new Uint16Array((maxRows + 1) * columns);
  for (let j = 0; j < columns; j++) rows[j] = j;

  /** Rows 1..validRows hold the previous term's prefix; `common` letters of it start the current term. */
  let validRows = 0;
  let common = 0;
  let index = 0;
  while (index < sortedTerms.length) {
    const term = sortedTerms[index]!;
    const lastRow = Math.min(term.length, maxRows - 1);
    let dead = 0;
    for (let row = Math.min(common, validRows) + 1; row <= lastRow; row++) {
      const at = row * columns;
      const above = at - columns;
      const char = term.charCodeAt(row - 1);
      rows[at] = row;
      let minimum = row;
      // Only cells within maxDistance of the diagonal can be within reach (|row − column| is a
      // lower bound of the distance); the rest hold maxDistance + 1.
      const first = Math.max(1, row - maxDistance);
      const last = Math.min(columns - 1, row + maxDistance);
      if (first > 1) rows[at + first - 1] = maxDistance + 1;
      if (last + 1 < columns) rows[at + last + 1] = maxDistance + 1;
      for (let j = first; j <= last; j++) {
        const cost = char === word.charCodeAt(j - 1) ? 0 : 1;
        let value = Math.min(rows[above + j]! + 1, rows[at + j - 1]! + 1, rows[above + j - 1]! + cost);
        if (transpositions && row > 1 && j > 1 && char === word.charCodeAt(j - 2) && term.charCodeAt(row - 2) === word.charCodeAt(j - 1)) {
          value = Math.min(value, rows[above - columns + j - 2]! + 1);
        }
        rows[at + j] = value;
        if (value < minimum) minimum = value;
      }
      // Once a row is out of reach so is every longer term with this prefix: each cell is at
      // least the row's minimum, and a transposition reaches back two rows, whose minimum is
      // at least this one's less one (a substitution costs one).
      if (minimum > maxDistance) {
        dead = row;
        break;
      }
    }
    if (dead === 0) {
      validRows = lastRow;
      if (term.length <= lastRow) {
        // Off the band, the cell was never written for this term.
        const distance = Math.abs(term.length - word.length) > maxDistance ? maxDistance + 1 : rows[term.length * columns + word.length]!;
        if (distance <= maxDistance) found.push({ index, distance });
        index++;
        common = shared[index] ?? 0;
        continue;
      }
      // Too long: so is every term sharing its first maxRows letters.
      dead = maxRows;
    } else {
      validRows = dead - 1;
    }
    // Skip every following term that shares the first `dead` letters: one step per term,
    // but each term is skipped at most once per search.
    index++;
    while (index < sortedTerms.length && shared[index]! >= dead) index++;
    common = shared[index] ?? 0;
  }
  return found;
}

const sharedPrefixesOf = new WeakMap<readonly string[], Uint16Array>();

/** For each term, how many leading letters it shares with the term before it (capped at 65,535). */
function sharedPrefixLengths(sortedTerms: readonly string[]): Uint16Array {
  let shared = sharedPrefixesOf.get(sortedTerms);
  if (!shared) {
    shared = new Uint16Array(sortedTerms.length);
    for (let i = 1; i < sortedTerms.length; i++) shared[i] = Math.min(commonPrefixLength(sortedTerms[i - 1]!, sortedTerms[i]!), 0xffff);
    sharedPrefixesOf.set(sortedTerms, shared);
  }
  return shared;
}

function commonPrefixLength(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let i = 0;
  while (i < limit && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Position of `term` in `sortedTerms`, or -1. */
export function findTerm(sortedTerms: readonly string[], term: string): number {
  const at = lowerBound(sortedTerms, term);
  return sortedTerms[at] === term ? at : -1;
}
