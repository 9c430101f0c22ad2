/**
 * Deterministic uniform numbers in [0, 1) (mulberry32): same seed, same sequence on every
 * platform (integer arithmetic only). Used where output must be reproducible: the
 * generated test model's token vectors and the benchmarks' synthetic data.
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
