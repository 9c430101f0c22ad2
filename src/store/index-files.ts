import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Chunk, Document } from '../domain.js';
import { type DenseIndex, type IndexEmbedder, loadDenseIndex, saveDenseIndex } from './dense-index.js';
import { EmbeddingCache } from './embedding-cache.js';
import { type LexicalIndex, loadLexicalIndex, serializeLexicalIndex } from './lexical-index.js';
import { MANIFEST_FILE, type Manifest, NO_EMBEDDING_MODEL, parseManifest } from './manifest.js';

/** A loaded index: everything retrieval and answering read. */
export interface CorpusIndex {
  manifest: Manifest;
  documents: Document[];
  chunks: Chunk[];
  lexical: LexicalIndex;
  /** Null when the index is lexical-only or its model is not loaded. */
  dense: DenseIndex | null;
}

const DOCUMENTS_FILE = 'documents.json';
const CHUNKS_FILE = 'chunks.json';
const LEXICAL_FILE = 'lexical.json';
const DENSE_DIR = 'dense';
const EMBEDDING_CACHE_FILE = 'embedding-cache.json';

type StoredDocument = Omit<Document, 'path'>;

/**
 * Writes a built index as a new generation folder and then points manifest.json at it.
 * Files go to a temporary folder first; the manifest is replaced by an atomic rename,
 * so a reader sees either the old index or the new one, and a failure at any step
 * leaves the previous index in use.
 */
export async function saveIndex(
  indexDir: string,
  built: Omit<CorpusIndex, 'manifest'>,
  manifest: Omit<Manifest, 'generation' | 'files'>,
  cache: EmbeddingCache,
): Promise<Manifest> {
  await mkdir(indexDir, { recursive: true });
  const stamp = `${Date.now().toString(36)}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const generation = `gen-${stamp}`;
  const temporary = path.join(indexDir, `.tmp-${stamp}`);
  try {
    await mkdir(temporary);
    const stored: StoredDocument[] = built.documents.map(({ path: _absolute, ...rest }) => rest);
    await writeFile(path.join(temporary, DOCUMENTS_FILE), JSON.stringify(stored));
    await writeFile(path.join(temporary, CHUNKS_FILE), JSON.stringify(built.chunks));
    await writeFile(path.join(temporary, LEXICAL_FILE), serializeLexicalIndex(built.lexical));
    await writeFile(path.join(temporary, EMBEDDING_CACHE_FILE), JSON.stringify(cache));
    if (built.dense) await saveDenseIndex(built.dense, path.join(temporary, DENSE_DIR));
    const files = await hashFiles(temporary);
    await rename(temporary, path.join(indexDir, generation));
    const complete: Manifest = { ...manifest, generation, files };
    await writeFileAtomically(path.join(indexDir, MANIFEST_FILE), `${JSON.stringify(complete, null, 2)}\n`);
    await removeOtherGenerations(indexDir, generation);
    return complete;
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
}

/** Reads manifest.json, or null when there is none (a fresh checkout). Throws when it is corrupt. */
export async function readManifest(indexDir: string): Promise<Manifest | null> {
  let json: string;
  try {
    json = await readFile(path.join(indexDir, MANIFEST_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return parseManifest(json);
}

/**
 * Loads the generation a manifest points to, after checking every file's hash.
 * The dense part is loaded only when `embedder` is the model the index was built with.
 * Throws (naming the file) on any missing, altered or unreadable file.
 */
export async function loadIndex(
  indexDir: string,
  manifest: Manifest,
  corpusDir: string,
  embedder: IndexEmbedder | null,
): Promise<CorpusIndex> {
  const folder = path.join(indexDir, manifest.generation);
  const actual = await hashFiles(folder);
  for (const [file, digest] of Object.entries(manifest.files)) {
    if (actual[file] === undefined) throw new Error(`store: ${manifest.generation}/${file} is missing`);
    if (actual[file] !== digest) throw new Error(`store: ${manifest.generation}/${file} does not match its checksum`);
  }
  const corpusParent = path.dirname(path.resolve(corpusDir));
  const stored = JSON.parse(await readFile(path.join(folder, DOCUMENTS_FILE), 'utf8')) as StoredDocument[];
  const documents: Document[] = stored.map((document) => ({ ...document, path: path.join(corpusParent, document.source) }));
  const chunks = await readChunks(indexDir, manifest);
  if (!Array.isArray(chunks) || chunks.length !== manifest.chunks) {
    throw new Error(`store: ${CHUNKS_FILE} holds ${Array.isArray(chunks) ? chunks.length : 'no'} chunks, the manifest says ${manifest.chunks}`);
  }
  const lexical = loadLexicalIndex(await readFile(path.join(folder, LEXICAL_FILE), 'utf8'));
  const useDense = embedder !== null && manifest.embeddingModel !== NO_EMBEDDING_MODEL && manifest.embeddingModel === embedder.modelId;
  const dense = useDense ? await loadDenseIndex(path.join(folder, DENSE_DIR), embedder, chunks.length) : null;
  return { manifest, documents, chunks, lexical, dense };
}

/** The chunks of the generation a manifest points to; throws when the file is missing or not JSON. */
export async function readChunks(indexDir: string, manifest: Manifest): Promise<Chunk[]> {
  return JSON.parse(await readFile(path.join(indexDir, manifest.generation, CHUNKS_FILE), 'utf8')) as Chunk[];
}

/** The embedding cache saved with the current index (empty when there is none or it is unreadable). */
export async function readEmbeddingCache(indexDir: string, manifest: Manifest | null): Promise<EmbeddingCache> {
  if (!manifest) return new EmbeddingCache();
  try {
    const json = await readFile(path.join(indexDir, manifest.generation, EMBEDDING_CACHE_FILE), 'utf8');
    return EmbeddingCache.fromJSON(JSON.parse(json));
  } catch {
    return new EmbeddingCache();
  }
}

async function hashFiles(folder: string, prefix = ''): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const entry of await readdir(path.join(folder, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(digests, await hashFiles(folder, relative));
    else digests[relative] = createHash('sha256').update(await readFile(path.join(folder, relative))).digest('hex');
  }
  return digests;
}

async function writeFileAtomically(file: string, content: string): Promise<void> {
  const temporary = `${file}.tmp-${process.pid}`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
}

/** A temporary folder this old belongs to a build that died, not one still running elsewhere. */
const ABANDONED_BUILD_AGE_MS = 60 * 60_000;

/** Old generations and abandoned temporary folders: nothing points at them any more. */
async function removeOtherGenerations(indexDir: string, keep: string): Promise<void> {
  for (const entry of await readdir(indexDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === keep) continue;
    const folder = path.join(indexDir, entry.name);
    const abandoned = entry.name.startsWith('.tmp-') && Date.now() - (await stat(folder)).mtimeMs > ABANDONED_BUILD_AGE_MS;
    if (entry.name.startsWith('gen-') || abandoned) await rm(folder, { recursive: true, force: true });
  }
}
