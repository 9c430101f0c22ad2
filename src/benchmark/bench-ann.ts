import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { buildDenseIndex, type DenseIndex, searchDense } from '../store/dense-index.js';
import { countIdHits, countTolerantHits } from './recall.js';
import { summarize, type Distribution } from './statistics.js';
import { timeOnce } from './measure-time.js';
import { createSeededRandom } from '../seeded-random.js';
import {
  cosineDistanceTo,
  createVectorSampler,
  searchExact,
  type VectorDistribution,
  vectorAt,
  type VectorSet,
} from './synthetic-vectors.js';

export interface AnnBenchOptions {
  distribution: VectorDistribution;
  /** Vectors in the index. */
  count: number;
  dimensions: number;
  /** Timed queries (after `warmupQueries` untimed ones). */
  queries: number;
  warmupQueries: number;
  /** Neighbours asked for. */
  k: number;
  seed: number;
  /**
   * Search-time ef values to measure besides the index's own default. hnswlib searches
   * with max(ef, k) candidates; a larger ef buys recall with time.
   */
  extraEf: readonly number[];
}

export interface AnnSearchResult {
  /** hnswlib's ef during the search. */
  ef: number;
  /** Whether this is the ef the project's index searches with. */
  projectDefault: boolean;
  latencyMs: Distribution;
  /** Mean over queries of hits / k, hits counted by distance (ann-benchmarks' rule). */
  recall: number;
  /** Mean over queries of hits / k, hits counted by id (undercounts on near-ties). */
  recallById: number;
}

export interface AnnBenchResult {
  distribution: VectorDistribution;
  count: number;
  dimensions: number;
  k: number;
  buildMs: number;
  exactLatencyMs: Distribution;
  searches: AnnSearchResult[];
}

/** Only precomputed vectors are added to the index, so nothing is ever embedded. */
const PRECOMPUTED_VECTORS_ONLY: EmbeddingsInterface = {
  embedDocuments: () => Promise.reject(new Error('benchmark: vectors are precomputed; nothing should be embedded')),
  embedQuery: () => Promise.reject(new Error('benchmark: vectors are precomputed; nothing should be embedded')),
};

/**
 * Builds an HNSW index over seeded random unit vectors with the project's
 * `buildDenseIndex` and compares `searchDense` with an exact scan: time per query
 * and recall@k, at the index's own ef and at each of `extraEf`.
 */
export async function benchAnn(options: AnnBenchOptions): Promise<AnnBenchResult> {
  const { count, dimensions, k } = options;
  const sample = createVectorSampler(options.distribution, dimensions, createSeededRandom(options.seed));
  const data = sample(count);
  const queries = sample(options.warmupQueries + options.queries);

  const rows = Array.from({ length: count }, (_, index) => vectorAt(data, index));
  const built = await timeOnce(() =>
    buildDenseIndex(PRECOMPUTED_VECTORS_ONLY, dimensions, rows),
  );
  const dense = built.value;
  const queryRows = Array.from({ length: queries.count }, (_, index) => vectorAt(queries, index));

  const exactTimes: number[] = [];
  const exact = queryRows.map((query, index) => {
    const { value, ms } = timeSync(() => searchExact(data, query, k));
    if (index >= options.warmupQueries) exactTimes.push(ms);
    return value;
  });

  const defaultEf = dense.store.index.getEf();
  const searches: AnnSearchResult[] = [];
  for (const ef of [defaultEf, ...options.extraEf.filter((value) => value !== defaultEf)]) {
    dense.store.index.setEf(ef);
    searches.push({ ef, projectDefault: ef === defaultEf, ...(await measureSearches(dense, data, queryRows, exact, options)) });
  }
  dense.store.index.setEf(defaultEf);
  return { distribution: options.distribution, count, dimensions, k, buildMs: built.ms, exactLatencyMs: summarize(exactTimes), searches };
}

async function measureSearches(
  dense: DenseIndex,
  data: VectorSet,
  queries: readonly number[][],
  exact: readonly { ids: number[]; distances: number[] }[],
  options: AnnBenchOptions,
): Promise<Omit<AnnSearchResult, 'ef' | 'projectDefault'>> {
  const { k, warmupQueries } = options;
  const times: number[] = [];
  let tolerantHits = 0;
  let idHits = 0;
  for (const [index, query] of queries.entries()) {
    const { value: matches, ms } = await timeOnce(() => searchDense(dense, query, k));
    if (index < warmupQueries) continue;
    times.push(ms);
    const ids = matches.map((match) => match.position);
    // True distances of what came back, computed like the exact scan's, not the index's own float32 figures.
    const distances = ids.map((id) => cosineDistanceTo(data, query, id));
    tolerantHits += countTolerantHits(exact[index]!.distances, distances, k);
    idHits += countIdHits(exact[index]!.ids, ids, k);
  }
  const asked = times.length * k;
  return { latencyMs: summarize(times), recall: tolerantHits / asked, recallById: idHits / asked };
}

function timeSync<T>(task: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = task();
  return { value, ms: performance.now() - started };
}
