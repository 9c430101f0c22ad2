import path from 'node:path';
import { CHUNKER_VERSION, chunkDocument } from '../chunking/chunk-document.js';
import { type CorpusFile, loadCorpus, type LoadedCorpus, type SkippedFile } from '../corpus/load-corpus.js';
import type { Chunk, Document } from '../domain.js';
import type { FileOutcome, ReindexProgress, ReindexSummary } from '../engine-types.js';
import { UserError } from '../errors.js';
import { reuseUnchangedFiles, type SeenCorpus } from './corpus-state.js';
import { addDenseVectors, createDenseIndex, type DenseIndex, type IndexEmbedder, loadDenseIndex, removeDenseVectors, withDensePositions } from './dense-index.js';
import { EmbeddingCache } from './embedding-cache.js';
import { pruneTextFiles, saveTextFiles } from './text-files.js';
import { DamagedIndexError } from './passage-file.js';
import { type CorpusIndex, INDEX_FILES, type IndexFileName, indexOf, loadIndex, type PackFileName, readEmbeddingCache, readManifest, type SaveOptions, type SaveStep, saveIndex, verifyChecksum } from './index-files.js';
import { type DocumentToPack, PACK_FOLDER, type PassageLayout, planPassagePacks, StoredPassages, textsFileOf } from './passage-store.js';
import { analyzePassage, countSentenceTerms, passageSearchText, createEmptyLexicalIndex, type LexicalIndex, renumberLexicalSlots, updateLexicalIndex, withLexicalPositions } from './lexical-index.js';
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
  const previous = await readPreviousBuild(options.indexDir, options.corpusDir, options.embedder, warnings, options.current);
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

  const { slots, newSlots, removedSlots } = plan;
  let slotCount = plan.slotCount;
  // Deletions piled up: the live slots are renumbered in passage order and the graph rebuilt.
  const compact = slotCount > 0 && (slotCount - plan.chunkCount) / slotCount > MAX_FREE_SLOT_SHARE;
  const unchanged: NonNullable<SaveOptions['unchanged']> = {};
  let embeddings: EmbeddingCache | null = null;
  let reusedEmbeddings = 0;
  /** Every slot's vector: the previous ones (read only now) plus the new passages', embedded. */
  const loadVectors = async (): Promise<EmbeddingCache> => {
    if (!embeddings) {
      await checkpoint('embed');
      const previousCache = previous?.sameModel ? await readPreviousCache(indexDir, previous, warnings, plan.chunkCount) : null;
      const embedded = await embedNewPassages(embedder!, plan, previousCache, options.batchSize ?? 16, onProgress);
      embeddings = embedded.cache;
      reusedEmbeddings = embedded.reused;
      delete unchanged[INDEX_FILES.embeddings];
    }
    return embeddings;
  };
  const graphReusable = previous?.sameModel === true && previous.index.manifest.files[INDEX_FILES.dense] !== undefined;
  if (embedder) {
    if (graphReusable && newSlots.length === 0 && !compact) {
      // No new passage: the saved vectors are still every slot's; they are linked, never read.
      reuseFile(unchanged, previous!, INDEX_FILES.embeddings);
      reusedEmbeddings = plan.chunkCount;
    } else {
      await loadVectors();
    }
  }

  await checkpoint('update-indexes');
  let positions = positionsOf(slots, slotCount);
  let lexical: LexicalIndex;
  if (previous && removedSlots.length === 0 && newSlots.length === 0) {
    lexical = withLexicalPositions(previous.index.lexical, positions);
    reuseFile(unchanged, previous, INDEX_FILES.lexical);
  } else {
    lexical = updateLexicalIndex(previous?.index.lexical ?? createEmptyLexicalIndex(), {
      removed: removedSlots,
      added: newSlots.map((slot) => ({ slot, terms: analyzePassage(passageSearchText(plan.freshBySlot.get(slot)!)) })),
      addedSentences: countSentenceTerms(plan.changedChunks),
      removedSentences: countSentenceTerms(plan.replacedChunks),
      positions,
    });
  }
  let dense: DenseIndex | null = null;
  if (embedder && !compact) {
    dense = graphReusable ? await updateDenseIndex(embedder, previous!, plan, positions, unchanged, loadVectors, warnings) : buildDenseFromVectors(embedder, await loadVectors(), positions);
  }
  if (compact) {
    const renumber = new Int32Array(slotCount).fill(-1);
    slots.forEach((slot, position) => (renumber[slot] = position));
    slotCount = plan.chunkCount;
    positions = Int32Array.from({ length: slotCount }, (_, position) => position);
    lexical = renumberLexicalSlots(lexical, renumber, positions);
    if (embedder) {
      const vectors = await loadVectors();
      const compacted = new EmbeddingCache(embedder.modelId, vectors.dimensions, slotCount);
      slots.forEach((slot, position) => compacted.copyRow(vectors, slot, position));
      embeddings = compacted;
      dense = buildDenseFromVectors(embedder, compacted, positions);
    }
    slots.set(Uint32Array.from({ length: slotCount }, (_, position) => position));
    for (const name of Object.values(INDEX_FILES)) delete unchanged[name];
  }
  onProgress({ phase: 'save' });

  // Unchanged documents stay in their packs (linked); new and changed ones go into one new pack.
  const packs = planPassagePacks(plan.documents, previous?.index.passages.layout.packs ?? [], slots, plan.chunksOf);
  for (const name of packs.linked) for (const file of [name, textsFileOf(name)]) reuseFile(unchanged, previous!, file as PackFileName);
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
  const saved = await saveIndex(indexDir, { packs, lexical, dense, embeddings, corpusFiles: corpus.files }, manifest, { unchanged, checkpoint });
  warnings.push(...saved.warnings, ...(await pruneTextFiles(indexDir, corpus.documents)));
  const passages = passagesOf(packs.layout);
  return {
    index: indexOf({ manifest: saved.manifest, documents: corpus.documents, slots, lexical, dense, corpusFiles: corpus.files, passages }),
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

/** Whether two scans saw the same files with the same sizes and times. */
function isSameFileList(before: readonly CorpusFile[], after: readonly CorpusFile[]): boolean {
  return before.length === after.length && after.every((file, i) => before[i]!.source === file.source && before[i]!.bytes === file.bytes && before[i]!.mtimeMs === file.mtimeMs);
}

/** The previous generation when it was built the way this build would (format, chunker) and reads back intact; else null. */
async function readPreviousBuild(indexDir: string, corpusDir: string, embedder: IndexEmbedder | null, warnings: string[], current?: CorpusIndex): Promise<PreviousBuild | null> {
  let manifest: Manifest | null;
  try {
    manifest = await readManifest(indexDir);
  } catch {
    // Another format or a damaged manifest: a build from scratch replaces it, as intended.
    return null;
  }
  if (!manifest || manifest.chunkerVersion !== CHUNKER_VERSION) return null;
  try {
    // The graph is loaded later, and only if it has to change (the loaded one is in use: never changed).
    const index = current?.manifest.generation === manifest.generation ? current : await loadIndex(indexDir, manifest, corpusDir, null, { textsWhenRead: true });
    const sameModel = embedder !== null && manifest.embeddingModel === embedder.modelId && manifest.dimensions === embedder.dimensions;
    return { index, folder: path.join(indexDir, manifest.generation), sameModel };
  } catch (error) {
    warnings.push(`${PREVIOUS_UNREADABLE} (${(error as Error).message.replace(/\.$/, '')}); it was rebuilt from scratch.`);
    return null;
  }
}

/** The previous vectors, or null (with a warning saying so) when they cannot be read. */
async function readPreviousCache(indexDir: string, previous: PreviousBuild, warnings: string[], passages: number): Promise<EmbeddingCache | null> {
  try {
    return await readEmbeddingCache(indexDir, previous.index.manifest);
  } catch (error) {
    warnings.push(
      `store: the embedding cache was unreadable (${(error as Error).message.replace(/\.$/, '')}), so all ${passages} passage(s) were embedded again; the passages themselves were unchanged.`,
    );
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
  const previousPosition = new Map<string, number>();
  previous?.documents.forEach((document, position) => previousPosition.set(document.id, position));
  const starts = previous?.passages.chunkStarts;
  let nextSlot = previous?.manifest.slots ?? 0;
  const documents: DocumentToPack[] = [];
  /** Per document: its position in the previous build when kept, else its fresh chunks. */
  const sources: (number | Chunk[])[] = [];
  const slots: number[] = [];
  const freshBySlot = new Map<number, Chunk>();
  const newSlots: number[] = [];
  const removedSlots: number[] = [];
  const changedChunks: Chunk[] = [];
  const replacedChunks: Chunk[] = [];
  const changes = { added: 0, changed: 0, removed: 0 };
  const seen = new Set<number>();
  let sameDocuments = previous !== null && previous.documents.length === corpus.documents.length;

  for (const [position, document] of corpus.documents.entries()) {
    const at = previousPosition.get(document.id);
    const before = at === undefined ? undefined : previous!.documents[at]!;
    if (at !== undefined) seen.add(at);
    if (before && at !== undefined && isSameDocument(before, document)) {
      for (let i = starts![at]!; i < starts![at + 1]!; i++) slots.push(previous!.slots[i]!);
      documents.push({ document, kept: previous!.passages.layout.documents[at]!, chunkCount: starts![at + 1]! - starts![at]! });
      sources.push(at);
      if (at !== position) sameDocuments = false;
      continue;
    }
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
      slots.push(slot);
    }
    removedSlots.push(...kept.values());
    const ids = new Set(fresh.map((chunk) => chunk.id));
    changes.removed += [...oldText.keys()].filter((id) => !ids.has(id)).length;
    documents.push({ document, kept: null, chunkCount: fresh.length });
    sources.push(fresh);
  }
  previous?.documents.forEach((_, at) => {
    if (seen.has(at)) return;
    replacedChunks.push(...previous.passages.chunksOf(at));
    for (let i = starts![at]!; i < starts![at + 1]!; i++) removedSlots.push(previous.slots[i]!);
    changes.removed += starts![at + 1]! - starts![at]!;
  });
  return {
    documents,
    chunksOf: (position) => {
      const source = sources[position]!;
      return typeof source === 'number' ? previous!.passages.chunksOf(source) : source;
    },
    slots: Uint32Array.from(slots),
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

/**
 * The vectors of every slot: the previous build's rows as they were, new passages looked
 * up by text in the previous vectors (a passage that moved) and embedded only when missing.
 */
async function embedNewPassages(
  embedder: IndexEmbedder,
  plan: PassagePlan,
  previous: EmbeddingCache | null,
  batchSize: number,
  onProgress: (progress: ReindexProgress) => void,
): Promise<{ cache: EmbeddingCache; reused: number }> {
  const cache = new EmbeddingCache(embedder.modelId, embedder.dimensions, plan.slotCount);
  // Without the previous vectors every live passage is embedded (a new model, or an unreadable cache).
  const wanted = previous ? plan.newSlots : Array.from(plan.slots);
  if (previous) cache.copyRows(previous, Math.min(previous.rows, plan.slotCount));
  // Without the previous vectors every passage is wanted, kept ones too (their chunks decoded now).
  const chunkOf = previous ? plan.freshBySlot : new Map(plan.documents.flatMap((_, position) => plan.chunksOf(position)).map((chunk, position) => [plan.slots[position]!, chunk]));
  const missing: { slot: number; text: string; key: Uint8Array }[] = [];
  let reused = plan.chunkCount - wanted.length;
  const keys = wanted.map((slot) => EmbeddingCache.key(chunkOf.get(slot)!.text));
  const found = previous ? previous.findRows(keys) : keys.map(() => -1);
  for (const [i, slot] of wanted.entries()) {
    const text = chunkOf.get(slot)!.text;
    const key = keys[i]!;
    const row = found[i]!;
    if (row >= 0) {
      cache.set(slot, key, previous!.vector(row));
      reused++;
    } else {
      missing.push({ slot, text, key });
    }
  }
  // Passages with the same text are embedded once.
  const byText = new Map<string, { slot: number; key: Uint8Array }[]>();
  for (const entry of missing) byText.set(entry.text, [...(byText.get(entry.text) ?? []), entry]);
  const texts = [...byText.keys()];
  onProgress({ phase: 'embed', done: 0, total: texts.length });
  for (let i = 0; i < texts.length; i += batchSize) {
    const batch = texts.slice(i, i + batchSize);
    const vectors = await embedder.embedDocuments(batch);
    batch.forEach((text, j) => {
      for (const { slot, key } of byText.get(text)!) cache.set(slot, key, vectors[j]!);
    });
    onProgress({ phase: 'embed', done: Math.min(i + batchSize, texts.length), total: texts.length });
  }
  return { cache, reused };
}

/** The previous graph with removed passages deleted and new ones added (rebuilt from the vectors if it is damaged). */
async function updateDenseIndex(
  embedder: IndexEmbedder,
  previous: PreviousBuild,
  plan: PassagePlan,
  positions: Int32Array,
  unchangedFiles: NonNullable<SaveOptions['unchanged']>,
  loadVectors: () => Promise<EmbeddingCache>,
  warnings: string[],
): Promise<DenseIndex> {
  const manifest = previous.index.manifest;
  const file = path.join(previous.folder, INDEX_FILES.dense);
  const unchanged = plan.newSlots.length === 0 && plan.removedSlots.length === 0;
  // The running engine's graph, unchanged: shared, never modified (a changed one is read from disk).
  if (unchanged && previous.index.dense) {
    reuseFile(unchangedFiles, previous, INDEX_FILES.dense);
    return withDensePositions(previous.index.dense, positions);
  }
  let loaded: DenseIndex;
  try {
    await verifyChecksum(previous.folder, manifest, INDEX_FILES.dense);
    loaded = await loadDenseIndex(file, embedder, embedder.dimensions, positions, manifest.chunks);
  } catch (error) {
    // Said, as for the embedding cache: a damaged file on disk is worth an operator's look.
    warnings.push(`store: the previous HNSW graph was unreadable (${(error as Error).message.replace(/\.$/, '')}), so it was rebuilt from the saved vectors; no passage was embedded again for it.`);
    return buildDenseFromVectors(embedder, await loadVectors(), positions);
  }
  if (unchanged) {
    reuseFile(unchangedFiles, previous, INDEX_FILES.dense);
    return loaded;
  }
  removeDenseVectors(loaded, plan.removedSlots);
  const vectors = plan.newSlots.length > 0 ? await loadVectors() : null;
  addDenseVectors(loaded, plan.newSlots.map((slot) => ({ slot, vector: vectors!.vector(slot) })));
  return withDensePositions(loaded, positions);
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
export function seenCorpusOf(index: CorpusIndex): SeenCorpus {
  return { documents: index.documents, skipped: index.manifest.skipped, corpusFiles: index.corpusFiles, scannedAtMs: index.manifest.corpusScannedAtMs };
}

function positionsOf(slots: Uint32Array, slotCount: number): Int32Array {
  const positions = new Int32Array(slotCount).fill(-1);
  slots.forEach((slot, position) => (positions[slot] = position));
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
