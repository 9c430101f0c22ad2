import { readFileSync, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Document } from '../domain.js';
import { parseFrontMatter } from './front-matter.js';

/** A corpus file that was not indexed, and why. */
export interface SkippedFile {
  source: string;
  reason: string;
}

const CORPUS_EXTENSIONS = new Set(['.md', '.txt']);
/** Files read between two turns of the event loop: about 10 ms of reading small files. */
const YIELD_EVERY_FILES = 200;
// A fatal decoder rejects invalid UTF-8; ignoreBOM keeps a BOM in the text so offsets
// match readFileSync(path, 'utf8'), which keeps it too.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

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
}

export interface LoadCorpusOptions {
  /**
   * The earlier result for a file, when the caller can tell it is unchanged (e.g. same size
   * and time as in the saved index), so the file is not read again; null reads it.
   */
  reuse?: (file: CorpusFile & { id: string; path: string }) => Document | SkippedFile | null;
}

/**
 * Reads every `.md`/`.txt` file under `corpusDir` (nested folders too) into Documents,
 * in a stable order. Empty, binary, undecodable or unreadable files are skipped and
 * reported, never fatal: the rest of the corpus is still indexed.
 */
export async function loadCorpus(corpusDir: string, options: LoadCorpusOptions = {}): Promise<LoadedCorpus> {
  const root = path.resolve(corpusDir);
  const label = path.basename(root);
  const paths = (await listCorpusFiles(root)).sort();
  const documents: Document[] = [];
  const skipped: SkippedFile[] = [];
  const files: CorpusFile[] = [];
  const usedIds = new Set<string>();

  for (const [i, file] of paths.entries()) {
    // Files are read synchronously (thousands of small reads through the thread pool cost
    // ten times more when the machine is busy); the event loop gets a turn between batches.
    if (i > 0 && i % YIELD_EVERY_FILES === 0) await new Promise((resolve) => setImmediate(resolve));
    const relative = path.relative(root, file).split(path.sep).join('/');
    const source = `${label}/${relative}`;
    // Only documents take an id (a skipped file leaves its slug free).
    const id = uniqueId(slugify(relative), usedIds);
    const stats = statOrNull(file);
    if (stats) {
      const seen: CorpusFile = { source, bytes: stats.size, mtimeMs: stats.mtimeMs };
      files.push(seen);
      const earlier = options.reuse?.({ ...seen, id, path: file }) ?? null;
      if (earlier && 'reason' in earlier) {
        skipped.push(earlier);
        continue;
      }
      if (earlier) {
        documents.push(earlier);
        usedIds.add(id);
        continue;
      }
    }
    const loaded = readCorpusFile(file, source, id);
    if ('reason' in loaded) skipped.push(loaded);
    else {
      documents.push(loaded);
      usedIds.add(id);
    }
  }
  return { documents, skipped, files };
}

function statOrNull(file: string): { size: number; mtimeMs: number } | null {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}

/** One corpus file as a Document, or why it is skipped. */
function readCorpusFile(file: string, source: string, id: string): Document | SkippedFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    return { source, reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  const problem = describeUnusableBytes(bytes);
  if (problem) return { source, reason: problem };
  const text = utf8.decode(bytes);
  const { meta, bodyStart } = parseFrontMatter(text);
  if (text.slice(bodyStart).trim() === '') return { source, reason: 'empty' };
  return {
    id,
    source,
    path: file,
    text,
    title: meta.title ?? guessTitle(text.slice(bodyStart)) ?? id,
    publication: meta.publication ?? guessPublication(text.slice(bodyStart)),
    date: meta.date,
    url: meta.url,
    bodyStart,
  };
}

async function listCorpusFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`corpus: cannot read the folder ${dir} (${code ?? String(error)}); set CORPUS_DIR to a folder of .md/.txt files`);
  }
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    const corpusName = CORPUS_EXTENSIONS.has(path.extname(entry.name).toLowerCase());
    if (entry.isDirectory()) files.push(...(await listCorpusFiles(full)));
    else if (entry.isFile() && corpusName) files.push(full);
    // A link to a corpus file counts; a broken one is listed so it is reported as unreadable.
    else if (entry.isSymbolicLink() && corpusName && !(await stat(full).catch(() => null))?.isDirectory()) files.push(full);
  }
  return files;
}

function describeUnusableBytes(bytes: Buffer): string | null {
  if (bytes.length === 0) return 'empty';
  if (bytes.includes(0)) return 'binary (contains NUL bytes)';
  try {
    utf8.decode(bytes);
  } catch {
    return 'not valid UTF-8';
  }
  return null;
}

/** `news/Kazakhstan UN.txt` → `news-kazakhstan-un`. */
export function slugify(relativePath: string): string {
  const withoutExtension = relativePath.replace(/\.[^./]+$/, '');
  const slug = withoutExtension
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
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

/** The first line, when it reads like a headline (short, no sentence-final period). */
function guessTitle(body: string): string | null {
  const first = body.split(/\r?\n/).find((line) => line.trim() !== '')?.trim();
  if (!first || first.length > 200 || /[.!?]$/.test(first)) return null;
  return first;
}

function guessPublication(body: string): string | null {
  const line = /^[ \t]*Publication:[ \t]*(.+?)[ \t]*$/im.exec(body.slice(0, 2_000));
  return line ? line[1]! : null;
}
