import path from 'node:path';
import { readDocx } from './docx.js';
import { readEpub } from './epub.js';
import { readHtml } from './html.js';
import { readMarkdown } from './markdown.js';
import { readOdt } from './odt.js';
import { readPdf } from './pdf.js';
import { readPlainText } from './plain-text.js';
import type { DocumentFormat, ExtractedText, ReadDocument, ReaderInput, SkippedRead } from './reader-types.js';

/**
 * Which reader reads which file, by extension: the one list of the formats Verbatim reads.
 * Each reader lives in a file of its own; a format is added here and nowhere else.
 */
const READERS: ReadonlyMap<string, { format: DocumentFormat; read: ReadDocument }> = new Map([
  ['.txt', { format: 'txt', read: readPlainText }],
  ['.text', { format: 'txt', read: readPlainText }],
  ['.md', { format: 'md', read: readMarkdown }],
  ['.markdown', { format: 'md', read: readMarkdown }],
  ['.odt', { format: 'odt', read: readOdt }],
  ['.pdf', { format: 'pdf', read: readPdf }],
  ['.html', { format: 'html', read: readHtml }],
  ['.htm', { format: 'html', read: readHtml }],
  ['.xhtml', { format: 'html', read: readHtml }],
  ['.docx', { format: 'docx', read: readDocx }],
  ['.epub', { format: 'epub', read: readEpub }],
]);

/** The extensions read, e.g. `.md, .pdf, .txt`, for messages that list them. */
export function describeSupportedExtensions(): string {
  return [...READERS.keys()].sort().join(', ');
}

/** Whether a file name has an extension Verbatim reads. */
export function isSupportedFile(fileName: string): boolean {
  return READERS.has(path.extname(fileName).toLowerCase());
}

/** The format a file name selects, or null when none does. */
export function formatOf(fileName: string): DocumentFormat | null {
  return READERS.get(path.extname(fileName).toLowerCase())?.format ?? null;
}

/**
 * Reads one file's bytes with the reader its extension selects. Never throws for a bad
 * file: an unsupported type, and anything a reader trips over, come back as a skip with
 * a reason (a reader's unexpected error is reported as damage, naming what failed).
 */
export async function readDocument(input: ReaderInput): Promise<ExtractedText | SkippedRead> {
  const extension = path.extname(input.fileName).toLowerCase();
  const reader = READERS.get(extension);
  if (!reader) return { skip: describeUnsupported(input.fileName) };
  if (input.bytes.length > input.limits.maxBytes) return { skip: describeTooLarge(input.bytes.length, input.limits.maxBytes) };
  try {
    return await reader.read(input);
  } catch (error) {
    return { skip: `damaged: the ${reader.format.toUpperCase()} reader failed (${(error as Error).message ?? String(error)})` };
  }
}

/** Why a file of a type no reader reads is skipped, with the types that are read. */
export function describeUnsupported(fileName: string): string {
  const extension = path.extname(fileName).toLowerCase();
  return `unsupported type${extension ? ` (${extension})` : ' (no extension)'}: Verbatim reads ${describeSupportedExtensions()}; convert it to one of those`;
}

/** Why a file over DOCUMENT_MAX_BYTES is skipped. */
export function describeTooLarge(bytes: number, maxBytes: number): string {
  return `too large: ${formatSize(bytes)}, over the ${formatSize(maxBytes)} limit (DOCUMENT_MAX_BYTES); split it or raise the limit`;
}

function formatSize(bytes: number): string {
  return bytes >= 1 << 20 ? `${Math.round((bytes / (1 << 20)) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}
