import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadEmbedder } from '../embeddings/embedder.js';
import { writeTinyModel } from '../embeddings/tiny-model.js';
import { ensureWordNetModel } from '../embeddings/wordnet-model-cache.js';
import type { IndexEmbedder } from '../store/dense-index.js';
import type { LabelledDocument } from './labelled-data.js';

/**
 * The embedding model examples are collected with, so that dense ranks are real features:
 * none (lexical-only), the WordNet model (generated once into the model cache), or the
 * tiny bag-of-words model built from the labelled documents' paragraphs (a control with
 * no word meaning).
 */

export const TRAINING_EMBEDDERS = ['none', 'wordnet', 'tiny'] as const;
export type TrainingEmbedderKind = (typeof TRAINING_EMBEDDERS)[number];

export interface TrainingEmbedder {
  embedder: IndexEmbedder | null;
  /** One line for the report: which model, and what loading it cost in time and memory. */
  description: string;
  dispose: () => Promise<void>;
}

export async function loadTrainingEmbedder(kind: TrainingEmbedderKind, documents: readonly LabelledDocument[], cacheDir: string): Promise<TrainingEmbedder> {
  if (kind === 'none') return { embedder: null, description: 'lexical-only (no embedding model)', dispose: async () => {} };
  const started = performance.now();
  const rssBefore = process.memoryUsage().rss;
  let modelDir = cacheDir;
  let modelId: string;
  let temporary: string | null = null;
  let made = '';
  if (kind === 'wordnet') {
    const cached = await ensureWordNetModel(cacheDir);
    modelId = cached.modelId;
    made = cached.generated ? `generated in ${(cached.generated.ms / 1000).toFixed(1)} s, ` : '';
  } else {
    temporary = mkdtempSync(path.join(tmpdir(), 'verbatim-train-model-'));
    modelDir = temporary;
    modelId = 'verbatim-tiny';
    // Paragraphs as the texts whose document frequencies weight the words, as passages do in the bot.
    const texts = documents.flatMap((document) => document.text.split(/\n\s*\n/)).filter((text) => text.trim() !== '');
    await writeTinyModel({ dir: modelDir, name: modelId, texts });
  }
  const { embedder, warning } = await loadEmbedder({ modelId, modelDir, allowRemote: false, cacheDir, batchSize: 16 });
  const cleanup = (): void => {
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  };
  if (!embedder) {
    cleanup();
    throw new Error(`training: ${warning}`);
  }
  return {
    embedder,
    description: `${modelId}, ${embedder.dimensions} dimensions (${made}ready in ${((performance.now() - started) / 1000).toFixed(1)} s; the process grew by ${Math.round((process.memoryUsage().rss - rssBefore) / 1e6)} MB RSS)`,
    dispose: async () => {
      await embedder.dispose();
      cleanup();
    },
  };
}
