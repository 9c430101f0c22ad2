import { readFileSync, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Document, DocumentFormat } from '../domain.js';
import { describeSupportedExtensions, describeTooLarge, describeUnsupported, formatOf, isSupportedFile, readDocument } from './readers/read-document.js';
import { isSkipped, type ReaderLimits } from './readers/reader-types.js';

/** A corpus file that was not indexed, and why. */
export interface SkippedFile {
  source: string;
  reason: string;
  /** The format its extension names, or null when Verbatim reads no such type. */
  format?: DocumentFormat | null;
}

/** Files read between two turns of the event loop: about 10 ms of reading small files. */
const YIELD_EVERY_FILES = 200;
/** Default DOCUMENT_MAX_BYTES: the largest document read (25 MB, Discord's upload size for most servers). */
export const DEFAULT_DOCUMENT_MAX_BYTES = 25 * 1024 * 1024;
/** A compressed document (DOCX, ODT, EPUB) may unpack to this many times DOCUMENT_MAX_BYTES at most. */
const UNPACKED_PER_PACKED = 8;
/** Pages read from one PDF at most (a 300-page manual is well inside). */
const MAX_PDF_PAGES = 5_000;

/** A corpus file as last seen: its size and modification time. */
export interface CorpusFile {
  source: string;
  bytes: number;
  mtimeMs: number;
}

export interface LoadedCorpus {
  documents: Document[];
  skipped: SkippedFile[];
  /** Every file listed, with its size and time (files that could not be examined are absent). */
  files: CorpusFile[];
  /** What readers worked around without skipping a file, e.g. invalid front matter. */
  warnings: string[];
}

export interface LoadCorpusOptions {
  /**
   * The earlier result for a file, when the caller can tell it is unchanged (e.g. same size
   * and time as in the saved index), so the file is not read again; null reads it.
   */
  reuse?: (file: CorpusFile, id: string, path: string) => Document | SkippedFile | null;
  /** Largest file read (DOCUMENT_MAX_BYTES); larger ones are skipped with that reason. */
  maxBytes?: number;
  /** Called before each file is read (not for reused ones), for progress on big corpora. */
  onFile?: (progress: { source: string; done: number; total: number }) => void;
  /**
   * The link a file was added from, by its path relative to the corpus folder (`/`-separated):
   * it becomes the document's URL, over any the file itself names (where the bytes came from).
   */
  documentUrls?: ReadonlyMap<string, string>;
}

/** The bounds readers keep to, from DOCUMENT_MAX_BYTES. */
export function readerLimits(maxBytes: number = DEFAULT_DOCUMENT_MAX_BYTES): ReaderLimits {
  return { maxBytes, maxUnpackedBytes: maxBytes * UNPACKED_PER_PACKED, maxPages: MAX_PDF_PAGES };
}

/**
 * Reads every file under `corpusDir` (nested folders too) into Documents, in a stable
 * order, each with the reader its format needs. Every file has an outcome: a Document, or
 * a SkippedFile with a reason a person can act on (unsupported type, empty, too large,
 * damaged, encrypted, no text layer, unreadable). One bad file never stops the others.
 */
export async function loadCorpus(corpusDir: string, options: LoadCorpusOptions = {}): Promise<LoadedCorpus> {
  const root = path.resolve(corpusDir);
  const label = path.basename(root);
  const paths = (await listCorpusFiles(root)).sort();
  const documents: Document[] = [];
  const skipped: SkippedFile[] = [];
  const files: CorpusFile[] = [];
  const warnings: string[] = [];
  const usedIds = new Set<string>();
  const limits = readerLimits(options.maxBytes);

  const prefix = root + path.sep;
  for (const [i, file] of paths.entries()) {
    // Files are read synchronously (thousands of small reads through the thread pool cost
    // ten times more when the machine is busy); the event loop gets a turn between batches.
    if (i > 0 && i % YIELD_EVERY_FILES === 0) await new Promise((resolve) => setImmediate(resolve));
    // Listed as root + separator + the rest: cutting is path.relative's answer without its work (5,000 files: ~10 ms).
    const cut = file.startsWith(prefix) ? file.slice(prefix.length) : path.relative(root, file);
    const relative = path.sep === '/' ? cut : cut.split(path.sep).join('/');
    const source = `${label}/${relative}`;
    // Only documents take an id (a skipped file leaves its slug free).
    const id = uniqueId(slugify(relative), usedIds);
    const stats = statOrNull(file);
    if (stats) {
      const seen: CorpusFile = { source, bytes: stats.size, mtimeMs: stats.mtimeMs };
      files.push(seen);
      const earlier = options.reuse?.(seen, id, file) ?? null;
      if (earlier && 'reason' in earlier) {
        skipped.push(earlier);
        continue;
      }
      if (earlier) {
        const origin = options.documentUrls?.get(relative);
        const document = origin && origin !== earlier.url ? { ...earlier, url: origin } : earlier;
        documents.push(document);
        if (document.warnings?.length) warnings.push(...describeWarnings(document));
        usedIds.add(id);
        continue;
      }
    }
    options.onFile?.({ source, done: i, total: paths.length });
    const loaded = await readCorpusFile(file, source, id, stats?.size ?? null, limits);
    if ('reason' in loaded) skipped.push(loaded);
    else {
      const origin = options.documentUrls?.get(relative);
      const document = origin ? { ...loaded, url: origin } : loaded;
      documents.push(document);
      warnings.push(...describeWarnings(document));
      usedIds.add(id);
    }
  }
  return { documents, skipped, files, warnings };
}

/** A document's reader warnings as log lines: `corpus: corpus/a.md: …`. */
function describeWarnings(document: Document): string[] {
  return (document.warnings ?? []).map((warning) => `corpus: ${document.source}: ${warning}`);
}

function statOrNull(file: string): { size: number; mtimeMs: number } | null {
  try {
    // A file gone since the listing is no exception worth a stack trace (5,000 files: every microsecond counts).
    return statSync(file, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}

/** One corpus file as a Document, or why it is skipped. */
async function readCorpusFile(file: string, source: string, id: string, size: number | null, limits: ReaderLimits): Promise<Document | SkippedFile> {
  const name = path.basename(file);
  const format = formatOf(name);
  if (path.basename(file).startsWith('.')) return { source, reason: 'hidden file (its name starts with a dot); rename it to index it', format };
  // Neither is read: the reasons come from the stat alone.
  if (!isSupportedFile(name)) return { source, reason: describeUnsupported(name), format: null };
  if (size !== null && size > limits.maxBytes) return { source, reason: describeTooLarge(size, limits.maxBytes), format };
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    return { source, reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? String(error)})`, format };
  }
  if (bytes.length === 0) return { source, reason: 'empty: the file has no text', format };
  const read = await readDocument({ bytes, fileName: name, limits });
  if (isSkipped(read)) return { source, reason: read.skip, format };
  if (read.text.slice(read.bodyStart).trim() === '') return { source, reason: `empty: no text could be found in the ${read.format.toUpperCase()} file`, format };
  const document: Document = {
    id,
    source,
    path: file,
    text: read.text,
    title: read.title?.trim() || id,
    publication: read.publication,
    date: read.date,
    url: read.url,
    bodyStart: read.bodyStart,
    format: read.format,
    encoding: read.encoding,
    verbatimFile: read.verbatimFile,
    textFile: read.verbatimFile ? source : '',
    pageStarts: read.pageStarts,
    headings: read.headings,
    furniture: read.furniture,
    ...(read.warnings.length > 0 && { warnings: read.warnings }),
  };
  return document;
}

async function listCorpusFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`corpus: cannot read the folder ${dir} (${code ?? String(error)}); set CORPUS_DIR to a folder of documents (${describeSupportedExtensions()})`);
  }
  const files: string[] = [];
  for (const entry of entries) {
    // `dir` is already normal: joining by hand spares a path.normalize per file.
    const full = dir + path.sep + entry.name;
    // Hidden folders (.git, .obsidian…) are tools' state, not documents.
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.')) files.push(...(await listCorpusFiles(full)));
    } else if (entry.isFile()) files.push(full);
    // A link to a file counts; a broken one is listed so it is reported as unreadable.
    else if (entry.isSymbolicLink() && !(await stat(full).catch(() => null))?.isDirectory()) files.push(full);
  }
  return files;
}

/** `news/Kazakhstan UN.txt` → `news-kazakhstan-un`. */
export function slugify(relativePath: string): string {
  const withoutExtension = relativePath.replace(/\.[^./]+$/, '');
  // Accents are folded only where there are any: NFKD leaves ASCII as it is, at a cost per file.
  const folded = /^[\x00-\x7f]*$/.test(withoutExtension) ? withoutExtension : withoutExtension.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const slug = folded
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'document';
}

/** The first of `slug`, `slug-2`, `slug-3`… not yet used (the caller records it once used). */
function uniqueId(slug: string, used: ReadonlySet<string>): string {
  let id = slug;
  for (let n = 2; used.has(id); n++) id = `${slug}-${n}`;
  return id;
}

/**
 * A Document for a UTF-8 text already in memory (benchmarks, labelled sets, tests): the
 * text is its own text file, with no pages or headings unless given.
 */
export function documentFromText(fields: Pick<Document, 'id' | 'source' | 'text'> & Partial<Document>): Document {
  return {
    path: fields.source,
    title: fields.id,
    publication: null,
    date: null,
    url: null,
    bodyStart: 0,
    format: 'txt',
    encoding: 'utf-8',
    verbatimFile: true,
    textFile: fields.source,
    pageStarts: null,
    headings: [],
    furniture: [],
    ...fields,
  };
}
