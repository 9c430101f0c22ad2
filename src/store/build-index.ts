import path from 'node:path';
import { CHUNKER_VERSION, chunkDocument } from '../chunking/chunk-document.js';
import { type CorpusFile, loadCorpus, type LoadedCorpus, type SkippedFile } from '../corpus/load-corpus.js';
import type { Chunk, Document } from '../domain.js';
import type { FileOutcome, ReindexProgress, ReindexSummary } from '../engine-types.js';
import { UserError } from '../errors.js';
import { reuseUnchangedFiles, type SeenCorpus } from './corpus-state.js';
import { addDenseVectors, createDenseIndex, type DenseIndex, type IndexEmbedder, withDensePositions } from './dense-index.js';
import { EmbeddingCache } from './embedding-cache.js';
import { pruneTextFiles, saveTextFiles } from './text-files.js';
import { DamagedIndexError } from './passage-file.js';
import { type CorpusIndex, type Deferred, INDEX_FILES, type IndexContents, type IndexFileName, indexOf, loadDense, loadDenseSync, loadIndex, loadLexicalSync, type PackFileName, readChecked, readManifest, type SaveOptions, type SaveStep, saveIndex, storedVectorsOf, verifyChecksum } from './index-files.js';
import { type DocumentToPack, PACK_FOLDER, packFilesOf, type PassageLayout, planPassagePacks, StoredPassages } from './passage-store.js';
import { applyLexicalDelta, composeLexicalDelta, emptyLexicalDelta, isLexicalDeltaLarge, type LexicalDelta } from './lexical-delta.js';
import { analyzePassage, countSentenceTerms, createEmptyLexicalIndex, decodeLexicalSections, type LexicalChange, type LexicalIndex, passageSearchText, renumberLexicalSlots, updateLexicalIndex, withLexicalPositions } from './lexical-index.js';
import { composeVectorDelta, decodeVectorDelta, emptyVectorDelta, isVectorDeltaLarge, type StoredVectors, type VectorDelta } from './vector-delta.js';
import { hashCorpus, INDEX_FORMAT_VERSION, type Manifest, NO_EMBEDDING_MODEL } from './manifest.js';

export interface BuildIndexOptions {
  corpusDir: string;
  indexDir: string;
  /** Null builds a lexical-only index. */
  embedder: IndexEmbedder | null;
  /** Texts embedded per model call. */
  batchSize?: number;
  onProgress?: (progress: ReindexProgress) => void;
  /** Injected clock, for tests. */
  now?: () => Date;
  /** Largest document read (DOCUMENT_MAX_BYTES); default 25 MB. */
  maxDocumentBytes?: number;
  /** Called as each step begins; a failure thrown here fails the build at that step (tests inject faults with it). */
  checkpoint?: (step: BuildStep) => void | Promise<void>;
  /**
   * The index already loaded from this folder (a running engine's), reused instead of
   * reading the current generation again when it is that generation. It is not modified.
   */
  current?: CorpusIndex;
  /** Links files were added from, by path relative to the corpus folder (see `loadCorpus`). */
  documentUrls?: ReadonlyMap<string, string>;
  /**
   * Whether the caller answers from the returned index (a running engine, start-up): its
   * BM25 index and HNSW graph are then in memory when the build returns. `npm run reindex`
   * does not answer: they are read from the new generation only if something asks for them.
   * Default true.
   */
  answerFromResult?: boolean;
  /**
   * Check every file of the previous generation against its checksum first, also those a
   * reindex reads only as needed (a pack's records and texts): set when the index failed a
   * check as it was opened, so that a damaged file is not carried into the new generation.
   * The HNSW graph and the embedding cache need no such check: a damaged graph is rebuilt
   * from the vectors when read, damaged vectors embedded again.
   */
  checkPrevious?: boolean;
}

export type BuildStep = 'read-previous' | 'read-corpus' | 'embed' | 'update-indexes' | SaveStep;

/**
 * Free slots (of passages deleted since the last compaction) beyond this share of all
 * slots make the next build renumber the slots and rebuild the HNSW graph from the saved
 * vectors. Until then deleted passages only cost their space: hnswlib still routes
 * searches through them and never returns them. A quarter bounds that dead weight in
 * memory and on disk to a third of the live index, while a corpus that changes a few
 * documents at a time pays for a full HNSW build only every few thousand edits.
 */
export const MAX_FREE_SLOT_SHARE = 0.25;

/** How a summary warning about an unreadable previous index starts (a caller that already said so can leave it out). */
export const PREVIOUS_UNREADABLE = 'store: the previous index could not be read';

/** The previous generation, as far as a build can reuse it. */
interface PreviousBuild {
  index: CorpusIndex;
  /** The folder of its generation. */
  folder: string;
  /** Its vectors and HNSW graph can be reused (same model). */
  sameModel: boolean;
  /** Its vectors when they can be reused (also when the running index was loaded without the model). */
  vectors: StoredVectors | null;
}

/**
 * Reads the corpus and brings the index up to date with it, then saves it as the new
 * current generation. Only what changed is redone: files with their recorded size and
 * time are not read again, unchanged documents keep their passages, passages whose text is
 * unchanged keep their vectors, and the BM25 and HNSW indexes are updated in place (new
 * passages added, removed ones deleted, the slots compacted when deletions pile up).
 * Without a usable previous index everything is built from scratch. On any failure
 * before the new generation is swapped in, the previous index stays in place and the
 * error says what went wrong.
 */
export async function buildIndex(options: BuildIndexOptions): Promise<{ index: CorpusIndex; summary: ReindexSummary }> {
  const started = performance.now();
  const warnings: string[] = [];
  await options.checkpoint?.('read-previous');
  const previous = await readPreviousBuild(options.indexDir, options.corpusDir, options.embedder, warnings, options.current, options.checkPrevious ?? false);
  const warned = warnings.length;
  try {
    return await buildOver(previous, options, warnings, started);
  } catch (error) {
    // A text of the previous index, read only when needed, turned out damaged: nothing of it is trusted.
    if (!previous || !(error instanceof DamagedIndexError)) throw error;
    warnings.splice(warned);
    warnings.push(`${PREVIOUS_UNREADABLE} (${error.message.replace(/\.$/, '')}); it was rebuilt from scratch.`);
    return buildOver(null, options, warnings, started);
  }
}

/** `buildIndex` over the previous generation (null: from scratch). */
async function buildOver(previous: PreviousBuild | null, options: BuildIndexOptions, warnings: string[], started: number): Promise<{ index: CorpusIndex; summary: ReindexSummary }> {
  const { corpusDir, indexDir, embedder, onProgress = () => {}, now = () => new Date() } = options;
  const checkpoint = options.checkpoint ?? (() => {});

  await checkpoint('read-corpus');
  // The real clock, not the injected one: it is compared with the files' real modification times.
  const scannedAtMs = Date.now();
  const corpus = await loadCorpus(corpusDir, {
    ...(previous ? { reuse: reuseUnchangedFiles(seenCorpusOf(previous.index)) } : {}),
    ...(options.maxDocumentBytes ? { maxBytes: options.maxDocumentBytes } : {}),
    ...(options.documentUrls ? { documentUrls: options.documentUrls } : {}),
    onFile: ({ source, done, total }) => onProgress({ phase: 'read', source, done, total }),
  });
  warnings.push(...corpus.warnings);
  onProgress({ phase: 'load', documents: corpus.documents.length });
  if (corpus.documents.length === 0) throw new UserError('corpus-empty', { dir: corpusDir, skipped: describeSkipped(corpus.skipped) });
  await saveTextFiles(indexDir, corpusDir, corpus.documents);

  const plan = planPassages(corpus, previous?.index ?? null);
  onProgress({ phase: 'chunk', chunks: plan.chunkCount });
  // The new index's passages, decoded only if something reads them all (a running engine does; `npm run reindex` does not).
  const passagesOf = (layout: PassageLayout): StoredPassages => new StoredPassages(layout, plan.chunksOf);

  const { slots } = plan;
  let slotCount = plan.slotCount;
  // Deletions piled up: the live slots are renumbered in passage order and the graph rebuilt.
  const compact = slotCount > 0 && (slotCount - plan.chunkCount) / slotCount > MAX_FREE_SLOT_SHARE;
  const unchanged: NonNullable<SaveOptions['unchanged']> = {};
  /** The previous generation's running index (a running engine's), whose parts are in memory. */
  const inMemory = previous !== null && previous.index === options.current;
  const positions = positionsOf(slots, slotCount);
  /** Parts of the returned index read from the new generation when first used, once it is saved. */
  let saved: Manifest | null = null;
  const savedManifest = (): Manifest => saved ?? missingGeneration();

  const update: IndexUpdate = { previous, plan, options, warnings, unchanged, positions, compact, inMemory, answering: options.answerFromResult ?? true, savedManifest };
  // The vectors and graph, then the BM25 index: new base files, or deltas over the previous ones.
  const built = embedder ? await updateVectors(embedder, previous, plan, options, warnings, compact) : null;
  await checkpoint('update-indexes');
  const { files: vectors, dense, reused: reusedEmbeddings } = embedder && built ? await updateDense(update, embedder, built) : { files: null, dense: null, reused: 0 };
  const { files: lexicalFiles, lexical } = await updateLexical(update);
  if (compact) {
    slotCount = plan.chunkCount;
    slots.set(Uint32Array.from({ length: slotCount }, (_, position) => position));
    for (const name of Object.values(INDEX_FILES)) delete unchanged[name];
  }
  onProgress({ phase: 'save' });

  // Unchanged documents stay in their packs (linked); new and changed ones go into one new pack.
  const packs = planPassagePacks(plan.documents, previous?.index.passages.layout.packs ?? [], slots, plan.chunksOf);
  for (const name of packs.linked) for (const file of packFilesOf(name)) reuseFile(unchanged, previous!, file as PackFileName);
  if (previous && plan.sameDocuments && !packs.written && !compact) reuseFile(unchanged, previous, INDEX_FILES.passageMap);
  if (previous && isSameFileList(previous.index.corpusFiles, corpus.files)) reuseFile(unchanged, previous, INDEX_FILES.corpusFiles);
  const manifest: Omit<Manifest, 'generation' | 'files'> = {
    formatVersion: INDEX_FORMAT_VERSION,
    embeddingModel: embedder?.modelId ?? NO_EMBEDDING_MODEL,
    dimensions: embedder?.dimensions ?? 0,
    chunkerVersion: CHUNKER_VERSION,
    corpusHash: hashCorpus(corpus.documents.map((document, i) => ({ source: document.source, textHash: packs.layout.documents[i]!.textHash })), corpus.skipped),
    builtAt: now().toISOString(),
    documents: corpus.documents.length,
    chunks: plan.chunkCount,
    skipped: corpus.skipped,
    slots: slotCount,
    corpusScannedAtMs: scannedAtMs,
  };
  const written = await saveIndex(indexDir, { packs, lexical: lexicalFiles, vectors, corpusFiles: corpus.files }, manifest, { unchanged, checkpoint });
  saved = written.manifest;
  warnings.push(...written.warnings, ...(await pruneTextFiles(indexDir, corpus.documents)));
  const passages = passagesOf(packs.layout);
  const vectorStore = vectors && embedder ? storedVectorsOf(indexDir, written.manifest, vectors.delta) : null;
  return {
    index: indexOf({ manifest: written.manifest, documents: corpus.documents, slots, lexical, lexicalDelta: lexicalFiles.delta, dense, vectors: vectorStore, corpusFiles: corpus.files, passages }),
    summary: {
      documents: corpus.documents.length,
      chunks: plan.chunkCount,
      ...plan.changes,
      reusedEmbeddings,
      seconds: (performance.now() - started) / 1000,
      skipped: corpus.skipped,
      files: describeFiles(corpus, passages),
      warnings,
    },
  };
}

/** What the steps that update the indexes share. */
interface IndexUpdate {
  previous: PreviousBuild | null;
  plan: PassagePlan;
  options: BuildIndexOptions;
  warnings: string[];
  /** Files of the previous generation the new one links (added to by each step). */
  unchanged: NonNullable<SaveOptions['unchanged']>;
  /** Slot → position in the new generation (before any compaction). */
  positions: Int32Array;
  compact: boolean;
  /** The previous index is the running engine's, its parts in memory. */
  inMemory: boolean;
  /** The caller answers from the result, so its parts are in memory when the build returns. */
  answering: boolean;
  /** The new generation's manifest, once saved (for parts read when first used). */
  savedManifest: () => Manifest;
}

/**
 * The graph and the vector files of the new generation: new base files (the slots
 * compacted, the delta grown large, or no usable previous vectors) or the previous ones
 * linked with a new delta; the graph in memory when the caller answers from the result.
 */
async function updateDense(update: IndexUpdate, embedder: IndexEmbedder, built: UpdatedVectors): Promise<{ files: IndexContents['vectors']; dense: Deferred<DenseIndex | null>; reused: number }> {
  const { previous, plan, warnings, unchanged, positions, compact, options } = update;
  const { indexDir } = options;
  const changed = plan.newSlots.length > 0 || plan.removedSlots.length > 0;
  let { cache } = built;
  const { delta } = built;
  let dense: Deferred<DenseIndex | null> = null;
  let graphDamaged = false;
  if (!cache && previous && !changed && update.inMemory && previous.index.dense) {
    // Nothing new: the running engine's graph is still every passage's (shared, never modified).
    dense = withDensePositions(previous.index.dense, positions);
  } else if (!cache && previous && (update.answering || update.inMemory)) {
    // The previous base graph brought up to the delta; rebuilt from the saved vectors if it is damaged.
    try {
      dense = await loadDense(indexDir, previous.index.manifest, embedder, delta, positions, plan.chunkCount);
    } catch (error) {
      warnings.push(`store: the previous HNSW graph was unreadable (${describeError(error)}), so it was rebuilt from the saved vectors; no passage was embedded again for it.`);
      graphDamaged = true;
      cache = await previous.vectors!.withDelta(delta).toCache().catch((unreadable: unknown) => {
        // The graph and the vectors both damaged: nothing of the previous index is trusted.
        throw new DamagedIndexError(`store: the HNSW graph and the embedding cache are both unreadable (${describeError(unreadable)})`);
      });
    }
  } else if (!cache) {
    const { savedManifest } = update;
    dense = () => loadDenseSync(indexDir, savedManifest(), embedder, delta, positions);
  }
  if (!cache) {
    for (const name of [INDEX_FILES.embeddings, INDEX_FILES.embeddingKeys, INDEX_FILES.dense]) reuseFile(unchanged, previous!, name);
    if (delta === previous!.vectors?.delta) reuseFile(unchanged, previous!, INDEX_FILES.vectorDelta);
    return { files: { base: null, delta }, dense, reused: built.reused };
  }
  // New base files: compacted and rebuilt, the previous graph brought up to date, or built from the vectors.
  let graph: DenseIndex;
  if (compact) {
    cache = compactVectors(cache, plan.slots, plan.chunkCount);
    graph = buildDenseFromVectors(embedder, cache, Int32Array.from({ length: plan.chunkCount }, (_, position) => position));
  } else if (previous && built.previousDelta && !graphDamaged) {
    graph = await loadPreviousGraph(embedder, previous, built.previousDelta, cache, positions, plan.chunkCount, warnings);
  } else {
    graph = buildDenseFromVectors(embedder, cache, positions);
  }
  return { files: { base: { cache, graph }, delta: emptyVectorDelta(embedder.modelId, embedder.dimensions, cache.rows) }, dense: graph, reused: built.reused };
}

/**
 * The BM25 files of the new generation: a new base (from scratch, compacted, or when the
 * delta grew large) or the previous base linked with a new delta; the index in memory when
 * the caller answers from the result (a running engine's updated in memory).
 */
async function updateLexical(update: IndexUpdate): Promise<{ files: IndexContents['lexical']; lexical: Deferred<LexicalIndex> }> {
  const { previous, plan, warnings, unchanged, positions, compact, savedManifest } = update;
  const { indexDir } = update.options;
  /** The whole BM25 index rebuilt from every passage, saying why, when the previous base cannot be read. */
  const rebuild = (error: unknown): { files: IndexContents['lexical']; lexical: LexicalIndex } => {
    warnings.push(`${PREVIOUS_UNREADABLE} (${describeError(error)}); its BM25 index was rebuilt from the passages.`);
    delete unchanged[INDEX_FILES.lexical];
    delete unchanged[INDEX_FILES.lexicalDelta];
    const whole = buildWholeLexical(plan, positions);
    return { files: { base: whole, delta: emptyLexicalDelta(whole) }, lexical: whole };
  };
  /** The index over the previous base with `delta`: updated in memory, read back now, or read when first used. */
  const overPreviousBase = async (delta: LexicalDelta, inMemory: () => LexicalIndex): Promise<{ files: IndexContents['lexical']; lexical: Deferred<LexicalIndex> }> => {
    const files = { base: null, delta };
    if (update.inMemory) return { files, lexical: inMemory() };
    if (!update.answering) return { files, lexical: () => loadLexicalSync(indexDir, savedManifest(), delta, positions) };
    try {
      return { files, lexical: applyLexicalDelta(await readPreviousLexicalBase(indexDir, previous!), delta, positions) };
    } catch (error) {
      return rebuild(error);
    }
  };
  if (previous && plan.newSlots.length === 0 && plan.removedSlots.length === 0) {
    for (const name of [INDEX_FILES.lexical, INDEX_FILES.lexicalDelta]) reuseFile(unchanged, previous, name);
    return overPreviousBase(previous.index.lexicalDelta, () => withLexicalPositions(previous.index.lexical, positions));
  }
  const change: LexicalChange = {
    removed: plan.removedSlots,
    added: plan.newSlots.map((slot) => ({ slot, terms: analyzePassage(passageSearchText(plan.freshBySlot.get(slot)!)) })),
    addedSentences: countSentenceTerms(plan.changedChunks),
    removedSentences: countSentenceTerms(plan.replacedChunks),
    positions,
  };
  const delta = previous ? composeLexicalDelta(previous.index.lexicalDelta, change, positionsOf(previous.index.slots, previous.index.manifest.slots)) : null;
  if (previous && delta && !compact && !isLexicalDeltaLarge(delta)) {
    reuseFile(unchanged, previous, INDEX_FILES.lexical);
    // A running engine's index is updated in memory: the same arrays the delta applied to the base gives.
    return overPreviousBase(delta, () => updateLexicalIndex(previous.index.lexical, change));
  }
  let whole: LexicalIndex;
  try {
    whole = updateLexicalIndex(previous?.index.lexical ?? createEmptyLexicalIndex(), change);
  } catch (error) {
    if (!previous || error instanceof UserError) throw error;
    whole = rebuild(error).lexical;
  }
  if (compact) {
    const renumber = new Int32Array(plan.slotCount).fill(-1);
    plan.slots.forEach((slot, position) => (renumber[slot] = position));
    whole = renumberLexicalSlots(whole, renumber, Int32Array.from({ length: plan.chunkCount }, (_, position) => position));
  }
  return { files: { base: whole, delta: emptyLexicalDelta(whole) }, lexical: whole };
}

/** A deferred part of the returned index read before the build saved its generation: a bug. */
function missingGeneration(): never {
  throw new Error('store: a part of the new index was read before its generation was saved (a bug in the build)');
}

/** The previous generation's BM25 base file, read and checked (its delta is applied by the caller). */
async function readPreviousLexicalBase(indexDir: string, previous: PreviousBuild): Promise<Omit<LexicalIndex, 'positions'>> {
  const { manifest } = previous.index;
  return decodeLexicalSections(await readChecked(path.join(indexDir, manifest.generation), manifest, INDEX_FILES.lexical), INDEX_FILES.lexical);
}

/** The BM25 index of every passage of the plan, under its slots (the previous base being unreadable). */
function buildWholeLexical(plan: PassagePlan, positions: Int32Array): LexicalIndex {
  const chunks = plan.documents.flatMap((_, position) => plan.chunksOf(position));
  return updateLexicalIndex(createEmptyLexicalIndex(), {
    removed: [],
    added: chunks.map((chunk, position) => ({ slot: plan.slots[position]!, terms: analyzePassage(passageSearchText(chunk)) })),
    addedSentences: countSentenceTerms(chunks),
    removedSentences: { sentences: 0, frequencies: new Map() },
    positions,
  });
}

/** What `updateVectors` made: new base rows (`cache`: every slot's vectors) or a delta over the previous base. */
interface UpdatedVectors {
  cache: EmbeddingCache | null;
  delta: VectorDelta;
  /** Passages whose vectors were not embedded again. */
  reused: number;
  /** The delta over the previous base, when `cache` holds it applied (to bring the previous graph up to date). */
  previousDelta: VectorDelta | null;
}

/**
 * Every slot's vector after the change: the previous ones as they are, new passages looked
 * up by text among them (a passage that moved) and embedded only when missing. They go
 * into a delta over the previous base files unless the delta has grown large or the slots
 * are compacted (then into one cache, for new base files); without usable previous vectors
 * (a first build, another model, an unreadable cache) every passage is embedded.
 */
async function updateVectors(embedder: IndexEmbedder, previous: PreviousBuild | null, plan: PassagePlan, options: BuildIndexOptions, warnings: string[], compact: boolean): Promise<UpdatedVectors> {
  const batchSize = options.batchSize ?? 16;
  const onProgress = options.onProgress ?? (() => {});
  const stored = previous?.vectors ?? null;
  if (stored && plan.newSlots.length === 0 && plan.removedSlots.length === 0 && !compact) return { cache: null, delta: stored.delta, reused: plan.chunkCount, previousDelta: null };
  if (stored) {
    if (plan.newSlots.length > 0) await options.checkpoint?.('embed');
    const keys = plan.newSlots.map((slot) => EmbeddingCache.key(plan.freshBySlot.get(slot)!.text));
    let found: (Float32Array | null)[] | null;
    try {
      found = await stored.findVectors(keys);
    } catch (error) {
      found = null;
      warnUnreadableCache(warnings, error, plan.chunkCount);
    }
    if (found) {
      const vectors = await embedMissing(embedder, plan.newSlots.map((slot, i) => ({ text: plan.freshBySlot.get(slot)!.text, vector: found[i] ?? null })), batchSize, onProgress);
      const added = plan.newSlots.map((slot, i) => ({ slot, key: keys[i]!, vector: vectors.vectors[i]! }));
      const delta = composeVectorDelta(stored.delta, { removed: plan.removedSlots, added, slotCount: plan.slotCount });
      const reused = plan.chunkCount - vectors.embedded;
      if (!compact && !isVectorDeltaLarge(delta)) return { cache: null, delta, reused, previousDelta: null };
      try {
        return { cache: await stored.withDelta(delta).toCache(), delta, reused, previousDelta: delta };
      } catch (error) {
        warnUnreadableCache(warnings, error, plan.chunkCount);
      }
    }
  }
  await options.checkpoint?.('embed');
  const cache = new EmbeddingCache(embedder.modelId, embedder.dimensions, plan.slotCount);
  // Every live passage, kept ones too (their chunks decoded now).
  const chunks = plan.documents.flatMap((_, position) => plan.chunksOf(position));
  const vectors = await embedMissing(embedder, chunks.map((chunk) => ({ text: chunk.text, vector: null })), batchSize, onProgress);
  chunks.forEach((chunk, position) => cache.set(plan.slots[position]!, EmbeddingCache.key(chunk.text), vectors.vectors[position]!));
  return { cache, delta: emptyVectorDelta(embedder.modelId, embedder.dimensions, plan.slotCount), reused: 0, previousDelta: null };
}

function warnUnreadableCache(warnings: string[], error: unknown, passages: number): void {
  warnings.push(`store: the embedding cache was unreadable (${describeError(error)}), so all ${passages} passage(s) were embedded again; the passages themselves were unchanged.`);
}

/** The vectors of these passages: the ones given, and the others embedded (passages with the same text once). */
async function embedMissing(
  embedder: IndexEmbedder,
  passages: readonly { text: string; vector: Float32Array | null }[],
  batchSize: number,
  onProgress: (progress: ReindexProgress) => void,
): Promise<{ vectors: ArrayLike<number>[]; embedded: number }> {
  const vectors: ArrayLike<number>[] = passages.map((passage) => passage.vector ?? []);
  const byText = new Map<string, number[]>();
  passages.forEach((passage, i) => {
    if (!passage.vector) byText.set(passage.text, [...(byText.get(passage.text) ?? []), i]);
  });
  const texts = [...byText.keys()];
  onProgress({ phase: 'embed', done: 0, total: texts.length });
  for (let i = 0; i < texts.length; i += batchSize) {
    const batch = texts.slice(i, i + batchSize);
    const embedded = await embedder.embedDocuments(batch);
    batch.forEach((text, j) => {
      for (const at of byText.get(text)!) vectors[at] = embedded[j]!;
    });
    onProgress({ phase: 'embed', done: Math.min(i + batchSize, texts.length), total: texts.length });
  }
  return { vectors, embedded: [...byText.values()].reduce((sum, at) => sum + at.length, 0) };
}

/** The cache's live rows renumbered in passage order (a compaction). */
function compactVectors(cache: EmbeddingCache, slots: Uint32Array, chunkCount: number): EmbeddingCache {
  const compacted = new EmbeddingCache(cache.modelId, cache.dimensions, chunkCount);
  slots.forEach((slot, position) => compacted.copyRow(cache, slot, position));
  return compacted;
}

/**
 * The previous generation's graph brought up to date with `delta` (to be written whole as
 * new base files); rebuilt from the vectors, saying so, when it is damaged.
 */
async function loadPreviousGraph(embedder: IndexEmbedder, previous: PreviousBuild, delta: VectorDelta, cache: EmbeddingCache, positions: Int32Array, liveCount: number, warnings: string[]): Promise<DenseIndex> {
  try {
    return await loadDense(path.dirname(previous.folder), previous.index.manifest, embedder, delta, positions, liveCount);
  } catch (error) {
    warnings.push(`store: the previous HNSW graph was unreadable (${describeError(error)}), so it was rebuilt from the saved vectors; no passage was embedded again for it.`);
    return buildDenseFromVectors(embedder, cache, positions);
  }
}

function describeError(error: unknown): string {
  return (error as Error).message.replace(/\.$/, '');
}

/** Whether two scans saw the same files with the same sizes and times. */
function isSameFileList(before: readonly CorpusFile[], after: readonly CorpusFile[]): boolean {
  return before.length === after.length && after.every((file, i) => before[i]!.source === file.source && before[i]!.bytes === file.bytes && before[i]!.mtimeMs === file.mtimeMs);
}

/** The previous generation when it was built the way this build would (format, chunker) and reads back intact; else null. */
async function readPreviousBuild(indexDir: string, corpusDir: string, embedder: IndexEmbedder | null, warnings: string[], current: CorpusIndex | undefined, checkAll: boolean): Promise<PreviousBuild | null> {
  let manifest: Manifest | null;
  try {
    manifest = await readManifest(indexDir);
  } catch {
    // Another format or a damaged manifest: a build from scratch replaces it, as intended.
    return null;
  }
  if (!manifest || manifest.chunkerVersion !== CHUNKER_VERSION) return null;
  try {
    // The bases (BM25, graph, vectors) are read later, and only if the build needs them (a running engine's are in use: never changed).
    const index = current?.manifest.generation === manifest.generation ? current : await loadIndex(indexDir, manifest, corpusDir, embedder, { forReindex: true });
    if (checkAll) {
      const repairable = new Set<string>([INDEX_FILES.dense, INDEX_FILES.embeddings, INDEX_FILES.embeddingKeys]);
      for (const name of Object.keys(manifest.files)) if (!repairable.has(name)) await verifyChecksum(path.join(indexDir, manifest.generation), manifest, name);
    }
    const sameModel = embedder !== null && manifest.embeddingModel === embedder.modelId && manifest.dimensions === embedder.dimensions;
    const folder = path.join(indexDir, manifest.generation);
    // A running engine that started without its model has the index but not its vectors: they are on disk.
    const vectors = !sameModel ? null : (index.vectors ?? storedVectorsOf(indexDir, manifest, decodeVectorDelta(await readChecked(folder, manifest, INDEX_FILES.vectorDelta), INDEX_FILES.vectorDelta)));
    return { index, folder, sameModel, vectors };
  } catch (error) {
    warnings.push(`${PREVIOUS_UNREADABLE} (${(error as Error).message.replace(/\.$/, '')}); it was rebuilt from scratch.`);
    return null;
  }
}

interface PassagePlan {
  /** Each document of the corpus, kept in its previous pack or to be packed anew. */
  documents: DocumentToPack[];
  /** The chunks of each document, in reading order (a kept document's decoded only when asked for). */
  chunksOf: (position: number) => Chunk[];
  /** Slot of each chunk, by position. */
  slots: Uint32Array;
  slotCount: number;
  chunkCount: number;
  /** The passages new since the previous build, by slot (text not in it under the same id). */
  freshBySlot: Map<number, Chunk>;
  /** Slots of passages new since the previous build. */
  newSlots: number[];
  /** Slots of the previous build's passages that are gone. */
  removedSlots: number[];
  /** Chunks of new or changed documents (their sentences are counted again)… */
  changedChunks: Chunk[];
  /** …and the previous build's chunks of the documents they replace or that are gone. */
  replacedChunks: Chunk[];
  changes: { added: number; changed: number; removed: number };
  /** Every document is the previous build's, in the same order, with the same passages and slots. */
  sameDocuments: boolean;
}

/**
 * Which passages stay and which are new. A document whose text and metadata are unchanged
 * keeps its chunks (not even decoded: they stay in their pack); a changed one is chunked
 * again, and each of its passages keeps its slot when the previous build had a passage
 * with the same id, section and text (a passage's identity).
 */
function planPassages(corpus: LoadedCorpus, previous: CorpusIndex | null): PassagePlan {
  /** Previous position by document id, made only if a document is not where it was (most reindexes keep the order). */
  let previousPosition: Map<string, number> | null = null;
  const findPrevious = (id: string, position: number): number | undefined => {
    if (!previous) return undefined;
    if (previous.documents[position]?.id === id) return position;
    if (!previousPosition) {
      previousPosition = new Map();
      previous.documents.forEach((document, at) => previousPosition!.set(document.id, at));
    }
    return previousPosition.get(id);
  };
  const starts = previous?.passages.chunkStarts;
  let nextSlot = previous?.manifest.slots ?? 0;
  const documents: DocumentToPack[] = [];
  /** Per document: its position in the previous build when kept, else its fresh chunks. */
  const sources: (number | Chunk[])[] = [];
  /** The slots in passage order, in pieces: runs of the previous build's (kept documents in a row) and each new document's. */
  const slotPieces: ArrayLike<number>[] = [];
  let run: [number, number] | null = null;
  const endRun = (): void => {
    if (run) slotPieces.push(previous!.slots.subarray(run[0], run[1]));
    run = null;
  };
  const freshBySlot = new Map<number, Chunk>();
  const newSlots: number[] = [];
  const removedSlots: number[] = [];
  const changedChunks: Chunk[] = [];
  const replacedChunks: Chunk[] = [];
  const changes = { added: 0, changed: 0, removed: 0 };
  const seen = new Uint8Array(previous?.documents.length ?? 0);
  let sameDocuments = previous !== null && previous.documents.length === corpus.documents.length;

  for (const [position, document] of corpus.documents.entries()) {
    const at = findPrevious(document.id, position);
    const before = at === undefined ? undefined : previous!.documents[at]!;
    if (at !== undefined) seen[at] = 1;
    if (before && at !== undefined && isSameDocument(before, document)) {
      const from = starts![at]!;
      const to = starts![at + 1]!;
      if (run && run[1] === from) run[1] = to;
      else {
        endRun();
        run = [from, to];
      }
      documents.push({ document, kept: previous!.passages.layout.documents[at]!, chunkCount: to - from });
      sources.push(at);
      if (at !== position) sameDocuments = false;
      continue;
    }
    endRun();
    sameDocuments = false;
    const fresh = chunkDocument(document);
    changedChunks.push(...fresh);
    const kept = new Map<string, number>();
    const oldText = new Map<string, string>();
    if (before && at !== undefined) {
      const chunks = previous!.passages.chunksOf(at);
      replacedChunks.push(...chunks);
      chunks.forEach((chunk, i) => {
        kept.set(`${chunk.id}\0${chunk.section}\0${chunk.text}`, previous!.slots[starts![at]! + i]!);
        oldText.set(chunk.id, chunk.text);
      });
    }
    const documentSlots: number[] = [];
    for (const chunk of fresh) {
      const key = `${chunk.id}\0${chunk.section}\0${chunk.text}`;
      let slot = kept.get(key);
      if (slot === undefined) {
        slot = nextSlot++;
        newSlots.push(slot);
        freshBySlot.set(slot, chunk);
        if (oldText.has(chunk.id)) changes.changed++;
        else changes.added++;
      } else {
        kept.delete(key);
      }
      documentSlots.push(slot);
    }
    slotPieces.push(documentSlots);
    removedSlots.push(...kept.values());
    const ids = new Set(fresh.map((chunk) => chunk.id));
    changes.removed += [...oldText.keys()].filter((id) => !ids.has(id)).length;
    documents.push({ document, kept: null, chunkCount: fresh.length });
    sources.push(fresh);
  }
  endRun();
  previous?.documents.forEach((_, at) => {
    if (seen[at]) return;
    replacedChunks.push(...previous.passages.chunksOf(at));
    for (let i = starts![at]!; i < starts![at + 1]!; i++) removedSlots.push(previous.slots[i]!);
    changes.removed += starts![at + 1]! - starts![at]!;
  });
  const slots = new Uint32Array(slotPieces.reduce((sum, piece) => sum + piece.length, 0));
  let filled = 0;
  for (const piece of slotPieces) {
    slots.set(piece, filled);
    filled += piece.length;
  }
  // A kept document's chunks are decoded once: the new pack may rewrite its old pack (a
  // merge), whose records are gone once the new generation is live.
  const keptChunks = new Map<number, Chunk[]>();
  return {
    documents,
    chunksOf: (position) => {
      const source = sources[position]!;
      if (typeof source !== 'number') return source;
      let chunks = keptChunks.get(position);
      if (!chunks) keptChunks.set(position, (chunks = previous!.passages.chunksOf(source)));
      return chunks;
    },
    slots,
    slotCount: nextSlot,
    chunkCount: slots.length,
    freshBySlot,
    newSlots,
    removedSlots,
    changedChunks,
    replacedChunks,
    changes,
    sameDocuments,
  };
}

/**
 * Whether a document can keep its previous chunks and pack entry: the same source and text
 * and the same metadata
 * (a file re-encoded with the same text, or read by a changed reader, is packed anew).
 */
function isSameDocument(before: Document, after: Document): boolean {
  // A file not read again is the previous build's own Document.
  if (before === after) return true;
  if (before.text !== after.text || before.source !== after.source) return false;
  const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);
  return (
    before.title === after.title &&
    before.publication === after.publication &&
    before.date === after.date &&
    before.url === after.url &&
    before.bodyStart === after.bodyStart &&
    before.format === after.format &&
    before.encoding === after.encoding &&
    before.verbatimFile === after.verbatimFile &&
    before.textFile === after.textFile &&
    same(before.pageStarts, after.pageStarts) &&
    same(before.headings, after.headings) &&
    same(before.furniture, after.furniture)
  );
}

function buildDenseFromVectors(embedder: IndexEmbedder, embeddings: EmbeddingCache, positions: Int32Array): DenseIndex {
  const dense = createDenseIndex(embedder, embedder.dimensions, positions.length, positions);
  const entries: { slot: number; vector: Float32Array }[] = [];
  positions.forEach((position, slot) => {
    if (position >= 0) entries.push({ slot, vector: embeddings.vector(slot) });
  });
  addDenseVectors(dense, entries);
  return dense;
}

function reuseFile(unchanged: NonNullable<SaveOptions['unchanged']>, previous: PreviousBuild, name: IndexFileName | PackFileName): void {
  const file = previous.index.manifest.files[name];
  if (file) unchanged[name] = { from: path.join(previous.folder, name), file };
  else if (name.startsWith(`${PACK_FOLDER}/`)) throw new Error(`store: the pack ${name} is not in the manifest of ${previous.index.manifest.generation}`);
}

/** What the build of `index` saw of the corpus. */
export function seenCorpusOf(index: Pick<CorpusIndex, 'manifest' | 'documents' | 'corpusFiles'>): SeenCorpus {
  return { documents: index.documents, skipped: index.manifest.skipped, corpusFiles: index.corpusFiles, scannedAtMs: index.manifest.corpusScannedAtMs };
}

function positionsOf(slots: Uint32Array, slotCount: number): Int32Array {
  const positions = new Int32Array(slotCount).fill(-1);
  // A plain loop: forEach on a typed array calls a function per passage (109,000).
  for (let position = 0; position < slots.length; position++) positions[slots[position]!] = position;
  return positions;
}

/** Added / changed / removed chunks, by id and text. */
export function compareChunks(before: readonly Chunk[], after: readonly Chunk[]): { added: number; changed: number; removed: number } {
  const old = new Map(before.map((chunk) => [chunk.id, chunk.text]));
  const current = new Set(after.map((chunk) => chunk.id));
  let added = 0;
  let changed = 0;
  for (const chunk of after) {
    const text = old.get(chunk.id);
    if (text === undefined) added++;
    else if (text !== chunk.text) changed++;
  }
  const removed = before.filter((chunk) => !current.has(chunk.id)).length;
  return { added, changed, removed };
}

/** Every corpus file's outcome, in path order: indexed with its passages and pages, or skipped with why. */
export function describeFiles(corpus: Pick<LoadedCorpus, 'documents' | 'skipped'>, passages: Pick<StoredPassages, 'chunkStarts'>): FileOutcome[] {
  const indexed = corpus.documents.map((document, position): FileOutcome => ({
    file: document.source,
    outcome: 'indexed',
    reason: null,
    format: document.format,
    encoding: document.encoding,
    pages: document.pageStarts?.length ?? null,
    passages: passages.chunkStarts[position + 1]! - passages.chunkStarts[position]!,
    textFile: document.textFile,
  }));
  const skipped = corpus.skipped.map((file): FileOutcome => ({
    file: file.source,
    outcome: 'skipped',
    reason: file.reason,
    format: file.format ?? null,
    encoding: null,
    pages: null,
    passages: 0,
    textFile: null,
  }));
  return [...indexed, ...skipped].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** "3 other files were skipped: a.pdf (no text layer), …", for the empty-corpus message. */
function describeSkipped(skipped: readonly SkippedFile[]): string {
  if (skipped.length === 0) return '';
  const shown = skipped.slice(0, 5).map((file) => `${file.source} (${file.reason})`).join('; ');
  return ` ${skipped.length} file(s) were there but skipped: ${shown}${skipped.length > 5 ? '; …' : ''}.`;
}
