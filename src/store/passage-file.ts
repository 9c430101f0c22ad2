import path from 'node:path';
import type { Chunk, ChunkKind, Document } from '../domain.js';
import { pageAt, sectionAt } from '../chunking/locate.js';
import { decodeSections, encodeSections, requireSection } from './binary-sections.js';
import { decodeJsonLines, encodeJsonLines } from './json-lines.js';

/**
 * Documents and their chunks in one binary file of columns: document texts as UTF-8 with
 * their offsets, chunk and sentence fields as typed arrays, short strings (ids, metadata,
 * attributions) as JSON Lines. A chunk's text is not stored: it is `document.text.slice(start,
 * end)` by contract, so it costs no disk and, as a slice, little memory. Reading parses no
 * large JSON: at 100,000 passages this loads several times faster than JSON Lines did.
 */

const FORMAT = 'verbatim-passages-3';
/** Ids per piece when encoding, and bytes per piece when decoding: about a megabyte each. */
const LINES_PER_PIECE = 30_000;
const PIECE_BYTES = 1 << 20;
const KINDS: readonly ChunkKind[] = ['header', 'paragraph', 'list'];

interface PassageMeta {
  format: string;
  documents: number;
  chunks: number;
  sentences: number;
}

type DocumentMeta = Omit<Document, 'path' | 'text'>;

/** The file's contents, as buffers to write one after another. */
export function encodePassages(documents: readonly Document[], chunks: readonly Chunk[], slots: Uint32Array): Buffer[] {
  const documentIndex = new Map(documents.map((document, i) => [document.id, i]));
  const texts = documents.map((document) => Buffer.from(document.text));
  const textEnds = new Float64Array(documents.length);
  let end = 0;
  texts.forEach((text, i) => (textEnds[i] = end += text.length));

  const sentenceCount = chunks.reduce((sum, chunk) => sum + chunk.sentences.length, 0);
  const chunkDocument = new Uint32Array(chunks.length);
  const chunkParagraph = new Uint32Array(chunks.length);
  const chunkKind = new Uint8Array(chunks.length);
  const chunkStart = new Uint32Array(chunks.length);
  const chunkEnd = new Uint32Array(chunks.length);
  const chunkSentenceEnds = new Uint32Array(chunks.length);
  const sentenceStart = new Uint32Array(sentenceCount);
  const sentenceEnd = new Uint32Array(sentenceCount);
  const sentenceParagraph = new Uint32Array(sentenceCount);
  const sentenceAttribution = new Int32Array(sentenceCount);
  const attributions = new Map<string, number>();
  let sentence = 0;
  chunks.forEach((chunk, i) => {
    const index = documentIndex.get(chunk.documentId);
    if (index === undefined) throw new Error(`store: chunk ${chunk.id} belongs to no document`);
    chunkDocument[i] = index;
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
    chunkSentenceEnds[i] = sentence;
  });
  const meta: PassageMeta = { format: FORMAT, documents: documents.length, chunks: chunks.length, sentences: sentenceCount };
  const documentMeta = documents.map(({ path: _path, text: _text, ...rest }): DocumentMeta => rest);
  return encodeSections(meta, {
    textEnds,
    chunkDocument,
    chunkParagraph,
    chunkStart,
    chunkEnd,
    chunkSentenceEnds,
    chunkSlot: slots,
    sentenceStart,
    sentenceEnd,
    sentenceParagraph,
    sentenceAttribution,
    chunkKind,
    texts: joinBytes(texts),
    documentMeta: joinBytes(encodeJsonLines(documentMeta)),
    // Chunk ids are document slugs plus "#p…": no newline, so plain lines (JSON per id cost 4× as much).
    chunkIds: joinBytes(encodeLines(chunks.map((chunk) => chunk.id))),
    attributions: joinBytes(encodeJsonLines(attributions.keys())),
  });
}

/** Reads the file; documents get their absolute path from `corpusParent` + their source. Throws on anything inconsistent. */
export function decodePassages(buffer: Buffer, corpusParent: string, label: string): { documents: Document[]; chunks: Chunk[]; slots: Uint32Array } {
  const { meta, sections } = decodeSections<PassageMeta>(buffer, label);
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
  const textEnds = column('textEnds', Float64Array, meta.documents);
  const texts = bytesOf('texts');
  const metas = decodeJsonLines<DocumentMeta>(bytesOf('documentMeta'), `${label} (documents)`);
  if (metas.length !== meta.documents) throw new Error(`store: ${label} lists ${metas.length} documents for ${meta.documents}`);
  let from = 0;
  const documents = metas.map((document, i): Document => {
    const text = texts.toString('utf8', from, textEnds[i]);
    from = textEnds[i]!;
    return { ...document, text, path: path.join(corpusParent, document.source) };
  });

  const chunkDocument = column('chunkDocument', Uint32Array, meta.chunks);
  const chunkParagraph = column('chunkParagraph', Uint32Array, meta.chunks);
  const chunkKind = column('chunkKind', Uint8Array, meta.chunks);
  const chunkStart = column('chunkStart', Uint32Array, meta.chunks);
  const chunkEnd = column('chunkEnd', Uint32Array, meta.chunks);
  const chunkSentenceEnds = column('chunkSentenceEnds', Uint32Array, meta.chunks);
  const slots = column('chunkSlot', Uint32Array, meta.chunks);
  const sentenceStart = column('sentenceStart', Uint32Array, meta.sentences);
  const sentenceEnd = column('sentenceEnd', Uint32Array, meta.sentences);
  const sentenceParagraph = column('sentenceParagraph', Uint32Array, meta.sentences);
  const sentenceAttribution = column('sentenceAttribution', Int32Array, meta.sentences);
  const ids = decodeLines(bytesOf('chunkIds'));
  const attributions = decodeJsonLines<string>(bytesOf('attributions'), `${label} (attributions)`);
  if (ids.length !== meta.chunks) throw new Error(`store: ${label} has ${ids.length} chunk ids for ${meta.chunks}`);

  let sentence = 0;
  const chunks = ids.map((id, i): Chunk => {
    const document = documents[chunkDocument[i]!];
    const kind = KINDS[chunkKind[i]!];
    const start = chunkStart[i]!;
    const end = chunkEnd[i]!;
    if (!document || !kind || end > document.text.length || start > end) throw new Error(`store: ${label} has chunk ${id} outside its document`);
    const sentences: Chunk['sentences'] = [];
    for (const stop = chunkSentenceEnds[i]!; sentence < stop; sentence++) {
      const attribution = sentenceAttribution[sentence]!;
      sentences.push({ start: sentenceStart[sentence]!, end: sentenceEnd[sentence]!, paragraph: sentenceParagraph[sentence]!, attribution: attribution < 0 ? null : (attributions[attribution] ?? null) });
    }
    return {
      id,
      documentId: document.id,
      source: document.source,
      paragraph: chunkParagraph[i]!,
      kind,
      start,
      end,
      text: document.text.slice(start, end),
      sentences,
      section: sectionAt(document, start),
      page: pageAt(document, start),
    };
  });
  return { documents, chunks, slots };
}

/** Strings without newlines, one per line, in pieces of about a megabyte (no one string grows with the corpus). */
function encodeLines(lines: readonly string[]): Buffer[] {
  const pieces: Buffer[] = [];
  for (let i = 0; i < lines.length; i += LINES_PER_PIECE) pieces.push(Buffer.from(`${lines.slice(i, i + LINES_PER_PIECE).join('\n')}\n`));
  return pieces;
}

function decodeLines(bytes: Buffer): string[] {
  const lines: string[] = [];
  let from = 0;
  while (from < bytes.length) {
    // Up to the last newline within a megabyte (or the next one, for a longer line).
    let to = bytes.lastIndexOf(10, Math.min(bytes.length, from + PIECE_BYTES) - 1) + 1;
    if (to <= from) to = bytes.indexOf(10, from) + 1 || bytes.length;
    const piece = bytes.toString('utf8', from, to);
    for (const line of piece.slice(0, piece.endsWith('\n') ? -1 : undefined).split('\n')) lines.push(line);
    from = to;
  }
  return lines;
}

function joinBytes(buffers: readonly Buffer[]): Uint8Array {
  const joined = Buffer.concat(buffers);
  return new Uint8Array(joined.buffer, joined.byteOffset, joined.length);
}
