import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Document } from '../domain.js';
import { parseFrontMatter } from './front-matter.js';

/** A corpus file that was not indexed, and why. */
export interface SkippedFile {
  source: string;
  reason: string;
}

export interface LoadedCorpus {
  documents: Document[];
  skipped: SkippedFile[];
}

const CORPUS_EXTENSIONS = new Set(['.md', '.txt']);
// A fatal decoder rejects invalid UTF-8; ignoreBOM keeps a BOM in the text so offsets
// match readFileSync(path, 'utf8'), which keeps it too.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads every `.md`/`.txt` file under `corpusDir` (nested folders too) into Documents,
 * in a stable order. Empty, binary, undecodable or unreadable files are skipped and
 * reported, never fatal: the rest of the corpus is still indexed.
 */
export async function loadCorpus(corpusDir: string): Promise<LoadedCorpus> {
  const root = path.resolve(corpusDir);
  const label = path.basename(root);
  const files = (await listCorpusFiles(root)).sort();
  const documents: Document[] = [];
  const skipped: SkippedFile[] = [];
  const usedIds = new Set<string>();

  for (const file of files) {
    const relative = path.relative(root, file).split(path.sep).join('/');
    const source = `${label}/${relative}`;
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      skipped.push({ source, reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? String(error)})` });
      continue;
    }
    const problem = describeUnusableBytes(bytes);
    if (problem) {
      skipped.push({ source, reason: problem });
      continue;
    }
    const text = utf8.decode(bytes);
    const { meta, bodyStart } = parseFrontMatter(text);
    if (text.slice(bodyStart).trim() === '') {
      skipped.push({ source, reason: 'empty' });
      continue;
    }
    const id = uniqueId(slugify(relative), usedIds);
    documents.push({
      id,
      source,
      path: file,
      text,
      title: meta.title ?? guessTitle(text.slice(bodyStart)) ?? id,
      publication: meta.publication ?? guessPublication(text.slice(bodyStart)),
      date: meta.date,
      url: meta.url,
      bodyStart,
    });
  }
  return { documents, skipped };
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

function uniqueId(slug: string, used: Set<string>): string {
  let id = slug;
  for (let n = 2; used.has(id); n++) id = `${slug}-${n}`;
  used.add(id);
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
