import { CHUNKER_VERSION } from '../chunking/chunk-document.js';
import { loadCorpus } from '../corpus/load-corpus.js';
import type { ReindexProgress } from '../engine-types.js';
import { buildIndex, PREVIOUS_UNREADABLE, seenCorpusOf } from './build-index.js';
import { isSameCorpus, reuseUnchangedFiles } from './corpus-state.js';
import type { IndexEmbedder } from './dense-index.js';
import { type CorpusIndex, type OpeningIndex, readManifest, startLoadingIndex } from './index-files.js';
import { findManifestMismatch, type Manifest } from './manifest.js';

export interface OpenIndexOptions {
  /** Largest document read (DOCUMENT_MAX_BYTES). */
  maxDocumentBytes?: number;
  corpusDir: string;
  indexDir: string;
  embedder: IndexEmbedder | null;
  batchSize?: number;
  /** Receives one line per problem found (stale, mismatched or corrupt index). */
  warn?: (message: string) => void;
  onProgress?: (progress: ReindexProgress) => void;
  /** Links files were added from, for a rebuild (see `loadCorpus`). */
  documentUrls?: () => ReadonlyMap<string, string>;
  /** Work for this thread while hnswlib reads a saved graph on its own (also done when there is none). */
  whileGraphLoads?: () => void;
}

/**
 * Opens the saved index when it matches the corpus, chunker and model; otherwise
 * (missing, stale, mismatched or corrupt) rebuilds it, with a warning saying why.
 * A stale or corrupt index is never used. The corpus is compared by each file's size
 * and time, so an unchanged corpus is not read again (a file whose time is too recent
 * to trust is read and compared).
 */
export async function openIndex(options: OpenIndexOptions): Promise<{ index: CorpusIndex; rebuilt: boolean }> {
  const { corpusDir, indexDir, embedder, warn = () => {} } = options;
  const rebuild = async (why: string | null, corrupt = false): Promise<{ index: CorpusIndex; rebuilt: boolean }> => {
    if (why) warn(`store: rebuilding the index: ${why}.`);
    const { index, summary } = await buildIndex({
      corpusDir,
      indexDir,
      embedder,
      batchSize: options.batchSize,
      onProgress: options.onProgress,
      maxDocumentBytes: options.maxDocumentBytes,
      documentUrls: options.documentUrls?.(),
      // A file that failed its check must not be carried into the new generation unread.
      checkPrevious: corrupt,
    });
    // The build finds the same damage; it has been said once already.
    for (const warning of summary.warnings) if (!(corrupt && warning.startsWith(PREVIOUS_UNREADABLE))) warn(warning);
    return { index, rebuilt: true };
  };

  let manifest: Manifest | null;
  try {
    manifest = await readManifest(indexDir);
  } catch (error) {
    return rebuild(`index/manifest.json is unreadable (${(error as Error).message})`);
  }
  if (!manifest) return rebuild(null);

  const mismatch = findManifestMismatch(manifest, { chunkerVersion: CHUNKER_VERSION, embeddingModel: embedder?.modelId ?? null });
  if (mismatch) return rebuild(mismatch);
  const corrupt = (error: unknown): Promise<{ index: CorpusIndex; rebuilt: boolean }> => rebuild(`the saved index is corrupt (${(error as Error).message})`, true);
  let opening: OpeningIndex;
  try {
    opening = await startLoadingIndex(indexDir, manifest, corpusDir, embedder);
  } catch (error) {
    return corrupt(error);
  }
  // hnswlib is reading the graph on its own thread: this one compares the corpus and does
  // the caller's work meanwhile. A damaged index is said to be damaged even if the corpus changed too.
  const seen = seenCorpusOf(opening.known);
  const corpus = await loadCorpus(corpusDir, { reuse: reuseUnchangedFiles(seen), ...(options.maxDocumentBytes ? { maxBytes: options.maxDocumentBytes } : {}) });
  options.whileGraphLoads?.();
  let index: CorpusIndex;
  try {
    index = await opening.complete();
  } catch (error) {
    return corrupt(error);
  }
  if (!isSameCorpus(seen, corpus)) return rebuild('the corpus has changed since the index was built');
  // What readers worked around (invalid front matter…) is said at every start, as a build says it.
  for (const warning of corpus.warnings) warn(warning);
  return { index, rebuilt: false };
}
