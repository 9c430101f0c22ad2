import { HNSW_EF_SEARCH } from '../../src/store/dense-index.js';
import { describe, expect, it } from 'vitest';
import { benchAnn } from '../../src/benchmark/bench-ann.js';

describe('benchAnn', () => {
  it('measures the project default ef and the extra ones, with recall rising to nearly 1 at a large ef', async () => {
    const result = await benchAnn({
      distribution: { kind: 'subspace', latentDimensions: 8, noise: 0.1 },
      count: 1_000,
      dimensions: 32,
      queries: 30,
      warmupQueries: 5,
      k: 10,
      seed: 1,
      extraEf: [200],
    });
    expect(result.searches.map((search) => [search.ef, search.projectDefault])).toEqual([[HNSW_EF_SEARCH, true], [200, false]]);
    expect(result.exactLatencyMs.n).toBe(30);
    const [atDefault, atLarge] = result.searches;
    expect(atDefault!.latencyMs.n).toBe(30);
    expect(atLarge!.recall).toBeGreaterThanOrEqual(0.98);
    expect(atLarge!.recall).toBeGreaterThanOrEqual(atDefault!.recall);
    // By-distance recall never counts fewer hits than by-id recall.
    for (const search of result.searches) expect(search.recall).toBeGreaterThanOrEqual(search.recallById);
  });
});
