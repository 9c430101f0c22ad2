/**
 * Deterministic uniform numbers in [0, 1) (mulberry32): same seed, same sequence on every
 * platform (integer arithmetic only). Used where output must be reproducible: the
 * generated models' vectors and the benchmarks' synthetic data.
 */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A unit vector determined by the key and seed alone (uniform in [-1, 1) per dimension,
 * then normalised), so a key's vector never depends on which other keys exist or in what
 * order they are drawn.
 */
export function seededUnitVector(key: string, seed: number, dimensions: number): Float64Array {
  const next = createSeededRandom(hashString(key, seed));
  const row = new Float64Array(dimensions);
  let squared = 0;
  for (let k = 0; k < dimensions; k++) {
    const value = next() * 2 - 1;
    row[k] = value;
    squared += value * value;
  }
  const norm = Math.sqrt(squared) || 1;
  for (let k = 0; k < dimensions; k++) row[k] = (row[k] ?? 0) / norm;
  return row;
}

/** FNV-1a over UTF-16 code units, salted with the seed. */
export function hashString(text: string, seed: number): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
