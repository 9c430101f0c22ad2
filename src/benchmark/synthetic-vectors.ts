/**
 * Seeded synthetic vectors and an exact nearest-neighbour scan in plain JS, the
 * baseline an approximate index is measured against.
 */


/** Vectors stored one after another in one Float32Array (what an index stores, too). */
export interface VectorSet {
  count: number;
  dimensions: number;
  values: Float32Array;
}

/**
 * How synthetic vectors are spread over the unit sphere:
 * - `uniform`: uniformly (normalized Gaussians). Every point is nearly equally far
 *   from every other: the hardest case for an approximate index.
 * - `subspace`: near a random `latentDimensions`-dimensional subspace (a unit vector in
 *   it plus isotropic Gaussian noise of norm ≈ `noise`, renormalized). Text embeddings
 *   have a low intrinsic dimension, so this is the kinder, more typical case.
 */
export type VectorDistribution = { kind: 'uniform' } | { kind: 'subspace'; latentDimensions: number; noise: number };

/** A short human description, e.g. "near a 16-d subspace (noise 0.1)". */
export function describeDistribution(distribution: VectorDistribution): string {
  return distribution.kind === 'uniform'
    ? 'uniform on the sphere'
    : `near a random ${distribution.latentDimensions}-d subspace (noise ${distribution.noise})`;
}

/**
 * A sampler of float32 unit vectors from one distribution; every call draws from the
 * same distribution (the same subspace), so data and queries can come from one sampler.
 * Values are float32, so a plain-Array copy handed to hnswlib loses nothing.
 */
export function createVectorSampler(distribution: VectorDistribution, dimensions: number, random: () => number): (count: number) => VectorSet {
  // Box–Muller; 1 - random() keeps log() away from 0.
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const row = new Float64Array(dimensions);
  const normalizeInto = (values: Float32Array, offset: number): void => {
    let norm = 0;
    for (let d = 0; d < dimensions; d++) norm += row[d]! * row[d]!;
    norm = Math.sqrt(norm);
    for (let d = 0; d < dimensions; d++) values[offset + d] = row[d]! / norm;
  };

  if (distribution.kind === 'uniform') {
    return (count) => {
      const values = new Float32Array(count * dimensions);
      for (let i = 0; i < count; i++) {
        for (let d = 0; d < dimensions; d++) row[d] = gaussian();
        normalizeInto(values, i * dimensions);
      }
      return { count, dimensions, values };
    };
  }

  const { latentDimensions, noise } = distribution;
  const basis = Array.from({ length: latentDimensions }, () => Float64Array.from({ length: dimensions }, gaussian));
  const latent = new Float64Array(latentDimensions);
  return (count) => {
    const values = new Float32Array(count * dimensions);
    for (let i = 0; i < count; i++) {
      for (let a = 0; a < latentDimensions; a++) latent[a] = gaussian();
      row.fill(0);
      for (let a = 0; a < latentDimensions; a++) {
        const axis = basis[a]!;
        const weight = latent[a]!;
        for (let d = 0; d < dimensions; d++) row[d] = row[d]! + weight * axis[d]!;
      }
      let norm = 0;
      for (let d = 0; d < dimensions; d++) norm += row[d]! * row[d]!;
      norm = Math.sqrt(norm);
      // Unit vector in the subspace, plus noise whose expected norm is `noise`.
      const noiseScale = noise / Math.sqrt(dimensions);
      for (let d = 0; d < dimensions; d++) row[d] = row[d]! / norm + noiseScale * gaussian();
      normalizeInto(values, i * dimensions);
    }
    return { count, dimensions, values };
  };
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
