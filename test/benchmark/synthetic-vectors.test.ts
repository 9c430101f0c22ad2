import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../src/seeded-random.js';
import { cosineDistanceTo, createVectorSampler, searchExact, vectorAt, type VectorDistribution } from '../../src/benchmark/synthetic-vectors.js';

const DISTRIBUTIONS: VectorDistribution[] = [{ kind: 'uniform' }, { kind: 'subspace', latentDimensions: 4, noise: 0.1 }];

describe('synthetic vectors', () => {
  it.each(DISTRIBUTIONS)('are unit length and the same for the same seed ($kind)', (distribution) => {
    const a = createVectorSampler(distribution, 32, createSeededRandom(7))(50);
    const b = createVectorSampler(distribution, 32, createSeededRandom(7))(50);
    const c = createVectorSampler(distribution, 32, createSeededRandom(8))(50);
    expect(a.values).toEqual(b.values);
    expect(a.values).not.toEqual(c.values);
    for (let i = 0; i < a.count; i++) {
      const norm = Math.hypot(...vectorAt(a, i));
      expect(norm).toBeCloseTo(1, 5);
    }
  });

  it('gives subspace vectors much nearer neighbours than uniform ones', () => {
    const meanNearestDistance = (distribution: VectorDistribution): number => {
      const set = createVectorSampler(distribution, 64, createSeededRandom(3))(200);
      let total = 0;
      // The nearest other vector: the second result, the first being the vector itself.
      for (let i = 0; i < 20; i++) total += searchExact(set, vectorAt(set, i), 2).distances[1]!;
      return total / 20;
    };
    // Uniform vectors in 64 dims are nearly orthogonal even to their nearest neighbour.
    expect(meanNearestDistance({ kind: 'uniform' })).toBeGreaterThan(0.5);
    expect(meanNearestDistance({ kind: 'subspace', latentDimensions: 2, noise: 0.05 })).toBeLessThan(0.05);
  });
});

describe('searchExact', () => {
  it('returns the k nearest by cosine distance, nearest first, as a full sort would', () => {
    const set = createVectorSampler({ kind: 'uniform' }, 8, createSeededRandom(11))(300);
    const query = vectorAt(createVectorSampler({ kind: 'uniform' }, 8, createSeededRandom(12))(1), 0);
    const sorted = Array.from({ length: set.count }, (_, id) => ({ id, distance: cosineDistanceTo(set, query, id) })).sort((a, b) => a.distance - b.distance);
    const { ids, distances } = searchExact(set, query, 10);
    expect(ids).toEqual(sorted.slice(0, 10).map((entry) => entry.id));
    expect(distances).toEqual(sorted.slice(0, 10).map((entry) => entry.distance));
  });

  it('finds a stored vector itself at distance 0', () => {
    const set = createVectorSampler({ kind: 'uniform' }, 16, createSeededRandom(5))(100);
    const { ids, distances } = searchExact(set, vectorAt(set, 42), 1);
    expect(ids).toEqual([42]);
    expect(distances[0]).toBeCloseTo(0, 6);
  });
});
