/**
 * Seeded synthetic vectors and an exact nearest-neighbour scan in plain JS, the
 * baseline an approximate index is measured against.
 */

/** Deterministic uniform numbers in [0, 1) (mulberry32): same seed, same sequence. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Vectors stored one after another in one Float32Array (what an index stores, too). */
export interface VectorSet {
  count: number;
  dimensions: number;
  values: Float32Array;
}

/**
 * `count` vectors drawn uniformly from the unit sphere (normalized Gaussians).
 * Values are float32, so a plain-Array copy handed to hnswlib loses nothing.
 */
export function generateUnitVectors(count: number, dimensions: number, random: () => number): VectorSet {
  const values = new Float32Array(count * dimensions);
  const row = new Float64Array(dimensions);
  for (let i = 0; i < count; i++) {
    let norm = 0;
    for (let d = 0; d < dimensions; d++) {
      // Box–Muller; 1 - random() keeps log() away from 0.
      const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      row[d] = gaussian;
      norm += gaussian * gaussian;
    }
    norm = Math.sqrt(norm);
    for (let d = 0; d < dimensions; d++) values[i * dimensions + d] = row[d]! / norm;
  }
  return { count, dimensions, values };
}

/** Vector `index` as a plain Array (hnswlib-node's addPoint and searchKnn take no typed arrays). */
export function vectorAt(set: VectorSet, index: number): number[] {
  return Array.from(set.values.subarray(index * set.dimensions, (index + 1) * set.dimensions));
}

/** Cosine distance (1 − dot product) between a query and vector `index`; both unit length. */
export function cosineDistanceTo(set: VectorSet, query: ArrayLike<number>, index: number): number {
  const { dimensions, values } = set;
  const offset = index * dimensions;
  let dot = 0;
  for (let d = 0; d < dimensions; d++) dot += query[d]! * values[offset + d]!;
  return 1 - dot;
}

export interface Neighbours {
  ids: number[];
  /** Cosine distances, nearest first. */
  distances: number[];
}

/** The exact `k` nearest vectors by cosine distance: a scan of every vector. */
export function searchExact(set: VectorSet, query: ArrayLike<number>, k: number): Neighbours {
  const ids: number[] = [];
  const distances: number[] = [];
  for (let index = 0; index < set.count; index++) {
    const distance = cosineDistanceTo(set, query, index);
    if (ids.length === k && distance >= distances[k - 1]!) continue;
    // Insertion into a short sorted list beats a heap for k ≈ 10.
    let at = Math.min(ids.length, k - 1);
    while (at > 0 && distances[at - 1]! > distance) at--;
    ids.splice(at, 0, index);
    distances.splice(at, 0, distance);
    if (ids.length > k) {
      ids.pop();
      distances.pop();
    }
  }
  return { ids, distances };
}
