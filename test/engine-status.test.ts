/**
 * `engine.status()` answers `/help`, `/stats`, the chat's greeting and every `/reindex`
 * check. Counting passages by reading `index.chunks` decoded every passage of a saved
 * index (0.3 s at 100,000 passages, on the event loop), so it counts them from the
 * passage map instead. The engine decodes them itself after opening, in slices.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createEngine } from '../src/engine.js';
import { StoredPassages } from '../src/store/passage-store.js';
import { openArticleEngine, testConfig } from './helpers.js';

describe('engine.status()', () => {
  let cleanup = (): void => {};
  afterAll(() => cleanup());

  it('counts the passages of a saved index without decoding them', async () => {
    const built = await openArticleEngine();
    cleanup = built.cleanup;
    const builtStatus = built.engine.status();
    built.engine.close();
    const all = vi.spyOn(StoredPassages.prototype, 'all');
    try {
      const reopened = await createEngine({ config: testConfig(built.dir), embedder: null, embedderWarning: 'no model in this test' });
      const callsBefore = all.mock.calls.length;
      const status = reopened.status();
      expect(all.mock.calls.length).toBe(callsBefore);
      expect(status.chunks).toBe(builtStatus.chunks);
      expect(status.chunks).toBeGreaterThan(10);
      // The passages themselves, decoded: as many as counted.
      expect(reopened.findPassages('', 10_000)).toHaveLength(status.chunks);
      expect(all).toHaveBeenCalled();
      reopened.close();
    } finally {
      all.mockRestore();
    }
  });

  it('decodes a reopened index’s passages on its own, in slices, and then has its passage directory', async () => {
    const built = await openArticleEngine();
    const dir = built.dir;
    const previousCleanup = cleanup;
    cleanup = () => {
      previousCleanup();
      built.cleanup();
    };
    built.engine.close();
    const slices = vi.spyOn(StoredPassages.prototype, 'decodeUntil');
    const all = vi.spyOn(StoredPassages.prototype, 'all');
    try {
      const reopened = await createEngine({ config: testConfig(dir), embedder: null, embedderWarning: 'no model in this test' });
      // Nobody asks for a passage: the slices, then the directory, come in later turns of the event loop.
      await vi.waitFor(() => expect(all).toHaveBeenCalled(), { timeout: 5_000 });
      expect(slices).toHaveBeenCalled();
      expect(slices.mock.results.at(-1)!.value).toBe(false);
      const callsSoFar = all.mock.calls.length;
      expect(reopened.findPassages('kazakhstan', 3).length).toBeGreaterThan(0);
      expect(all.mock.calls.length).toBe(callsSoFar);
      reopened.close();
    } finally {
      slices.mockRestore();
      all.mockRestore();
    }
  });
});
