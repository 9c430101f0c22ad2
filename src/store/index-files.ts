import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { CorpusFile } from '../corpus/load-corpus.js';
import type { Chunk, Document } from '../domain.js';
import { type DenseGraph, type DenseIndex, HNSW_FILE, type IndexEmbedder, loadDenseIndexSync, openDenseGraph, readDenseGraph, saveDenseIndex } from './dense-index.js';
import { EmbeddingCache } from './embedding-cache.js';
import { decodeCorpusFiles, encodeCorpusFiles } from './corpus-state.js';
import { applyLexicalDelta, decodeLexicalDelta, encodeLexicalDelta, type LexicalDelta } from './lexical-delta.js';
import { decodeLexicalSections, encodeLexicalIndex, type LexicalIndex } from './lexical-index.js';
import { applyVectorDelta, decodeVectorDelta, encodeVectorDelta, StoredVectors, type VectorDelta } from './vector-delta.js';
import { DamagedIndexError, docsFileOf, PassagePack, type SpanSource } from './passage-file.js';
import { decodePassageMap, encodePassageMap, PASSAGE_MAP_FILE, packFilesOf, type PackPlan, StoredPassages, textsFileOf } from './passage-store.js';
import { type IndexFile, MANIFEST_FILE, type Manifest, NO_EMBEDDING_MODEL, parseManifest } from './manifest.js';

/** A loaded index: everything retrieval and answering read. */
export interface CorpusIndex {
  manifest: Manifest;
  documents: Document[];
  /** Every passage, documents in order (decoded on first use: see `passages`). */
  readonly chunks: Chunk[];
  /** The slot of each chunk, by position (the number its lexical postings and HNSW label use). */
  slots: Uint32Array;
  /** The BM25 index (put together on first use when the index was loaded for a reindex: see `LoadIndexOptions`). */
  readonly lexical: LexicalIndex;
  /** What the BM25 index holds beyond its base file (see `lexical-delta.ts`). */
  lexicalDelta: LexicalDelta;
  /** Null when the index is lexical-only or its model is not loaded (read on first use, like `lexical`). */
  readonly dense: DenseIndex | null;
  /** Every slot's vector, read as needed; null for a lexical-only index or another model (see `vector-delta.ts`). */
  vectors: StoredVectors | null;
  /** The corpus files as seen by the build (size, time), to tell cheaply whether the corpus changed. */
  corpusFiles: CorpusFile[];
  /** Which pack holds each document, and the passages decoded so far (see `passage-store.ts`). */
  passages: StoredPassages;
}

/** A part of an index given as it is, or as a function that reads it when first used. */
export type Deferred<T> = T | (() => T);

/** What a build writes. */
export interface IndexContents {
  /** Packs to link from the previous generation and the new one to write; `layout` is the map written. */
  packs: PackPlan;
  corpusFiles: CorpusFile[];
  /** A new base BM25 index (null: the previous one's, linked) and the delta over the base. */
  lexical: { base: LexicalIndex | null; delta: LexicalDelta };
  /** Null for a lexical-only index; else new base files (null: the previous ones, linked) and the delta over them. */
  vectors: { base: { cache: EmbeddingCache; graph: DenseIndex } | null; delta: VectorDelta } | null;
}

/** Files of a generation, relative to its folder (besides the packs under `passages/`). */
export const INDEX_FILES = {
  passageMap: PASSAGE_MAP_FILE,
  corpusFiles: 'corpus-files.bin',
  /** The BM25 base index, and what changed since it was written. */
  lexical: 'lexical.bin',
  lexicalDelta: 'lexical-delta.bin',
  /** The base vectors and their text keys, the HNSW graph written from them, and the vectors added since. */
  embeddings: 'embeddings.bin',
  embeddingKeys: 'embedding-keys.bin',
  dense: `dense/${HNSW_FILE}`,
  vectorDelta: 'vector-delta.bin',
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
    // The small steps of a save (folders, links, small files) are done synchronously: a
    // generation is a dozen or more of them, and each trip through the thread pool cost a
    // few milliseconds on a busy machine, more than the work itself.
    mkdirSync(temporary);
    const folders = new Set([temporary]);
    const files: Record<string, IndexFile> = {};
    const put = async (name: IndexFileName | PackFileName, encode: () => Buffer[]): Promise<void> => {
      const reuse = options.unchanged?.[name];
      const target = path.join(temporary, name);
      const folder = path.dirname(target);
      if (!folders.has(folder)) mkdirSync(folder, { recursive: true });
      folders.add(folder);
      if (reuse) {
        // A generation's files are never written after the swap, so sharing them is safe.
        try {
          linkSync(reuse.from, target);
        } catch {
          copyFileSync(reuse.from, target);
        }
        files[name] = reuse.file;
      } else {
        files[name] = await writeBuffers(target, encode());
      }
    };
    for (const name of contents.packs.linked.flatMap(packFilesOf) as PackFileName[]) {
      if (!options.unchanged?.[name]) throw new Error(`store: the pack file ${name} is kept but not given to link`);
      await put(name, () => []);
    }
    const { written } = contents.packs;
    if (written) {
      const encoded = written.encode();
      await put(written.name as PackFileName, () => encoded.records);
      await put(docsFileOf(written.name) as PackFileName, () => encoded.docs);
      await put(textsFileOf(written.name) as PackFileName, () => encoded.texts);
    }
    await put(INDEX_FILES.passageMap, () => encodePassageMap(contents.packs.layout));
    await put(INDEX_FILES.corpusFiles, () => encodeCorpusFiles(contents.corpusFiles));
    const { lexical, vectors } = contents;
    await put(INDEX_FILES.lexical, () => encodeLexicalIndex(lexical.base ?? missing(INDEX_FILES.lexical)));
    await put(INDEX_FILES.lexicalDelta, () => encodeLexicalDelta(lexical.delta));
    if (vectors) {
      const apart = vectors.base?.cache.encodeApart();
      await put(INDEX_FILES.embeddings, () => apart?.vectors ?? missing(INDEX_FILES.embeddings));
      await put(INDEX_FILES.embeddingKeys, () => apart?.keys ?? missing(INDEX_FILES.embeddingKeys));
      await put(INDEX_FILES.vectorDelta, () => encodeVectorDelta(vectors.delta));
      if (options.unchanged?.[INDEX_FILES.dense]) await put(INDEX_FILES.dense, () => []);
      else {
        const target = path.join(temporary, INDEX_FILES.dense);
        await mkdir(path.dirname(target), { recursive: true });
        await saveDenseIndex(vectors.base?.graph ?? missing(INDEX_FILES.dense), target);
        files[INDEX_FILES.dense] = await hashFile(target);
      }
    }
    await checkpoint('rename-generation');
    renameSync(temporary, path.join(indexDir, generation));
    complete = { ...manifest, generation, files };
    await checkpoint('swap-manifest');
    writeFileAtomically(path.join(indexDir, MANIFEST_FILE), `${JSON.stringify(complete, null, 2)}\n`);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    // Renamed but never made current: nothing points at it.
    if (!(await pointsAt(indexDir, generation))) await rm(path.join(indexDir, generation), { recursive: true, force: true }).catch(() => {});
    throw error;
  }
  const warnings: string[] = [];
  try {
    await checkpoint('remove-old-generations');
    warnings.push(...removeOtherGenerations(indexDir, generation));
  } catch (error) {
    warnings.push(`store: the new index is live, but old generations could not be removed (${describe(error)}); delete the gen-* folders other than ${generation} in ${indexDir} by hand.`);
  }
  return { manifest: complete, warnings };
}

/** A base file a build neither wrote nor linked: a bug in the build, said as such. */
function missing(name: string): never {
  throw new Error(`store: ${name} is neither written nor kept from the previous generation (a bug in the build)`);
}

/** Reads manifest.json, or null when there is none (a fresh checkout). Throws when it is corrupt. */
export async function readManifest(indexDir: string): Promise<Manifest | null> {
  let json: string;
  try {
    json = readFileSync(path.join(indexDir, MANIFEST_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return parseManifest(json);
}

export interface LoadIndexOptions {
  /**
   * Load what a reindex reads (the documents' metadata, the passage map and the deltas)
   * and the rest only when first used: each document's text (then checked against its
   * SHA-256 in the verified passage map, and an error thrown there if it differs), the
   * BM25 base and the HNSW graph (checked against their checksums then, blocking). A
   * reindex needs the other documents' metadata, not their words, and a one-document
   * change updates the deltas, not the bases. Answering reads everything: it loads it all
   * at once.
   */
  forReindex?: boolean;
}

/**
 * Loads the generation a manifest points to. Every file's size is checked; every file it
 * reads is checked against its checksum (the embedding cache, which answering never
 * reads, is read and checked only when a reindex needs it). The vectors and graph are
 * loaded only when `embedder` is the model the index was built with. Throws (naming the
 * file) on any missing, altered or unreadable file.
 */
export async function loadIndex(indexDir: string, manifest: Manifest, corpusDir: string, embedder: IndexEmbedder | null, options: LoadIndexOptions = {}): Promise<CorpusIndex> {
  return (await startLoadingIndex(indexDir, manifest, corpusDir, embedder, options)).complete();
}

/** An index being opened: everything but its HNSW graph, which hnswlib is still reading on its own thread. */
export interface OpeningIndex {
  /** What is known before the graph is read: enough to tell whether the corpus changed (`seenCorpusOf`). */
  known: Pick<CorpusIndex, 'manifest' | 'documents' | 'corpusFiles'>;
  /** The whole index once the graph is read and checked; throws, as `loadIndex` does, when it is not. */
  complete(): Promise<CorpusIndex>;
}

/**
 * `loadIndex` in two steps. At 100,000 passages hnswlib takes about 0.75 s to read the
 * graph, and everything else about 0.45 s; work done between the two steps (comparing the
 * corpus, reading WordNet) takes no time from an open instead of adding to it.
 */
export async function startLoadingIndex(indexDir: string, manifest: Manifest, corpusDir: string, embedder: IndexEmbedder | null, options: LoadIndexOptions = {}): Promise<OpeningIndex> {
  const folder = path.join(indexDir, manifest.generation);
  await checkSizes(folder, manifest);
  const sameModel = embedder !== null && manifest.embeddingModel !== NO_EMBEDDING_MODEL && manifest.embeddingModel === embedder.modelId && manifest.dimensions === embedder.dimensions;
  // The graph is by far the largest file, and hnswlib reads it on a worker thread: started
  // first, it is read while the rest is decoded here (at 100,000 passages the two took
  // about 0.8 s and 0.7 s one after the other).
  const graph = sameModel && !options.forReindex ? readCheckedGraph(folder, manifest) : null;
  // Awaited below; should something else fail first, its failure is not left unhandled.
  graph?.catch(() => {});
  const corpusParent = path.dirname(path.resolve(corpusDir));
  const layout = decodePassageMap(await readChecked(folder, manifest, INDEX_FILES.passageMap), INDEX_FILES.passageMap);
  const packs: PassagePack[] = [];
  for (const pack of layout.packs) {
    // A reindex reads a pack's documents, and the records and texts of only the documents that changed.
    const readWhole = async (name: string): Promise<Buffer | SpanSource> => (options.forReindex ? spanSourceOf(indexDir, manifest, name) : readChecked(folder, manifest, name));
    const docs = await readChecked(folder, manifest, docsFileOf(pack.name));
    packs.push(new PassagePack(docs, await readWhole(pack.name), await readWhole(textsFileOf(pack.name)), corpusParent, pack.name));
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
  const corpusFiles = decodeCorpusFiles(await readChecked(folder, manifest, INDEX_FILES.corpusFiles), INDEX_FILES.corpusFiles);
  const positions = positionsOfSlots(slots, manifest.slots);
  const lexicalDelta = decodeLexicalDelta(await readChecked(folder, manifest, INDEX_FILES.lexicalDelta), INDEX_FILES.lexicalDelta);
  const lexical = options.forReindex
    ? () => loadLexicalSync(indexDir, manifest, lexicalDelta, positions)
    : applyLexicalDelta(decodeLexicalSections(await readChecked(folder, manifest, INDEX_FILES.lexical), INDEX_FILES.lexical), lexicalDelta, positions, INDEX_FILES.lexicalDelta);

  const delta = sameModel ? decodeVectorDelta(await readChecked(folder, manifest, INDEX_FILES.vectorDelta), INDEX_FILES.vectorDelta) : null;
  return {
    known: { manifest, documents, corpusFiles },
    complete: async () => {
      let vectors: StoredVectors | null = null;
      let dense: Deferred<DenseIndex | null> = null;
      if (sameModel && delta) {
        vectors = storedVectorsOf(indexDir, manifest, delta);
        dense = graph ? await loadDense(indexDir, manifest, embedder, delta, positions, manifest.chunks, graph) : () => loadDenseSync(indexDir, manifest, embedder, delta, positions);
      }
      return indexOf({ manifest, documents, slots, lexical, lexicalDelta, dense, vectors, corpusFiles, passages });
    },
  };
}

/** Slot → position (−1 for a free slot); throws when the map gives a slot twice or beyond the count. */
export function positionsOfSlots(slots: Uint32Array, slotCount: number): Int32Array {
  const positions = new Int32Array(slotCount).fill(-1);
  for (let position = 0; position < slots.length; position++) {
    const slot = slots[position]!;
    if (slot >= positions.length || positions[slot] !== -1) throw new Error(`store: ${INDEX_FILES.passageMap} gives slot ${slot} twice or beyond ${slotCount}`);
    positions[slot] = position;
  }
  return positions;
}

/** An index whose `chunks` are its passages' (decoded when first read), and whose deferred parts are read when first used. */
export function indexOf(fields: Omit<CorpusIndex, 'chunks' | 'lexical' | 'dense'> & { lexical: Deferred<LexicalIndex>; dense: Deferred<DenseIndex | null> }): CorpusIndex {
  const { lexical, dense, ...rest } = fields;
  let readLexical = typeof lexical === 'function' ? lexical : null;
  let lexicalIndex = typeof lexical === 'function' ? null : lexical;
  let readDense = typeof dense === 'function' ? dense : null;
  let denseIndex = typeof dense === 'function' ? null : dense;
  return {
    ...rest,
    get chunks() {
      return fields.passages.all();
    },
    get lexical() {
      if (readLexical) {
        lexicalIndex = readLexical();
        readLexical = null;
      }
      return lexicalIndex!;
    },
    get dense() {
      if (readDense) {
        denseIndex = readDense();
        readDense = null;
      }
      return denseIndex;
    },
  };
}

/** The BM25 index of a generation: its base file with its delta applied, read and checked now (blocking). */
export function loadLexicalSync(indexDir: string, manifest: Manifest, delta: LexicalDelta, positions: Int32Array): LexicalIndex {
  const base = readCheckedSync(indexDir, manifest, INDEX_FILES.lexical);
  return applyLexicalDelta(decodeLexicalSections(base, INDEX_FILES.lexical), delta, positions, INDEX_FILES.lexicalDelta);
}

/**
 * The HNSW graph of a generation's base file (checked) with `delta` applied: the
 * generation's own, or (in a build) the next one's, which shares the base file. `liveCount`
 * is the number of live passages once the delta is applied.
 */
export async function loadDense(
  indexDir: string,
  manifest: Manifest,
  embedder: IndexEmbedder,
  delta: VectorDelta,
  positions: Int32Array,
  liveCount = manifest.chunks,
  /** The graph, when its reading was started earlier (`readCheckedGraph`). */
  graph: Promise<DenseGraph> = readCheckedGraph(path.join(indexDir, manifest.generation), manifest),
): Promise<DenseIndex> {
  const dense = openDenseGraph(await graph, embedder, manifest.dimensions, positions, liveCount);
  applyVectorDelta(dense, delta, positions);
  dense.liveCount = liveCount;
  return dense;
}

/**
 * The HNSW graph of a generation, read (by hnswlib, on a worker thread) while its checksum
 * is worked out here, and given only once the checksum holds: a file that fails it is
 * reported as such, whatever hnswlib made of it.
 */
export async function readCheckedGraph(folder: string, manifest: Manifest): Promise<DenseGraph> {
  const [graph, checked] = await Promise.allSettled([readDenseGraph(path.join(folder, INDEX_FILES.dense), manifest.dimensions), verifyChecksum(folder, manifest, INDEX_FILES.dense)]);
  if (checked.status === 'rejected') throw checked.reason;
  if (graph.status === 'rejected') throw graph.reason;
  return graph.value;
}

/** `loadDense`, blocking: for an index whose graph is read only if something asks for it. */
export function loadDenseSync(indexDir: string, manifest: Manifest, embedder: IndexEmbedder, delta: VectorDelta, positions: Int32Array): DenseIndex {
  const file = path.join(indexDir, manifest.generation, INDEX_FILES.dense);
  checkFileSync(file, manifest, INDEX_FILES.dense);
  const dense = loadDenseIndexSync(file, embedder, manifest.dimensions, positions, manifest.chunks);
  applyVectorDelta(dense, delta, positions);
  dense.liveCount = manifest.chunks;
  return dense;
}

/** The vectors of a generation: its delta, and its base files read (and checked) when a reindex first needs them. */
export function storedVectorsOf(indexDir: string, manifest: Manifest, delta: VectorDelta): StoredVectors {
  const folder = path.join(indexDir, manifest.generation);
  const readKeys = (): Promise<Buffer> => readChecked(folder, manifest, INDEX_FILES.embeddingKeys);
  return new StoredVectors(manifest.embeddingModel, manifest.dimensions, delta, {
    keys: async () => {
      const keys = EmbeddingCache.decodeKeys(await readKeys(), INDEX_FILES.embeddingKeys);
      if (keys.modelId !== manifest.embeddingModel || keys.rows !== delta.baseSlots) {
        throw new Error(`store: ${INDEX_FILES.embeddingKeys} holds ${keys.rows} keys of ${keys.modelId}, the index has ${delta.baseSlots} of ${manifest.embeddingModel}`);
      }
      return keys.keys;
    },
    cache: async () => {
      const cache = EmbeddingCache.decodeApart(await readKeys(), await readChecked(folder, manifest, INDEX_FILES.embeddings), { keys: INDEX_FILES.embeddingKeys, vectors: INDEX_FILES.embeddings });
      if (cache.modelId !== manifest.embeddingModel || cache.rows !== delta.baseSlots) {
        throw new Error(`store: ${INDEX_FILES.embeddings} holds ${cache.rows} vectors of ${cache.modelId}, the index has ${delta.baseSlots} of ${manifest.embeddingModel}`);
      }
      return cache;
    },
  });
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
    const stats = statSync(path.join(folder, name), { throwIfNoEntry: false });
    if (!stats) throw new Error(`store: ${manifest.generation}/${name} is missing`);
    if (stats.size !== file.bytes) throw new Error(`store: ${manifest.generation}/${name} is ${stats.size} bytes, the manifest says ${file.bytes}`);
  }
}

/** A file of the generation, read once and checked against its checksum on the bytes read. */
export async function readChecked(folder: string, manifest: Manifest, name: string): Promise<Buffer> {
  const expected = expectedFile(manifest, name);
  const file = path.join(folder, name);
  // A small file is read at once (see saveIndex); a large one through the thread pool, not to hold up the event loop.
  const bytes = await (expected.bytes <= SMALL_FILE_BYTES ? Promise.resolve().then(() => readFileSync(file)) : readFile(file)).catch((error: unknown) => {
    throw new Error(`store: ${manifest.generation}/${name} is ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `unreadable (${describe(error)})`}`);
  });
  if (bytes.length !== expected.bytes || createHash('sha256').update(bytes).digest('hex') !== expected.sha256) {
    throw new Error(`store: ${manifest.generation}/${name} does not match its checksum`);
  }
  return bytes;
}

/**
 * A pack's records or texts file, read one document's span at a time when it is first
 * needed (inside a synchronous getter, so blocking; each span is checked against its
 * SHA-256 by the pack). A later build may have replaced the generation it was loaded
 * from: a pack's files keep their name and bytes in every generation that links them, so
 * the live generation's copy is read instead.
 */
function spanSourceOf(indexDir: string, manifest: Manifest, name: string): SpanSource {
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

/** Files up to this size are read and written synchronously (see saveIndex); a one-document reindex writes only such. */
const SMALL_FILE_BYTES = 4 * 1024 * 1024;

/** Writes the buffers one after another, hashing them on the way (the file is not read back). */
async function writeBuffers(file: string, buffers: readonly Buffer[]): Promise<IndexFile> {
  const hash = createHash('sha256');
  let bytes = 0;
  if (buffers.reduce((sum, buffer) => sum + buffer.length, 0) <= SMALL_FILE_BYTES) {
    const handle = openSync(file, 'w');
    try {
      for (const buffer of buffers) {
        hash.update(buffer);
        bytes += buffer.length;
        for (let done = 0; done < buffer.length; ) done += writeSync(handle, buffer, done, buffer.length - done);
      }
    } finally {
      closeSync(handle);
    }
    return { bytes, sha256: hash.digest('hex') };
  }
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

/**
 * A file's size and SHA-256, read through one buffer used again for every piece: each
 * fresh megabyte a process touches costs ~5 ms of page faults on the development machine,
 * so hashing the 72 MB HNSW graph through new buffers cost several times the hashing itself.
 */
async function hashFile(file: string): Promise<IndexFile> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafeSlow(HASH_PIECE_BYTES);
  let bytes = 0;
  const handle = await open(file, 'r');
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, bytes);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      bytes += bytesRead;
    }
  } finally {
    await handle.close().catch(() => {});
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** `hashFile`, blocking. */
function hashFileSync(file: string): IndexFile {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafeSlow(HASH_PIECE_BYTES);
  let bytes = 0;
  const handle = openSync(file, 'r');
  try {
    for (;;) {
      const read = readSync(handle, buffer, 0, buffer.length, bytes);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
      bytes += read;
    }
  } finally {
    closeSync(handle);
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** Pieces a file is hashed in (see hashFile). */
const HASH_PIECE_BYTES = 1 << 20;

/** Checks a file against its manifest entry, blocking; throws, naming it, when it is missing or differs. */
function checkFileSync(file: string, manifest: Manifest, name: string): void {
  const expected = expectedFile(manifest, name);
  let actual: IndexFile;
  try {
    actual = hashFileSync(file);
  } catch (error) {
    throw new Error(`store: ${manifest.generation}/${name} is unreadable (${describe(error)})`);
  }
  if (actual.sha256 !== expected.sha256 || actual.bytes !== expected.bytes) throw new Error(`store: ${manifest.generation}/${name} does not match its checksum`);
}

/** A file of the generation, read now (blocking) and checked against its checksum. */
function readCheckedSync(indexDir: string, manifest: Manifest, name: string): Buffer {
  const expected = expectedFile(manifest, name);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path.join(indexDir, manifest.generation, name));
  } catch (error) {
    throw new Error(`store: ${manifest.generation}/${name} is ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `unreadable (${describe(error)})`}`);
  }
  if (bytes.length !== expected.bytes || createHash('sha256').update(bytes).digest('hex') !== expected.sha256) {
    throw new Error(`store: ${manifest.generation}/${name} does not match its checksum`);
  }
  return bytes;
}

function writeFileAtomically(file: string, content: string): void {
  const temporary = `${file}.tmp-${process.pid}`;
  const handle = openSync(temporary, 'w');
  try {
    const bytes = Buffer.from(content);
    for (let done = 0; done < bytes.length; ) done += writeSync(handle, bytes, done, bytes.length - done);
    fsyncSync(handle);
  } finally {
    closeSync(handle);
  }
  renameSync(temporary, file);
}

async function pointsAt(indexDir: string, generation: string): Promise<boolean> {
  return (await readManifest(indexDir).catch(() => null))?.generation === generation;
}

/** A temporary folder this old belongs to a build that died, not one still running elsewhere. */
const ABANDONED_BUILD_AGE_MS = 60 * 60_000;

/** Old generations and abandoned temporary folders: nothing points at them any more. Returns what could not be removed. */
function removeOtherGenerations(indexDir: string, keep: string): string[] {
  const warnings: string[] = [];
  for (const entry of readdirSync(indexDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === keep) continue;
    const folder = path.join(indexDir, entry.name);
    const abandoned = entry.name.startsWith('.tmp-') && Date.now() - statSync(folder).mtimeMs > ABANDONED_BUILD_AGE_MS;
    if (!entry.name.startsWith('gen-') && !abandoned) continue;
    try {
      rmSync(folder, { recursive: true, force: true });
    } catch (error) {
      warnings.push(`store: the new index is live, but the old folder ${entry.name} could not be removed (${describe(error)}); delete it by hand.`);
    }
  }
  return warnings;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.replace(/\.$/, '') : String(error);
}
