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

  /**
   * Embeds texts in batches of `batchSize`; one unit-length (or zero) vector per text, in
   * order. Throws EmbeddingOutputError when the model outputs NaN or ∞ for any of them.
   */
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
    const output = await runExtractor(this.extractor, texts, this.modelId);
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
  /** Where models are downloaded from (a Hugging Face mirror); null: transformers.js's default, the Hugging Face Hub. */
  remoteHost?: string | null;
  /** Give up loading (download included) after this long and run lexical-only. Default: no limit. */
  loadTimeoutMs?: number;
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
/** Embedded once at load to learn the dimension and refuse a model that outputs NaN; common words, so a tiny vocabulary has them too. */
const PROBE_TEXT = 'The questions and the answers are about the documents in the corpus.';
const MAX_REASON_CHARS = 300;

let defaultLocalModelPath: string | undefined;
let defaultRemoteHost: string | undefined;

/** Thrown when a model outputs NaN or ∞: its vectors would match nothing, or everything. */
export class EmbeddingOutputError extends Error {
  constructor(modelId: string, bad: number, total: number, example: string) {
    const sample = example.length > 60 ? `${example.slice(0, 59)}…` : example;
    super(`embeddings: model "${modelId}" output NaN or infinite values for ${bad} of ${total} text(s) (e.g. "${sample}"); its weights are broken`);
    this.name = 'EmbeddingOutputError';
  }
}

/**
 * Loads the embedding model and measures its dimension with one probe embedding.
 * Never throws for a model that cannot be loaded, outputs NaN, or takes longer than
 * `loadTimeoutMs` (a download that hangs): it returns `embedder: null` and a warning
 * naming the model and the reason. With `allowRemote: false` it reads only `modelDir`
 * and `cacheDir`, never the network. transformers.js settings are process-wide, so
 * loads must not run concurrently.
 */
export async function loadEmbedder(options: LoadEmbedderOptions): Promise<LoadedEmbedder> {
  const { modelId } = options;
  if (modelId === null) return { embedder: null, warning: LEXICAL_ONLY_WARNING };
  const loading = loadAndProbe(modelId, options);
  const timeoutMs = options.loadTimeoutMs;
  if (timeoutMs === undefined) return loading;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  const loaded = await Promise.race([loading, timedOut]);
  clearTimeout(timer);
  if (loaded) return loaded;
  // transformers.js cannot cancel a download; a model that arrives after all is released.
  void loading.then((late) => late.embedder?.dispose());
  return {
    embedder: null,
    warning: `embeddings: could not load model "${modelId}": no answer within ${formatSeconds(timeoutMs)} (EMBEDDING_LOAD_TIMEOUT_MS) — retrieval is lexical-only (BM25).`,
  };
}

async function loadAndProbe(modelId: string, options: LoadEmbedderOptions): Promise<LoadedEmbedder> {
  let extractor: FeatureExtractor | undefined;
  try {
    // Imported lazily so lexical-only start-ups skip loading ONNX Runtime, and a broken
    // native install becomes a warning rather than a crash at import time.
    const { env, pipeline } = await import('@xenova/transformers');
    // env is process-wide: set every field each time so an earlier load cannot leak into this one.
    defaultLocalModelPath ??= env.localModelPath as string;
    defaultRemoteHost ??= env.remoteHost as string;
    env.allowLocalModels = true;
    env.localModelPath = options.modelDir ?? defaultLocalModelPath;
    env.remoteHost = options.remoteHost ?? defaultRemoteHost;
    env.allowRemoteModels = options.allowRemote;
    env.cacheDir = options.cacheDir;
    const loaded = await pipeline('feature-extraction', modelId, { quantized: true });
    extractor =
      options.pooling === 'transformers.js'
        ? Object.assign((texts: string[], callOptions: { pooling: 'mean'; normalize: boolean }) => loaded(texts, callOptions), { dispose: () => loaded.dispose() })
        : createPoolingExtractor(loaded as unknown as LoadedPipeline);
    const probe = await runExtractor(extractor, [PROBE_TEXT], modelId);
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
 * states itself (`poolMean`). transformers.js's own mean pooling converts the BigInt
 * attention mask with Number() once per value and dimension, striding across rows: 86% of
 * embedding time at 100,000 passages went there, not to ONNX.
 */
export function createPoolingExtractor(loaded: LoadedPipeline): FeatureExtractor {
  return Object.assign(
    async (texts: string[], options: { pooling: 'mean'; normalize: boolean }) => {
      const inputs = loaded.tokenizer(texts, { padding: true, truncation: true });
      const { last_hidden_state: hidden } = await loaded.model(inputs);
      return poolMean(hidden, inputs.attention_mask, options.normalize);
    },
    { dispose: () => loaded.dispose() },
  );
}

/**
 * Mean of each text's token vectors over its attention mask (`hidden` is [texts, tokens,
 * dimensions], `mask` [texts, tokens]), scaled to unit length when `normalize` is set, in
 * plain typed-array loops. As in transformers.js, a text with no token gives NaNs (0/0), and
 * so does normalizing a zero vector; a NaN in the model's output stays NaN.
 */
export function poolMean(hidden: HiddenStates, mask: HiddenStates, normalize: boolean): { data: Float32Array; dims: [number, number] } {
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
    const scale = normalize ? Math.sqrt(norm) : 1;
    for (let k = 0; k < dimensions; k++) pooled[row * dimensions + k] = sum[k]! / scale;
  }
  return { data: pooled, dims: [rows, dimensions] };
}

/**
 * Mean-pooled vectors, L2-normalized here rather than by transformers.js: its
 * normalization turns a zero vector (a text of unknown tokens, harmless) into NaN,
 * which would hide a model that really outputs NaN.
 */
async function runExtractor(extractor: FeatureExtractor, texts: string[], modelId: string): Promise<{ dimensions: number; vectors: number[][] }> {
  const tensor = await extractor(texts, { pooling: 'mean', normalize: false });
  const [rows, dimensions] = tensor.dims;
  if (tensor.dims.length !== 2 || rows !== texts.length || dimensions === undefined) {
    throw new Error(`embeddings: expected ${texts.length} pooled vectors, got a tensor of shape [${tensor.dims.join(', ')}]`);
  }
  const vectors: number[][] = [];
  const broken: number[] = [];
  for (let row = 0; row < rows; row++) {
    const vector = new Array<number>(dimensions);
    let squares = 0;
    for (let k = 0; k < dimensions; k++) {
      const value = Number(tensor.data[row * dimensions + k] ?? Number.NaN);
      vector[k] = value;
      squares += value * value;
    }
    if (!Number.isFinite(squares)) broken.push(row);
    // A text with no known token pools to the zero vector; it stays zero: similar to nothing.
    const norm = Math.sqrt(squares);
    if (norm > 0) for (let k = 0; k < dimensions; k++) vector[k] = vector[k]! / norm;
    vectors.push(vector);
  }
  if (broken.length > 0) throw new EmbeddingOutputError(modelId, broken.length, texts.length, texts[broken[0]!] ?? '');
  return { dimensions, vectors };
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof EmbeddingOutputError) return 'it outputs NaN or infinite values (its weights are broken)';
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
