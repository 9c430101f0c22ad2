import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import onnxProto from 'onnx-proto';

/**
 * Writes a static-embedding model that transformers.js loads from a local folder: a
 * WordPiece tokenizer over a word list, and an ONNX graph that is one `Gather` (each
 * token id picks its row of a matrix). With mean pooling, a text's embedding is the
 * mean of its words' rows. The project's tiny test model is one such model; a model
 * made from word vectors (e.g. WordNet) is another.
 *
 * The ONNX file is encoded by `onnx-proto` (the ONNX protobuf definitions that
 * onnxruntime-web itself uses), so no protobuf is written by hand here.
 */

const { onnx } = onnxProto;

export interface GatherModelOptions {
  /** Folder used as transformers.js `env.localModelPath`; the model goes in `dir/name`. */
  dir: string;
  /** Model id, e.g. `verbatim/tiny`; may contain `/`. */
  name: string;
  /**
   * The vocabulary: distinct words as BERT's normalizer leaves them (lower case, no
   * accents, punctuation split off — see `splitBertWords`). Other words become [UNK].
   */
  words: readonly string[];
  /** `words.length × dimensions` values, row-major: row i is the vector of `words[i]`. */
  vectors: Float32Array;
  dimensions: number;
  /** Recorded in `config.json` under `static_embeddings`: how the vectors were made. */
  description?: Record<string, unknown>;
}

/** Matches BERT's limit so long passages truncate as they would with a real model. */
const MAX_SEQUENCE_TOKENS = 512;
/** IR version 7 and opset 13: what every ONNX Runtime that transformers.js 2.x ships with loads. */
const ONNX_IR_VERSION = 7;
const ONNX_OPSET_VERSION = 13;

const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
const [PAD, UNK, CLS, SEP, MASK] = SPECIAL_TOKENS;

/**
 * Writes `config.json`, `tokenizer.json`, `tokenizer_config.json`, `onnx/model.onnx` and
 * `onnx/model_quantized.onnx` (the same float graph under both names, so `quantized:
 * true` and `false` both load) and returns the model's folder. The special tokens come
 * first in the vocabulary, with zero vectors. Deterministic: same options, same bytes.
 */
export async function writeGatherModel(options: GatherModelOptions): Promise<string> {
  const { words, vectors, dimensions } = options;
  if (options.name.trim() === '' || options.name.split(/[\\/]/).includes('..')) {
    throw new Error(`gather-model: name must be a relative model id such as verbatim/tiny (got ${JSON.stringify(options.name)})`);
  }
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    throw new Error(`gather-model: dimensions must be a positive whole number (got ${dimensions})`);
  }
  if (vectors.length !== words.length * dimensions) {
    throw new Error(`gather-model: ${words.length} words × ${dimensions} dimensions need ${words.length * dimensions} values, got ${vectors.length}`);
  }
  const vocabulary = [...SPECIAL_TOKENS, ...words];
  const seen = new Set<string>();
  for (const word of vocabulary) {
    if (word === '' || seen.has(word)) throw new Error(`gather-model: the vocabulary repeats ${JSON.stringify(word)} or has an empty word`);
    seen.add(word);
  }
  const table = new Float32Array(vocabulary.length * dimensions);
  table.set(vectors, SPECIAL_TOKENS.length * dimensions);

  const modelDir = path.join(options.dir, options.name);
  await mkdir(path.join(modelDir, 'onnx'), { recursive: true });
  const graph = encodeGatherOnnx(table, vocabulary.length, dimensions);
  await Promise.all([
    writeJson(path.join(modelDir, 'config.json'), buildConfig(options.name, vocabulary.length, dimensions, options.description ?? {})),
    writeJson(path.join(modelDir, 'tokenizer.json'), buildTokenizer(vocabulary)),
    writeJson(path.join(modelDir, 'tokenizer_config.json'), buildTokenizerConfig()),
    writeFile(path.join(modelDir, 'onnx', 'model.onnx'), graph),
    writeFile(path.join(modelDir, 'onnx', 'model_quantized.onnx'), graph),
  ]);
  return modelDir;
}

/**
 * The ONNX graph: inputs `input_ids` and `attention_mask` (int64, batch × sequence; the
 * mask is unused but declared so transformers.js feeds it like any BERT), one Gather over
 * the `rows × dimensions` float table, output `last_hidden_state`.
 */
export function encodeGatherOnnx(table: Float32Array, rows: number, dimensions: number): Uint8Array {
  const { FLOAT, INT64 } = onnx.TensorProto.DataType;
  // ONNX raw_data is little-endian whatever the host; DataView makes that explicit.
  const raw = new Uint8Array(table.length * 4);
  const view = new DataView(raw.buffer);
  table.forEach((value, index) => view.setFloat32(index * 4, value, true));
  const tensorInfo = (name: string, elemType: number, shape: (number | string)[]) => ({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: shape.map((dim) => (typeof dim === 'number' ? { dimValue: dim } : { dimParam: dim })) },
      },
    },
  });
  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    producerName: 'verbatim-gather-model',
    graph: {
      node: [{ input: ['embeddings', 'input_ids'], output: ['last_hidden_state'], name: 'lookup', opType: 'Gather' }],
      name: 'static_embeddings',
      initializer: [{ dims: [rows, dimensions], dataType: FLOAT, name: 'embeddings', rawData: raw }],
      input: [
        tensorInfo('input_ids', INT64, ['batch_size', 'sequence_length']),
        tensorInfo('attention_mask', INT64, ['batch_size', 'sequence_length']),
      ],
      output: [tensorInfo('last_hidden_state', FLOAT, ['batch_size', 'sequence_length', dimensions])],
    },
    // An empty domain means the default ai.onnx operator set.
    opsetImport: [{ domain: '', version: ONNX_OPSET_VERSION }],
  });
  return onnx.ModelProto.encode(model).finish();
}

/**
 * Splits text into the words BERT's normalizer and pre-tokenizer produce, mirroring
 * transformers.js 2.17 (`BertNormalizer` with lowercase + strip accents, then
 * `BertPreTokenizer`): a vocabulary built from these words holds every word of its texts
 * as one token.
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

function buildConfig(name: string, vocabularySize: number, dimensions: number, description: Record<string, unknown>): object {
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
    static_embeddings: description,
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
