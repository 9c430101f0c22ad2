import { createHash, randomBytes } from 'node:crypto';
import type { Chunk, Document } from '../domain.js';
import { decodeSections, encodeSections, requireColumn } from './binary-sections.js';
import { docsFileOf, type EncodedPack, encodePassagePack, textsFileOf } from './passage-file.js';

export { docsFileOf, textsFileOf };

/**
 * Where an index generation keeps its documents and passages: in packs (see
 * `passage-file.ts`) under `passages/`, and a small map saying which pack holds each live
 * document, in corpus order, and each passage's slot. A pack is never written again once
 * saved, so the next generation links the packs whose documents did not change and
 * writes one new pack holding only the new and changed documents: a one-document change
 * costs a small pack and a new map (a few hundred kilobytes at 100,000 passages), not a
 * re-encoding of the whole corpus, and reads the packs' documents files, not their records
 * or texts (but the changed documents'). Changed and removed documents leave dead entries in old
 * packs; once they are over a quarter of the text, or the packs too many, the packs are
 * merged (`planPassagePacks`).
 */

export const PASSAGE_MAP_FILE = 'passage-map.bin';
export const PACK_FOLDER = 'passages';

const FORMAT = 'verbatim-passage-map-1';
const HASH_BYTES = 32;
/**
 * Dead text (of changed and removed documents) beyond this share of all packed text makes
 * the next build rewrite every pack as one: the same bound the passage slots keep
 * (`MAX_FREE_SLOT_SHARE`), so an index carries at most a third more than it serves.
 */
export const MAX_DEAD_PACK_SHARE = 0.25;
/**
 * More packs than this and the next build merges all but the largest into one. Each pack
 * is a file to read and hash at open; eight keep that under a millisecond or two more
 * than one pack, while merging the small packs of the last few changes costs about as
 * much as writing them did.
 */
export const MAX_PACKS = 8;

/** The files of a pack: its records (`name`), its documents and its texts (see `passage-file.ts`). */
export function packFilesOf(packName: string): string[] {
  return [packName, docsFileOf(packName), textsFileOf(packName)];
}

/** A pack of a generation: three files, its records, its documents and its texts (see `packFilesOf`). */
export interface PackEntry {
  /** The records file's path in the generation folder (`passages/….bin`): the name it keeps in every generation. */
  name: string;
  /** UTF-8 bytes of the text of every document in it, live or dead. */
  textBytes: number;
}

/** Where a live document is kept. */
export interface DocumentEntry {
  /** Index into the layout's packs. */
  pack: number;
  /** The document's index within that pack. */
  index: number;
  chunks: number;
  textBytes: number;
  /** SHA-256 of its text: the corpus hash is made of these, so unchanged texts are never hashed again. */
  textHash: Uint8Array;
}

/** What the map file holds. */
export interface PassageLayout {
  packs: PackEntry[];
  /** Live documents, in corpus order. */
  documents: DocumentEntry[];
  /** Slot of each passage, by position (documents in order, each document's chunks in reading order). */
  slots: Uint32Array;
}

interface MapMeta {
  format: string;
  packs: PackEntry[];
  documents: number;
  chunks: number;
}

export function encodePassageMap(layout: PassageLayout): Buffer[] {
  const { documents } = layout;
  // Filled in one loop: TypedArray.from with a function costs ten times as much at 5,000 documents.
  const textHashes = new Uint8Array(documents.length * HASH_BYTES);
  const documentTextBytes = new Float64Array(documents.length);
  const documentPack = new Uint32Array(documents.length);
  const documentIndex = new Uint32Array(documents.length);
  const documentChunks = new Uint32Array(documents.length);
  for (let i = 0; i < documents.length; i++) {
    const entry = documents[i]!;
    textHashes.set(entry.textHash, i * HASH_BYTES);
    documentTextBytes[i] = entry.textBytes;
    documentPack[i] = entry.pack;
    documentIndex[i] = entry.index;
    documentChunks[i] = entry.chunks;
  }
  const meta: MapMeta = { format: FORMAT, packs: layout.packs, documents: documents.length, chunks: layout.slots.length };
  return encodeSections(meta, { documentTextBytes, documentPack, documentIndex, documentChunks, chunkSlot: layout.slots, textHashes });
}

/** Reads a map file; throws, naming `label`, on anything inconsistent. */
export function decodePassageMap(buffer: Buffer, label: string): PassageLayout {
  const { meta, sections } = decodeSections<MapMeta>(buffer, label);
  if (meta.format !== FORMAT) throw new Error(`store: ${label} is in format ${String(meta.format)}, not ${FORMAT}`);
  const column = <T extends Uint8Array | Uint32Array | Float64Array>(name: string, type: new (...args: never[]) => T, length: number): T =>
    requireColumn(sections, name, type, length, label);
  const textBytes = column('documentTextBytes', Float64Array, meta.documents);
  const packs = column('documentPack', Uint32Array, meta.documents);
  const indexes = column('documentIndex', Uint32Array, meta.documents);
  const chunks = column('documentChunks', Uint32Array, meta.documents);
  const textHashes = column('textHashes', Uint8Array, meta.documents * HASH_BYTES);
  const slots = column('chunkSlot', Uint32Array, meta.chunks);
  if (!Array.isArray(meta.packs) || meta.packs.some((pack) => typeof pack?.name !== 'string' || !/^passages\/[\w-]+\.bin$/.test(pack.name) || typeof pack.textBytes !== 'number')) {
    throw new Error(`store: ${label} lists its packs wrongly`);
  }
  let total = 0;
  const documents: DocumentEntry[] = [];
  for (let i = 0; i < meta.documents; i++) {
    if (packs[i]! >= meta.packs.length) throw new Error(`store: ${label} puts a document in a pack it does not list`);
    total += chunks[i]!;
    documents.push({ pack: packs[i]!, index: indexes[i]!, chunks: chunks[i]!, textBytes: textBytes[i]!, textHash: textHashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES) });
  }
  if (total !== meta.chunks) throw new Error(`store: ${label} gives its documents ${total} chunks for ${meta.chunks}`);
  return { packs: meta.packs, documents, slots };
}

/**
 * An index's passages as the map lays them out, with the chunks decoded on first use: a
 * build that changes one document needs the chunks of that document only (a running
 * engine decodes them all, in slices, right after it opens an index).
 */
export class StoredPassages {
  /** Position of each document's first chunk, and the chunk count at the end. */
  readonly chunkStarts: Uint32Array;
  private decoded: Chunk[] | null = null;
  /** Chunks of the documents before `nextPosition`, while decoding is under way. */
  private partial: Chunk[] = [];
  private nextPosition = 0;

  constructor(
    readonly layout: PassageLayout,
    /** Decodes the chunks of the document at a position (released once all are decoded). */
    private decode: ((position: number) => Chunk[]) | null,
  ) {
    this.chunkStarts = new Uint32Array(layout.documents.length + 1);
    layout.documents.forEach((entry, i) => (this.chunkStarts[i + 1] = this.chunkStarts[i]! + entry.chunks));
  }

  get chunkCount(): number {
    return this.chunkStarts[this.chunkStarts.length - 1]!;
  }

  /** The chunks of the document at `position`, in reading order. */
  chunksOf(position: number): Chunk[] {
    if (this.decoded) return this.decoded.slice(this.chunkStarts[position], this.chunkStarts[position + 1]);
    const chunks = this.decode!(position);
    if (chunks.length !== this.layout.documents[position]!.chunks) throw new Error(`store: document ${position} has ${chunks.length} passages, its map says ${this.layout.documents[position]!.chunks}`);
    return chunks;
  }

  /** Every chunk, documents in order (decoded once, going on from where `decodeUntil` stopped). */
  all(): Chunk[] {
    if (!this.decoded) {
      while (this.nextPosition < this.layout.documents.length) this.decodeNext();
      this.finish();
    }
    return this.decoded!;
  }

  /**
   * Decodes documents in order, at least one, until `deadline` (a `performance.now()` time)
   * has passed; true while some are left. An engine decodes its passages this way in slices
   * between other work on the event loop, rather than in one block (0.3–0.5 s at 100,000
   * passages) right after it opens or swaps in an index.
   */
  decodeUntil(deadline: number): boolean {
    if (this.decoded) return false;
    while (this.nextPosition < this.layout.documents.length) {
      this.decodeNext();
      if (performance.now() >= deadline) break;
    }
    if (this.nextPosition >= this.layout.documents.length) this.finish();
    return this.decoded === null;
  }

  private decodeNext(): void {
    for (const chunk of this.chunksOf(this.nextPosition)) this.partial.push(chunk);
    this.nextPosition++;
  }

  private finish(): void {
    this.decoded = this.partial;
    this.partial = [];
    // What decoding held on to (pack buffers, a previous index) can go.
    this.decode = null;
  }
}

/** A document of the next generation: kept in a pack of the previous one, or to be packed anew. */
export interface DocumentToPack {
  document: Document;
  /** Its entry in the previous layout, when the document is unchanged. */
  kept: DocumentEntry | null;
  chunkCount: number;
}

/** The packs of the next generation: the previous ones still in use (to link) and at most one new one (to write). */
export interface PackPlan {
  layout: PassageLayout;
  /** Names of previous packs the new layout still uses, unchanged (each with its other files). */
  linked: string[];
  /** The new pack, or null when every document is in a previous pack. */
  written: { name: string; encode: () => EncodedPack } | null;
}

/**
 * Lays out the next generation: unchanged documents stay in their packs, new and changed
 * ones go into one new pack, and when dead text or packs pile up (see MAX_DEAD_PACK_SHARE,
 * MAX_PACKS) the live documents of the packs to merge are rewritten into that new pack too.
 */
export function planPassagePacks(
  documents: readonly DocumentToPack[],
  previousPacks: readonly PackEntry[],
  slots: Uint32Array,
  /** The chunks of document i, in reading order (asked only for the documents packed anew). */
  chunksOf: (i: number) => readonly Chunk[],
): PackPlan {
  const liveBytes = new Map<number, number>();
  let freshBytes = 0;
  const textBytesOf = documents.map((entry) => entry.kept?.textBytes ?? Buffer.byteLength(entry.document.text));
  documents.forEach((entry, i) => {
    if (entry.kept) liveBytes.set(entry.kept.pack, (liveBytes.get(entry.kept.pack) ?? 0) + textBytesOf[i]!);
    else freshBytes += textBytesOf[i]!;
  });
  const packedBytes = [...liveBytes.keys()].reduce((sum, pack) => sum + previousPacks[pack]!.textBytes, 0) + freshBytes;
  const live = [...liveBytes.values()].reduce((sum, bytes) => sum + bytes, 0) + freshBytes;
  let rewritten = new Set<number>();
  if (packedBytes > 0 && 1 - live / packedBytes > MAX_DEAD_PACK_SHARE) {
    rewritten = new Set(liveBytes.keys());
  } else if (liveBytes.size + (freshBytes > 0 || documents.some((entry) => !entry.kept) ? 1 : 0) > MAX_PACKS) {
    const largest = [...liveBytes].sort((a, b) => b[1] - a[1])[0]![0];
    rewritten = new Set([...liveBytes.keys()].filter((pack) => pack !== largest));
  }

  const packs: PackEntry[] = [];
  const packIndex = new Map<number, number>();
  const fresh: number[] = [];
  const entries = documents.map((entry, i): DocumentEntry => {
    if (entry.kept && !rewritten.has(entry.kept.pack)) {
      let pack = packIndex.get(entry.kept.pack);
      if (pack === undefined) {
        pack = packs.push(previousPacks[entry.kept.pack]!) - 1;
        packIndex.set(entry.kept.pack, pack);
      }
      return { ...entry.kept, pack };
    }
    fresh.push(i);
    // Pack and index are filled in below, once the new pack's place is known.
    return { pack: -1, index: fresh.length - 1, chunks: entry.chunkCount, textBytes: textBytesOf[i]!, textHash: entry.kept?.textHash ?? hashText(entry.document.text) };
  });
  const linked = packs.map((pack) => pack.name);
  let written: PackPlan['written'] = null;
  if (fresh.length > 0) {
    const name = `${PACK_FOLDER}/${Date.now().toString(36)}-${randomBytes(6).toString('hex')}.bin`;
    const pack = packs.push({ name, textBytes: fresh.reduce((sum, i) => sum + textBytesOf[i]!, 0) }) - 1;
    for (const i of fresh) entries[i]!.pack = pack;
    written = { name, encode: () => encodePassagePack(fresh.map((i) => documents[i]!.document), (k) => chunksOf(fresh[k]!)) };
  }
  return { layout: { packs, documents: entries, slots }, linked, written };
}

function hashText(text: string): Uint8Array {
  const digest = createHash('sha256').update(text).digest();
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.length);
}
