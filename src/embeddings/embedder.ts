import { Embeddings } from '@langchain/core/embeddings';

/**
 * The embedder: text → dense vector through transformers.js feature extraction
 * (mean pooling, L2-normalized). The only module that imports @xenova/transformers.
 * A model that cannot be loaded is not fatal: `loadEmbedder` returns a warning
 * and the bot falls back to lexical-only retrieval.
 */

/** The slice of a transformers.js feature-extraction pipeline this module uses. */
export interface FeatureExtractor {
  (texts: string[], options: { pooling: 'mean'; normalize: boolean }): Promise<{ data: ArrayLike<number | bigint>; dims: number[] }>;
  dispose?: () => Promise<unknown>;
}

export interface TransformersEmbeddingsFields {
  modelId: string;
  extractor: FeatureExtractor;
  /** Vector length the model produces (learned by a probe embedding at load). */
  dimensions: number;
  /** Texts per pipeline call; bounds memory on large corpora. */
  batchSize: number;
}

/** LangChain `Embeddings` backed by a loaded transformers.js pipeline. */
export class TransformersEmbeddings extends Embeddings {
  readonly modelId: string;
  readonly dimensions: number;
  readonly batchSize: number;
  private readonly extractor: FeatureExtractor;

  constructor(fields: TransformersEmbeddingsFields) {
    // No retries: a local model fails the same way every time, and retry backoff would only delay the error.
    super({ maxRetries: 0 });
    if (!Number.isInteger(fields.batchSize) || fields.batchSize < 1) {
      throw new Error(`embeddings: batchSize must be a positive whole number (got ${fields.batchSize})`);
    }
    this.modelId = fields.modelId;
    this.extractor = fields.extractor;
    this.dimensions = fields.dimensions;
    this.batchSize = fields.batchSize;
  }

  /** Embeds texts in batches of `batchSize`; one unit-length (or zero) vector per text, in order. */
  async embedDocuments(texts: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      vectors.push(...(await this.embedBatch(texts.slice(start, start + this.batchSize))));
    }
    return vectors;
  }

  /** Embeds one text the same way as `embedDocuments` (the models used here are symmetric). */
  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.embedBatch([text]);
    if (vector === undefined) throw new Error(`embeddings: ${this.modelId} returned no vector for the query`);
    return vector;
  }

  /** Releases the ONNX session. */
  async dispose(): Promise<void> {
    await this.extractor.dispose?.();
  }

  private async embedBatch(texts: string[]): Promise<number[][]> {
    if (texts.length === 0) return [];
    const output = await runExtractor(this.extractor, texts);
    if (output.dimensions !== this.dimensions) {
      throw new Error(`embeddings: ${this.modelId} returned ${output.dimensions} dimensions, expected ${this.dimensions}`);
    }
    return output.vectors;
  }
}

export interface LoadEmbedderOptions {
  /** Model id (Hugging Face name or folder name under `modelDir`); null disables dense retrieval. */
  modelId: string | null;
  /** Folder holding local models as `MODEL_ID/config.json`, `MODEL_ID/onnx/…`; null: none. */
  modelDir: string | null;
  /** Whether transformers.js may download the model; false never touches the network. */
  allowRemote: boolean;
  /** Where downloaded models are cached (and looked up before downloading). */
  cacheDir: string;
  batchSize: number;
  /**
   * Who mean-pools the token vectors: this module (default), or transformers.js itself —
   * slower, kept as the baseline `npm run bench` measures our pooling against.
   */
  pooling?: 'own' | 'transformers.js';
}

export interface LoadedEmbedder {
  embedder: TransformersEmbeddings | null;
  /** One sentence for start-up logs and `/help` when there is no embedder; null when there is. */
  warning: string | null;
}

/** The warning when embeddings are switched off on purpose. */
export const LEXICAL_ONLY_WARNING = 'embeddings: EMBEDDING_MODEL=none — retrieval is lexical-only (BM25).';
const PROBE_TEXT = 'probe';
const MAX_REASON_CHARS = 300;

let defaultLocalModelPath: string | undefined;

/**
 * Loads the embedding model and measures its dimension with one probe embedding.
 * Never throws for a model that cannot be loaded: it returns `embedder: null`
 * and a warning naming the model and the reason. With `allowRemote: false` it
 * reads only `modelDir` and `cacheDir`, never the network. transformers.js
 * settings are process-wide, so loads must not run concurrently.
 */
export async function loadEmbedder(options: LoadEmbedderOptions): Promise<LoadedEmbedder> {
  const { modelId } = options;
  if (modelId === null) return { embedder: null, warning: LEXICAL_ONLY_WARNING };
  let extractor: FeatureExtractor | undefined;
  try {
    // Imported lazily so lexical-only start-ups skip loading ONNX Runtime, and a broken
    // native install becomes a warning rather than a crash at import time.
    const { env, pipeline } = await import('@xenova/transformers');
    // env is process-wide: set every field each time so an earlier load cannot leak into this one.
    defaultLocalModelPath ??= env.localModelPath as string;
    env.allowLocalModels = true;
    env.localModelPath = options.modelDir ?? defaultLocalModelPath;
    env.allowRemoteModels = options.allowRemote;
    env.cacheDir = options.cacheDir;
    const loaded = await pipeline('feature-extraction', modelId, { quantized: true });
    extractor =
      options.pooling === 'transformers.js'
        ? Object.assign((texts: string[]) => loaded(texts, { pooling: 'mean', normalize: true }), { dispose: () => loaded.dispose() })
        : createPoolingExtractor(loaded as unknown as LoadedPipeline);
    const probe = await runExtractor(extractor, [PROBE_TEXT]);
    if (!(probe.dimensions > 0)) throw new Error(`the probe embedding has ${probe.dimensions} dimensions`);
    const embedder = new TransformersEmbeddings({ modelId, extractor, dimensions: probe.dimensions, batchSize: options.batchSize });
    return { embedder, warning: null };
  } catch (error) {
    await extractor?.dispose?.().catch(() => undefined);
    return {
      embedder: null,
      warning: `embeddings: could not load model "${modelId}": ${describeError(error)} — retrieval is lexical-only (BM25).`,
    };
  }
}

/** The parts of a transformers.js feature-extraction pipeline the pooling extractor runs. */
export interface LoadedPipeline {
  tokenizer: (texts: string[], options: { padding: boolean; truncation: boolean }) => { attention_mask: HiddenStates } & Record<string, unknown>;
  model: (inputs: Record<string, unknown>) => Promise<{ last_hidden_state: HiddenStates }>;
  dispose: () => Promise<unknown>;
}

/** A tensor as this module reads it: flat data and its shape. */
export interface HiddenStates {
  data: ArrayLike<number | bigint>;
  dims: number[];
}

/**
 * A feature extractor that runs the pipeline's tokenizer and model and pools the token
 * states itself (`poolMeanNormalized`). transformers.js's own mean pooling converts the
 * BigInt attention mask with Number() once per value and dimension, striding across
 * rows: 86% of embedding time at 100,000 passages went there, not to ONNX.
 */
export function createPoolingExtractor(loaded: LoadedPipeline): FeatureExtractor {
  return Object.assign(
    async (texts: string[]) => {
      const inputs = loaded.tokenizer(texts, { padding: true, truncation: true });
      const { last_hidden_state: hidden } = await loaded.model(inputs);
      return poolMeanNormalized(hidden, inputs.attention_mask);
    },
    { dispose: () => loaded.dispose() },
  );
}

/**
 * Mean of each text's token vectors over its attention mask, scaled to unit length:
 * `hidden` is [texts, tokens, dimensions], `mask` [texts, tokens]. A text with no token, or
 * whose mean is the zero vector, gives NaNs (0/0), as transformers.js does.
 */
export function poolMeanNormalized(hidden: HiddenStates, mask: HiddenStates): { data: Float32Array; dims: [number, number] } {
  const [rows, tokens, dimensions] = hidden.dims;
  if (hidden.dims.length !== 3 || rows === undefined || tokens === undefined || dimensions === undefined || mask.dims[0] !== rows || mask.dims[1] !== tokens) {
    throw new Error(`embeddings: cannot pool token states of shape [${hidden.dims.join(', ')}] with a mask of shape [${mask.dims.join(', ')}]`);
  }
  const data = hidden.data as ArrayLike<number>;
  const pooled = new Float32Array(rows * dimensions);
  const sum = new Float64Array(dimensions);
  for (let row = 0; row < rows; row++) {
    sum.fill(0);
    let count = 0;
    for (let token = 0; token < tokens; token++) {
      // The mask is int64 (BigInt) data: converted once per token, not once per value.
      if (Number(mask.data[row * tokens + token]) === 0) continue;
      count++;
      const offset = (row * tokens + token) * dimensions;
      for (let k = 0; k < dimensions; k++) sum[k]! += data[offset + k]!;
    }
    let norm = 0;
    for (let k = 0; k < dimensions; k++) {
      sum[k]! /= count;
      norm += sum[k]! * sum[k]!;
    }
    norm = Math.sqrt(norm);
    for (let k = 0; k < dimensions; k++) pooled[row * dimensions + k] = sum[k]! / norm;
  }
  return { data: pooled, dims: [rows, dimensions] };
}

async function runExtractor(extractor: FeatureExtractor, texts: string[]): Promise<{ dimensions: number; vectors: number[][] }> {
  const tensor = await extractor(texts, { pooling: 'mean', normalize: true });
  const [rows, dimensions] = tensor.dims;
  if (tensor.dims.length !== 2 || rows !== texts.length || dimensions === undefined) {
    throw new Error(`embeddings: expected ${texts.length} pooled vectors, got a tensor of shape [${tensor.dims.join(', ')}]`);
  }
  const vectors: number[][] = [];
  for (let row = 0; row < rows; row++) {
    const vector = new Array<number>(dimensions);
    for (let k = 0; k < dimensions; k++) {
      const value = Number(tensor.data[row * dimensions + k] ?? Number.NaN);
      // A text with no known token pools to the zero vector, which normalizes to NaN (0/0);
      // zero keeps it harmless: it is similar to nothing.
      vector[k] = Number.isNaN(value) ? 0 : value;
    }
    vectors.push(vector);
  }
  return { dimensions, vectors };
}

function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  let reason = message.split('\n', 1)[0]?.trim() || 'unknown error';
  // transformers.js retries a failed ONNX session on wasm and rethrows only wasm's vague error.
  if (/can't create a session/i.test(reason)) reason = 'ONNX Runtime could not open the .onnx file (corrupt, or an unsupported operator)';
  const missing = /not found locally at "([^"]+)"/.exec(reason);
  if (missing) reason = `${missing[1]} not found and downloads are disabled`;
  if (error instanceof SyntaxError) reason = `a model JSON file is invalid: ${reason}`;
  // Node's fetch hides the useful part (e.g. "getaddrinfo ENOTFOUND huggingface.co") in `cause`.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message.split('\n', 1)[0] : undefined;
  if (cause) reason = `${reason}: ${cause}`;
  reason = reason.replace(/\.$/, '');
  return reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS - 1)}…` : reason;
}
