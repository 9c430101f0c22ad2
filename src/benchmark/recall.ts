/**
 * Recall of an approximate nearest-neighbour search against an exact one.
 *
 * Counted by distance, as ann-benchmarks does: a returned neighbour is a hit when
 * its true distance is within `epsilon` of the k-th exact distance. Counting by id
 * undercounts when several points are (nearly) equally far from the query: the
 * index may return an equally good point the exact scan happened to rank 11th.
 */

/** ann-benchmarks' tolerance for "as near as the k-th true neighbour". */
export const RECALL_DISTANCE_EPSILON = 1e-3;

/**
 * Returned neighbours (first `k`, by their true distances to the query) that are no
 * farther than the k-th exact distance plus `epsilon`.
 * `exactDistances` must be sorted nearest first and hold at least `k` entries.
 */
export function countTolerantHits(
  exactDistances: readonly number[],
  returnedDistances: readonly number[],
  k: number,
  epsilon = RECALL_DISTANCE_EPSILON,
): number {
  const kthExact = exactDistances[k - 1];
  if (kthExact === undefined) throw new Error(`benchmark: need ${k} exact distances, got ${exactDistances.length}`);
  const threshold = kthExact + epsilon;
  return returnedDistances.slice(0, k).filter((distance) => distance <= threshold).length;
}

/** Returned ids (first `k`) that are among the first `k` exact ids. */
export function countIdHits(exactIds: readonly number[], returnedIds: readonly number[], k: number): number {
  const truth = new Set(exactIds.slice(0, k));
  return returnedIds.slice(0, k).filter((id) => truth.has(id)).length;
}
