import type { CorpusFile, LoadCorpusOptions, LoadedCorpus, SkippedFile } from '../corpus/load-corpus.js';
import type { Document } from '../domain.js';

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
  const documents = new Map(seen.documents.map((document) => [document.source, document]));
  const skipped = new Map(seen.skipped.map((file) => [file.source, file]));
  const files = new Map(seen.corpusFiles.map((file) => [file.source, file]));
  return (file) => {
    const before = files.get(file.source);
    if (!before || before.bytes !== file.bytes || before.mtimeMs !== file.mtimeMs) return null;
    if (file.mtimeMs >= seen.scannedAtMs - RACY_WINDOW_MS) return null;
    const document = documents.get(file.source);
    // Ids depend on the other files' names too: a file whose id moved is read again.
    // The same object when nothing about it moved: a reindex can then tell it unchanged at a glance.
    if (document) return document.id !== file.id ? null : document.path === file.path ? document : { ...document, path: file.path };
    const skip = skipped.get(file.source);
    // An unreadable file may be readable now.
    return skip && !skip.reason.startsWith('unreadable') ? skip : null;
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
