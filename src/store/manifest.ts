import { createHash } from 'node:crypto';
import type { SkippedFile } from '../corpus/load-corpus.js';

/**
 * Bump when the layout of index/ changes: older indexes are rebuilt, never misread.
 * 2: binary lexical index, vectors and embedding cache; JSON Lines for documents and chunks;
 * passage slots; file sizes beside checksums; corpus file sizes and times.
 * 4: passages in packs under passages/ and a passage map, instead of one passages.bin.
 * 5: the BM25 index, the embedding cache and the HNSW graph as base files shared across
 * generations plus a delta per generation; the embedding cache's keys in a file apart.
 */
export const INDEX_FORMAT_VERSION = 5;
export const MANIFEST_FILE = 'manifest.json';
/** Written in `embeddingModel` when the index has no dense vectors. */
export const NO_EMBEDDING_MODEL = 'none';

/** `index/manifest.json`: what the saved index was built from, and where its files are. */
export interface Manifest {
  formatVersion: number;
  /** Embedding model id, or `none` for a lexical-only index. */
  embeddingModel: string;
  /** Vector dimensions (0 without a model). */
  dimensions: number;
  chunkerVersion: number;
  corpusHash: string;
  builtAt: string;
  /** Folder under index/ holding this build's files. */
  generation: string;
  documents: number;
  chunks: number;
  /**
   * File (relative to the generation folder) → its size and SHA-256. Sizes are checked on
   * every open; a checksum when the file is read (a file a request does not read is not hashed).
   */
  files: Record<string, IndexFile>;
  skipped: SkippedFile[];
  /** Passage slots in use, free ones included (slots are reclaimed by compaction). */
  slots: number;
  /** When the corpus was listed for this build (ms since 1970): files changed after it are re-read on open. */
  corpusScannedAtMs: number;
}

export interface IndexFile {
  bytes: number;
  sha256: string;
}

/** What the running system expects of a usable index. */
export interface IndexExpectation {
  /** Compared when given; start-up instead compares the corpus files' sizes and times (see corpus-state.ts). */
  corpusHash?: string;
  chunkerVersion: number;
  /** The loaded model's id, or null when retrieval is lexical-only. */
  embeddingModel: string | null;
}

/**
 * Hash of what the corpus holds: every document's source and the SHA-256 of its text (kept
 * in the passage map, so an unchanged text is not hashed again), and what was skipped.
 */
export function hashCorpus(documents: readonly { source: string; textHash: Uint8Array }[], skipped: readonly SkippedFile[]): string {
  // A few large updates, not three per document: 5,000 documents cost 15,000 calls.
  const hashes = Buffer.alloc(documents.length * 32);
  documents.forEach((document, i) => hashes.set(document.textHash, i * 32));
  return createHash('sha256')
    .update(`docs\0${documents.map((document) => document.source).join('\0')}\0`)
    .update(hashes)
    .update(`skipped\0${skipped.map((file) => `${file.source}\0${file.reason}`).join('\0')}`)
    .digest('hex');
}

/** Validates parsed JSON as a Manifest; throws naming the first bad field. */
export function parseManifest(json: string): Manifest {
  const value = JSON.parse(json) as Partial<Manifest> | null;
  if (!value || typeof value !== 'object') throw new Error('store: manifest is not an object');
  const expectType = (field: keyof Manifest, type: string): void => {
    if (typeof value[field] !== type) throw new Error(`store: manifest field ${field} is missing or not a ${type}`);
  };
  expectType('formatVersion', 'number');
  // An index in another layout is rebuilt; its other fields may mean something else.
  if (value.formatVersion !== INDEX_FORMAT_VERSION) throw new Error(`store: index format ${value.formatVersion} is not the current ${INDEX_FORMAT_VERSION}`);
  expectType('embeddingModel', 'string');
  expectType('dimensions', 'number');
  expectType('chunkerVersion', 'number');
  expectType('corpusHash', 'string');
  expectType('builtAt', 'string');
  expectType('generation', 'string');
  expectType('documents', 'number');
  expectType('chunks', 'number');
  expectType('files', 'object');
  expectType('slots', 'number');
  expectType('corpusScannedAtMs', 'number');
  for (const [name, file] of Object.entries(value.files ?? {})) {
    if (typeof file?.bytes !== 'number' || typeof file.sha256 !== 'string') throw new Error(`store: manifest entry for ${name} has no size and checksum`);
  }
  if (!/^gen-[\w.-]+$/.test(value.generation!)) throw new Error('store: manifest generation is not a generation folder name');
  return { skipped: [], ...value } as Manifest;
}

/**
 * Why a saved index cannot serve the running system, or null when it can.
 * An index with vectors still serves lexical-only retrieval when no model is loaded,
 * so a missing model alone is no reason to rebuild.
 */
export function findManifestMismatch(manifest: Manifest, expected: IndexExpectation): string | null {
  if (manifest.formatVersion !== INDEX_FORMAT_VERSION) {
    return `index format ${manifest.formatVersion} is not the current ${INDEX_FORMAT_VERSION}`;
  }
  if (manifest.chunkerVersion !== expected.chunkerVersion) {
    return `chunker version ${manifest.chunkerVersion} is not the current ${expected.chunkerVersion}`;
  }
  if (expected.corpusHash !== undefined && manifest.corpusHash !== expected.corpusHash) return 'the corpus has changed since the index was built';
  if (expected.embeddingModel !== null && manifest.embeddingModel !== expected.embeddingModel) {
    return `the index was embedded with ${manifest.embeddingModel}, not ${expected.embeddingModel}`;
  }
  return null;
}
