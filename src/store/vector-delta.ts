import { decodeSections, encodeSections, requireSection } from './binary-sections.js';
import { addDenseVectors, type DenseIndex, removeDenseVectors } from './dense-index.js';
import { EmbeddingCache, FEW_KEYS, findKeyRows, KEY_BYTES } from './embedding-cache.js';

/**
 * The passage vectors of a generation beyond its base files. The base — the embedding
 * cache (`embeddings.bin` and its keys) and the HNSW graph written from the same slots —
 * is shared by the generations after it (linked, never written again: 130 MB at 100,000
 * passages of 128 dimensions, which hnswlib can only write whole). What changed since is
 * this delta: the vector and text key of every slot added since (slots are never reused
 * until a compaction, so these are the slots from `baseSlots` up), and the base slots
 * removed since. Opening applies it to the graph (`applyVectorDelta`: the removed slots
 * marked deleted, the live added ones inserted), which gives the graph an in-place update
 * gave; a reindex reads the delta and, to look new text up, the keys. Once it holds more
 * than `MAX_VECTOR_DELTA_ROWS` rows, the next build writes new base files.
 */
export interface VectorDelta {
  /** Slots the base covers: its rows and the labels of its graph. */
  readonly baseSlots: number;
  /** Base slots whose passages were removed since, ascending (marked deleted when the graph is opened). */
  readonly removedSlots: Uint32Array;
  /** Row i holds slot `baseSlots + i`: every slot added since, live or freed since. */
  readonly rows: EmbeddingCache;
}

/**
 * More rows than this and the next build writes new base files. Each live row is an
 * `addPoint` when the graph is opened and when a running engine reindexes (1–3 ms each at
 * 109,000 passages on the busy development machine), so a full delta adds at most
 * 0.1–0.4 s to both; writing the base costs 1.5–3 s. A one-document change adds a few rows,
 * so the base is written about once every 30–100 such changes.
 */
export const MAX_VECTOR_DELTA_ROWS = 128;

const FORMAT = 'verbatim-vector-delta-1';

/** No change since a base of `baseSlots` slots. */
export function emptyVectorDelta(modelId: string, dimensions: number, baseSlots: number): VectorDelta {
  return { baseSlots, removedSlots: new Uint32Array(0), rows: new EmbeddingCache(modelId, dimensions, 0) };
}

/**
 * The delta after a change: `removed` are live slots whose passages are gone, `added` the
 * vectors of the slots added (from the previous slot count up to `slotCount`).
 */
export function composeVectorDelta(delta: VectorDelta, change: { removed: Iterable<number>; added: readonly { slot: number; key: Uint8Array; vector: ArrayLike<number> }[]; slotCount: number }): VectorDelta {
  const { rows } = delta;
  const removed = new Set(delta.removedSlots);
  for (const slot of change.removed) if (slot < delta.baseSlots) removed.add(slot);
  const grown = new EmbeddingCache(rows.modelId, rows.dimensions, change.slotCount - delta.baseSlots);
  grown.copyRows(rows, Math.min(rows.rows, grown.rows));
  for (const { slot, key, vector } of change.added) {
    if (slot < delta.baseSlots + rows.rows || slot >= change.slotCount) throw new Error(`store: slot ${slot} is not one of the new slots ${delta.baseSlots + rows.rows}–${change.slotCount - 1}`);
    grown.set(slot - delta.baseSlots, key, vector);
  }
  return { baseSlots: delta.baseSlots, removedSlots: Uint32Array.from(removed).sort(), rows: grown };
}

/** Whether the next build should write new base files (see MAX_VECTOR_DELTA_ROWS). */
export function isVectorDeltaLarge(delta: VectorDelta): boolean {
  return delta.rows.rows > MAX_VECTOR_DELTA_ROWS;
}

/**
 * Brings the base graph just opened up to the delta: base slots removed since are marked
 * deleted, and the added slots still live (`positions` ≥ 0) are inserted.
 */
export function applyVectorDelta(dense: DenseIndex, delta: VectorDelta, positions: Int32Array): void {
  removeDenseVectors(dense, delta.removedSlots);
  const live: { slot: number; vector: Float32Array }[] = [];
  for (let row = 0; row < delta.rows.rows; row++) {
    const slot = delta.baseSlots + row;
    if (positions[slot]! >= 0) live.push({ slot, vector: delta.rows.vector(row) });
  }
  addDenseVectors(dense, live);
}

interface DeltaMeta {
  format: string;
  modelId: string;
  dimensions: number;
  baseSlots: number;
  rows: number;
}

export function encodeVectorDelta(delta: VectorDelta): Buffer[] {
  const { rows } = delta;
  const meta: DeltaMeta = { format: FORMAT, modelId: rows.modelId, dimensions: rows.dimensions, baseSlots: delta.baseSlots, rows: rows.rows };
  const keys = new Uint8Array(rows.rows * KEY_BYTES);
  const vectors = new Float32Array(rows.rows * rows.dimensions);
  for (let row = 0; row < rows.rows; row++) {
    keys.set(rows.keyAt(row), row * KEY_BYTES);
    vectors.set(rows.vector(row), row * rows.dimensions);
  }
  return encodeSections(meta, { removedSlots: delta.removedSlots, vectors, keys });
}

/** Reads a saved delta; throws, naming `label`, when it is malformed. */
export function decodeVectorDelta(buffer: Buffer, label = 'the vector delta'): VectorDelta {
  const { meta, sections } = decodeSections<DeltaMeta>(buffer, label);
  if (meta.format !== FORMAT) throw new Error(`store: ${label} is in format ${String(meta.format)}, not ${FORMAT}`);
  const removedSlots = requireSection(sections, 'removedSlots', Uint32Array, label);
  if (removedSlots.some((slot) => slot >= meta.baseSlots)) throw new Error(`store: ${label} removes a slot beyond its base`);
  const rows = new EmbeddingCache(meta.modelId, meta.dimensions, meta.rows, { keys: requireSection(sections, 'keys', Uint8Array, label), vectors: requireSection(sections, 'vectors', Float32Array, label) });
  return { baseSlots: meta.baseSlots, removedSlots, rows };
}

/**
 * Every slot's vector as a generation keeps it: the base rows (read from disk only when
 * asked for: the keys to look a text up, the vectors when one is found there) and the
 * delta's rows in memory.
 */
export class StoredVectors {
  private baseKeys: Uint8Array | null = null;
  private baseCache: EmbeddingCache | null = null;

  constructor(
    readonly modelId: string,
    readonly dimensions: number,
    readonly delta: VectorDelta,
    private readonly readBase: { keys: () => Promise<Uint8Array>; cache: () => Promise<EmbeddingCache> },
  ) {}

  /** The same base with another delta over it (a build's next generation; the base rows read so far are shared). */
  withDelta(delta: VectorDelta): StoredVectors {
    const next = new StoredVectors(this.modelId, this.dimensions, delta, this.readBase);
    next.baseKeys = this.baseKeys;
    next.baseCache = this.baseCache;
    return next;
  }

  /** All slots: the base's and the delta's. */
  get slotCount(): number {
    return this.delta.baseSlots + this.delta.rows.rows;
  }

  /** A saved vector for each key (a text embedded before, in any slot), or null. */
  async findVectors(keys: readonly Uint8Array[]): Promise<(Float32Array | null)[]> {
    const { rows } = this.delta;
    const inDelta = rows.findRows(keys);
    const found: (Float32Array | null)[] = inDelta.map((row) => (row >= 0 ? rows.vector(row) : null));
    const missing = keys.flatMap((key, i) => (found[i] ? [] : [i]));
    if (missing.length === 0 || this.delta.baseSlots === 0) return found;
    this.baseKeys ??= await this.readBase.keys();
    const wanted = missing.map((i) => keys[i]!);
    const inBase = wanted.length > FEW_KEYS ? (this.baseCache ??= await this.readBase.cache()).findRows(wanted) : findKeyRows(this.baseKeys, wanted);
    if (inBase.some((row) => row >= 0)) this.baseCache ??= await this.readBase.cache();
    inBase.forEach((row, j) => {
      if (row >= 0) found[missing[j]!] = this.baseCache!.vector(row);
    });
    return found;
  }

  /** Every slot's vector in one cache (to write new base files). */
  async toCache(): Promise<EmbeddingCache> {
    const { rows, baseSlots } = this.delta;
    const cache = new EmbeddingCache(this.modelId, this.dimensions, this.slotCount);
    if (baseSlots > 0) cache.copyRows((this.baseCache ??= await this.readBase.cache()), baseSlots);
    for (let row = 0; row < rows.rows; row++) cache.set(baseSlots + row, rows.keyAt(row), rows.vector(row));
    return cache;
  }
}
