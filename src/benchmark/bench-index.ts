import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { buildIndex } from '../store/build-index.js';
import type { IndexEmbedder } from '../store/dense-index.js';
import { openIndex } from '../store/open-index.js';
import type { BenchWorkspace } from './bench-workspace.js';
import { timeOnce } from './measure-time.js';
import { summarize, type Distribution } from './statistics.js';

export interface IndexTimings {
  /** `openIndex` over a saved, up-to-date index (no rebuild). */
  loadMs: Distribution;
  /** `buildIndex` into a fresh folder: every chunk embedded. */
  coldBuildMs: Distribution;
  /** `buildIndex` over the saved index, nothing changed: embeddings come from the cache (hybrid only). */
  warmBuildMs: Distribution | null;
}

export interface IndexBenchResult {
  chunks: number;
  lexical: IndexTimings;
  hybrid: IndexTimings;
}

export interface IndexBenchOptions {
  warmup: number;
  runs: number;
}

/**
 * Index load vs. build, and (hybrid) a warm reindex vs. a cold one. The three
 * operations alternate within each run, so a machine that slows down part-way
 * through slows all of them alike.
 */
export async function benchIndex(workspace: BenchWorkspace, options: IndexBenchOptions): Promise<IndexBenchResult> {
  const lexical = await benchMode(workspace.lexical, null, options, 'lexical');
  const hybrid = await benchMode(workspace.hybrid, workspace.embedder, options, 'hybrid');
  return { chunks: workspace.chunks, lexical, hybrid };
}

async function benchMode(config: Config, embedder: IndexEmbedder | null, options: IndexBenchOptions, mode: string): Promise<IndexTimings> {
  const { corpusDir, indexDir } = config;
  const batchSize = config.embeddingBatchSize;
  await buildIndex({ corpusDir, indexDir, embedder, batchSize });
  const load: number[] = [];
  const cold: number[] = [];
  const warm: number[] = [];
  for (let run = 0; run < options.warmup + options.runs; run++) {
    const measured = run >= options.warmup;

    const opened = await timeOnce(() => openIndex({ corpusDir, indexDir, embedder, batchSize, warn: (message) => console.error(message) }));
    if (opened.value.rebuilt) throw new Error(`benchmark: openIndex rebuilt the ${mode} index instead of loading it`);
    if ((opened.value.index.dense !== null) !== (embedder !== null)) throw new Error(`benchmark: the loaded ${mode} index has the wrong retrieval mode`);
    if (measured) load.push(opened.ms);

    const freshDir = path.join(path.dirname(indexDir), `${path.basename(indexDir)}-cold-${run}`);
    const built = await timeOnce(() => buildIndex({ corpusDir, indexDir: freshDir, embedder, batchSize }));
    rmSync(freshDir, { recursive: true, force: true });
    if (built.value.summary.reusedEmbeddings !== 0) throw new Error(`benchmark: a cold ${mode} build reused embeddings`);
    if (measured) cold.push(built.ms);

    if (embedder) {
      const rebuilt = await timeOnce(() => buildIndex({ corpusDir, indexDir, embedder, batchSize }));
      const { reusedEmbeddings, chunks } = rebuilt.value.summary;
      if (reusedEmbeddings !== chunks) throw new Error(`benchmark: a warm ${mode} reindex reused ${reusedEmbeddings} of ${chunks} embeddings`);
      if (measured) warm.push(rebuilt.ms);
    }
  }
  return { loadMs: summarize(load), coldBuildMs: summarize(cold), warmBuildMs: embedder ? summarize(warm) : null };
}
