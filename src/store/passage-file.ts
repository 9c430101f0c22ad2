import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Chunk, ChunkKind, Document, DocumentFormat, Heading } from '../domain.js';
import { pageAt, sectionAt } from '../chunking/locate.js';
import { decodeSections, encodeSections, requireColumn, requireSection } from './binary-sections.js';
import { decodeJsonLines, encodeJsonLines } from './json-lines.js';

/**
 * A pack of passages: some documents and their chunks in three files.
 *
 * - `….docs`: each document's metadata (JSON Lines) and where its text and its chunk
 *   record lie, with the SHA-256 of each record: small (0.4 KB a document), read whole by
 *   every open and every reindex.
 * - `….bin`: one record per document, one after another: its chunks and sentences as
 *   32-bit words and its chunk ids. Read whole to answer; a reindex reads only the records
 *   of the documents that changed (each checked against its SHA-256), so the chunks of the
 *   other documents (7 MB at 100,000 passages) are never read.
 * - `….texts`: the documents' texts (UTF-8, one after another), read the same way.
 *
 * A chunk's text is not stored: it is `document.text.slice(start, end)` by contract, so
 * it costs no disk and, as a slice, little memory. An index keeps its documents in a few
 * packs (see `passage-store.ts`), so a change writes a small pack instead of re-encoding all.
 */

const DOCS_FORMAT = 'verbatim-pack-docs-1';
const KINDS: readonly ChunkKind[] = ['header', 'paragraph', 'list'];
const HASH_BYTES = 32;
/** A record's header words: chunks, sentences, bytes of chunk ids. */
const RECORD_HEADER_WORDS = 3;
/** Records start on this boundary, so each is viewed as 32-bit words in place. */
const RECORD_ALIGNMENT = 8;
/** Marks a sentence without an attribution. */
const NO_ATTRIBUTION = 0xffffffff;

interface DocsMeta {
  format: string;
  documents: number;
  /** Lengths of the texts file and of the records file. */
  textBytes: number;
  recordBytes: number;
}

/** A part of a saved index read only when needed (a document's text or chunks) is missing, unreadable or altered. */
export class DamagedIndexError extends Error {}

/** Reads a span of a pack's file (a text or a record needed alone: a reindex reads the changed documents' only). */
export interface SpanSource {
  read(start: number, end: number): Buffer;
}

/** A pack as written: its three files. */
export interface EncodedPack {
  docs: Buffer[];
  records: Buffer[];
  texts: Buffer[];
}

type DocumentMeta = Omit<Document, 'path' | 'text'>;

/** The documents file of a pack (`passages/x.bin` → `passages/x.docs`). */
export function docsFileOf(packName: string): string {
  return packName.replace(/\.bin$/, '.docs');
}

/** The texts file of a pack (`passages/x.bin` → `passages/x.texts`). */
export function textsFileOf(packName: string): string {
  return packName.replace(/\.bin$/, '.texts');
}

/**
 * The pack's three files, as buffers to write one after another: `documents` in order,
 * and `chunksOf(i)` the chunks of document i in reading order.
 */
export function encodePassagePack(documents: readonly Document[], chunksOf: (index: number) => readonly Chunk[]): EncodedPack {
  const texts = documents.map((document) => Buffer.from(document.text));
  const textEnds = new Float64Array(documents.length);
  let textEnd = 0;
  texts.forEach((text, i) => (textEnds[i] = textEnd += text.length));

  const grouped = documents.map((document, i) => {
    const chunks = chunksOf(i);
    for (const chunk of chunks) if (chunk.documentId !== document.id) throw new Error(`store: chunk ${chunk.id} is packed with document ${document.id}`);
    return chunks;
  });
  // Every record's size first, so that all of them are written into one buffer.
  const ids = grouped.map((chunks) => chunks.map((chunk) => chunk.id).join('\n'));
  const recordEnds = new Float64Array(documents.length);
  let recordEnd = 0;
  grouped.forEach((chunks, i) => {
    const sentences = chunks.reduce((sum, chunk) => sum + chunk.sentences.length, 0);
    recordEnd += align(4 * (RECORD_HEADER_WORDS + 5 * chunks.length + 4 * sentences) + Buffer.byteLength(ids[i]!));
    recordEnds[i] = recordEnd;
  });
  const records = Buffer.alloc(recordEnd);
  const words = new Uint32Array(records.buffer, records.byteOffset, recordEnd >> 2);
  const hashes = new Uint8Array(documents.length * HASH_BYTES);
  const chunkCounts = new Uint32Array(documents.length);
  const attributions = new Map<string, number>();
  grouped.forEach((chunks, i) => {
    const start = i === 0 ? 0 : recordEnds[i - 1]!;
    const sentences = chunks.reduce((sum, chunk) => sum + chunk.sentences.length, 0);
    const idBytes = Buffer.byteLength(ids[i]!);
    let at = start >> 2;
    words[at++] = chunks.length;
    words[at++] = sentences;
    words[at++] = idBytes;
    const c = chunks.length;
    let sentence = 0;
    chunks.forEach((chunk, k) => {
      words[at + k] = chunk.paragraph;
      words[at + c + k] = KINDS.indexOf(chunk.kind);
      words[at + 2 * c + k] = chunk.start;
      words[at + 3 * c + k] = chunk.end;
      words[at + 4 * c + k] = sentence += chunk.sentences.length;
    });
    at += 5 * c;
    let s = 0;
    for (const chunk of chunks) {
      for (const { start: from, end: to, paragraph, attribution } of chunk.sentences) {
        words[at + s] = from;
        words[at + sentences + s] = to;
        words[at + 2 * sentences + s] = paragraph;
        let id = NO_ATTRIBUTION;
        if (attribution !== null) {
          id = attributions.get(attribution) ?? attributions.size;
          attributions.set(attribution, id);
        }
        words[at + 3 * sentences + s++] = id;
      }
    }
    at += 4 * sentences;
    records.write(ids[i]!, at << 2, idBytes, 'utf8');
    chunkCounts[i] = c;
    hashes.set(createHash('sha256').update(records.subarray(start, recordEnds[i])).digest(), i * HASH_BYTES);
  });
  const meta: DocsMeta = { format: DOCS_FORMAT, documents: documents.length, textBytes: textEnd, recordBytes: recordEnd };
  const documentMeta = documents.map(({ path: _path, text: _text, ...rest }): DocumentMeta => rest);
  const docs = encodeSections(meta, {
    textEnds,
    recordEnds,
    chunkCounts,
    recordHashes: hashes,
    documentMeta: joinBytes(encodeJsonLines(documentMeta)),
    attributions: joinBytes(encodeJsonLines(attributions.keys())),
  });
  return { docs, records: [records], texts };
}

/**
 * A pack read back. `docs` is its documents file (read whole); `records` and `texts` are
 * its other two files, whole, or sources that read one document's span when it is first
 * needed (each checked then against the SHA-256 the pack or the caller has for it).
 * Documents get their absolute path from `corpusParent` + their source. Throws, naming
 * `label`, on anything inconsistent.
 */
export class PassagePack {
  readonly documentCount: number;
  private readonly metas: DocumentMeta[];
  private readonly documents: (Document | undefined)[];
  private readonly textEnds: Float64Array;
  private readonly recordEnds: Float64Array;
  private readonly chunkCounts: Uint32Array;
  private readonly recordHashes: Uint8Array;
  private readonly attributions: string[];

  constructor(
    docs: Buffer,
    private readonly records: Buffer | SpanSource,
    private readonly texts: Buffer | SpanSource,
    private readonly corpusParent: string,
    private readonly label: string,
  ) {
    const { meta, sections } = decodeSections<DocsMeta>(docs, label);
    if (meta.format !== DOCS_FORMAT) throw new Error(`store: ${label} is in format ${String(meta.format)}, not ${DOCS_FORMAT}`);
    const column = <T extends Uint8Array | Uint32Array | Float64Array>(name: string, type: new (...args: never[]) => T, length: number): T =>
      requireColumn(sections, name, type, length, label);
    const bytesOf = (name: string): Buffer => {
      const values = requireSection(sections, name, Uint8Array, label);
      return Buffer.from(values.buffer, values.byteOffset, values.length);
    };
    this.documentCount = meta.documents;
    this.textEnds = column('textEnds', Float64Array, meta.documents);
    this.recordEnds = column('recordEnds', Float64Array, meta.documents);
    this.chunkCounts = column('chunkCounts', Uint32Array, meta.documents);
    this.recordHashes = column('recordHashes', Uint8Array, meta.documents * HASH_BYTES);
    if (Buffer.isBuffer(texts) && texts.length !== meta.textBytes) throw new Error(`store: the texts of ${label} are ${texts.length} bytes, the pack says ${meta.textBytes}`);
    if (Buffer.isBuffer(records) && records.length !== meta.recordBytes) throw new Error(`store: the records of ${label} are ${records.length} bytes, the pack says ${meta.recordBytes}`);
    this.attributions = decodeJsonLines<string>(bytesOf('attributions'), `${label} (attributions)`);
    this.metas = decodeJsonLines<DocumentMeta>(bytesOf('documentMeta'), `${label} (documents)`);
    if (this.metas.length !== meta.documents) throw new Error(`store: ${label} lists ${this.metas.length} documents for ${meta.documents}`);
    const ordered = (values: Float64Array, limit: number, step: number): boolean => {
      for (let i = 0, previous = 0; i < values.length; previous = values[i++]!) if (values[i]! < previous || values[i]! > limit || values[i]! % step !== 0) return false;
      return true;
    };
    if (!ordered(this.textEnds, meta.textBytes, 1) || !ordered(this.recordEnds, meta.recordBytes, RECORD_ALIGNMENT)) throw new Error(`store: ${label} has offsets out of order`);
    if (meta.documents > 0 && (this.textEnds[meta.documents - 1] !== meta.textBytes || this.recordEnds[meta.documents - 1] !== meta.recordBytes)) {
      throw new Error(`store: ${label} has text or records beyond its documents`);
    }
    this.documents = new Array<Document | undefined>(meta.documents);
  }

  /**
   * Document `index` of the pack (made once). Its text is decoded when first read: a
   * reindex that changed one document never reads the others' texts, and decoding them
   * all (21 MB at 100,000 passages) cost more in garbage collection than anything else
   * it did. `textHash` is the SHA-256 its text must have when read from a text source.
   */
  document(index: number, textHash?: Uint8Array): Document {
    let document = this.documents[index];
    if (!document) {
      const meta = this.metas[index];
      if (!meta) throw new Error(`store: ${this.label} has no document ${index}`);
      // Joined by hand where that gives path.join's answer: it normalizes every path, at a cost per document.
      const file = path.sep === '/' && !this.corpusParent.endsWith('/') ? `${this.corpusParent}/${meta.source}` : path.join(this.corpusParent, meta.source);
      document = new PackedDocument(meta, file, this, index, textHash);
      this.documents[index] = document;
    }
    return document;
  }

  /** Document `index`'s text, read (and, from a source, checked against `textHash`) now. */
  readText(index: number, textHash: Uint8Array | undefined): string {
    const start = index === 0 ? 0 : this.textEnds[index - 1]!;
    const end = this.textEnds[index]!;
    if (Buffer.isBuffer(this.texts)) return this.texts.toString('utf8', start, end);
    const bytes = this.texts.read(start, end);
    if (bytes.length !== end - start || (textHash && !createHash('sha256').update(bytes).digest().equals(textHash))) {
      throw new DamagedIndexError(`store: the text of ${this.metas[index]!.source} in ${this.label} does not match its checksum`);
    }
    return bytes.toString('utf8');
  }

  /** Bytes of document `index`'s text (UTF-8), without decoding it. */
  textBytes(index: number): number {
    return this.textEnds[index]! - (index === 0 ? 0 : this.textEnds[index - 1]!);
  }

  /** How many chunks document `index` has, without decoding them. */
  chunkCount(index: number): number {
    return this.chunkCounts[index]!;
  }

  /** The chunks of document `index`, in reading order, decoded now (`document` is the object they belong to). */
  chunksOf(index: number, document: Document = this.document(index)): Chunk[] {
    const start = index === 0 ? 0 : this.recordEnds[index - 1]!;
    const end = this.recordEnds[index]!;
    let record: Buffer;
    if (Buffer.isBuffer(this.records)) record = this.records.subarray(start, end);
    else {
      record = this.records.read(start, end);
      const expected = this.recordHashes.subarray(index * HASH_BYTES, (index + 1) * HASH_BYTES);
      if (record.length !== end - start || !createHash('sha256').update(record).digest().equals(expected)) {
        throw new DamagedIndexError(`store: the passages of ${document.source} in ${this.label} do not match their checksum`);
      }
    }
    // Its words are read in place, which needs them aligned (a buffer from elsewhere may not be).
    if (record.byteOffset % 4 !== 0) record = Buffer.from(record);
    return this.decodeRecord(record, document);
  }

  private decodeRecord(record: Buffer, document: Document): Chunk[] {
    const damaged = (): Error => new Error(`store: ${this.label} has a damaged record for ${document.source}`);
    if (record.length < 4 * RECORD_HEADER_WORDS) throw damaged();
    const words = new Uint32Array(record.buffer, record.byteOffset, record.length >> 2);
    const c = words[0]!;
    const s = words[1]!;
    const idBytes = words[2]!;
    const at = RECORD_HEADER_WORDS;
    const sentencesAt = at + 5 * c;
    const idsAt = 4 * (sentencesAt + 4 * s);
    if (idsAt + idBytes > record.length) throw damaged();
    const ids = c === 0 ? [] : record.toString('utf8', idsAt, idsAt + idBytes).split('\n');
    if (ids.length !== c) throw damaged();
    const chunks: Chunk[] = [];
    let sentence = 0;
    for (let k = 0; k < c; k++) {
      const id = ids[k]!;
      const kind = KINDS[words[at + c + k]!];
      const start = words[at + 2 * c + k]!;
      const end = words[at + 3 * c + k]!;
      const sentenceEnd = words[at + 4 * c + k]!;
      if (!kind || end > document.text.length || start > end || sentenceEnd > s || sentenceEnd < sentence) throw new Error(`store: ${this.label} has chunk ${id} outside its document`);
      const sentences: Chunk['sentences'] = [];
      for (; sentence < sentenceEnd; sentence++) {
        const attribution = words[sentencesAt + 3 * s + sentence]!;
        sentences.push({
          start: words[sentencesAt + sentence]!,
          end: words[sentencesAt + s + sentence]!,
          paragraph: words[sentencesAt + 2 * s + sentence]!,
          attribution: attribution === NO_ATTRIBUTION ? null : (this.attributions[attribution] ?? null),
        });
      }
      chunks.push({
        id,
        documentId: document.id,
        source: document.source,
        paragraph: words[at + k]!,
        kind,
        start,
        end,
        text: document.text.slice(start, end),
        sentences,
        section: sectionAt(document, start),
        page: pageAt(document, start),
      });
    }
    return chunks;
  }
}

/**
 * A document of a pack: its metadata as fields, its text read from the pack when first
 * read. Made for every document of an index at every open and reindex (5,000 at 100,000
 * passages), so it is a class, whose objects share one shape: object literals spreading
 * the metadata, each with its own pair of text accessors, cost as much as the rest of
 * reading a pack. `text` is still an own enumerable property (an accessor shared by all),
 * so spreading or comparing a document reads and copies its text as for any other.
 */
class PackedDocument implements Document {
  declare text: string;
  id: string;
  source: string;
  format: DocumentFormat;
  encoding: string | null;
  verbatimFile: boolean;
  textFile: string;
  pageStarts: number[] | null;
  headings: Heading[];
  furniture: string[];
  title: string;
  publication: string | null;
  date: string | null;
  url: string | null;
  bodyStart: number;
  path: string;
  declare warnings?: string[];
  #text: string | null = null;
  #pack: PassagePack | null;
  #index: number;
  #textHash: Uint8Array | undefined;

  /** One accessor for every document's `text`, so that none makes functions of its own. */
  static readonly #textProperty: PropertyDescriptor = {
    get(this: PackedDocument): string {
      return PackedDocument.#readText(this);
    },
    set(this: PackedDocument, value: string): void {
      this.#text = value;
      this.#pack = null;
    },
    enumerable: true,
    configurable: true,
  };

  static #readText(document: PackedDocument): string {
    if (document.#text === null) {
      document.#text = document.#pack!.readText(document.#index, document.#textHash);
      // The pack (and its buffers) need not stay alive for this document any more.
      document.#pack = null;
    }
    return document.#text;
  }

  constructor(meta: DocumentMeta, file: string, pack: PassagePack, index: number, textHash: Uint8Array | undefined) {
    Object.defineProperty(this, 'text', PackedDocument.#textProperty);
    this.id = meta.id;
    this.source = meta.source;
    this.format = meta.format;
    this.encoding = meta.encoding;
    this.verbatimFile = meta.verbatimFile;
    this.textFile = meta.textFile;
    this.pageStarts = meta.pageStarts;
    this.headings = meta.headings;
    this.furniture = meta.furniture;
    this.title = meta.title;
    this.publication = meta.publication;
    this.date = meta.date;
    this.url = meta.url;
    this.bodyStart = meta.bodyStart;
    this.path = file;
    if (meta.warnings) this.warnings = meta.warnings;
    this.#pack = pack;
    this.#index = index;
    this.#textHash = textHash;
  }
}

function align(bytes: number): number {
  return Math.ceil(bytes / RECORD_ALIGNMENT) * RECORD_ALIGNMENT;
}

function joinBytes(buffers: readonly Buffer[]): Uint8Array {
  const joined = Buffer.concat(buffers);
  return new Uint8Array(joined.buffer, joined.byteOffset, joined.length);
}
