/**
 * The index of the first of `sorted`'s values (strings in UTF-16 code-unit order, or
 * numbers) not below `key`, by binary search over `[start, end)`: where the strings
 * starting with `key` begin, or where `key` would go.
 */
export function lowerBound<T extends string | number>(sorted: ArrayLike<T>, key: T, start = 0, end = sorted.length): number {
  let low = start;
  let high = end;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < key) low = middle + 1;
    else high = middle;
  }
  return low;
}
