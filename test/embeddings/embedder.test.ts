import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LEXICAL_ONLY_WARNING, loadEmbedder, type TransformersEmbeddings } from '../../src/embeddings/embedder.js';
import { writeTinyModel } from '../../src/embeddings/tiny-model.js';

const DIMENSIONS = 48;
const TEXTS = [
  'Kazakhstan was elected to the UN Human Rights Council by the General Assembly.',
  'The weather in Astana turned cold and snowy in the middle of November.',
  'The Assembly also elected members from Africa and Latin America.',
  'Diplomats said the vote was a sign of trust in the region.',
];

let root: string;
let embedder: TransformersEmbeddings;

const dot = (a: number[], b: number[]): number => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);

async function loadTiny(batchSize: number): Promise<TransformersEmbeddings> {
  const loaded = await loadEmbedder({ modelId: 'verbatim/tiny', modelDir: root, allowRemote: false, cacheDir: path.join(root, 'cache'), batchSize });
  expect(loaded.warning).toBeNull();
  if (!loaded.embedder) throw new Error('test: the tiny model did not load');
  return loaded.embedder;
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'verbatim-embedder-'));
  await writeTinyModel({ dir: root, name: 'verbatim/tiny', texts: TEXTS, dimensions: DIMENSIONS });
  embedder = await loadTiny(3);
});

afterAll(async () => {
  await embedder?.dispose();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('loadEmbedder with the generated tiny model', () => {
  it('loads it through the real pipeline and learns its dimension from a probe', () => {
    expect(embedder.modelId).toBe('verbatim/tiny');
    expect(embedder.dimensions).toBe(DIMENSIONS);
    expect(embedder.batchSize).toBe(3);
  });

  it('returns one unit-length plain number array per text', async () => {
    const vectors = await embedder.embedDocuments(TEXTS);
    expect(vectors).toHaveLength(TEXTS.length);
    for (const vector of vectors) {
      expect(Array.isArray(vector)).toBe(true);
      expect(vector).toHaveLength(DIMENSIONS);
      expect(Math.sqrt(dot(vector, vector))).toBeCloseTo(1, 5);
    }
  });

  it('gives the same text the same vector, as a query or as a document, across loads', async () => {
    const [asDocument] = await embedder.embedDocuments([TEXTS[1] ?? '']);
    const asQuery = await embedder.embedQuery(TEXTS[1] ?? '');
    expect(asQuery).toEqual(asDocument);
    const reloaded = await loadTiny(1);
    expect(await reloaded.embedQuery(TEXTS[1] ?? '')).toEqual(asQuery);
    await reloaded.dispose();
  });

  it('ranks the text sharing a query’s rare words above unrelated text', async () => {
    const [rights, weather] = await embedder.embedDocuments([TEXTS[0] ?? '', TEXTS[1] ?? '']);
    const query = await embedder.embedQuery('Which country joined the Human Rights Council?');
    expect(dot(query, rights ?? [])).toBeGreaterThan(0.4);
    expect(dot(query, rights ?? [])).toBeGreaterThan(dot(query, weather ?? []) + 0.3);
  });

  it('gives the same vectors in batches as one by one', async () => {
    const texts = [...TEXTS, 'Astana', 'A short one.', TEXTS[0] ?? ''];
    const batched = await embedder.embedDocuments(texts);
    const single = await Promise.all(texts.map((text) => embedder.embedQuery(text)));
    expect(batched).toHaveLength(texts.length);
    batched.forEach((vector, i) => vector.forEach((value, k) => expect(value).toBeCloseTo(single[i]?.[k] ?? Number.NaN, 6)));
  });

  it('embeds a text with no known word as the zero vector, not NaN', async () => {
    const vector = await embedder.embedQuery('zyzzyva quokka');
    expect(vector).toEqual(new Array(DIMENSIONS).fill(0));
    expect(await embedder.embedDocuments([])).toEqual([]);
  });
});

describe('loadEmbedder when no model can be used', () => {
  it('returns the lexical-only warning when the model is none', async () => {
    expect(await loadEmbedder({ modelId: null, modelDir: root, allowRemote: false, cacheDir: root, batchSize: 4 })).toEqual({
      embedder: null,
      warning: LEXICAL_ONLY_WARNING,
    });
  });

  it('returns null and a warning naming a missing model, quickly and without touching the network', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    try {
      const started = performance.now();
      const loaded = await loadEmbedder({ modelId: 'Xenova/not-here', modelDir: root, allowRemote: false, cacheDir: path.join(root, 'cache'), batchSize: 4 });
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(loaded.embedder).toBeNull();
      expect(loaded.warning).toMatch(/^embeddings: could not load model "Xenova\/not-here": .*not found.* — retrieval is lexical-only \(BM25\)\.$/);
      expect(loaded.warning).not.toContain('\n');
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      fetchSpy.mockRestore();
    }
  });

  it('does not reuse the model folder of an earlier call when none is given', async () => {
    const loaded = await loadEmbedder({ modelId: 'verbatim/tiny', modelDir: null, allowRemote: false, cacheDir: path.join(root, 'cache'), batchSize: 4 });
    expect(loaded.embedder).toBeNull();
    expect(loaded.warning).toMatch(/^embeddings: could not load model "verbatim\/tiny"/);
  });

  it('returns a warning instead of throwing when the ONNX file is corrupt', async () => {
    await writeTinyModel({ dir: root, name: 'broken', texts: TEXTS, dimensions: 8 });
    fs.writeFileSync(path.join(root, 'broken', 'onnx', 'model_quantized.onnx'), 'not a protobuf');
    // transformers.js logs the ONNX Runtime failure itself before retrying on wasm.
    const warnSpy = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const loaded = await loadEmbedder({ modelId: 'broken', modelDir: root, allowRemote: false, cacheDir: path.join(root, 'cache'), batchSize: 4 });
      expect(loaded.embedder).toBeNull();
      expect(loaded.warning).toMatch(/^embeddings: could not load model "broken": ONNX Runtime could not open/);
    } finally {
      warnSpy.mockRestore();
    }
  });
});
