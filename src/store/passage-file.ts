import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Chunk, ChunkKind, Document } from '../domain.js';
import { pageAt, sectionAt } from '../chunking/locate.js';
import { decodeSections, encodeSections, requireSection } from './binary-sections.js';
import { decodeJsonLines, encodeJsonLines } from './json-lines.js';

/**
 * A pack of passages: some documents and their chunks in one binary file of columns —
 * document texts as UTF-8 with their offsets, chunk and sentence fields as typed arrays,
 * short strings (ids, metadata, attributions) as JSON Lines. A chunk's text is not stored:
 * it is `document.text.slice(start, end)` by contract, so it costs no disk and, as a
 * slice, little memory. Reading parses no large JSON, and a document or its chunks are
 * decoded only when asked for: a reindex that changed one document reads the others'
 * metadata and never builds their chunks. An index keeps its documents in a few packs
 * (see `passage-store.ts`), so a change writes a small pack instead of re-encoding all.
 */

const FORMAT = 'verbatim-pack-1';
/** Ids per piece when encoding: about a megabyte each. */
const LINES_PER_PIECE = 30_000;
const KINDS: readonly ChunkKind[] = ['header', 'paragraph', 'list'];

interface PackMeta {
  format: string;
  documents: number;
  chunks: number;
  sentences: number;
  /** Length of the texts file. */
  textBytes: number;
}

/** A part of a saved index read only when needed (a document's text) is missing, unreadable or altered. */
export class DamagedIndexError extends Error {}

/** Reads a span of a pack's texts file (for a text needed alone: a reindex reads the changed documents' only). */
export interface TextSource {
  read(start: number, end: number): Buffer;
}

/** A pack as written: its columns, and its documents' texts (UTF-8, one after another) in a file of their own. */
export interface EncodedPack {
  columns: Buffer[];
  texts: Buffer[];
}

type DocumentMeta = Omit<Document, 'path' | 'text'>;

/**
 * The pack's two files, as buffers to write one after another: `documents` in order, and
 * `chunksOf(i)` the chunks of document i in reading order. The texts are a file apart so
 * that a reindex, which needs the other documents' metadata but not their words, reads
 * neither them nor their checksum.
 */
export function encodePassagePack(documents: readonly Document[], chunksOf: (index: number) => readonly Chunk[]): EncodedPack {
  const texts = documents.map((document) => Buffer.from(document.text));
  const textEnds = new Float64Array(documents.length);
  let end = 0;
  texts.forEach((text, i) => (textEnds[i] = end += text.length));

  const grouped = documents.map((document, i) => {
    const chunks = chunksOf(i);
    for (const chunk of chunks) if (chunk.documentId !== document.id) throw new Error(`store: chunk ${chunk.id} is packed with document ${document.id}`);
    return chunks;
  });
  const chunkCount = grouped.reduce((sum, chunks) => sum + chunks.length, 0);
  const sentenceCount = grouped.reduce((sum, chunks) => sum + chunks.reduce((n, chunk) => n + chunk.sentences.length, 0), 0);
  const documentChunkEnds = new Uint32Array(documents.length);
  const documentIdEnds = new Float64Array(documents.length);
  let idBytes = 0;
  const chunkParagraph = new Uint32Array(chunkCount);
  const chunkKind = new Uint8Array(chunkCount);
  const chunkStart = new Uint32Array(chunkCount);
  const chunkEnd = new Uint32Array(chunkCount);
  const chunkSentenceEnds = new Uint32Array(chunkCount);
  const sentenceStart = new Uint32Array(sentenceCount);
  const sentenceEnd = new Uint32Array(sentenceCount);
  const sentenceParagraph = new Uint32Array(sentenceCount);
  const sentenceAttribution = new Int32Array(sentenceCount);
  const attributions = new Map<string, number>();
  const ids: string[] = [];
  let i = 0;
  let sentence = 0;
  grouped.forEach((chunks, document) => {
    for (const chunk of chunks) {
      ids.push(chunk.id);
      idBytes += Buffer.byteLength(chunk.id) + 1;
      chunkParagraph[i] = chunk.paragraph;
      chunkKind[i] = KINDS.indexOf(chunk.kind);
      chunkStart[i] = chunk.start;
      chunkEnd[i] = chunk.end;
      for (const { start, end: stop, paragraph, attribution } of chunk.sentences) {
        sentenceStart[sentence] = start;
        sentenceEnd[sentence] = stop;
        sentenceParagraph[sentence] = paragraph;
        let id = -1;
        if (attribution !== null) {
          id = attributions.get(attribution) ?? attributions.size;
          attributions.set(attribution, id);
        }
        sentenceAttribution[sentence++] = id;
      }
      chunkSentenceEnds[i++] = sentence;
    }
    documentChunkEnds[document] = i;
    documentIdEnds[document] = idBytes;
  });
  const meta: PackMeta = { format: FORMAT, documents: documents.length, chunks: chunkCount, sentences: sentenceCount, textBytes: end };
  const documentMeta = documents.map(({ path: _path, text: _text, ...rest }): DocumentMeta => rest);
  const columns = encodeSections(meta, {
    textEnds,
    documentIdEnds,
    documentChunkEnds,
    chunkParagraph,
    chunkStart,
    chunkEnd,
    chunkSentenceEnds,
    sentenceStart,
    sentenceEnd,
    sentenceParagraph,
    sentenceAttribution,
    chunkKind,
    documentMeta: joinBytes(encodeJsonLines(documentMeta)),
    // Chunk ids are document slugs plus "#p…": no newline, so plain lines (JSON per id cost 4× as much).
    chunkIds: joinBytes(encodeLines(ids)),
    attributions: joinBytes(encodeJsonLines(attributions.keys())),
  });
  return { columns, texts };
}

/**
 * A pack read back. Its columns are views into the file's bytes; documents get their
 * absolute path from `corpusParent` + their source. Each document, and each document's
 * chunks, is decoded when first asked for. `texts` is the texts file, or a source that
 * reads one document's text when it is first read (checked then against the SHA-256 the
 * caller expects). Throws, naming `label`, on anything inconsistent.
 */
export class PassagePack {
  readonly documentCount: number;
  private readonly metas: DocumentMeta[];
  private readonly documents: (Document | undefined)[];
  private readonly textEnds: Float64Array;
  private readonly texts: Buffer | TextSource;
  private readonly textBytesTotal: number;
  private readonly documentChunkEnds: Uint32Array;
  private readonly chunkParagraph: Uint32Array;
  private readonly chunkKind: Uint8Array;
  private readonly chunkStart: Uint32Array;
  private readonly chunkEnd: Uint32Array;
  private readonly chunkSentenceEnds: Uint32Array;
  private readonly sentenceStart: Uint32Array;
  private readonly sentenceEnd: Uint32Array;
  private readonly sentenceParagraph: Uint32Array;
  private readonly sentenceAttribution: Int32Array;
  private readonly documentIdEnds: Float64Array;
  private readonly chunkIdBytes: Buffer;
  private readonly attributions: string[];

  constructor(
    buffer: Buffer,
    texts: Buffer | TextSource,
    private readonly corpusParent: string,
    private readonly label: string,
  ) {
    const { meta, sections } = decodeSections<PackMeta>(buffer, label);
    if (meta.format !== FORMAT) throw new Error(`store: ${label} is in format ${String(meta.format)}, not ${FORMAT}`);
    const column = <T extends Uint8Array | Uint32Array | Int32Array | Float64Array>(name: string, type: new (...args: never[]) => T, length: number): T => {
      const values = requireSection(sections, name, type, label);
      if (values.length !== length) throw new Error(`store: ${label} has ${values.length} ${name} values for ${length}`);
      return values;
    };
    const bytesOf = (name: string): Buffer => {
      const values = requireSection(sections, name, Uint8Array, label);
      return Buffer.from(values.buffer, values.byteOffset, values.length);
    };
    this.documentCount = meta.documents;
    this.textEnds = column('textEnds', Float64Array, meta.documents);
    this.texts = texts;
    this.textBytesTotal = meta.textBytes;
    if (Buffer.isBuffer(texts) && texts.length !== meta.textBytes) throw new Error(`store: the texts of ${label} are ${texts.length} bytes, the pack says ${meta.textBytes}`);
    this.documentChunkEnds = column('documentChunkEnds', Uint32Array, meta.documents);
    this.chunkParagraph = column('chunkParagraph', Uint32Array, meta.chunks);
    this.chunkKind = column('chunkKind', Uint8Array, meta.chunks);
    this.chunkStart = column('chunkStart', Uint32Array, meta.chunks);
    this.chunkEnd = column('chunkEnd', Uint32Array, meta.chunks);
    this.chunkSentenceEnds = column('chunkSentenceEnds', Uint32Array, meta.chunks);
    this.sentenceStart = column('sentenceStart', Uint32Array, meta.sentences);
    this.sentenceEnd = column('sentenceEnd', Uint32Array, meta.sentences);
    this.sentenceParagraph = column('sentenceParagraph', Uint32Array, meta.sentences);
    this.sentenceAttribution = column('sentenceAttribution', Int32Array, meta.sentences);
    this.chunkIdBytes = bytesOf('chunkIds');
    this.documentIdEnds = column('documentIdEnds', Float64Array, meta.documents);
    this.attributions = decodeJsonLines<string>(bytesOf('attributions'), `${label} (attributions)`);
    this.metas = decodeJsonLines<DocumentMeta>(bytesOf('documentMeta'), `${label} (documents)`);
    if (this.metas.length !== meta.documents) throw new Error(`store: ${label} lists ${this.metas.length} documents for ${meta.documents}`);
    const ordered = (values: ArrayLike<number>, limit: number): boolean => {
      for (let i = 0, previous = 0; i < values.length; previous = values[i++]!) if (values[i]! < previous || values[i]! > limit) return false;
      return true;
    };
    const inOrder = ordered(this.textEnds, this.textBytesTotal) && ordered(this.documentIdEnds, this.chunkIdBytes.length) && ordered(this.documentChunkEnds, meta.chunks) && ordered(this.chunkSentenceEnds, meta.sentences);
    if (!inOrder) {
      throw new Error(`store: ${label} has offsets out of order`);
    }
    if (meta.documents > 0 && (this.documentChunkEnds[meta.documents - 1] !== meta.chunks || this.textEnds[meta.documents - 1] !== this.textBytesTotal)) {
      throw new Error(`store: ${label} has chunks or text beyond its documents`);
    }
    this.documents = new Array<Document | undefined>(meta.documents);
  }

  /**
   * Document `index` of the pack (made once). Its text is decoded when first read: a
   * reindex that changed one document never reads the others' texts, and decoding them
   * all (21 MB at 100,000 passages) cost more in garbage collection than anything else
   * it did. Reading `text` (or spreading the document) decodes it; setting it replaces it.
   * `textHash` is the SHA-256 its text must have when read from a text source.
   */
  document(index: number, textHash?: Uint8Array): Document {
    let document = this.documents[index];
    if (!document) {
      const meta = this.metas[index];
      if (!meta) throw new Error(`store: ${this.label} has no document ${index}`);
      // No arrow function here: the TypeScript loader would name each one, at a cost per document.
      const pack = this;
      document = {
        ...meta,
        path: path.join(this.corpusParent, meta.source),
        get text(): string {
          const text = pack.decodeText(index, textHash);
          // A plain property from now on: the document no longer keeps the pack (and its buffers) alive.
          Object.defineProperty(this, 'text', { value: text, writable: true, enumerable: true, configurable: true });
          return text;
        },
        set text(value: string) {
          Object.defineProperty(this, 'text', { value, writable: true, enumerable: true, configurable: true });
        },
      };
      this.documents[index] = document;
    }
    return document;
  }

  private decodeText(index: number, textHash: Uint8Array | undefined): string {
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
    return this.documentChunkEnds[index]! - (index === 0 ? 0 : this.documentChunkEnds[index - 1]!);
  }

  /** The chunks of document `index`, in reading order, decoded now (`document` is the object they belong to). */
  chunksOf(index: number, document: Document = this.document(index)): Chunk[] {
    const from = index === 0 ? 0 : this.documentChunkEnds[index - 1]!;
    const to = this.documentChunkEnds[index]!;
    // Only this document's ids: one line each, newline-terminated.
    const ids = to === from ? [] : this.chunkIdBytes.toString('utf8', index === 0 ? 0 : this.documentIdEnds[index - 1], this.documentIdEnds[index]! - 1).split('\n');
    if (ids.length !== to - from) throw new Error(`store: ${this.label} has ${ids.length} chunk ids for the ${to - from} chunks of document ${index}`);
    const chunks: Chunk[] = [];
    let sentence = from === 0 ? 0 : this.chunkSentenceEnds[from - 1]!;
    for (let i = from; i < to; i++) {
      const id = ids[i - from]!;
      const kind = KINDS[this.chunkKind[i]!];
      const start = this.chunkStart[i]!;
      const end = this.chunkEnd[i]!;
      if (!kind || end > document.text.length || start > end) throw new Error(`store: ${this.label} has chunk ${id} outside its document`);
      const sentences: Chunk['sentences'] = [];
      for (const stop = this.chunkSentenceEnds[i]!; sentence < stop; sentence++) {
        const attribution = this.sentenceAttribution[sentence]!;
        sentences.push({
          start: this.sentenceStart[sentence]!,
          end: this.sentenceEnd[sentence]!,
          paragraph: this.sentenceParagraph[sentence]!,
          attribution: attribution < 0 ? null : (this.attributions[attribution] ?? null),
        });
      }
      chunks.push({
        id,
        documentId: document.id,
        source: document.source,
        paragraph: this.chunkParagraph[i]!,
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

/** Strings without newlines, one per line, in pieces of about a megabyte (no one string grows with the corpus). */
function encodeLines(lines: readonly string[]): Buffer[] {
  const pieces: Buffer[] = [];
  for (let i = 0; i < lines.length; i += LINES_PER_PIECE) pieces.push(Buffer.from(`${lines.slice(i, i + LINES_PER_PIECE).join('\n')}\n`));
  return pieces;
}

function joinBytes(buffers: readonly Buffer[]): Uint8Array {
  const joined = Buffer.concat(buffers);
  return new Uint8Array(joined.buffer, joined.byteOffset, joined.length);
}
