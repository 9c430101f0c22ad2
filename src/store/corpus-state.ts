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

/**
 * A `loadCorpus` reuse rule: the previous result for every file whose size and time are as
 * recorded. The corpus is listed in the same order at every scan (sorted paths), so each
 * file is matched with what the build saw by walking the previous lists alongside the scan,
 * without a look-up table of 5,000 entries; a scan in another order falls back to one.
 */
export function reuseUnchangedFiles(seen: SeenCorpus): NonNullable<LoadCorpusOptions['reuse']> {
  const trustedBeforeMs = seen.scannedAtMs - RACY_WINDOW_MS;
  const files = new SortedWalk(seen.corpusFiles);
  const documents = new SortedWalk(seen.documents);
  const skipped = new SortedWalk(seen.skipped);
  return (file, id, filePath) => {
    const before = files.find(file.source);
    if (!before || before.bytes !== file.bytes || before.mtimeMs !== file.mtimeMs || file.mtimeMs >= trustedBeforeMs) return null;
    const document = documents.find(file.source);
    if (document) {
      // Ids depend on the other files' names too: a file whose id moved is read again.
      // The same object when nothing about it moved: a reindex can then tell it unchanged at a glance.
      return document.id !== id ? null : document.path === filePath ? document : { ...document, path: filePath };
    }
    const skip = skipped.find(file.source);
    // An unreadable file may be readable now.
    return skip && !skip.reason.startsWith('unreadable') ? skip : null;
  };
}

/**
 * Finds items by source in a list kept in the order of the scan that made it, expecting to
 * be asked in that same order, ascending (then walking it once). Asked out of order, it
 * builds a map. (Were the list itself out of order while the questions are not, an item
 * could be missed: its file would then be read again, not reused — slower, never wrong.)
 */
class SortedWalk<T extends { source: string }> {
  private next = 0;
  private last = '';
  private bySource: Map<string, T> | null = null;

  constructor(private readonly items: readonly T[]) {}

  find(source: string): T | undefined {
    if (!this.bySource && source < this.last) this.bySource = new Map(this.items.map((item) => [item.source, item]));
    if (this.bySource) return this.bySource.get(source);
    this.last = source;
    while (this.next < this.items.length && this.items[this.next]!.source < source) this.next++;
    const item = this.items[this.next];
    return item?.source === source ? item : undefined;
  }
}

/** Whether the corpus holds the same documents (same ids, sources and texts) and skips the same files for the same reasons. */
export function isSameCorpus(seen: Pick<SeenCorpus, 'documents' | 'skipped'>, current: LoadedCorpus): boolean {
  if (seen.documents.length !== current.documents.length || seen.skipped.length !== current.skipped.length) return false;
  const sameDocuments = current.documents.every((document, i) => {
    const before = seen.documents[i]!;
    // A reused document is the object the build saw: comparing it with itself would decode its text for nothing.
    return before === document || (before.id === document.id && before.source === document.source && before.text === document.text);
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
  const bytes = new Float64Array(files.length);
  const mtimeMs = new Float64Array(files.length);
  files.forEach((file, i) => {
    bytes[i] = file.bytes;
    mtimeMs[i] = file.mtimeMs;
  });
  return encodeSections({ format: FILES_FORMAT, files: files.length }, { bytes, mtimeMs, names: new Uint8Array(names.buffer, names.byteOffset, names.length) });
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
