import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchAnn } from '../../src/benchmark/bench-ann.js';
import { HNSW_EF_SEARCH } from '../../src/store/dense-index.js';
import { makeTempDir } from '../helpers.js';

describe('benchAnn', () => {
  let temp: { dir: string; cleanup: () => void };
  beforeAll(() => (temp = makeTempDir()));
  afterAll(() => temp.cleanup());

  it('measures the project default ef and the extra ones, raw hnswlib at the default, and the saved index, with recall rising to nearly 1 at a large ef', async () => {
    const result = await benchAnn({
      distribution: { kind: 'subspace', latentDimensions: 8, noise: 0.1 },
      count: 1_000,
      dimensions: 32,
      queries: 30,
      warmupQueries: 5,
      k: 10,
      seed: 1,
      extraEf: [200],
      workDir: temp.dir,
    });
    expect(result.searches.map((search) => [search.ef, search.projectDefault])).toEqual([[HNSW_EF_SEARCH, true], [200, false]]);
    expect(result.exactLatencyMs.n).toBe(30);
    expect(result.rawLatencyMs.n).toBe(30);
    const [atDefault, atLarge] = result.searches;
    expect(atDefault!.latencyMs.n).toBe(30);
    expect(atLarge!.recall).toBeGreaterThanOrEqual(0.98);
    expect(atLarge!.recall).toBeGreaterThanOrEqual(atDefault!.recall);
    // By-distance recall never counts fewer hits than by-id recall.
    for (const search of result.searches) expect(search.recall).toBeGreaterThanOrEqual(search.recallById);
    // 1,000 vectors of 32 float32 values, plus the graph.
    expect(result.diskBytes).toBeGreaterThan(1_000 * 32 * 4);
    expect(result.loadMs).toBeGreaterThan(0);
  });
});
