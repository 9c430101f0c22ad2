import type { CorpusFile, LoadCorpusOptions, LoadedCorpus, SkippedFile } from '../corpus/load-corpus.js';
import type { Document } from '../domain.js';
import { decodeSections, encodeSections, requireSection } from './binary-sections.js';

/**
 * Telling cheaply whether the corpus changed since a build: a file with the size and
 * modification time recorded then is taken as unchanged and not read again; any other
 * (and any file whose time is too close to the build's scan to be trusted) is read and
 * compared. The same rule lets a reindex read only the files that changed.
 */

/**
 * A file written within this long before the scan may have been changed again after it
 * without its time moving (timestamps are only as fine as the file system's clock tick; FAT
 * and exFAT keep 2 s), so it is read again rather than trusted.
 */
const RACY_WINDOW_MS = 2_000;

/** What a previous build saw of the corpus. */
export interface SeenCorpus {
  documents: readonly Document[];
  skipped: readonly SkippedFile[];
  corpusFiles: readonly CorpusFile[];
  /** When that build listed the corpus (ms since 1970). */
  scannedAtMs: number;
}

/** A `loadCorpus` reuse rule: the previous result for every file whose size and time are as recorded. */
export function reuseUnchangedFiles(seen: SeenCorpus): NonNullable<LoadCorpusOptions['reuse']> {
  // One look-up per file: what the build saw of it, and what it made of it.
  const earlier = new Map<string, { file: CorpusFile; outcome: Document | SkippedFile | null }>();
  for (const file of seen.corpusFiles) earlier.set(file.source, { file, outcome: null });
  for (const outcome of [...seen.documents, ...seen.skipped]) {
    const entry = earlier.get(outcome.source);
    if (entry) entry.outcome = outcome;
  }
  const trustedBeforeMs = seen.scannedAtMs - RACY_WINDOW_MS;
  return (file, id, filePath) => {
    const entry = earlier.get(file.source);
    if (!entry || entry.file.bytes !== file.bytes || entry.file.mtimeMs !== file.mtimeMs || file.mtimeMs >= trustedBeforeMs) return null;
    const { outcome } = entry;
    if (!outcome) return null;
    if ('reason' in outcome) {
      // An unreadable file may be readable now.
      return outcome.reason.startsWith('unreadable') ? null : outcome;
    }
    // Ids depend on the other files' names too: a file whose id moved is read again.
    // The same object when nothing about it moved: a reindex can then tell it unchanged at a glance.
    return outcome.id !== id ? null : outcome.path === filePath ? outcome : { ...outcome, path: filePath };
  };
}

/** Whether the corpus holds the same documents (same ids, sources and texts) and skips the same files for the same reasons. */
export function isSameCorpus(seen: Pick<SeenCorpus, 'documents' | 'skipped'>, current: LoadedCorpus): boolean {
  if (seen.documents.length !== current.documents.length || seen.skipped.length !== current.skipped.length) return false;
  const sameDocuments = current.documents.every((document, i) => {
    const before = seen.documents[i]!;
    return before.id === document.id && before.source === document.source && before.text === document.text;
  });
  return sameDocuments && current.skipped.every((file, i) => seen.skipped[i]!.source === file.source && seen.skipped[i]!.reason === file.reason);
}

const FILES_FORMAT = 'verbatim-corpus-files-1';

/**
 * The corpus files a build saw, as a binary file: their names NUL-separated (no file name
 * holds a NUL) and their sizes and times as numbers. Written and read at every reindex for
 * 5,000 files, where one JSON object per file cost 20–50 ms each way.
 */
export function encodeCorpusFiles(files: readonly CorpusFile[]): Buffer[] {
  const names = Buffer.from(files.map((file) => file.source).join('\0'));
  return encodeSections(
    { format: FILES_FORMAT, files: files.length },
    {
      bytes: Float64Array.from(files, (file) => file.bytes),
      mtimeMs: Float64Array.from(files, (file) => file.mtimeMs),
      names: new Uint8Array(names.buffer, names.byteOffset, names.length),
    },
  );
}

/** Reads a file of `encodeCorpusFiles`; throws, naming `label`, when it is malformed. */
export function decodeCorpusFiles(buffer: Buffer, label: string): CorpusFile[] {
  const { meta, sections } = decodeSections<{ format: string; files: number }>(buffer, label);
  if (meta.format !== FILES_FORMAT) throw new Error(`store: ${label} is in format ${String(meta.format)}, not ${FILES_FORMAT}`);
  const bytes = requireSection(sections, 'bytes', Float64Array, label);
  const mtimeMs = requireSection(sections, 'mtimeMs', Float64Array, label);
  const names = requireSection(sections, 'names', Uint8Array, label);
  const sources = meta.files === 0 ? [] : Buffer.from(names.buffer, names.byteOffset, names.length).toString('utf8').split('\0');
  if (sources.length !== meta.files || bytes.length !== meta.files || mtimeMs.length !== meta.files) throw new Error(`store: ${label} does not fit together`);
  return sources.map((source, i) => ({ source, bytes: bytes[i]!, mtimeMs: mtimeMs[i]! }));
}
