import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEmbedder, type TransformersEmbeddings } from '../../src/embeddings/embedder.js';
import { listVocabulary, writeWordNetModel } from '../../src/embeddings/wordnet-model.js';
import { ensureWordNetModel } from '../../src/embeddings/wordnet-model-cache.js';
import { WordNet } from '../../src/lexicon/wordnet.js';
import { makeTempDir } from '../helpers.js';

/**
 * The full model takes tens of seconds to derive; these tests build the same model over a
 * few lemmas (their rows are the full model's rows: a word's vector depends only on its
 * own senses and links).
 */
const LEMMAS = ['elect', 'election', 'banana', 'back', 'support', 'rainfall', 'go', 'big', 'large', 'government', 'govern', 'be'];

const wordnet = new WordNet();
const temp = makeTempDir();
let embedder: TransformersEmbeddings;

const cosine = (a: number[], b: number[]): number => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

function readTree(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.set(path.relative(root, path.join(entry.parentPath, entry.name)), readFileSync(path.join(entry.parentPath, entry.name)));
  }
  return files;
}

beforeAll(async () => {
  await writeWordNetModel({ dir: temp.dir, name: 'wordnet-small', lemmas: LEMMAS, wordnet });
  const loaded = await loadEmbedder({ modelId: 'wordnet-small', modelDir: temp.dir, allowRemote: false, cacheDir: path.join(temp.dir, 'cache'), batchSize: 8 });
  if (!loaded.embedder) throw new Error(`test: the WordNet model did not load: ${loaded.warning}`);
  embedder = loaded.embedder;
});

afterAll(async () => {
  await embedder?.dispose();
  temp.cleanup();
});

describe('the WordNet model, loaded through the real transformers.js pipeline', () => {
  it('puts words WordNet relates closer than unrelated words', async () => {
    const [elect, election, banana, backed, supported, rainfall] = await embedder.embedDocuments(['elect', 'election', 'banana', 'backed', 'supported', 'rainfall']);
    expect(cosine(elect!, election!)).toBeGreaterThan(cosine(elect!, banana!) + 0.2);
    expect(cosine(backed!, supported!)).toBeGreaterThan(cosine(backed!, rainfall!) + 0.2);
  });

  it('gives an inflected form the direction of its lemma, irregular forms included', async () => {
    const [went, go, bigger, big, governs, govern] = await embedder.embedDocuments(['went', 'go', 'bigger', 'big', 'governs', 'govern']);
    // "go" is also a noun (the board game), "went" only the verb: close, not equal.
    expect(cosine(went!, go!)).toBeGreaterThan(0.8);
    expect(cosine(bigger!, big!)).toBeGreaterThan(0.9);
    expect(cosine(governs!, govern!)).toBeGreaterThan(0.99);
  });

  it('embeds a text as the mean of its known words; unknown words and stop words add nothing', async () => {
    const [sentence, words] = await embedder.embedDocuments(['Zyzzyva was elected by the government!', 'elected government']);
    expect(cosine(sentence!, words!)).toBeCloseTo(1, 5);
  });
});

describe('listVocabulary', () => {
  it('holds the lemmas and the forms the lemmatizer maps back to them, without stop words or multiword entries', () => {
    const vocabulary = listVocabulary(wordnet, ['elect', 'go', 'big', 'bad', 'stop', 'study', 'see', 'die', 'be', 'human rights']);
    expect(vocabulary).toEqual(
      expect.arrayContaining(['elect', 'elected', 'electing', 'elects', 'go', 'went', 'gone', 'going', 'goes', 'big', 'bigger', 'biggest', 'bad', 'worse', 'worst']),
    );
    expect(vocabulary).toEqual(expect.arrayContaining(['stopped', 'stopping', 'studies', 'studied', 'studying', 'seeing', 'seen', 'saw', 'dying', 'died']));
    for (const word of ['be', 'was', 'human rights']) expect(vocabulary).not.toContain(word);
    // Misspelt candidates are not generated, or the lemmatizer does not map them back.
    for (const word of ['biger', 'stoped', 'seing', 'diing', 'bigs', 'studys']) expect(vocabulary).not.toContain(word);
    expect([...vocabulary].sort()).toEqual(vocabulary);
  });
});

describe('writeWordNetModel', () => {
  it('writes byte-identical files for the same options, and other vectors (same tokenizer) for another seed', async () => {
    const write = async (seed: number): Promise<Map<string, Buffer>> => {
      const dir = makeTempDir();
      try {
        return readTree((await writeWordNetModel({ dir: dir.dir, name: 'm', lemmas: LEMMAS, dimensions: 16, seed, wordnet })).modelDir);
      } finally {
        dir.cleanup();
      }
    };
    const [first, second, reseeded] = [await write(1), await write(1), await write(2)];
    expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
    for (const [file, bytes] of first) expect(second.get(file)?.equals(bytes), file).toBe(true);
    const onnx = path.normalize('onnx/model_quantized.onnx');
    expect(reseeded.get(onnx)?.equals(first.get(onnx)!)).toBe(false);
    expect(reseeded.get('tokenizer.json')?.equals(first.get('tokenizer.json')!)).toBe(true);
  });

  it('refuses a non-positive dimension', async () => {
    await expect(writeWordNetModel({ dir: temp.dir, name: 'bad', lemmas: LEMMAS, dimensions: 0, wordnet })).rejects.toThrow(/^wordnet-model: dimensions/);
  });
});

describe('ensureWordNetModel', () => {
  const model = { lemmas: LEMMAS, dimensions: 16, wordnet };

  it('generates the model into the cache once and reuses it afterwards', async () => {
    /** Counts how often WordNet's lemmas are listed: once per generation. */
    class CountingWordNet extends WordNet {
      listings = 0;
      override lemmasOf(pos: Parameters<WordNet['lemmasOf']>[0]): string[] {
        this.listings++;
        return super.lemmasOf(pos);
      }
    }
    const counting = new CountingWordNet();
    const cache = path.join(temp.dir, 'cache-once');
    const first = await ensureWordNetModel(cache, { name: 'wn', model: { ...model, wordnet: counting } });
    expect(first.generated).toMatchObject({ modelDir: path.join(cache, 'wn'), dimensions: 16 });
    expect(first.generated!.words).toBeGreaterThan(LEMMAS.length);
    const listings = counting.listings;
    const second = await ensureWordNetModel(cache, { name: 'wn', model: { ...model, wordnet: counting } });
    expect(second).toEqual({ modelId: 'wn', generated: null });
    expect(counting.listings).toBe(listings);
    const loaded = await loadEmbedder({ modelId: 'wn', modelDir: cache, allowRemote: false, cacheDir: cache, batchSize: 4 });
    expect(loaded.warning).toBeNull();
    await loaded.embedder?.dispose();
  });

  it('leaves one complete model and no temporary folder when two generate at once', async () => {
    const cache = path.join(temp.dir, 'cache-race');
    const results = await Promise.all([ensureWordNetModel(cache, { name: 'wn', model }), ensureWordNetModel(cache, { name: 'wn', model })]);
    expect(results.filter((result) => result.generated !== null)).toHaveLength(1);
    expect(readdirSync(cache)).toEqual(['wn']);
    expect(existsSync(path.join(cache, 'wn', 'onnx', 'model_quantized.onnx'))).toBe(true);
  });
});
