import { type FSWatcher, watch } from 'node:fs';
import { readManifest } from './index-files.js';
import { MANIFEST_FILE, type Manifest } from './manifest.js';

/**
 * Manifest writes come as a burst of events (the temporary file, then the rename over
 * manifest.json); acting 100 ms after the last one reads the finished file once.
 */
const SETTLE_MS = 100;

export interface ManifestFollower {
  close(): void;
}

/**
 * Calls `onChange` with the new manifest whenever `index/manifest.json` is replaced (by
 * another process's reindex: every process of a sharded bot shares the index on disk).
 * The watcher does not keep the process alive. An unreadable manifest is reported and
 * skipped: the next replacement is tried again.
 */
export function followManifest(
  indexDir: string,
  onChange: (manifest: Manifest) => void | Promise<void>,
  warn: (message: string) => void = () => {},
): ManifestFollower {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const check = (): void => {
    running = running.then(async () => {
      try {
        const manifest = await readManifest(indexDir);
        if (manifest) await onChange(manifest);
      } catch (error) {
        warn(`store: could not read the index another process wrote: ${(error as Error).message}`);
      }
    });
  };
  const watcher: FSWatcher = watch(indexDir, (_event, file) => {
    if (file !== MANIFEST_FILE) return;
    clearTimeout(timer);
    timer = setTimeout(check, SETTLE_MS).unref();
  });
  watcher.on('error', (error) => warn(`store: stopped following ${indexDir}: ${error.message}`));
  watcher.unref();
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
