import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { env, mean_pooling, pipeline, Tensor } from '@xenova/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEmbedder, poolMean } from '../../src/embeddings/embedder.js';
import { writeTinyModel } from '../../src/embeddings/tiny-model.js';
import { createSeededRandom } from '../../src/seeded-random.js';

/** transformers.js's own pooling, the reference: mean over the mask, then L2 normalization. */
function poolLikeTransformers(hidden: Float32Array, mask: BigInt64Array, dims: [number, number, number]): Float32Array {
  const pooled = mean_pooling(new Tensor('float32', hidden, dims), new Tensor('int64', mask, [dims[0], dims[1]]));
  return pooled.normalize(2, -1).data as Float32Array;
}

describe('poolMean', () => {
  it('gives what transformers.js mean_pooling + normalize gives, padding ignored, NaN for a text with no tokens', () => {
    const random = createSeededRandom(3);
    const dims: [number, number, number] = [4, 7, 16];
    const hidden = Float32Array.from({ length: dims[0] * dims[1] * dims[2] }, () => random() * 2 - 1);
    // Rows of 7, 3, 0 and 1 real tokens, the rest padding.
    const lengths = [7, 3, 0, 1];
    const mask = BigInt64Array.from({ length: dims[0] * dims[1] }, (_, i) => (i % dims[1] < lengths[Math.floor(i / dims[1])]! ? 1n : 0n));

    const ours = poolMean({ data: hidden, dims }, { data: mask, dims: [dims[0], dims[1]] }, true);
    const theirs = poolLikeTransformers(hidden, mask, dims);
    expect(ours.dims).toEqual([4, 16]);
    for (let i = 0; i < theirs.length; i++) {
      if (Number.isNaN(theirs[i])) expect(ours.data[i]).toBeNaN();
      else expect(ours.data[i]).toBeCloseTo(theirs[i]!, 6);
    }
    // The empty third row is NaN throughout; the others are unit length.
    expect(Array.from(ours.data.subarray(32, 48)).every(Number.isNaN)).toBe(true);
    const norm = Math.hypot(...ours.data.subarray(16, 32));
    expect(norm).toBeCloseTo(1, 6);
  });

  it('refuses token states and a mask of different shapes', () => {
    expect(() => poolMean({ data: new Float32Array(24), dims: [2, 3, 4] }, { data: new BigInt64Array(4), dims: [2, 2] }, true)).toThrow(/cannot pool/);
  });

  it('leaves the mean unscaled when not asked to normalize, so the caller can tell a zero vector from NaN', () => {
    const hidden = Float32Array.from([2, 4, 6, 8, 0, 0, 0, 0]);
    const mask = BigInt64Array.from([1n, 1n, 1n, 1n]);
    expect(Array.from(poolMean({ data: hidden, dims: [2, 2, 2] }, { data: mask, dims: [2, 2] }, false).data)).toEqual([4, 6, 0, 0]);
  });
});

describe('the embedder on the real pipeline', () => {
  const texts = ['The council met in Geneva on Tuesday.', 'Kazakhstan was elected.', 'zzz qqq', 'Geneva Geneva Geneva council'];
  let root: string;
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'verbatim-pooling-'));
    await writeTinyModel({ dir: root, name: 'tiny', texts: texts.slice(0, 2), dimensions: 24 });
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('embeds exactly as the pipeline with its own mean pooling does', async () => {
    const { embedder } = await loadEmbedder({ modelId: 'tiny', modelDir: root, allowRemote: false, cacheDir: path.join(root, 'cache'), batchSize: 4 });
    const ours = await embedder!.embedDocuments(texts);
    // loadEmbedder set these for the same model; the reference pipeline runs on the same files.
    expect(env.localModelPath).toBe(root);
    const reference = await pipeline('feature-extraction', 'tiny', { quantized: true });
    const theirs = await reference(texts, { pooling: 'mean', normalize: true });
    for (const [row, vector] of ours.entries()) {
      for (let k = 0; k < 24; k++) {
        const expected = Number(theirs.data[row * 24 + k]);
        // A text of unknown words pools to NaN there; the embedder makes it the zero vector.
        expect(vector[k]).toBeCloseTo(Number.isNaN(expected) ? 0 : expected, 6);
      }
    }
    await reference.dispose();
    await embedder!.dispose();
  });
});
