/**
 * `engine.status()` answers `/help`, `/stats`, the chat's greeting and every `/reindex`
 * check. Counting passages by reading `index.chunks` decoded every passage of a saved
 * index (0.3 s at 100,000 passages, on the event loop), so it counts them from the
 * passage map instead.
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
});
