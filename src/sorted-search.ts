/**
 * The index of the first of `sorted`'s strings not below `key` (UTF-16 code-unit order,
 * binary search): where the strings starting with `key` begin, or where `key` would go.
 */
export function lowerBound(sorted: readonly string[], key: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < key) low = middle + 1;
    else high = middle;
  }
  return low;
}
