import { seededUnitVector } from '../seeded-random.js';
import { splitBertWords, writeGatherModel } from './gather-model.js';

/**
 * Writes a tiny BERT-typed model that transformers.js loads from a local folder,
 * so the real embedding path (tokenizer → ONNX Runtime → pooling) runs in tests
 * and on machines that cannot download a real model.
 *
 * It is a static-embedding model (`writeGatherModel`): each token id picks a fixed row. Rows are
 * pseudo-random unit vectors scaled by the token's inverse document frequency,
 * so mean pooling + normalization yields a bag-of-words embedder where rare
 * shared words dominate similarity. It tests plumbing, not semantics.
 */

export interface TinyModelOptions {
  /** Folder used as transformers.js `env.localModelPath`; the model goes in `dir/name`. */
  dir: string;
  /** Model id, e.g. `verbatim/tiny-bow`; may contain `/`. */
  name: string;
  /** Texts the vocabulary and document frequencies are taken from (each text is one document). */
  texts: readonly string[];
  /** Embedding width. */
  dimensions?: number;
  /** Changes every token vector; the same seed gives byte-identical files. */
  seed?: number;
  /** Words whose vectors are NaN: a broken model, to test that the bot refuses it. Default none. */
  nanWords?: readonly string[];
}

export const TINY_MODEL_DEFAULT_DIMENSIONS = 128;
export const TINY_MODEL_DEFAULT_SEED = 1;

/**
 * Generates the model folder (`config.json`, `tokenizer.json`,
 * `tokenizer_config.json`, `onnx/model.onnx`, `onnx/model_quantized.onnx`)
 * and returns its path. Deterministic: same options, same bytes.
 */
export async function writeTinyModel(options: TinyModelOptions): Promise<string> {
  const dimensions = options.dimensions ?? TINY_MODEL_DEFAULT_DIMENSIONS;
  const seed = options.seed ?? TINY_MODEL_DEFAULT_SEED;
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    throw new Error(`tiny-model: dimensions must be a positive whole number (got ${dimensions})`);
  }
  const documentFrequency = countDocumentFrequencies(options.texts);
  const words = [...documentFrequency.keys()].sort(compareCodeUnits);
  const vectors = new Float32Array(words.length * dimensions);
  const nanWords = new Set(options.nanWords?.flatMap(splitBertWords));
  words.forEach((word, index) => {
    const weight = nanWords.has(word) ? Number.NaN : inverseDocumentFrequency(documentFrequency.get(word) ?? 0, options.texts.length);
    const row = seededUnitVector(word, seed, dimensions);
    for (let k = 0; k < dimensions; k++) vectors[index * dimensions + k] = (row[k] ?? 0) * weight;
  });
  return writeGatherModel({
    dir: options.dir,
    name: options.name,
    words,
    vectors,
    dimensions,
    description: {
      description: 'Verbatim test fixture: one Gather over IDF-weighted random token vectors (bag of words, no semantics).',
      seed,
      documents: options.texts.length,
    },
  });
}

function countDocumentFrequencies(texts: readonly string[]): Map<string, number> {
  const frequencies = new Map<string, number>();
  for (const text of texts) {
    for (const word of new Set(splitBertWords(text))) frequencies.set(word, (frequencies.get(word) ?? 0) + 1);
  }
  return frequencies;
}

/** BM25's IDF: near zero for a word in every text, yet never zero or negative. */
function inverseDocumentFrequency(documentFrequency: number, documentCount: number): number {
  return Math.log(1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/** Locale-independent order, so the vocabulary is the same on every machine. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
