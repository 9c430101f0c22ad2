import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';

/** The lock's folder inside INDEX_DIR (proper-lockfile makes it with an atomic mkdir). */
const LOCK_NAME = '.reindex.lock';
/**
 * A lock whose holder stopped refreshing it this long ago belongs to a process that
 * died mid-build. proper-lockfile refreshes every stale/2; its smallest allowed stale
 * is 5 s, and a reindex never stalls the event loop that long (the load benchmark's
 * worst event-loop delay on a busy machine was 1.7 s).
 */
const STALE_MS = 10_000;

/**
 * Runs `build` holding INDEX_DIR's reindex lock, shared by every process on the index
 * (shards, `npm run reindex`), so two builds never race to replace each other's
 * generation. Resolves with null, without building, when another process holds it.
 */
export async function withReindexLock<T>(
  indexDir: string,
  build: () => Promise<T>,
  warn: (message: string) => void = () => {},
): Promise<{ result: T } | null> {
  let release: () => Promise<void>;
  await mkdir(indexDir, { recursive: true });
  try {
    release = await lockfile.lock(indexDir, {
      lockfilePath: path.join(indexDir, LOCK_NAME),
      realpath: false,
      stale: STALE_MS,
      retries: 0,
      // The default throws from a timer (and takes the process down) when the lock cannot be refreshed.
      onCompromised: (error) => warn(`store: the reindex lock in ${indexDir} was lost (${error.message}); another process may start a build`),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') return null;
    throw error;
  }
  try {
    return { result: await build() };
  } finally {
    await release().catch(() => undefined);
  }
}
