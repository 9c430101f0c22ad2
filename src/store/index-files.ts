import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { copyFile, link, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CorpusFile } from '../corpus/load-corpus.js';
import type { Chunk, Document } from '../domain.js';
import { type DenseIndex, HNSW_FILE, type IndexEmbedder, loadDenseIndex, saveDenseIndex } from './dense-index.js';
import { EmbeddingCache } from './embedding-cache.js';
import { decodeJsonLines, encodeJsonLines } from './json-lines.js';
import { decodeLexicalIndex, encodeLexicalIndex, type LexicalIndex } from './lexical-index.js';
import { DamagedIndexError, PassagePack, type TextSource } from './passage-file.js';
import { decodePassageMap, encodePassageMap, PASSAGE_MAP_FILE, type PackPlan, StoredPassages, textsFileOf } from './passage-store.js';
import { type IndexFile, MANIFEST_FILE, type Manifest, NO_EMBEDDING_MODEL, parseManifest } from './manifest.js';

/** A loaded index: everything retrieval and answering read. */
export interface CorpusIndex {
  manifest: Manifest;
  documents: Document[];
  /** Every passage, documents in order (decoded on first use: see `passages`). */
  readonly chunks: Chunk[];
  /** The slot of each chunk, by position (the number its lexical postings and HNSW label use). */
  slots: Uint32Array;
  lexical: LexicalIndex;
  /** Null when the index is lexical-only or its model is not loaded. */
  dense: DenseIndex | null;
  /** The corpus files as seen by the build (size, time), to tell cheaply whether the corpus changed. */
  corpusFiles: CorpusFile[];
  /** Which pack holds each document, and the passages decoded so far (see `passage-store.ts`). */
  passages: StoredPassages;
}

/** What a build writes. */
export interface IndexContents {
  /** Packs to link from the previous generation and the new one to write; `layout` is the map written. */
  packs: PackPlan;
  corpusFiles: CorpusFile[];
  lexical: LexicalIndex;
  dense: DenseIndex | null;
  /** The vectors of every slot (null for a lexical-only index). */
  embeddings: EmbeddingCache | null;
}

/** Files of a generation, relative to its folder (besides the packs under `passages/`). */
export const INDEX_FILES = {
  passageMap: PASSAGE_MAP_FILE,
  corpusFiles: 'corpus-files.jsonl',
  lexical: 'lexical.bin',
  embeddings: 'embeddings.bin',
  dense: `dense/${HNSW_FILE}`,
} as const;
export type IndexFileName = (typeof INDEX_FILES)[keyof typeof INDEX_FILES];
/** A pack file, `passages/….bin`. */
export type PackFileName = `passages/${string}`;

/** Steps of writing a generation, named so a failure can be injected at each (see `checkpoint`). */
export type SaveStep = 'write-files' | 'rename-generation' | 'swap-manifest' | 'remove-old-generations';

export interface SaveOptions {
  /** Files whose content is byte-identical to a previous generation's (every pack linked): linked, their checksums reused. */
  unchanged?: Partial<Record<IndexFileName | PackFileName, { from: string; file: IndexFile }>>;
  /** Called as each step begins; a failure thrown here fails the save at that step. */
  checkpoint?: (step: SaveStep) => void | Promise<void>;
}

/**
 * Writes a built index as a new generation folder and then points manifest.json at it.
 * Files go to a temporary folder first; the manifest is replaced by an atomic rename,
 * so a reader sees either the old index or the new one, and a failure at any step before
 * the swap leaves the previous index in use. Once the new index is live, failing to remove
 * an old generation is not a failure of the save: it is returned as a warning.
 */
export async function saveIndex(
  indexDir: string,
  contents: IndexContents,
  manifest: Omit<Manifest, 'generation' | 'files'>,
  options: SaveOptions = {},
): Promise<{ manifest: Manifest; warnings: string[] }> {
  const checkpoint = options.checkpoint ?? (() => {});
  await mkdir(indexDir, { recursive: true });
  const stamp = `${Date.now().toString(36)}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const generation = `gen-${stamp}`;
  const temporary = path.join(indexDir, `.tmp-${stamp}`);
  let complete: Manifest;
  try {
    await checkpoint('write-files');
    await mkdir(temporary);
    const files: Record<string, IndexFile> = {};
    const put = async (name: IndexFileName | PackFileName, encode: () => Buffer[]): Promise<void> => {
      const reuse = options.unchanged?.[name];
      const target = path.join(temporary, name);
      await mkdir(path.dirname(target), { recursive: true });
      if (reuse) {
        // A generation's files are never written after the swap, so sharing them is safe.
        await link(reuse.from, target).catch(() => copyFile(reuse.from, target));
        files[name] = reuse.file;
      } else {
        files[name] = await writeBuffers(target, encode());
      }
    };
    for (const name of contents.packs.linked.flatMap((pack) => [pack, textsFileOf(pack)]) as PackFileName[]) {
      if (!options.unchanged?.[name]) throw new Error(`store: the pack file ${name} is kept but not given to link`);
      await put(name, () => []);
    }
    const { written } = contents.packs;
    if (written) {
      const encoded = written.encode();
      await put(written.name as PackFileName, () => encoded.columns);
      await put(textsFileOf(written.name) as PackFileName, () => encoded.texts);
    }
    await put(INDEX_FILES.passageMap, () => encodePassageMap(contents.packs.layout));
    await put(INDEX_FILES.corpusFiles, () => encodeJsonLines(contents.corpusFiles));
    await put(INDEX_FILES.lexical, () => encodeLexicalIndex(contents.lexical));
    if (contents.embeddings || options.unchanged?.[INDEX_FILES.embeddings]) await put(INDEX_FILES.embeddings, () => contents.embeddings!.encode());
    if (contents.dense) {
      const reuse = options.unchanged?.[INDEX_FILES.dense];
      const target = path.join(temporary, INDEX_FILES.dense);
      await mkdir(path.dirname(target), { recursive: true });
      if (reuse) await put(INDEX_FILES.dense, () => []);
      else {
        await saveDenseIndex(contents.dense, target);
        files[INDEX_FILES.dense] = await hashFile(target);
      }
    }
    await checkpoint('rename-generation');
    await rename(temporary, path.join(indexDir, generation));
    complete = { ...manifest, generation, files };
    await checkpoint('swap-manifest');
    await writeFileAtomically(path.join(indexDir, MANIFEST_FILE), `${JSON.stringify(complete, null, 2)}\n`);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    // Renamed but never made current: nothing points at it.
    if (!(await pointsAt(indexDir, generation))) await rm(path.join(indexDir, generation), { recursive: true, force: true }).catch(() => {});
    throw error;
  }
  const warnings: string[] = [];
  try {
    await checkpoint('remove-old-generations');
    warnings.push(...(await removeOtherGenerations(indexDir, generation)));
  } catch (error) {
    warnings.push(`store: the new index is live, but old generations could not be removed (${describe(error)}); delete the gen-* folders other than ${generation} in ${indexDir} by hand.`);
  }
  return { manifest: complete, warnings };
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

export interface LoadIndexOptions {
  /**
   * Read each document's text only when it is first read (then checked against its
   * SHA-256 in the verified passage map, and an error thrown there if it differs): a
   * reindex needs the other documents' metadata, not their words. Answering reads every
   * text: it loads the texts files at once, each checked whole.
   */
  textsWhenRead?: boolean;
}

/**
 * Loads the generation a manifest points to. Every file's size is checked; every file it
 * reads is checked against its checksum (the embedding cache, which answering never
 * reads, is not). The dense part is loaded only when `embedder` is the model the index
 * was built with. Throws (naming the file) on any missing, altered or unreadable file.
 */
export async function loadIndex(indexDir: string, manifest: Manifest, corpusDir: string, embedder: IndexEmbedder | null, options: LoadIndexOptions = {}): Promise<CorpusIndex> {
  const folder = path.join(indexDir, manifest.generation);
  await checkSizes(folder, manifest);
  const corpusParent = path.dirname(path.resolve(corpusDir));
  const layout = decodePassageMap(await readChecked(folder, manifest, INDEX_FILES.passageMap), INDEX_FILES.passageMap);
  const packs: PassagePack[] = [];
  for (const pack of layout.packs) {
    const textsFile = textsFileOf(pack.name);
    const texts = options.textsWhenRead ? textSourceOf(indexDir, manifest, textsFile) : await readChecked(folder, manifest, textsFile);
    packs.push(new PassagePack(await readChecked(folder, manifest, pack.name), texts, corpusParent, pack.name));
  }
  const documents = layout.documents.map((entry) => {
    const pack = packs[entry.pack]!;
    if (entry.index >= pack.documentCount || pack.chunkCount(entry.index) !== entry.chunks) {
      throw new Error(`store: ${INDEX_FILES.passageMap} does not match ${layout.packs[entry.pack]!.name} (document ${entry.index})`);
    }
    return pack.document(entry.index, entry.textHash);
  });
  const passages = new StoredPassages(layout, (position) => {
    const entry = layout.documents[position]!;
    return packs[entry.pack]!.chunksOf(entry.index, documents[position]);
  });
  const { slots } = layout;
  if (passages.chunkCount !== manifest.chunks) throw new Error(`store: ${INDEX_FILES.passageMap} holds ${passages.chunkCount} chunks, the manifest says ${manifest.chunks}`);
  const corpusFiles = decodeJsonLines<CorpusFile>(await readChecked(folder, manifest, INDEX_FILES.corpusFiles), INDEX_FILES.corpusFiles);
  const positions = new Int32Array(manifest.slots).fill(-1);
  slots.forEach((slot, position) => {
    if (slot >= positions.length || positions[slot] !== -1) throw new Error(`store: ${INDEX_FILES.passageMap} gives slot ${slot} twice or beyond ${manifest.slots}`);
    positions[slot] = position;
  });
  const lexical = decodeLexicalIndex(await readChecked(folder, manifest, INDEX_FILES.lexical), positions, INDEX_FILES.lexical);
  const useDense = embedder !== null && manifest.embeddingModel !== NO_EMBEDDING_MODEL && manifest.embeddingModel === embedder.modelId;
  let dense: DenseIndex | null = null;
  if (useDense) {
    await verifyChecksum(folder, manifest, INDEX_FILES.dense);
    dense = await loadDenseIndex(path.join(folder, INDEX_FILES.dense), embedder, manifest.dimensions, positions, passages.chunkCount);
  }
  return indexOf({ manifest, documents, slots, lexical, dense, corpusFiles, passages });
}

/** An index whose `chunks` are its passages' (decoded when first read). */
export function indexOf(fields: Omit<CorpusIndex, 'chunks'>): CorpusIndex {
  return {
    ...fields,
    get chunks() {
      return fields.passages.all();
    },
  };
}

/** The embedding cache saved with a generation (checked against its checksum); null for a lexical-only index. */
export async function readEmbeddingCache(indexDir: string, manifest: Manifest): Promise<EmbeddingCache | null> {
  if (manifest.embeddingModel === NO_EMBEDDING_MODEL) return null;
  const folder = path.join(indexDir, manifest.generation);
  const cache = EmbeddingCache.decode(await readChecked(folder, manifest, INDEX_FILES.embeddings), INDEX_FILES.embeddings);
  if (cache.modelId !== manifest.embeddingModel || cache.rows !== manifest.slots) {
    throw new Error(`store: ${INDEX_FILES.embeddings} holds ${cache.rows} vectors of ${cache.modelId}, the manifest says ${manifest.slots} of ${manifest.embeddingModel}`);
  }
  return cache;
}

/** Checks a file of the generation against its checksum without keeping it; throws when it differs. */
export async function verifyChecksum(folder: string, manifest: Manifest, name: string): Promise<void> {
  const expected = expectedFile(manifest, name);
  const actual = await hashFile(path.join(folder, name)).catch((error: unknown) => {
    throw new Error(`store: ${manifest.generation}/${name} is unreadable (${describe(error)})`);
  });
  if (actual.sha256 !== expected.sha256 || actual.bytes !== expected.bytes) throw new Error(`store: ${manifest.generation}/${name} does not match its checksum`);
}

function expectedFile(manifest: Manifest, name: string): IndexFile {
  const file = manifest.files[name];
  if (!file) throw new Error(`store: ${manifest.generation}/${name} is not in the manifest`);
  return file;
}

/** Every file the manifest lists exists with its recorded size: cheap, and catches truncation and missing files. */
async function checkSizes(folder: string, manifest: Manifest): Promise<void> {
  for (const [name, file] of Object.entries(manifest.files)) {
    const stats = await stat(path.join(folder, name)).catch(() => null);
    if (!stats) throw new Error(`store: ${manifest.generation}/${name} is missing`);
    if (stats.size !== file.bytes) throw new Error(`store: ${manifest.generation}/${name} is ${stats.size} bytes, the manifest says ${file.bytes}`);
  }
}

/** A file of the generation, read once and checked against its checksum on the bytes read. */
async function readChecked(folder: string, manifest: Manifest, name: string): Promise<Buffer> {
  const expected = expectedFile(manifest, name);
  const bytes = await readFile(path.join(folder, name)).catch((error: unknown) => {
    throw new Error(`store: ${manifest.generation}/${name} is ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `unreadable (${describe(error)})`}`);
  });
  if (bytes.length !== expected.bytes || createHash('sha256').update(bytes).digest('hex') !== expected.sha256) {
    throw new Error(`store: ${manifest.generation}/${name} does not match its checksum`);
  }
  return bytes;
}

/**
 * A pack's texts file, read one document's span at a time when a text is first needed
 * (inside a synchronous getter, so blocking; each text is checked against its SHA-256 by
 * the pack). A later build may have replaced the generation it was loaded from: a pack's
 * files keep their name and bytes in every generation that links them, so the live
 * generation's copy is read instead.
 */
function textSourceOf(indexDir: string, manifest: Manifest, name: string): TextSource {
  const expected = expectedFile(manifest, name);
  let folder = path.join(indexDir, manifest.generation);
  const locate = (): string => {
    if (existsSync(path.join(folder, name))) return folder;
    let live: Manifest | null = null;
    try {
      live = parseManifest(readFileSync(path.join(indexDir, MANIFEST_FILE), 'utf8'));
    } catch {
      // No readable manifest: nowhere else to look.
    }
    if (live?.files[name]?.sha256 !== expected.sha256) throw new DamagedIndexError(`store: ${manifest.generation}/${name} is missing, and the live index does not have it (it was rebuilt since this one was loaded)`);
    return (folder = path.join(indexDir, live.generation));
  };
  return {
    read(start, end) {
      const file = path.join(locate(), name);
      const bytes = Buffer.alloc(end - start);
      let handle: number;
      try {
        handle = openSync(file, 'r');
      } catch (error) {
        throw new DamagedIndexError(`store: ${path.relative(indexDir, file)} is unreadable (${describe(error)})`);
      }
      try {
        let done = 0;
        while (done < bytes.length) {
          const read = readSync(handle, bytes, done, bytes.length - done, start + done);
          if (read === 0) break;
          done += read;
        }
        return done === bytes.length ? bytes : bytes.subarray(0, done);
      } catch (error) {
        throw new DamagedIndexError(`store: ${path.relative(indexDir, file)} is unreadable (${describe(error)})`);
      } finally {
        closeSync(handle);
      }
    },
  };
}

/** Writes the buffers one after another, hashing them on the way (the file is not read back). */
async function writeBuffers(file: string, buffers: readonly Buffer[]): Promise<IndexFile> {
  const hash = createHash('sha256');
  let bytes = 0;
  const handle = await open(file, 'w');
  try {
    for (const buffer of buffers) {
      hash.update(buffer);
      bytes += buffer.length;
      // writeFile on a handle writes all of it, from the current position.
      await handle.writeFile(buffer);
    }
  } finally {
    await handle.close();
  }
  // No fsync: a file torn by a power cut fails its checksum on open and is rebuilt, never used.
  return { bytes, sha256: hash.digest('hex') };
}

async function hashFile(file: string): Promise<IndexFile> {
  const hash = createHash('sha256');
  let bytes = 0;
  const handle = await open(file, 'r');
  try {
    for await (const chunk of handle.createReadStream({ highWaterMark: 1 << 22 })) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  } finally {
    await handle.close().catch(() => {});
  }
  return { bytes, sha256: hash.digest('hex') };
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

async function pointsAt(indexDir: string, generation: string): Promise<boolean> {
  return (await readManifest(indexDir).catch(() => null))?.generation === generation;
}

/** A temporary folder this old belongs to a build that died, not one still running elsewhere. */
const ABANDONED_BUILD_AGE_MS = 60 * 60_000;

/** Old generations and abandoned temporary folders: nothing points at them any more. Returns what could not be removed. */
async function removeOtherGenerations(indexDir: string, keep: string): Promise<string[]> {
  const warnings: string[] = [];
  for (const entry of await readdir(indexDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === keep) continue;
    const folder = path.join(indexDir, entry.name);
    const abandoned = entry.name.startsWith('.tmp-') && Date.now() - (await stat(folder)).mtimeMs > ABANDONED_BUILD_AGE_MS;
    if (!entry.name.startsWith('gen-') && !abandoned) continue;
    try {
      await rm(folder, { recursive: true, force: true });
    } catch (error) {
      warnings.push(`store: the new index is live, but the old folder ${entry.name} could not be removed (${describe(error)}); delete it by hand.`);
    }
  }
  return warnings;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.replace(/\.$/, '') : String(error);
}
