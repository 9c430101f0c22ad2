import path from 'node:path';
import { CHUNKER_VERSION, chunkDocument } from '../chunking/chunk-document.js';
import { loadCorpus, type LoadedCorpus, type SkippedFile } from '../corpus/load-corpus.js';
import type { Chunk, Document } from '../domain.js';
import type { FileOutcome, ReindexProgress, ReindexSummary } from '../engine-types.js';
import { UserError } from '../errors.js';
import { reuseUnchangedFiles, type SeenCorpus } from './corpus-state.js';
import { addDenseVectors, createDenseIndex, type DenseIndex, type IndexEmbedder, loadDenseIndex, removeDenseVectors, withDensePositions } from './dense-index.js';
import { EmbeddingCache } from './embedding-cache.js';
import { pruneTextFiles, saveTextFiles } from './text-files.js';
import { type CorpusIndex, INDEX_FILES, type IndexFileName, loadIndex, readEmbeddingCache, readManifest, type SaveOptions, type SaveStep, saveIndex, verifyChecksum } from './index-files.js';
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
  const { corpusDir, indexDir, embedder, onProgress = () => {}, now = () => new Date() } = options;
  const checkpoint = options.checkpoint ?? (() => {});
  const started = performance.now();
  const warnings: string[] = [];

  await checkpoint('read-previous');
  const previous = await readPreviousBuild(indexDir, corpusDir, embedder, warnings, options.current);

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
  onProgress({ phase: 'chunk', chunks: plan.chunks.length });

  const { slots, newSlots, removedSlots } = plan;
  let slotCount = plan.slotCount;
  // Deletions piled up: the live slots are renumbered in passage order and the graph rebuilt.
  const compact = slotCount > 0 && (slotCount - plan.chunks.length) / slotCount > MAX_FREE_SLOT_SHARE;
  const unchanged: NonNullable<SaveOptions['unchanged']> = {};
  let embeddings: EmbeddingCache | null = null;
  let reusedEmbeddings = 0;
  /** Every slot's vector: the previous ones (read only now) plus the new passages', embedded. */
  const loadVectors = async (): Promise<EmbeddingCache> => {
    if (!embeddings) {
      await checkpoint('embed');
      const previousCache = previous?.sameModel ? await readPreviousCache(indexDir, previous, warnings, plan.chunks.length) : null;
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
      reusedEmbeddings = plan.chunks.length;
    } else {
      await loadVectors();
    }
  }

  await checkpoint('update-indexes');
  if (previous && plan.sameDocuments) reuseFile(unchanged, previous, INDEX_FILES.passages);
  let positions = positionsOf(slots, slotCount);
  let lexical: LexicalIndex;
  if (previous && removedSlots.length === 0 && newSlots.length === 0) {
    lexical = withLexicalPositions(previous.index.lexical, positions);
    reuseFile(unchanged, previous, INDEX_FILES.lexical);
  } else {
    lexical = updateLexicalIndex(previous?.index.lexical ?? createEmptyLexicalIndex(), {
      removed: removedSlots,
      added: newSlots.map((slot) => ({ slot, terms: analyzePassage(passageSearchText(plan.chunks[plan.positionOfSlot.get(slot)!]!)) })),
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
    slotCount = plan.chunks.length;
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

  const manifest: Omit<Manifest, 'generation' | 'files'> = {
    formatVersion: INDEX_FORMAT_VERSION,
    embeddingModel: embedder?.modelId ?? NO_EMBEDDING_MODEL,
    dimensions: embedder?.dimensions ?? 0,
    chunkerVersion: CHUNKER_VERSION,
    corpusHash: hashCorpus(corpus.documents, corpus.skipped),
    builtAt: now().toISOString(),
    documents: corpus.documents.length,
    chunks: plan.chunks.length,
    skipped: corpus.skipped,
    slots: slotCount,
    corpusScannedAtMs: scannedAtMs,
  };
  const contents = { documents: corpus.documents, chunks: plan.chunks, slots, lexical, dense, embeddings, corpusFiles: corpus.files };
  const saved = await saveIndex(indexDir, contents, manifest, { unchanged, checkpoint });
  warnings.push(...saved.warnings, ...(await pruneTextFiles(indexDir, corpus.documents)));
  return {
    index: { manifest: saved.manifest, documents: corpus.documents, chunks: plan.chunks, slots, lexical, dense, corpusFiles: corpus.files },
    summary: {
      documents: corpus.documents.length,
      chunks: plan.chunks.length,
      ...plan.changes,
      reusedEmbeddings,
      seconds: (performance.now() - started) / 1000,
      skipped: corpus.skipped,
      files: describeFiles(corpus, plan.chunks),
      warnings,
    },
  };
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
    const index = current?.manifest.generation === manifest.generation ? current : await loadIndex(indexDir, manifest, corpusDir, null);
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
  chunks: Chunk[];
  /** Slot of each chunk, by position. */
  slots: Uint32Array;
  slotCount: number;
  positionOfSlot: Map<number, number>;
  /** Slots of passages new since the previous build (text not in it under the same id). */
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
 * Which passages stay and which are new. A document whose text is unchanged keeps its
 * chunks; a changed one is chunked again, and each of its passages keeps its slot when
 * the previous build had a passage with the same id and text (a passage's identity).
 */
function planPassages(corpus: LoadedCorpus, previous: CorpusIndex | null): PassagePlan {
  const previousByDocument = new Map<string, { document: Document; chunks: Chunk[]; slots: number[] }>();
  if (previous) {
    for (const document of previous.documents) previousByDocument.set(document.id, { document, chunks: [], slots: [] });
    previous.chunks.forEach((chunk, position) => {
      const entry = previousByDocument.get(chunk.documentId)!;
      entry.chunks.push(chunk);
      entry.slots.push(previous.slots[position]!);
    });
  }
  let nextSlot = previous?.manifest.slots ?? 0;
  const chunks: Chunk[] = [];
  const slots: number[] = [];
  const newSlots: number[] = [];
  const removedSlots: number[] = [];
  const changedChunks: Chunk[] = [];
  const replacedChunks: Chunk[] = [];
  const changes = { added: 0, changed: 0, removed: 0 };
  const seen = new Set<string>();
  const positionOfSlot = new Map<number, number>();
  let sameDocuments = previous !== null && previous.documents.length === corpus.documents.length;

  for (const document of corpus.documents) {
    seen.add(document.id);
    const before = previousByDocument.get(document.id);
    if (before && before.document.text === document.text && before.document.source === document.source) {
      chunks.push(...before.chunks);
      slots.push(...before.slots);
      continue;
    }
    sameDocuments = false;
    const fresh = chunkDocument(document);
    changedChunks.push(...fresh);
    const kept = new Map<string, number>();
    const oldText = new Map<string, string>();
    if (before) {
      replacedChunks.push(...before.chunks);
      before.chunks.forEach((chunk, i) => {
        kept.set(`${chunk.id}\0${chunk.section}\0${chunk.text}`, before.slots[i]!);
        oldText.set(chunk.id, chunk.text);
      });
    }
    for (const chunk of fresh) {
      const key = `${chunk.id}\0${chunk.section}\0${chunk.text}`;
      let slot = kept.get(key);
      if (slot === undefined) {
        slot = nextSlot++;
        newSlots.push(slot);
        positionOfSlot.set(slot, chunks.length);
        if (oldText.has(chunk.id)) changes.changed++;
        else changes.added++;
      } else {
        kept.delete(key);
      }
      chunks.push(chunk);
      slots.push(slot);
    }
    removedSlots.push(...kept.values());
    const ids = new Set(fresh.map((chunk) => chunk.id));
    changes.removed += [...oldText.keys()].filter((id) => !ids.has(id)).length;
  }
  for (const [id, before] of previousByDocument) {
    if (seen.has(id)) continue;
    replacedChunks.push(...before.chunks);
    removedSlots.push(...before.slots);
    changes.removed += before.chunks.length;
  }
  const slotArray = Uint32Array.from(slots);
  return { chunks, slots: slotArray, slotCount: nextSlot, positionOfSlot, newSlots, removedSlots, changedChunks, replacedChunks, changes, sameDocuments };
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
  if (previous) for (let row = 0; row < Math.min(previous.rows, plan.slotCount); row++) cache.copyRow(previous, row, row);
  const positionOf = previous ? plan.positionOfSlot : new Map(Array.from(plan.slots, (slot, position) => [slot, position]));
  const missing: { slot: number; text: string; key: Uint8Array }[] = [];
  let reused = plan.chunks.length - wanted.length;
  for (const slot of wanted) {
    const text = plan.chunks[positionOf.get(slot)!]!.text;
    const key = EmbeddingCache.key(text);
    const row = previous ? previous.findRow(key) : -1;
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

function reuseFile(unchanged: NonNullable<SaveOptions['unchanged']>, previous: PreviousBuild, name: IndexFileName): void {
  const file = previous.index.manifest.files[name];
  if (file) unchanged[name] = { from: path.join(previous.folder, name), file };
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
export function describeFiles(corpus: Pick<LoadedCorpus, 'documents' | 'skipped'>, chunks: readonly Chunk[]): FileOutcome[] {
  const passages = new Map<string, number>();
  for (const chunk of chunks) passages.set(chunk.documentId, (passages.get(chunk.documentId) ?? 0) + 1);
  const indexed = corpus.documents.map((document): FileOutcome => ({
    file: document.source,
    outcome: 'indexed',
    reason: null,
    format: document.format,
    encoding: document.encoding,
    pages: document.pageStarts?.length ?? null,
    passages: passages.get(document.id) ?? 0,
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
