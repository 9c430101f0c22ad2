import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chunkDocument } from '../chunking/chunk-document.js';
import { type Config, loadConfig } from '../config.js';
import { loadCorpus } from '../corpus/load-corpus.js';
import { loadEmbedder, type TransformersEmbeddings } from '../embeddings/embedder.js';
import { writeTinyModel } from '../embeddings/tiny-model.js';

/** Folder name of the generated model under the workspace's `models/`. */
export const BENCH_MODEL_ID = 'verbatim-tiny';

/**
 * A throw-away project folder for the benchmarks: a copy of the corpus, the
 * generated tiny model, and one configuration per retrieval mode, each with its
 * own index folder. The project's own index/ is never touched.
 */
export interface BenchWorkspace {
  root: string;
  corpusDir: string;
  lexical: Config;
  hybrid: Config;
  /** The tiny model, loaded through the real transformers.js pipeline. */
  embedder: TransformersEmbeddings;
  /** Chunks the corpus splits into. */
  chunks: number;
  /** Removes the folder (after releasing the model). */
  cleanup: () => Promise<void>;
}

/** Settings (as environment variables) of the workspace at `root` for one mode. */
export function workspaceEnv(mode: 'lexical' | 'hybrid'): Record<string, string> {
  const common = { CORPUS_DIR: 'corpus', MODEL_CACHE_DIR: 'cache', EMBEDDING_ALLOW_REMOTE: 'false' };
  return mode === 'lexical'
    ? { ...common, INDEX_DIR: 'index-lexical', EMBEDDING_MODEL: 'none' }
    : { ...common, INDEX_DIR: 'index-hybrid', EMBEDDING_MODEL: BENCH_MODEL_ID, EMBEDDING_MODEL_DIR: 'models' };
}

/**
 * Makes a workspace: the corpus is a copy of a folder, or written by `corpus` (a generated
 * one); then the tiny model is generated from the corpus's passages and loaded.
 */
export async function prepareWorkspace(corpus: string | ((corpusDir: string) => Promise<void>), modelDimensions?: number): Promise<BenchWorkspace> {
  const fillCorpus = typeof corpus === 'string' ? copyCorpus(corpus) : corpus;
  const root = mkdtempSync(path.join(tmpdir(), 'verbatim-bench-'));
  const remove = (): void => rmSync(root, { recursive: true, force: true });
  try {
    const corpusDir = path.join(root, 'corpus');
    await fillCorpus(corpusDir);
    const lexical = loadConfig(workspaceEnv('lexical'), root);
    const hybrid = loadConfig(workspaceEnv('hybrid'), root);
    const { documents } = await loadCorpus(corpusDir);
    const texts = documents.flatMap(chunkDocument).map((chunk) => chunk.text);
    if (texts.length === 0) throw new Error(`benchmark: the corpus at ${corpusDir} has no passages`);
    await writeTinyModel({ dir: hybrid.embeddingModelDir!, name: BENCH_MODEL_ID, texts, dimensions: modelDimensions });
    const { embedder, warning } = await loadEmbedder({
      modelId: hybrid.embeddingModel,
      modelDir: hybrid.embeddingModelDir,
      allowRemote: false,
      cacheDir: hybrid.modelCacheDir,
      batchSize: hybrid.embeddingBatchSize,
    });
    if (!embedder) throw new Error(`benchmark: the generated tiny model did not load: ${warning}`);
    return {
      root,
      corpusDir,
      lexical,
      hybrid,
      embedder,
      chunks: texts.length,
      cleanup: async () => {
        await embedder.dispose();
        remove();
      },
    };
  } catch (error) {
    remove();
    throw error;
  }
}

/** A `fillCorpus` that copies a folder. */
export function copyCorpus(sourceDir: string): (corpusDir: string) => Promise<void> {
  return async (corpusDir) => cpSync(sourceDir, corpusDir, { recursive: true });
}
