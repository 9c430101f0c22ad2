import { CHUNKER_VERSION } from '../chunking/chunk-document.js';
import { loadCorpus } from '../corpus/load-corpus.js';
import type { ReindexProgress } from '../engine-types.js';
import { buildIndex } from './build-index.js';
import type { IndexEmbedder } from './dense-index.js';
import { type CorpusIndex, loadIndex, readManifest } from './index-files.js';
import { findManifestMismatch, hashCorpus, type Manifest } from './manifest.js';

export interface OpenIndexOptions {
  corpusDir: string;
  indexDir: string;
  embedder: IndexEmbedder | null;
  batchSize?: number;
  /** Receives one line per problem found (stale, mismatched or corrupt index). */
  warn?: (message: string) => void;
  onProgress?: (progress: ReindexProgress) => void;
}

/**
 * Opens the saved index when it matches the corpus, chunker and model; otherwise
 * (missing, stale, mismatched or corrupt) rebuilds it, with a warning saying why.
 * A stale or corrupt index is never used.
 */
export async function openIndex(options: OpenIndexOptions): Promise<{ index: CorpusIndex; rebuilt: boolean }> {
  const { corpusDir, indexDir, embedder, warn = () => {} } = options;
  const rebuild = async (why: string | null): Promise<{ index: CorpusIndex; rebuilt: boolean }> => {
    if (why) warn(`store: rebuilding the index: ${why}.`);
    const { index } = await buildIndex({ corpusDir, indexDir, embedder, batchSize: options.batchSize, onProgress: options.onProgress });
    return { index, rebuilt: true };
  };

  let manifest: Manifest | null;
  try {
    manifest = await readManifest(indexDir);
  } catch (error) {
    return rebuild(`index/manifest.json is unreadable (${(error as Error).message})`);
  }
  if (!manifest) return rebuild(null);

  const { documents, skipped } = await loadCorpus(corpusDir);
  const mismatch = findManifestMismatch(manifest, {
    corpusHash: hashCorpus(documents, skipped),
    chunkerVersion: CHUNKER_VERSION,
    embeddingModel: embedder?.modelId ?? null,
  });
  if (mismatch) return rebuild(mismatch);
  try {
    return { index: await loadIndex(indexDir, manifest, corpusDir, embedder), rebuilt: false };
  } catch (error) {
    return rebuild(`the saved index is corrupt (${(error as Error).message})`);
  }
}
