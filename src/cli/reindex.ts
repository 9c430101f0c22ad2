import cliProgress from 'cli-progress';
import { ConfigError, loadConfig } from '../config.js';
import type { ReindexProgress } from '../engine-types.js';
import { isUserError } from '../errors.js';
import { formatReindexSummary } from '../render/render-reindex.js';
import { buildIndex } from '../store/build-index.js';
import { withReindexLock } from '../store/reindex-lock.js';
import { loadConfiguredEmbedder } from '../start-engine.js';

/**
 * `npm run reindex`: rebuilds index/ from corpus/ with a progress bar on a terminal,
 * then prints what changed. On failure it exits non-zero and the previous index stays.
 */
async function main(): Promise<number> {
  const config = loadConfig();
  const { embedder, warning } = await loadConfiguredEmbedder(config);
  if (warning) console.error(warning);
  const interactive = process.stderr.isTTY === true;
  const bar = new cliProgress.SingleBar(
    { format: 'embedding {bar} {value}/{total} passages', stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let barRunning = false;
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
    if (progress.phase === 'load') console.error(`reindex: read ${progress.documents} document(s)`);
    if (progress.phase === 'chunk') console.error(`reindex: ${progress.chunks} passage(s)`);
    if (progress.phase === 'save') console.error('reindex: saving…');
  };
  try {
    // The same lock the bot's /reindex takes: two builds must not replace each other's generation.
    const locked = await withReindexLock(
      config.indexDir,
      () => buildIndex({ corpusDir: config.corpusDir, indexDir: config.indexDir, embedder, batchSize: config.embeddingBatchSize, onProgress }),
      (message) => console.error(message),
    );
    if (!locked) {
      console.error(`reindex: another process (a running bot's /reindex, or another npm run reindex) is rebuilding ${config.indexDir}; nothing was changed — try again when it has finished.`);
      return 1;
    }
    console.log(formatReindexSummary(locked.result.summary));
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
