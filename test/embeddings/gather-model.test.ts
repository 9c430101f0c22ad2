import { readFileSync } from 'node:fs';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEmbedder } from '../../src/embeddings/embedder.js';
import { writeGatherModel } from '../../src/embeddings/gather-model.js';
import { makeTempDir } from '../helpers.js';

const { onnx } = onnxProto;
const WORDS = ['alpha', 'beta', 'gamma'];
const DIMENSIONS = 4;
/** Distinct rows with negative and fractional values, so order, sign and byte order all show. */
const VECTORS = Float32Array.from([1, 0, 0, 0.5, -2, 3, 0, 0, 0, 0.25, -1, 4]);
const SPECIAL_TOKENS = 5;

const rowOf = (word: string): number[] => [...VECTORS.subarray(WORDS.indexOf(word) * DIMENSIONS, (WORDS.indexOf(word) + 1) * DIMENSIONS)];
const normalized = (vector: number[]): number[] => {
  const norm = Math.hypot(...vector);
  return vector.map((x) => x / norm);
};

describe('writeGatherModel', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());

  it('writes a model the real transformers.js pipeline runs: a word embeds as its own row, words as their mean', async () => {
    await writeGatherModel({ dir: temp.dir, name: 'static/abc', words: WORDS, vectors: VECTORS, dimensions: DIMENSIONS });
    const { embedder, warning } = await loadEmbedder({ modelId: 'static/abc', modelDir: temp.dir, allowRemote: false, cacheDir: path.join(temp.dir, 'cache'), batchSize: 4 });
    expect(warning).toBeNull();
    try {
      expect(embedder!.dimensions).toBe(DIMENSIONS);
      const [beta, alphaGamma, unknown] = await embedder!.embedDocuments(['Beta', 'alpha gamma', 'zyzzyva']);
      const close = (actual: number[], expected: number[]): void => expected.forEach((x, k) => expect(actual[k]).toBeCloseTo(x, 5));
      // [CLS] and [SEP] have zero rows, so mean pooling then normalisation leaves the words' direction.
      close(beta!, normalized(rowOf('beta')));
      close(alphaGamma!, normalized(rowOf('alpha').map((x, k) => x + rowOf('gamma')[k]!)));
      expect(unknown).toEqual([0, 0, 0, 0]);
    } finally {
      await embedder?.dispose();
    }
  });

  it('encodes one Gather over the table, special tokens first with zero rows, little-endian floats', async () => {
    const modelDir = await writeGatherModel({ dir: temp.dir, name: 'decoded', words: WORDS, vectors: VECTORS, dimensions: DIMENSIONS });
    const model = onnx.ModelProto.decode(readFileSync(path.join(modelDir, 'onnx', 'model_quantized.onnx')));
    const graph = model.graph!;
    expect(graph.node!.map((node) => [node.opType, node.input, node.output])).toEqual([['Gather', ['embeddings', 'input_ids'], ['last_hidden_state']]]);
    expect(graph.input!.map((input) => input.name)).toEqual(['input_ids', 'attention_mask']);
    const [table] = graph.initializer!;
    expect(table!.dims!.map(Number)).toEqual([SPECIAL_TOKENS + WORDS.length, DIMENSIONS]);
    const raw = Buffer.from(table!.rawData!);
    const floats = Array.from({ length: raw.length / 4 }, (_, i) => raw.readFloatLE(i * 4));
    expect(floats).toEqual([...new Array<number>(SPECIAL_TOKENS * DIMENSIONS).fill(0), ...VECTORS]);
    const vocab = JSON.parse(readFileSync(path.join(modelDir, 'tokenizer.json'), 'utf8')).model.vocab as Record<string, number>;
    expect(WORDS.map((word) => vocab[word])).toEqual([5, 6, 7]);
  });

  it('refuses a matrix of the wrong size, a repeated or special word, and a name that leaves the folder', async () => {
    const write = (options: Partial<Parameters<typeof writeGatherModel>[0]>) =>
      writeGatherModel({ dir: temp.dir, name: 'bad', words: WORDS, vectors: VECTORS, dimensions: DIMENSIONS, ...options });
    await expect(write({ vectors: new Float32Array(5) })).rejects.toThrow(/^gather-model: 3 words × 4 dimensions need 12 values, got 5/);
    await expect(write({ words: ['alpha', 'alpha', 'beta'] })).rejects.toThrow(/^gather-model: the vocabulary repeats "alpha"/);
    await expect(write({ words: ['alpha', '[UNK]', 'beta'] })).rejects.toThrow(/repeats "\[UNK\]"/);
    await expect(write({ name: '../outside' })).rejects.toThrow(/^gather-model: name must be a relative model id/);
  });
});
