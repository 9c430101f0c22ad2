import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { documentFromText } from '../corpus/load-corpus.js';
import { chunkDocument } from '../chunking/chunk-document.js';
import { slugify } from '../corpus/load-corpus.js';
import { type ProseSource, type ProseSourceOptions, readProseSources } from './prose-sources.js';
import { splitSections } from './split-sections.js';

/**
 * The benchmark's corpus of real English prose: the machine's own documentation
 * (see `readProseSources`), each manual split at its section boundaries into documents,
 * duplicates and non-prose sections dropped, written as `.txt` files until the corpus
 * holds the target numbers of passages and documents. Same machine, same corpus.
 */

export interface ProseCorpusOptions {
  /** Folder to write the corpus into (created). */
  dir: string;
  /** Stop once the corpus holds at least this many passages… */
  targetPassages: number;
  /** …and at least this many documents. */
  targetDocuments: number;
  sources: ProseSourceOptions;
  /** One line now and then while building. */
  onProgress?: (line: string) => void;
}

type Family = ProseSource['family'];

export interface ProseCorpus {
  dir: string;
  documents: number;
  passages: number;
  bytes: number;
  /** Source files read, and documents and passages kept, per family. */
  families: Record<Family, { files: number; documents: number; passages: number }>;
  /** Sections dropped as duplicates of one already kept (licences, repeated READMEs). */
  duplicates: number;
  /** Sections dropped as not English prose (code listings, tables, translations). */
  notProse: number;
  /** Whether both targets were reached (false: the machine has too little documentation). */
  reachedTarget: boolean;
}

/**
 * A section is prose when letters are at least this share of its non-space characters.
 * English paragraphs run at 0.93–0.97; the Node.js API pages, with their inline code,
 * at 0.85–0.9; code listings and tables fall under 0.75.
 */
const MIN_LETTER_SHARE = 0.8;
/** …and when nearly all its letters are ASCII (translations under /usr/share/doc are dropped). */
const MIN_ASCII_LETTER_SHARE = 0.97;
const PROGRESS_EVERY_DOCUMENTS = 2_000;
const MAX_SLUG_CHARS = 60;

/** Writes the corpus and says what it holds. */
export async function buildProseCorpus(options: ProseCorpusOptions): Promise<ProseCorpus> {
  const { dir, onProgress = () => {} } = options;
  const emptyFamily = () => ({ files: 0, documents: 0, passages: 0 });
  const corpus: ProseCorpus = {
    dir,
    documents: 0,
    passages: 0,
    bytes: 0,
    families: { info: emptyFamily(), man: emptyFamily(), doc: emptyFamily(), npm: emptyFamily() },
    duplicates: 0,
    notProse: 0,
    reachedTarget: false,
  };
  const seen = new Set<string>();
  const usedNames = new Set<string>();
  const reached = (): boolean => corpus.passages >= options.targetPassages && corpus.documents >= options.targetDocuments;
  let nextReport = PROGRESS_EVERY_DOCUMENTS;

  for await (const source of readProseSources(options.sources)) {
    const family = corpus.families[source.family];
    family.files++;
    const sourceTitle = describeSource(source);
    for (const section of splitSections(source.text, source.format)) {
      if (!isEnglishProse(section.body)) {
        corpus.notProse++;
        continue;
      }
      const fingerprint = createHash('sha1').update(section.body.replace(/\s+/g, ' ').toLowerCase()).digest('hex');
      if (seen.has(fingerprint)) {
        corpus.duplicates++;
        continue;
      }
      seen.add(fingerprint);
      const title = section.heading ? `${sourceTitle} — ${section.heading}` : sourceTitle;
      // A title line that ends like a sentence would not be read as the title.
      const text = `${title.replace(/[.!?;:,]+$/, '').slice(0, 200)}\n\n${section.body}\n`;
      const relative = uniqueName(`${source.family}/${slugify(sourceTitle).slice(0, MAX_SLUG_CHARS)}`, usedNames);
      const file = path.join(dir, `${relative}.txt`);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text);
      const passages = countPassages(relative, text);
      family.documents++;
      family.passages += passages;
      corpus.documents++;
      corpus.passages += passages;
      corpus.bytes += Buffer.byteLength(text);
      if (corpus.documents >= nextReport) {
        onProgress(`corpus: ${corpus.documents.toLocaleString('en-US')} documents, ${corpus.passages.toLocaleString('en-US')} passages (reading ${source.origin})`);
        nextReport += PROGRESS_EVERY_DOCUMENTS;
      }
      if (reached()) break;
    }
    if (reached()) break;
  }
  corpus.reachedTarget = reached();
  return corpus;
}

/** Passages the project's chunker makes of this text, as it will when the corpus is indexed. */
function countPassages(id: string, text: string): number {
  return chunkDocument(documentFromText({ id, source: id, text, title: '' })).length;
}

function isEnglishProse(body: string): boolean {
  // Control characters (an info file's NULs, escape sequences) would make the file binary to the loader.
  if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(body)) return false;
  let nonSpace = 0;
  let letters = 0;
  let ascii = 0;
  for (const char of body) {
    if (/\s/.test(char)) continue;
    nonSpace++;
    if (/\p{L}/u.test(char)) {
      letters++;
      if (char < '\u0080') ascii++;
    }
  }
  return nonSpace > 0 && letters / nonSpace >= MIN_LETTER_SHARE && ascii / letters >= MIN_ASCII_LETTER_SHARE;
}

/** "sed.info", "signal(7)", "nodejs/api/fs", "minisearch/README". */
function describeSource(source: ProseSource): string {
  const name = path.basename(source.origin).replace(/\.gz$/, '');
  if (source.family === 'man') {
    const match = /^(.+)\.(\w+)$/.exec(name);
    return match ? `${match[1]}(${match[2]})` : name;
  }
  if (source.family === 'info') return name.replace(/-\d+$/, '');
  const parts = source.origin.split(path.sep);
  const anchor = source.family === 'npm' ? parts.lastIndexOf('node_modules') + 1 : parts.indexOf('doc') + 1;
  return parts.slice(Math.max(anchor, parts.length - 3)).join('/').replace(/\.(md|markdown|txt|rst)(\.gz)?$/i, '');
}

function uniqueName(base: string, used: Set<string>): string {
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
  used.add(name);
  return name;
}
