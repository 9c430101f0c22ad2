import cliProgress from 'cli-progress';
import { ConfigError, loadConfig } from '../config.js';
import type { ReindexProgress } from '../engine-types.js';
import { isUserError } from '../errors.js';
import { describeReindexProgress, formatReindexSummary, renderReindexJson } from '../render/render-reindex.js';
import { writeStdout } from './write-stdout.js';

/** A slow file gets a progress line when this long has passed since the last one. */
const READ_LINE_INTERVAL_MS = 2_000;
import { readDocumentUrls } from '../question-log/document-log.js';
import { buildIndex } from '../store/build-index.js';
import { withReindexLock } from '../store/reindex-lock.js';
import { loadConfiguredEmbedder } from '../start-engine.js';

/**
 * `npm run reindex [-- --json]`: rebuilds index/ from corpus/ with a progress bar on a
 * terminal, then prints what changed and what became of every file (`--json`: one object,
 * the contract in DESIGN.md). On failure it exits non-zero and the previous index stays.
 */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const unknown = args.filter((arg) => arg !== '--json');
  if (unknown.length > 0) {
    console.error(`reindex: unknown option ${unknown.join(' ')}; usage: npm run reindex [-- --json]`);
    return 2;
  }
  const json = args.includes('--json');
  const config = loadConfig();
  const { embedder, warning } = await loadConfiguredEmbedder(config);
  if (warning) console.error(warning);
  const interactive = process.stderr.isTTY === true;
  const bar = new cliProgress.SingleBar(
    { format: 'embedding {bar} {value}/{total} passages', stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let barRunning = false;
  let lastReadLine = Date.now();
  const onProgress = (progress: ReindexProgress): void => {
    if (progress.phase === 'embed' && interactive) {
      if (!barRunning) {
        bar.start(progress.total, progress.done);
        barRunning = true;
      } else bar.update(progress.done);
      return;
    }
    if (barRunning) {
      bar.stop();
      barRunning = false;
    }
    if (progress.phase === 'read') {
      // Only files that take a while are worth a line (a corpus of small files would print thousands).
      const now = Date.now();
      if (now - lastReadLine >= READ_LINE_INTERVAL_MS) console.error(`reindex: ${describeReindexProgress(progress)}`);
      lastReadLine = now;
    }
    if (progress.phase === 'load') console.error(`reindex: read ${progress.documents} document(s)`);
    if (progress.phase === 'chunk') console.error(`reindex: ${progress.chunks} passage(s)`);
    if (progress.phase === 'save') console.error('reindex: saving…');
  };
  try {
    // The same lock the bot's /reindex takes: two builds must not replace each other's generation.
    const locked = await withReindexLock(
      config.indexDir,
      () =>
        buildIndex({
          corpusDir: config.corpusDir,
          indexDir: config.indexDir,
          embedder,
          batchSize: config.embeddingBatchSize,
          onProgress,
          maxDocumentBytes: config.documentMaxBytes,
          // Nothing answers from the index built here: its BM25 index and graph are not read back.
          answerFromResult: false,
          // Documents added by link keep their link (recorded in the question log in DATA_DIR).
          documentUrls: readDocumentUrls(config.dataDir, (message) => console.error(message)),
        }),
      (message) => console.error(message),
    );
    if (!locked) {
      console.error(`reindex: another process (a running bot's /reindex, or another npm run reindex) is rebuilding ${config.indexDir}; nothing was changed — try again when it has finished.`);
      return 1;
    }
    const { summary } = locked.result;
    if (json) await writeStdout(`${JSON.stringify(renderReindexJson(summary))}\n`);
    else await writeStdout(`${formatReindexSummary(summary)}\n`);
    return 0;
  } finally {
    if (barRunning) bar.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const detail = error instanceof ConfigError || isUserError(error) ? error.message : error instanceof Error ? error.message : String(error);
    console.error(`reindex: failed — ${detail.replace(/\.$/, '')}. The previous index is unchanged.`);
    process.exit(1);
  },
);
