import { createHash } from 'node:crypto';
import type { Document } from '../domain.js';
import type { SkippedFile } from '../corpus/load-corpus.js';

/** Bump when the layout of index/ changes: older indexes are rebuilt, never misread. */
export const INDEX_FORMAT_VERSION = 1;
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
  /** File (relative to the generation folder) → SHA-256, to detect corruption. */
  files: Record<string, string>;
  skipped: SkippedFile[];
}

/** What the running system expects of a usable index. */
export interface IndexExpectation {
  corpusHash: string;
  chunkerVersion: number;
  /** The loaded model's id, or null when retrieval is lexical-only. */
  embeddingModel: string | null;
}

/** Hash of what the corpus holds: every document's source and text, and what was skipped. */
export function hashCorpus(documents: readonly Document[], skipped: readonly SkippedFile[]): string {
  const hash = createHash('sha256');
  for (const document of documents) hash.update(`doc\0${document.source}\0${document.text}\0`);
  for (const file of skipped) hash.update(`skip\0${file.source}\0${file.reason}\0`);
  return hash.digest('hex');
}

/** Validates parsed JSON as a Manifest; throws naming the first bad field. */
export function parseManifest(json: string): Manifest {
  const value = JSON.parse(json) as Partial<Manifest> | null;
  if (!value || typeof value !== 'object') throw new Error('store: manifest is not an object');
  const expectType = (field: keyof Manifest, type: string): void => {
    if (typeof value[field] !== type) throw new Error(`store: manifest field ${field} is missing or not a ${type}`);
  };
  expectType('formatVersion', 'number');
  expectType('embeddingModel', 'string');
  expectType('dimensions', 'number');
  expectType('chunkerVersion', 'number');
  expectType('corpusHash', 'string');
  expectType('builtAt', 'string');
  expectType('generation', 'string');
  expectType('documents', 'number');
  expectType('chunks', 'number');
  expectType('files', 'object');
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
  if (manifest.corpusHash !== expected.corpusHash) return 'the corpus has changed since the index was built';
  if (expected.embeddingModel !== null && manifest.embeddingModel !== expected.embeddingModel) {
    return `the index was embedded with ${manifest.embeddingModel}, not ${expected.embeddingModel}`;
  }
  return null;
}
