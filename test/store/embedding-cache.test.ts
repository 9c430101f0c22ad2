import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddingCache } from '../../src/store/embedding-cache.js';
import { makeTempDir } from '../helpers.js';

describe('the embedding cache', () => {
  it('writes and reads back 150,000 × 384-d vectors (past where one JSON string broke) with their text keys', () => {
    const rows = 150_000;
    const dimensions = 384;
    const cache = new EmbeddingCache('test/model', dimensions, rows);
    const row = new Float32Array(dimensions);
    for (let slot = 0; slot < rows; slot++) {
      for (let k = 0; k < dimensions; k++) row[k] = ((slot * 7 + k) % 1_000) / 1_000;
      cache.set(slot, EmbeddingCache.key(`passage ${slot}`), row);
    }
    const temp = makeTempDir();
    try {
      const file = path.join(temp.dir, 'embeddings.bin');
      // Written piece by piece, as the store does: no one buffer or string of the whole file.
      const handle = openSync(file, 'w');
      for (const piece of cache.encode()) writeSync(handle, piece);
      closeSync(handle);
      const restored = EmbeddingCache.decode(readFileSync(file));
      expect(restored.rows).toBe(rows);
      expect(restored.dimensions).toBe(dimensions);
      expect(restored.modelId).toBe('test/model');
      for (const slot of [0, 1, 74_999, 149_999]) {
        expect(restored.findRow(EmbeddingCache.key(`passage ${slot}`))).toBe(slot);
        expect(restored.vector(slot)).toEqual(cache.vector(slot));
      }
      expect(restored.vector(149_999)[383]).toBeCloseTo(((149_999 * 7 + 383) % 1_000) / 1_000, 6);
      expect(restored.findRow(EmbeddingCache.key('passage 150000'))).toBe(-1);
    } finally {
      temp.cleanup();
    }
  });

  it('finds a few keys in one pass as the full look-up would, and copies leading rows in one go', () => {
    const cache = new EmbeddingCache('m', 4, 1_000);
    for (let row = 0; row < 1_000; row++) cache.set(row, EmbeddingCache.key(`passage ${row % 700}`), [row, 0, 0, 1]);
    const keys = ['passage 3', 'passage 699', 'nowhere', 'passage 3'].map((text) => EmbeddingCache.key(text));
    const rows = cache.findRows(keys);
    // A text stored twice may be found in either row: both hold its vector.
    expect(rows.map((row) => (row < 0 ? -1 : row % 700))).toEqual([3, 699, -1, 3]);
    expect(rows.map((row, i) => (row < 0 ? -1 : cache.findRow(keys[i]!) % 700))).toEqual([3, 699, -1, 3]);

    const copy = new EmbeddingCache('m', 4, 1_200);
    copy.copyRows(cache, 1_000);
    expect(Array.from(copy.vector(999))).toEqual([999, 0, 0, 1]);
    expect(copy.findRow(EmbeddingCache.key('passage 5'))).toBeGreaterThanOrEqual(0);
    expect(Array.from(copy.vector(1_100))).toEqual([0, 0, 0, 0]);
  });

  it('refuses a truncated file and a vector of the wrong length', () => {
    const cache = new EmbeddingCache('m', 4, 2);
    cache.set(0, EmbeddingCache.key('a'), [1, 0, 0, 0]);
    const bytes = Buffer.concat(cache.encode());
    expect(() => EmbeddingCache.decode(bytes.subarray(0, bytes.length - 8))).toThrow(/truncated/);
    expect(() => EmbeddingCache.decode(Buffer.from('not a cache at all'))).toThrow(/not a Verbatim binary file/);
    expect(() => cache.set(1, EmbeddingCache.key('b'), [1, 2])).toThrow(/does not fit/);
  });
});
