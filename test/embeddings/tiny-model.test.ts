import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AutoTokenizer, env } from '@xenova/transformers';
import { afterAll, describe, expect, it } from 'vitest';
import { splitBertWords } from '../../src/embeddings/gather-model.js';
import { writeTinyModel } from '../../src/embeddings/tiny-model.js';

const TEXTS = [
  'Kazakhstan was elected to the UN Human Rights Council for 2022–2024.',
  'Le café à Astana: 47 members, «voted» by the General Assembly!',
  'The council meets in Geneva; Kazakhstan’s delegation spoke twice.',
];

const tempDirs: string[] = [];
function makeTempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verbatim-tiny-model-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function readTree(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(root, file), fs.readFileSync(file));
  }
  return files;
}

describe('writeTinyModel', () => {
  it('lays the model out as transformers.js expects and returns its folder', async () => {
    const dir = makeTempDir();
    const modelDir = await writeTinyModel({ dir, name: 'verbatim/tiny', texts: TEXTS, dimensions: 16 });
    expect(modelDir).toBe(path.join(dir, 'verbatim', 'tiny'));
    expect([...readTree(modelDir).keys()].sort()).toEqual(
      ['config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx', 'tokenizer.json', 'tokenizer_config.json'].map((f) => path.normalize(f)),
    );
    const config = JSON.parse(fs.readFileSync(path.join(modelDir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ model_type: 'bert', hidden_size: 16 });
  });

  it('writes byte-identical files for the same texts and seed, and different weights for another seed', async () => {
    const first = readTree(await writeTinyModel({ dir: makeTempDir(), name: 'm', texts: TEXTS }));
    const second = readTree(await writeTinyModel({ dir: makeTempDir(), name: 'm', texts: TEXTS }));
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [file, bytes] of first) expect(second.get(file)?.equals(bytes), file).toBe(true);

    const reseeded = readTree(await writeTinyModel({ dir: makeTempDir(), name: 'm', texts: TEXTS, seed: 2 }));
    expect(reseeded.get(path.normalize('onnx/model.onnx'))?.equals(first.get(path.normalize('onnx/model.onnx')) ?? Buffer.alloc(0))).toBe(false);
    expect(reseeded.get('tokenizer.json')?.equals(first.get('tokenizer.json') ?? Buffer.alloc(0))).toBe(true);
  });

  it('rejects a name that would escape the folder and a non-positive dimension', async () => {
    await expect(writeTinyModel({ dir: makeTempDir(), name: '../outside', texts: TEXTS })).rejects.toThrow(/^gather-model: name/);
    await expect(writeTinyModel({ dir: makeTempDir(), name: 'm', texts: TEXTS, dimensions: 0 })).rejects.toThrow(/^tiny-model: dimensions/);
  });
});

describe('splitBertWords', () => {
  it('lowercases, strips accents and splits punctuation off words', () => {
    expect(splitBertWords('Le Café à Astana: 47 «voted»!')).toEqual(['le', 'cafe', 'a', 'astana', ':', '47', '«', 'voted', '»', '!']);
  });
});

describe('the tiny model’s tokenizer, loaded by transformers.js', () => {
  it('knows every word of its texts, wraps them in [CLS]…[SEP], and maps unseen words to [UNK]', async () => {
    const dir = makeTempDir();
    await writeTinyModel({ dir, name: 'tok', texts: TEXTS });
    env.localModelPath = dir;
    env.allowRemoteModels = false;
    const tokenizer = await AutoTokenizer.from_pretrained('tok');
    const vocab = JSON.parse(fs.readFileSync(path.join(dir, 'tok', 'tokenizer.json'), 'utf8')).model.vocab as Record<string, number>;
    const unk = vocab['[UNK]'];

    for (const text of TEXTS) {
      const ids = tokenizer.encode(text);
      expect(ids[0]).toBe(vocab['[CLS]']);
      expect(ids.at(-1)).toBe(vocab['[SEP]']);
      expect(ids.slice(1, -1)).toEqual(splitBertWords(text).map((word) => vocab[word]));
      expect(ids).not.toContain(unk);
    }
    expect(tokenizer.encode('Kazakhstan zyzzyva')).toEqual([vocab['[CLS]'], vocab['kazakhstan'], unk, vocab['[SEP]']]);
  });
});
