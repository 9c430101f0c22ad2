import type { Config } from './config.js';
import { EmbeddingOutputError, loadEmbedder } from './embeddings/embedder.js';
import { type CreateEngineOptions, createEngine } from './engine.js';
import type { Engine, ReindexProgress } from './engine-types.js';
import { readDocumentUrls } from './question-log/document-log.js';

export interface StartedEngine {
  engine: Engine;
  /** Set when retrieval is lexical-only because no model could be loaded. */
  embedderWarning: string | null;
}

/**
 * Loads the embedding model (or falls back to lexical-only with one warning) and opens
 * the engine over the saved index, rebuilding it when it is missing, stale or corrupt.
 * A model that fails to load is tried again at each reindex; one that outputs NaN
 * while the index is built is dropped for lexical-only, with the same kind of warning.
 */
export async function startEngine(
  config: Config,
  log: { warn: (message: string) => void },
  onProgress?: (progress: ReindexProgress) => void,
  options: Pick<CreateEngineOptions, 'followIndex'> = {},
): Promise<StartedEngine> {
  const { embedder, warning } = await loadConfiguredEmbedder(config);
  if (warning) log.warn(warning);
  const reloadEmbedder = embedder === null && config.embeddingModel !== null ? () => loadConfiguredEmbedder(config) : undefined;
  // Documents added by link keep their link: the question log in DATA_DIR records it.
  const documentUrls = (): Map<string, string> => readDocumentUrls(config.dataDir, log.warn);
  try {
    const engine = await createEngine({ config, embedder, embedderWarning: warning, reloadEmbedder, warn: log.warn, onProgress, documentUrls, ...options });
    return { engine, embedderWarning: warning };
  } catch (error) {
    if (!(error instanceof EmbeddingOutputError)) throw error;
    const fallback = `${error.message} — retrieval is lexical-only (BM25).`;
    log.warn(fallback);
    await embedder?.dispose();
    const engine = await createEngine({ config, embedder: null, embedderWarning: fallback, warn: log.warn, onProgress, documentUrls, ...options });
    return { engine, embedderWarning: fallback };
  }
}

/** The embedding model the configuration names, or null with the reason (lexical-only). */
export function loadConfiguredEmbedder(config: Config): ReturnType<typeof loadEmbedder> {
  return loadEmbedder({
    modelId: config.embeddingModel,
    modelDir: config.embeddingModelDir,
    allowRemote: config.embeddingAllowRemote,
    cacheDir: config.modelCacheDir,
    batchSize: config.embeddingBatchSize,
    remoteHost: config.embeddingRemoteHost,
    loadTimeoutMs: config.embeddingLoadTimeoutMs,
  });
}
