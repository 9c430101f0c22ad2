import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readerLimits } from '../corpus/load-corpus.js';
import { formatOf, isSupportedFile, readDocument } from '../corpus/readers/read-document.js';
import { isSkipped, type DocumentFormat } from '../corpus/readers/reader-types.js';
import { median } from '../statistics.js';

/**
 * Extraction per format: every fixture document of a format Verbatim reads, read through
 * `readDocument` as a reindex reads it (the file's bytes from disk, then its reader), set
 * against reading the same extracted text as a `.txt` file — the cost of the format alone.
 * It covers whatever formats the reader registry knows and the fixtures hold.
 */

export interface IngestBenchOptions {
  /** Folders whose documents are read (nested folders too). */
  dirs: string[];
  /** Times every file is read; the median round counts. */
  rounds: number;
}

/** One format's figures. */
export interface IngestFigures {
  format: DocumentFormat;
  files: number;
  /** Bytes of the files. */
  bytes: number;
  /** Pages found (0 for formats without pages). */
  pages: number;
  /** Reading every file of the format once (median round). */
  ms: number;
  /** Most RSS the reading added over the process's RSS before it (after a forced GC). */
  rssBytes: number;
  /** The baseline: the same extracted texts, as UTF-8 `.txt` files, read the same way. */
  txt: { bytes: number; ms: number; rssBytes: number };
  /** Files the reader skipped, with why (they count in no figure). */
  skipped: { file: string; reason: string }[];
}

/** Files of the folders a reader would take, in path order; notes about the fixtures themselves are not documents. */
function listDocuments(dirs: readonly string[]): string[] {
  const files: string[] = [];
  for (const dir of dirs) {
    let entries;
    try {
      entries = readdirSync(dir, { recursive: true, withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.isFile() || !isSupportedFile(entry.name) || /^(readme|sources)\.md$/i.test(entry.name)) continue;
      files.push(path.join(entry.parentPath, entry.name));
    }
  }
  return files.sort();
}

/** Reads every fixture document and its text as `.txt`, per format, and reports the figures (formats in name order). */
export async function benchIngest(options: IngestBenchOptions): Promise<IngestFigures[]> {
  const limits = readerLimits();
  const byFormat = new Map<DocumentFormat, string[]>();
  for (const file of listDocuments(options.dirs)) {
    const format = formatOf(file)!;
    byFormat.set(format, [...(byFormat.get(format) ?? []), file]);
  }
  const figures: IngestFigures[] = [];
  for (const [format, files] of [...byFormat].sort(([a], [b]) => a.localeCompare(b))) {
    const skipped: IngestFigures['skipped'] = [];
    const texts = new Map<string, { text: string; pages: number }>();
    // Untimed once (and the baseline below too): lazy imports, the JIT and the page cache are not the reader's cost.
    for (const file of files) {
      const read = await readDocument({ bytes: readFileSync(file), fileName: path.basename(file), limits });
      if (isSkipped(read)) skipped.push({ file: path.basename(file), reason: read.skip });
      else texts.set(file, { text: read.text, pages: read.pageStarts?.length ?? 0 });
    }
    const read = [...texts.keys()];
    if (read.length === 0) {
      figures.push({ format, files: 0, bytes: 0, pages: 0, ms: 0, rssBytes: 0, txt: { bytes: 0, ms: 0, rssBytes: 0 }, skipped });
      continue;
    }
    // The baseline reads the same way: bytes (here already in memory as a file would be) through the .txt reader.
    const asText = new Map(read.map((file) => [file, Buffer.from(texts.get(file)!.text)]));
    for (const file of read) await readDocument({ bytes: asText.get(file)!, fileName: `${path.basename(file)}.txt`, limits });
    const timed = await timeRounds(options.rounds, async (sample) => {
      for (const file of read) {
        await readDocument({ bytes: readFileSync(file), fileName: path.basename(file), limits });
        sample();
      }
    });
    const baseline = await timeRounds(options.rounds, async (sample) => {
      for (const file of read) {
        await readDocument({ bytes: Buffer.from(asText.get(file)!), fileName: `${path.basename(file)}.txt`, limits });
        sample();
      }
    });
    figures.push({
      format,
      files: read.length,
      bytes: read.reduce((sum, file) => sum + readFileSync(file).length, 0),
      pages: read.reduce((sum, file) => sum + texts.get(file)!.pages, 0),
      ms: timed.ms,
      rssBytes: timed.rssBytes,
      txt: { bytes: [...asText.values()].reduce((sum, bytes) => sum + bytes.length, 0), ms: baseline.ms, rssBytes: baseline.rssBytes },
      skipped,
    });
  }
  return figures;
}

/**
 * Median time of `rounds` runs, and the most RSS added over the RSS before a run (after a
 * GC), as sampled after each file (`sample`, a microsecond each).
 */
async function timeRounds(rounds: number, run: (sample: () => void) => Promise<void>): Promise<{ ms: number; rssBytes: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const times: number[] = [];
  let added = 0;
  for (let round = 0; round < rounds; round++) {
    gc?.();
    const before = process.memoryUsage.rss();
    const sample = (): void => {
      added = Math.max(added, process.memoryUsage.rss() - before);
    };
    const started = performance.now();
    await run(sample);
    times.push(performance.now() - started);
  }
  return { ms: median(times), rssBytes: added };
}
