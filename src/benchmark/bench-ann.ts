import { statSync } from 'node:fs';
import path from 'node:path';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { createSeededRandom } from '../seeded-random.js';
import { buildDenseIndex, type DenseIndex, loadDenseIndex, saveDenseIndex, searchDense } from '../store/dense-index.js';
import { timeOnce } from './measure-time.js';
import { countIdHits, countTolerantHits } from './recall.js';
import { type Distribution, summarize } from '../statistics.js';
import { cosineDistanceTo, createVectorSampler, searchExact, type VectorDistribution, vectorAt, type VectorSet } from './synthetic-vectors.js';

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
  /** A folder to save the index in (its size and load time are measured). */
  workDir: string;
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
  /** Size of the saved HNSW file. */
  diskBytes: number;
  /** `loadDenseIndex` of the saved file (checksum excluded: that is the store's, not the index's). */
  loadMs: number;
  /** Resident memory the loaded index added to the process. */
  rssBytes: number;
  exactLatencyMs: Distribution;
  /** The same queries through hnswlib-node's own `searchKnn`, at the project's ef: what our path adds to. */
  rawLatencyMs: Distribution;
  searches: AnnSearchResult[];
}

/** Only precomputed vectors are added to the index, so nothing is ever embedded. */
const PRECOMPUTED_VECTORS_ONLY: EmbeddingsInterface = {
  embedDocuments: () => Promise.reject(new Error('benchmark: vectors are precomputed; nothing should be embedded')),
  embedQuery: () => Promise.reject(new Error('benchmark: vectors are precomputed; nothing should be embedded')),
};

/**
 * Builds an HNSW index over seeded synthetic unit vectors with the project's
 * `buildDenseIndex`, saves and reloads it, and compares `searchDense` (LangChain's vector
 * store over hnswlib-node) with an exact scan and with hnswlib-node's raw `searchKnn`:
 * time per query and recall@k, at the index's own ef and at each of `extraEf`.
 */
export async function benchAnn(options: AnnBenchOptions): Promise<AnnBenchResult> {
  const { count, dimensions, k } = options;
  const sample = createVectorSampler(options.distribution, dimensions, createSeededRandom(options.seed));
  const data = sample(count);
  const queries = sample(options.warmupQueries + options.queries);

  const rows = Array.from({ length: count }, (_, index) => vectorAt(data, index));
  const built = await timeOnce(() => buildDenseIndex(PRECOMPUTED_VECTORS_ONLY, dimensions, rows));
  rows.length = 0;
  const file = path.join(options.workDir, `ann-${count}-${dimensions}.index`);
  await saveDenseIndex(built.value, file);
  const rssBefore = settledRss();
  const loaded = await timeOnce(() => loadDenseIndex(file, PRECOMPUTED_VECTORS_ONLY, dimensions, built.value.positions, count));
  const rssBytes = Math.max(0, settledRss() - rssBefore);
  const dense = loaded.value;
  const queryRows = Array.from({ length: queries.count }, (_, index) => vectorAt(queries, index));

  const exactTimes: number[] = [];
  const exact = queryRows.map((query, index) => {
    const started = performance.now();
    const result = searchExact(data, query, k);
    if (index >= options.warmupQueries) exactTimes.push(performance.now() - started);
    return result;
  });

  const defaultEf = dense.store.index.getEf();
  const searches: AnnSearchResult[] = [];
  let rawLatencyMs: Distribution | null = null;
  for (const ef of [defaultEf, ...options.extraEf.filter((value) => value !== defaultEf)]) {
    dense.store.index.setEf(ef);
    searches.push({ ef, projectDefault: ef === defaultEf, ...(await measureSearches(dense, data, queryRows, exact, options)) });
    // Raw hnswlib right after ours at the same ef, so both see the same state of the machine.
    if (ef === defaultEf) rawLatencyMs = measureRawSearches(dense, queryRows, options);
  }
  dense.store.index.setEf(defaultEf);
  return {
    distribution: options.distribution,
    count,
    dimensions,
    k,
    buildMs: built.ms,
    diskBytes: statSync(file).size,
    loadMs: loaded.ms,
    rssBytes,
    exactLatencyMs: summarize(exactTimes),
    rawLatencyMs: rawLatencyMs!,
    searches,
  };
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

function measureRawSearches(dense: DenseIndex, queries: readonly number[][], options: AnnBenchOptions): Distribution {
  const times: number[] = [];
  for (const [index, query] of queries.entries()) {
    const started = performance.now();
    dense.store.index.searchKnn(query, options.k);
    if (index >= options.warmupQueries) times.push(performance.now() - started);
  }
  return summarize(times);
}

/** RSS after a full garbage collection when the process allows it (node --expose-gc). */
function settledRss(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss;
}
