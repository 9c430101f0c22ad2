import { CHUNKER_VERSION, chunkDocument } from '../chunking/chunk-document.js';
import { loadCorpus } from '../corpus/load-corpus.js';
import type { Chunk } from '../domain.js';
import type { ReindexProgress, ReindexSummary } from '../engine-types.js';
import { UserError } from '../errors.js';
import { buildDenseIndex, type IndexEmbedder } from './dense-index.js';
import { EmbeddingCache } from './embedding-cache.js';
import { type CorpusIndex, readChunks, readEmbeddingCache, readManifest, saveIndex } from './index-files.js';
import { buildLexicalIndex } from './lexical-index.js';
import { hashCorpus, INDEX_FORMAT_VERSION, type Manifest, NO_EMBEDDING_MODEL } from './manifest.js';

export interface BuildIndexOptions {
  corpusDir: string;
  indexDir: string;
  /** Null builds a lexical-only index. */
  embedder: IndexEmbedder | null;
  /** Texts embedded per model call. */
  batchSize?: number;
  onProgress?: (progress: ReindexProgress) => void;
  /** Injected clock, for tests. */
  now?: () => Date;
}

/**
 * Reads the corpus, chunks it, embeds what the cache does not already hold, builds
 * the BM25 and HNSW indexes and saves them as the new current index. On any failure
 * the previous index stays in place and the error says what went wrong.
 */
export async function buildIndex(options: BuildIndexOptions): Promise<{ index: CorpusIndex; summary: ReindexSummary }> {
  const { corpusDir, indexDir, embedder, onProgress = () => {}, now = () => new Date() } = options;
  const started = performance.now();
  const { documents, skipped } = await loadCorpus(corpusDir);
  onProgress({ phase: 'load', documents: documents.length });
  if (documents.length === 0) throw new UserError('corpus-empty', { dir: corpusDir });

  const chunks = documents.flatMap(chunkDocument);
  onProgress({ phase: 'chunk', chunks: chunks.length });

  const previousManifest = await readManifest(indexDir).catch(() => null);
  const previousChunks = await readPreviousChunks(indexDir, previousManifest);
  let reusedEmbeddings = 0;
  let dense = null;
  let cache = new EmbeddingCache();
  if (embedder) {
    const previousCache = await readEmbeddingCache(indexDir, previousManifest);
    const texts = chunks.map((chunk) => chunk.text);
    const vectors = await embedWithCache(embedder, texts, previousCache, options.batchSize ?? 16, onProgress);
    reusedEmbeddings = vectors.reused;
    cache = vectors.cache;
    dense = await buildDenseIndex(embedder, texts, vectors.vectors);
  }
  const lexical = buildLexicalIndex(chunks);
  onProgress({ phase: 'save' });

  const manifest: Omit<Manifest, 'generation' | 'files'> = {
    formatVersion: INDEX_FORMAT_VERSION,
    embeddingModel: embedder?.modelId ?? NO_EMBEDDING_MODEL,
    dimensions: embedder?.dimensions ?? 0,
    chunkerVersion: CHUNKER_VERSION,
    corpusHash: hashCorpus(documents, skipped),
    builtAt: now().toISOString(),
    documents: documents.length,
    chunks: chunks.length,
    skipped,
  };
  const saved = await saveIndex(indexDir, { documents, chunks, lexical, dense }, manifest, cache);
  const changes = compareChunks(previousChunks, chunks);
  return {
    index: { manifest: saved, documents, chunks, lexical, dense },
    summary: {
      documents: documents.length,
      chunks: chunks.length,
      ...changes,
      reusedEmbeddings,
      seconds: (performance.now() - started) / 1000,
      skipped,
    },
  };
}

async function embedWithCache(
  embedder: IndexEmbedder,
  texts: string[],
  previous: EmbeddingCache,
  batchSize: number,
  onProgress: (progress: ReindexProgress) => void,
): Promise<{ vectors: number[][]; cache: EmbeddingCache; reused: number }> {
  const cache = previous.pick(embedder.modelId, texts);
  const missingSet = new Set(texts.filter((text) => !cache.get(embedder.modelId, text)));
  const missing = [...missingSet];
  const reused = texts.filter((text) => !missingSet.has(text)).length;
  onProgress({ phase: 'embed', done: 0, total: missing.length });
  for (let i = 0; i < missing.length; i += batchSize) {
    const batch = missing.slice(i, i + batchSize);
    const vectors = await embedder.embedDocuments(batch);
    batch.forEach((text, j) => cache.set(embedder.modelId, text, vectors[j]!));
    onProgress({ phase: 'embed', done: Math.min(i + batchSize, missing.length), total: missing.length });
  }
  return { vectors: texts.map((text) => cache.get(embedder.modelId, text)!), cache, reused };
}

/** The previous build's chunks, to count changes; none when there is no readable previous build. */
async function readPreviousChunks(indexDir: string, manifest: Manifest | null): Promise<Chunk[]> {
  return manifest ? readChunks(indexDir, manifest).catch(() => []) : [];
}

/** Added / changed / removed chunks, by id and text. */
export function compareChunks(before: readonly Chunk[], after: readonly Chunk[]): { added: number; changed: number; removed: number } {
  const old = new Map(before.map((chunk) => [chunk.id, chunk.text]));
  const current = new Set(after.map((chunk) => chunk.id));
  let added = 0;
  let changed = 0;
  for (const chunk of after) {
    const text = old.get(chunk.id);
    if (text === undefined) added++;
    else if (text !== chunk.text) changed++;
  }
  const removed = before.filter((chunk) => !current.has(chunk.id)).length;
  return { added, changed, removed };
}
