import { createHash } from 'node:crypto';
import { decodeSections, encodeSections, requireSection, type Section } from './binary-sections.js';

/**
 * Vectors of passages already embedded, one row per passage slot, each with the hash of
 * the text it embeds: a reindex looks a passage's text up here and embeds only what is
 * missing. Stored as one binary file (a Float32Array of rows and a 16-byte key per row),
 * read by viewing its bytes — its size is bounded by memory, not by a string.
 */
export class EmbeddingCache {
  readonly modelId: string;
  readonly dimensions: number;
  /** Rows (slots), free ones included. */
  readonly rows: number;
  private readonly keys: Uint8Array;
  private readonly vectors: Float32Array;
  private rowsByKey: Map<string, number> | null = null;

  /** A cache of `rows` empty rows (all zero, keyed by nothing). */
  constructor(modelId: string, dimensions: number, rows: number, storage?: { keys: Uint8Array; vectors: Float32Array }) {
    this.modelId = modelId;
    this.dimensions = dimensions;
    this.rows = rows;
    this.keys = storage?.keys ?? new Uint8Array(rows * KEY_BYTES);
    this.vectors = storage?.vectors ?? new Float32Array(rows * dimensions);
    if (this.keys.length !== rows * KEY_BYTES || this.vectors.length !== rows * dimensions) {
      throw new Error(`store: an embedding cache of ${rows} rows × ${dimensions} needs ${rows * dimensions} values and ${rows} keys`);
    }
  }

  /** The key of a passage text: its SHA-256, cut to 128 bits (collisions are out of reach at any corpus size). */
  static key(text: string): Uint8Array {
    return createHash('sha256').update(text).digest().subarray(0, KEY_BYTES);
  }

  /** The vector in `row` (a view, not a copy). */
  vector(row: number): Float32Array {
    return this.vectors.subarray(row * this.dimensions, (row + 1) * this.dimensions);
  }

  /** The key stored in `row` (a view, not a copy). */
  keyAt(row: number): Uint8Array {
    return this.keys.subarray(row * KEY_BYTES, (row + 1) * KEY_BYTES);
  }

  /** The row holding the vector of a text with this key, or -1. */
  findRow(key: Uint8Array): number {
    if (!this.rowsByKey) {
      this.rowsByKey = new Map();
      for (let row = 0; row < this.rows; row++) {
        const stored = this.keys.subarray(row * KEY_BYTES, (row + 1) * KEY_BYTES);
        if (stored.some((byte) => byte !== 0)) this.rowsByKey.set(keyString(stored), row);
      }
    }
    return this.rowsByKey.get(keyString(key)) ?? -1;
  }

  /** Stores a vector and its text's key in `row`. */
  set(row: number, key: Uint8Array, vector: ArrayLike<number>): void {
    if (vector.length !== this.dimensions) throw new Error(`store: a vector of ${vector.length} values does not fit a cache of ${this.dimensions} dimensions`);
    this.keys.set(key, row * KEY_BYTES);
    this.vectors.set(vector, row * this.dimensions);
    this.rowsByKey?.set(keyString(key), row);
  }

  /** Copies the first `count` rows of another cache of the same model, as they are (one copy, not one per row). */
  copyRows(from: EmbeddingCache, count: number): void {
    this.keys.set(from.keys.subarray(0, count * KEY_BYTES));
    this.vectors.set(from.vectors.subarray(0, count * this.dimensions));
    this.rowsByKey = null;
  }

  /**
   * The row holding each of these keys' vectors, or -1, in one pass over the rows without
   * building the look-up `findRow` keeps: a reindex that changed one document looks up a
   * handful of passages among 100,000.
   */
  findRows(keys: readonly Uint8Array[]): number[] {
    if (this.rowsByKey || keys.length > FEW_KEYS) return keys.map((key) => this.findRow(key));
    return findKeyRows(this.keys, keys);
  }

  /** Copies `row` of another cache of the same model into `toRow`. */
  copyRow(from: EmbeddingCache, row: number, toRow: number): void {
    this.keys.set(from.keys.subarray(row * KEY_BYTES, (row + 1) * KEY_BYTES), toRow * KEY_BYTES);
    this.vectors.set(from.vector(row), toRow * this.dimensions);
    this.rowsByKey = null;
  }

  /** The file's contents, as buffers to write one after another. */
  encode(): Buffer[] {
    return encodeSections(this.metaOf(FORMAT), { vectors: this.vectors, keys: this.keys });
  }

  /**
   * The keys alone and the vectors alone, as two files: a reindex looks new passages up
   * by key (1.7 MB at 100,000 passages) and reads the vectors (56 MB) only for a text it
   * finds there (see `StoredVectors`).
   */
  encodeApart(): { keys: Buffer[]; vectors: Buffer[] } {
    return { keys: encodeSections(this.metaOf(KEYS_FORMAT), { keys: this.keys }), vectors: encodeSections(this.metaOf(VECTORS_FORMAT), { vectors: this.vectors }) };
  }

  private metaOf(format: string): CacheMeta {
    return { format, modelId: this.modelId, dimensions: this.dimensions, rows: this.rows };
  }

  /** Reads a saved cache; throws, naming the file, when it is malformed. */
  static decode(buffer: Buffer, label = 'the embedding cache'): EmbeddingCache {
    const { meta, sections } = decodeCache(buffer, FORMAT, label);
    const vectors = requireSection(sections, 'vectors', Float32Array, label);
    const keys = requireSection(sections, 'keys', Uint8Array, label);
    return new EmbeddingCache(meta.modelId, meta.dimensions, meta.rows, { keys, vectors });
  }

  /** The keys file of `encodeApart`: the model, the row count and each row's key. */
  static decodeKeys(buffer: Buffer, label = 'the embedding keys'): { modelId: string; dimensions: number; rows: number; keys: Uint8Array } {
    const { meta, sections } = decodeCache(buffer, KEYS_FORMAT, label);
    const keys = requireSection(sections, 'keys', Uint8Array, label);
    if (keys.length !== meta.rows * KEY_BYTES) throw new Error(`store: ${label} holds ${keys.length / KEY_BYTES} keys, its header says ${meta.rows}`);
    return { modelId: meta.modelId, dimensions: meta.dimensions, rows: meta.rows, keys };
  }

  /** A cache from the two files of `encodeApart`; throws, naming them, when they do not belong together. */
  static decodeApart(keys: Buffer, vectors: Buffer, labels = { keys: 'the embedding keys', vectors: 'the embedding vectors' }): EmbeddingCache {
    const keyed = EmbeddingCache.decodeKeys(keys, labels.keys);
    const { meta, sections } = decodeCache(vectors, VECTORS_FORMAT, labels.vectors);
    if (meta.modelId !== keyed.modelId || meta.dimensions !== keyed.dimensions || meta.rows !== keyed.rows) {
      throw new Error(`store: ${labels.vectors} holds ${meta.rows} vectors of ${meta.modelId}, ${labels.keys} ${keyed.rows} keys of ${keyed.modelId}`);
    }
    return new EmbeddingCache(meta.modelId, meta.dimensions, meta.rows, { keys: keyed.keys, vectors: requireSection(sections, 'vectors', Float32Array, labels.vectors) });
  }
}

function decodeCache(buffer: Buffer, format: string, label: string): { meta: CacheMeta; sections: Map<string, Section> } {
  const decoded = decodeSections<CacheMeta>(buffer, label);
  if (decoded.meta.format !== format) throw new Error(`store: ${label} is in format ${String(decoded.meta.format)}, not ${format}`);
  return decoded;
}

interface CacheMeta {
  format: string;
  modelId: string;
  dimensions: number;
  rows: number;
}

const FORMAT = 'verbatim-embeddings-1';
const KEYS_FORMAT = 'verbatim-embedding-keys-1';
const VECTORS_FORMAT = 'verbatim-embedding-vectors-1';
/** Up to this many keys are looked up by one pass over the rows; more build the map `findRow` keeps. */
export const FEW_KEYS = 64;
export const KEY_BYTES = 16;

/**
 * Where each of a few keys stands among `stored` (16 bytes a row), or -1, in one pass
 * over the rows: a cheap first test on four bytes, the whole key only for the rare row
 * that passes it.
 */
export function findKeyRows(stored: Uint8Array, keys: readonly Uint8Array[]): number[] {
  const wanted = new Map<string, number[]>();
  keys.forEach((key, i) => wanted.set(keyString(key), [...(wanted.get(keyString(key)) ?? []), i]));
  const firstWords = new Set(keys.map((key) => Buffer.from(key.buffer, key.byteOffset, KEY_BYTES).readUInt32LE(0)));
  const rows = keys.map(() => -1);
  const bytes = Buffer.from(stored.buffer, stored.byteOffset, stored.length);
  const count = stored.length / KEY_BYTES;
  for (let row = 0; row < count; row++) {
    if (!firstWords.has(bytes.readUInt32LE(row * KEY_BYTES))) continue;
    for (const i of wanted.get(keyString(stored.subarray(row * KEY_BYTES, (row + 1) * KEY_BYTES))) ?? []) if (rows[i] === -1) rows[i] = row;
  }
  return rows;
}

function keyString(key: Uint8Array): string {
  return Buffer.from(key.buffer, key.byteOffset, key.length).toString('latin1');
}
