import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createSeededRandom } from '../seeded-random.js';
import { encodeOnnxModel, OnnxDataType, type OnnxModel } from './onnx-protobuf.js';

/**
 * Writes a tiny BERT-typed model that transformers.js loads from a local folder,
 * so the real embedding path (tokenizer → ONNX Runtime → pooling) runs in tests
 * and on machines that cannot download a real model.
 *
 * The graph is a single `Gather`: each token id picks a fixed row. Rows are
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
/** Matches BERT's limit so long passages truncate as they would with a real model. */
const MAX_SEQUENCE_TOKENS = 512;

const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
const [PAD, UNK, CLS, SEP, MASK] = SPECIAL_TOKENS;

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
  if (options.name.trim() === '' || options.name.split(/[\\/]/).includes('..')) {
    throw new Error(`tiny-model: name must be a relative model id such as verbatim/tiny (got ${JSON.stringify(options.name)})`);
  }

  const documentFrequency = countDocumentFrequencies(options.texts);
  const words = [...documentFrequency.keys()].sort(compareCodeUnits);
  const vocabulary = [...SPECIAL_TOKENS, ...words];
  const embeddings = new Float32Array(vocabulary.length * dimensions);
  const nanWords = new Set(options.nanWords?.flatMap(splitBertWords));
  words.forEach((word, index) => {
    const weight = nanWords.has(word) ? Number.NaN : inverseDocumentFrequency(documentFrequency.get(word) ?? 0, options.texts.length);
    const row = tokenDirection(word, seed, dimensions);
    const offset = (SPECIAL_TOKENS.length + index) * dimensions;
    for (let k = 0; k < dimensions; k++) embeddings[offset + k] = (row[k] ?? 0) * weight;
  });

  const modelDir = path.join(options.dir, options.name);
  await mkdir(path.join(modelDir, 'onnx'), { recursive: true });
  const onnx = encodeOnnxModel(buildGatherModel(embeddings, vocabulary.length, dimensions));
  await Promise.all([
    writeJson(path.join(modelDir, 'config.json'), buildConfig(options.name, vocabulary.length, dimensions, seed, options.texts.length)),
    writeJson(path.join(modelDir, 'tokenizer.json'), buildTokenizer(vocabulary)),
    writeJson(path.join(modelDir, 'tokenizer_config.json'), buildTokenizerConfig()),
    // Same float graph under both names, so `quantized: true` and `false` both load.
    writeFile(path.join(modelDir, 'onnx', 'model.onnx'), onnx),
    writeFile(path.join(modelDir, 'onnx', 'model_quantized.onnx'), onnx),
  ]);
  return modelDir;
}

/**
 * Splits text into the words BERT's normalizer and pre-tokenizer produce, mirroring
 * transformers.js 2.17 (`BertNormalizer` with lowercase + strip accents, then
 * `BertPreTokenizer`) so every corpus word is in the vocabulary as one token.
 */
export function splitBertWords(text: string): string[] {
  return normalizeLikeBert(text).trim().match(BERT_WORD_PATTERN) ?? [];
}

// Same character classes as transformers.js's PUNCTUATION_REGEX: Unicode punctuation plus ASCII symbols.
const PUNCTUATION = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const BERT_WORD_PATTERN = new RegExp(`[^\\s${PUNCTUATION}]+|[${PUNCTUATION}]`, 'gu');

function normalizeLikeBert(text: string): string {
  let cleaned = '';
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (code === 0 || code === 0xfffd || isControl(char)) continue;
    cleaned += /^\s$/.test(char) ? ' ' : char;
  }
  let spaced = '';
  // Code units, not code points, exactly as transformers.js does it.
  for (let i = 0; i < cleaned.length; i++) {
    const char = cleaned[i] ?? '';
    spaced += isCjk(char.charCodeAt(0)) ? ` ${char} ` : char;
  }
  return spaced.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

function isControl(char: string): boolean {
  if (char === '\t' || char === '\n' || char === '\r') return false;
  return /^\p{Cc}|\p{Cf}|\p{Co}|\p{Cs}$/u.test(char);
}

function isCjk(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0xf900 && code <= 0xfaff)
  );
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

/**
 * A unit vector determined by the token and seed alone, so adding texts to the
 * corpus does not move the vectors of words already in it (only their weights).
 */
function tokenDirection(token: string, seed: number, dimensions: number): Float64Array {
  const next = createSeededRandom(hashString(token, seed));
  const row = new Float64Array(dimensions);
  let squared = 0;
  for (let k = 0; k < dimensions; k++) {
    const value = next() * 2 - 1;
    row[k] = value;
    squared += value * value;
  }
  const norm = Math.sqrt(squared) || 1;
  for (let k = 0; k < dimensions; k++) row[k] = (row[k] ?? 0) / norm;
  return row;
}

/** FNV-1a over UTF-16 code units, salted with the seed. */
function hashString(text: string, seed: number): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function buildGatherModel(embeddings: Float32Array, vocabularySize: number, dimensions: number): OnnxModel {
  return {
    irVersion: 7,
    // Gather-13 is supported by every ONNX Runtime that transformers.js 2.x ships with.
    opsetVersion: 13,
    producerName: 'verbatim-tiny-model',
    graph: {
      name: 'tiny_bag_of_words',
      nodes: [{ name: 'lookup', opType: 'Gather', inputs: ['embeddings', 'input_ids'], outputs: ['last_hidden_state'] }],
      initializers: [{ name: 'embeddings', dims: [vocabularySize, dimensions], data: embeddings }],
      inputs: [
        { name: 'input_ids', elemType: OnnxDataType.INT64, shape: ['batch_size', 'sequence_length'] },
        // Unused by the graph, but declared so transformers.js feeds it like any BERT.
        { name: 'attention_mask', elemType: OnnxDataType.INT64, shape: ['batch_size', 'sequence_length'] },
      ],
      outputs: [{ name: 'last_hidden_state', elemType: OnnxDataType.FLOAT, shape: ['batch_size', 'sequence_length', dimensions] }],
    },
  };
}

function buildConfig(name: string, vocabularySize: number, dimensions: number, seed: number, documentCount: number): object {
  return {
    _name_or_path: name,
    architectures: ['BertModel'],
    model_type: 'bert',
    vocab_size: vocabularySize,
    hidden_size: dimensions,
    num_hidden_layers: 0,
    num_attention_heads: 1,
    intermediate_size: dimensions,
    max_position_embeddings: MAX_SEQUENCE_TOKENS,
    type_vocab_size: 2,
    pad_token_id: 0,
    tiny_model: {
      description: 'Verbatim test fixture: one Gather over IDF-weighted random token vectors (bag of words, no semantics).',
      seed,
      documents: documentCount,
    },
  };
}

function buildTokenizer(vocabulary: readonly string[]): object {
  const idOf = (token: string): number => vocabulary.indexOf(token);
  const special = (token: string) => ({ id: token, ids: [idOf(token)], tokens: [token] });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({
      id: idOf(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: true, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: CLS, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: SEP, type_id: 0 } }],
      pair: [
        { SpecialToken: { id: CLS, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: SEP, type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: SEP, type_id: 1 } },
      ],
      special_tokens: { [CLS]: special(CLS), [SEP]: special(SEP) },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: UNK,
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocabulary.map((token, id) => [token, id])),
    },
  };
}

function buildTokenizerConfig(): object {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    strip_accents: null,
    tokenize_chinese_chars: true,
    model_max_length: MAX_SEQUENCE_TOKENS,
    clean_up_tokenization_spaces: true,
    pad_token: PAD,
    unk_token: UNK,
    cls_token: CLS,
    sep_token: SEP,
    mask_token: MASK,
  };
}

async function writeJson(file: string, value: object): Promise<void> {
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}
