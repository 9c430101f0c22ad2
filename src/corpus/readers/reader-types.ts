/**
 * What every format reader gives back: the text a reader of the document sees, in reading
 * order, with where its pages and headings are. Nothing after `corpus/` knows formats; the
 * loader turns this into a Document.
 */

/** The formats Verbatim reads, by the file extension that selects the reader. */
export type DocumentFormat = 'txt' | 'md' | 'pdf' | 'html' | 'docx' | 'odt' | 'epub';

/** A heading in the extracted text: its span, its level (1 = top) and its words. */
export interface Heading {
  start: number;
  end: number;
  level: number;
  title: string;
}

/** A document's text as extracted by a reader. */
export interface ExtractedText {
  format: DocumentFormat;
  /**
   * What a reader sees: paragraphs separated by a blank line, each heading a paragraph of
   * its own, list items one per line. Every word of the document, in order, and nothing
   * else (no markup, no entities, no running headers or page numbers).
   */
  text: string;
  /**
   * True when `text` is exactly the file's bytes decoded as UTF-8 (a UTF-8 `.txt`/`.md`):
   * quotes then index the corpus file itself; otherwise the text is saved with the index.
   */
  verbatimFile: boolean;
  /** The character encoding assumed for a text file (e.g. `utf-8`, `utf-16le`, `windows-1252`); null for other formats. */
  encoding: string | null;
  title: string | null;
  /** The document's own link (front matter `url`, a web page's canonical URL). */
  url: string | null;
  publication: string | null;
  date: string | null;
  /** Offset where the body starts (after YAML front matter); 0 for most formats. */
  bodyStart: number;
  /** Offset where each page begins (page n starts at `pageStarts[n - 1]`); null for formats without pages. */
  pageStarts: number[] | null;
  /** Headings in reading order. */
  headings: Heading[];
  /** Running headers, footers and page numbers recognised and left out of `text` (distinct lines). */
  furniture: string[];
  /** What the reader noticed and worked around, for the operator (e.g. invalid front matter). */
  warnings: string[];
}

/** A file the reader cannot turn into text, with a reason a person can act on. */
export interface SkippedRead {
  skip: string;
}

/** Bounds a reader keeps to, whatever the file claims. */
export interface ReaderLimits {
  /** Largest file read, in bytes (DOCUMENT_MAX_BYTES). */
  maxBytes: number;
  /** Largest total a compressed container (DOCX, ODT, EPUB) may unpack to, in bytes. */
  maxUnpackedBytes: number;
  /** Most pages read from one PDF. */
  maxPages: number;
}

export interface ReaderInput {
  bytes: Buffer;
  /** The file's name (for messages and titles), e.g. `report.pdf`. */
  fileName: string;
  limits: ReaderLimits;
}

/** One format's reader: bytes in, text (or why not) out. Never throws for a bad file: it skips it. */
export type ReadDocument = (input: ReaderInput) => Promise<ExtractedText | SkippedRead>;

/** An ExtractedText with every optional part empty, for readers to fill in. */
export function emptyExtraction(format: DocumentFormat): ExtractedText {
  return { format, text: '', verbatimFile: false, encoding: null, title: null, url: null, publication: null, date: null, bodyStart: 0, pageStarts: null, headings: [], furniture: [], warnings: [] };
}

export function isSkipped(result: ExtractedText | SkippedRead): result is SkippedRead {
  return 'skip' in result;
}
