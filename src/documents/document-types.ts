import path from 'node:path';
import { MIMEType } from 'node:util';
import { formatOf } from '../corpus/readers/read-document.js';
import type { DocumentFormat } from '../corpus/readers/reader-types.js';

/**
 * What kind of document a download is, from the three things that say so — the server's
 * Content-Type, the file's name and the bytes themselves — and whether they agree. A link
 * whose name says `.pdf` but that answers with a web page (a login or error page, typically)
 * is refused rather than saved under a name that lies.
 */

/** Content types of the formats Verbatim reads (parameters such as `charset` aside). */
const CONTENT_TYPE_FORMATS: Readonly<Record<string, DocumentFormat>> = {
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/pdf': 'pdf',
  'application/x-pdf': 'pdf',
  'text/plain': 'txt',
  'text/markdown': 'md',
  'text/x-markdown': 'md',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/epub+zip': 'epub',
};

/** Content types that say nothing about the format: then the name and the bytes decide. */
const GENERIC_CONTENT_TYPES: ReadonlySet<string> = new Set(['application/octet-stream', 'binary/octet-stream', 'application/download', 'application/force-download', 'application/x-download', 'application/unknown']);

/** The extension a download of each format is saved with when its name has none that fits. */
export const FORMAT_EXTENSIONS: Readonly<Record<DocumentFormat, string>> = { txt: '.txt', md: '.md', pdf: '.pdf', html: '.html', docx: '.docx', odt: '.odt', epub: '.epub' };

/**
 * Extensions of document formats, for naming a download even before the registry reads that
 * format (a reader being added): the registry's answer comes first, so it stays the one list
 * of what is read — a format it does not read is refused by `readDocument` with that list.
 */
const KNOWN_EXTENSIONS: Readonly<Record<string, DocumentFormat>> = {
  '.txt': 'txt',
  '.text': 'txt',
  '.md': 'md',
  '.markdown': 'md',
  '.pdf': 'pdf',
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.docx': 'docx',
  '.odt': 'odt',
  '.epub': 'epub',
};

/** The document format a file name's extension stands for, or null. */
export function formatOfName(fileName: string): DocumentFormat | null {
  return formatOf(fileName) ?? KNOWN_EXTENSIONS[path.extname(fileName).toLowerCase()] ?? null;
}

/**
 * Names a server's Content-Type may stand for besides its own format: text files of any
 * kind are commonly served as `text/plain` (Markdown, saved pages), Markdown as either.
 */
const COMPATIBLE_NAMES: Readonly<Partial<Record<DocumentFormat, readonly DocumentFormat[]>>> = {
  txt: ['txt', 'md', 'html'],
  md: ['md', 'txt'],
};

/** What the bytes look like: a PDF, a zip container (DOCX, ODT, EPUB), a web page, or none of these. */
export type SniffedKind = 'pdf' | 'zip' | 'html' | null;

/** Bytes looked at to recognise a file. PDF allows junk before its header within the first 1,024 bytes. */
const SNIFF_BYTES = 1_024;

/** Recognises a PDF (`%PDF-`), a zip (`PK\x03\x04`) or an HTML page from the first bytes. */
export function sniffDocument(bytes: Buffer): SniffedKind {
  const head = bytes.subarray(0, SNIFF_BYTES);
  if (head.includes('%PDF-')) return 'pdf';
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'zip';
  const text = head.toString('latin1').replace(/^\ufeff|^\xef\xbb\xbf/, '');
  if (/^\s*(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b/i.test(text)) return 'html';
  return null;
}

/** The format a Content-Type names; `generic` when it names none in particular (or is missing); null for any other type. */
export function formatOfContentType(contentType: string | null): DocumentFormat | 'generic' | null {
  const essence = parseEssence(contentType);
  if (essence === null || GENERIC_CONTENT_TYPES.has(essence)) return 'generic';
  return CONTENT_TYPE_FORMATS[essence] ?? null;
}

/** `text/html` from `text/HTML; charset=utf-8`; null when missing or unparsable. */
export function parseEssence(contentType: string | null): string | null {
  if (!contentType?.trim()) return null;
  try {
    return new MIMEType(contentType).essence;
  } catch {
    return null;
  }
}

/** What the three sources say, and what to save the download as. */
export type TypeDecision =
  | { ok: true; format: DocumentFormat; fileName: string }
  | { ok: false; reason: string };

/**
 * Decides a download's format and file name. The name's extension is kept when it agrees
 * with the Content-Type (or the type says nothing); a name without a readable extension
 * gets the type's (`about` served as `text/html` → `about.html`). The bytes must be what the
 * format is: a PDF starts `%PDF-`, DOCX/ODT/EPUB are zips, text formats are neither.
 */
export function decideDocumentType(input: { fileName: string; contentType: string | null; bytes: Buffer }): TypeDecision {
  const named = formatOfName(input.fileName);
  const typed = formatOfContentType(input.contentType);
  const sniffed = sniffDocument(input.bytes);
  const essence = parseEssence(input.contentType) ?? 'no type';

  let format: DocumentFormat | null;
  let fileName = input.fileName;
  if (typed === null) {
    return { ok: false, reason: `the server sent ${essence}, which is not a document type Verbatim reads` };
  } else if (typed === 'generic') {
    format = named ?? kindToFormat(sniffed);
    if (!named && format) fileName += FORMAT_EXTENSIONS[format];
  } else if (named === null) {
    format = typed;
    fileName += FORMAT_EXTENSIONS[typed];
  } else if (named === typed || (COMPATIBLE_NAMES[typed] ?? []).includes(named)) {
    format = named;
  } else {
    return { ok: false, reason: `its name says ${FORMAT_EXTENSIONS[named]} but the server sent ${essence}${typed === 'html' ? ' (a web page — perhaps a login or error page instead of the file)' : ''}` };
  }
  if (format === null) return { ok: false, reason: `neither its name nor its content type (${essence}) says what kind of document it is` };
  const mismatch = describeContentMismatch(format, sniffed);
  return mismatch ? { ok: false, reason: mismatch } : { ok: true, format, fileName };
}

/** Why the bytes are not a `format` file, or null when they may be. */
export function describeContentMismatch(format: DocumentFormat, sniffed: SniffedKind): string | null {
  const expected = format === 'pdf' ? 'pdf' : format === 'docx' || format === 'odt' || format === 'epub' ? 'zip' : 'text';
  const actual = sniffed === 'pdf' || sniffed === 'zip' ? sniffed : 'text';
  if (expected === actual) return null;
  const what = { pdf: 'a PDF', zip: 'a zip archive', text: 'text' } as const;
  return `it should be ${format.toUpperCase()} but its content is ${what[actual]}`;
}

function kindToFormat(kind: SniffedKind): DocumentFormat | null {
  // A zip could be DOCX, ODT or EPUB: only a name or a content type can say which.
  return kind === 'pdf' ? 'pdf' : kind === 'html' ? 'html' : null;
}
