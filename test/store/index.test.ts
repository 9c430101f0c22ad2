import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHUNKER_VERSION } from '../../src/chunking/chunk-document.js';
import { UserError } from '../../src/errors.js';
import { buildIndex } from '../../src/store/build-index.js';
import type { IndexEmbedder } from '../../src/store/dense-index.js';
import { searchDense } from '../../src/store/dense-index.js';
import { saveIndex } from '../../src/store/index-files.js';
import { INDEX_FORMAT_VERSION } from '../../src/store/manifest.js';
import { planPassagePacks } from '../../src/store/passage-store.js';
import { openIndex } from '../../src/store/open-index.js';
import { ARTICLE_DIR, loadTinyEmbedder, makeTempDir } from '../helpers.js';
import { CountingEmbedder, flipByte } from './store-fixtures.js';

/** Every file under `dir` (relative path → content), to compare a folder before and after. */
function snapshotFolder(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, file), entry.isDirectory() ? '(folder)' : readFileSync(file, 'base64'));
  }
  return files;
}

describe('the saved index', () => {
  let root: { dir: string; cleanup: () => void };
  let tiny: IndexEmbedder;
  let corpusDir: string;
  let indexDir: string;
  const manifestPath = (): string => path.join(indexDir, 'manifest.json');
  const readManifestJson = (): Record<string, unknown> => JSON.parse(readFileSync(manifestPath(), 'utf8')) as Record<string, unknown>;

  beforeAll(async () => {
    root = makeTempDir();
    tiny = await loadTinyEmbedder(root.dir);
  });
  afterAll(() => root.cleanup());
  beforeEach(() => {
    const project = path.join(root.dir, `p${Math.random().toString(36).slice(2)}`);
    corpusDir = path.join(project, 'corpus');
    indexDir = path.join(project, 'index');
    cpSync(ARTICLE_DIR, corpusDir, { recursive: true });
  });

  it('writes a manifest with format, model, dimensions, chunker version and corpus hash, and reopens without rebuilding', async () => {
    const { index, summary } = await buildIndex({ corpusDir, indexDir, embedder: tiny });
    const manifest = readManifestJson();
    expect(manifest).toMatchObject({
      formatVersion: INDEX_FORMAT_VERSION,
      embeddingModel: 'verbatim-tiny',
      dimensions: tiny.dimensions,
      chunkerVersion: CHUNKER_VERSION,
      documents: 1,
      chunks: index.chunks.length,
    });
    expect(manifest.corpusHash).toMatch(/^[0-9a-f]{64}$/);
    expect(summary).toMatchObject({ documents: 1, chunks: index.chunks.length, added: index.chunks.length, changed: 0, removed: 0 });

    const warnings: string[] = [];
    const reopened = await openIndex({ corpusDir, indexDir, embedder: tiny, warn: (w) => warnings.push(w) });
    expect(reopened.rebuilt).toBe(false);
    expect(warnings).toEqual([]);
    expect(reopened.index.chunks).toEqual(index.chunks);
    // The reloaded HNSW index finds a passage from its own text.
    const target = index.chunks.find((c) => c.text.includes('Askar Shakirov'))!;
    const [best] = await searchDense(reopened.index.dense!, await tiny.embedQuery(target.text), 3);
    expect(reopened.index.chunks[best!.position]!.id).toBe(target.id);
  });

  it('rebuilds with a warning when the manifest names another chunker version', async () => {
    await buildIndex({ corpusDir, indexDir, embedder: null });
    writeFileSync(manifestPath(), JSON.stringify({ ...readManifestJson(), chunkerVersion: CHUNKER_VERSION - 1 }));
    const warnings: string[] = [];
    const { rebuilt } = await openIndex({ corpusDir, indexDir, embedder: null, warn: (w) => warnings.push(w) });
    expect(rebuilt).toBe(true);
    expect(warnings.join()).toMatch(/chunker version/);
    expect(readManifestJson().chunkerVersion).toBe(CHUNKER_VERSION);
  });

  it('rebuilds when the corpus changed and when the model differs, but serves lexical-only from a dense index when no model loads', async () => {
    await buildIndex({ corpusDir, indexDir, embedder: null });
    const warnings: string[] = [];
    const warn = (w: string): number => warnings.push(w);
    expect((await openIndex({ corpusDir, indexDir, embedder: tiny, warn })).rebuilt).toBe(true);
    expect(warnings.pop()).toMatch(/embedded with none, not verbatim-tiny/);

    writeFileSync(path.join(corpusDir, 'extra.txt'), 'A new document about something else entirely.');
    expect((await openIndex({ corpusDir, indexDir, embedder: tiny, warn })).rebuilt).toBe(true);
    expect(warnings.pop()).toMatch(/corpus has changed/);

    const lexicalOnly = await openIndex({ corpusDir, indexDir, embedder: null, warn });
    expect(lexicalOnly.rebuilt).toBe(false);
    expect(lexicalOnly.index.dense).toBeNull();
    expect(lexicalOnly.index.manifest.embeddingModel).toBe('verbatim-tiny');
  });

  it.each([
    ['a truncated BM25 file', (gen: string) => writeFileSync(path.join(gen, 'lexical.bin'), 'VBS1trunc'), /lexical.bin is 9 bytes, the manifest says \d+/],
    ['a BM25 file altered in place', (gen: string) => flipByte(path.join(gen, 'lexical.bin')), /lexical.bin does not match its checksum/],
    ['a missing HNSW file', (gen: string) => rmSync(path.join(gen, 'dense', 'hnswlib.index')), /hnswlib.index is missing/],
    // The graph is read while the rest is decoded: when another file fails first, the graph's own failure is not left unhandled.
    ['a BM25 file and the HNSW graph both altered', (gen: string) => [path.join(gen, 'lexical.bin'), path.join(gen, 'dense', 'hnswlib.index')].forEach(flipByte), /lexical.bin does not match its checksum/],
    ['a pack of passages altered in place', (gen: string) => flipByte(path.join(gen, 'passages', readdirSync(path.join(gen, 'passages'))[0]!)), /passages\/[\w-]+\.bin does not match its checksum/],
    ['a missing passage map', (gen: string) => rmSync(path.join(gen, 'passage-map.bin')), /passage-map.bin is missing/],
    ['the texts of a pack altered in place', (gen: string) => flipByte(path.join(gen, 'passages', readdirSync(path.join(gen, 'passages')).find((name) => name.endsWith('.texts'))!)), /passages\/[\w-]+\.texts does not match its checksum/],
    ['a garbage manifest', () => writeFileSync(manifestPath(), 'not json'), /manifest.json is unreadable/],
    ['a manifest pointing nowhere', () => writeFileSync(manifestPath(), JSON.stringify({ ...readManifestJson(), generation: 'gen-gone' })), /corrupt/],
  ])('rebuilds, never uses, an index with %s', async (_label, damage, message) => {
    await buildIndex({ corpusDir, indexDir, embedder: tiny });
    damage(path.join(indexDir, readManifestJson().generation as string));
    const warnings: string[] = [];
    const { index, rebuilt } = await openIndex({ corpusDir, indexDir, embedder: tiny, warn: (w) => warnings.push(w) });
    expect(rebuilt).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(message);
    expect(index.dense).not.toBeNull();
    expect((await openIndex({ corpusDir, indexDir, embedder: tiny })).rebuilt).toBe(false);
  });

  it('rebuilds, never uses, an index whose HNSW graph was altered in place: its checksum decides, though it is read while the rest is decoded', async () => {
    await buildIndex({ corpusDir, indexDir, embedder: tiny });
    flipByte(path.join(indexDir, readManifestJson().generation as string, 'dense', 'hnswlib.index'));
    const warnings: string[] = [];
    const { index, rebuilt } = await openIndex({ corpusDir, indexDir, embedder: tiny, warn: (w) => warnings.push(w) });
    expect(rebuilt).toBe(true);
    // The open says why it rebuilt; the rebuild, that the graph came back from the saved vectors.
    expect(warnings).toEqual([expect.stringMatching(/hnswlib.index does not match its checksum/), expect.stringMatching(/previous HNSW graph was unreadable .* rebuilt from the saved vectors/)]);
    expect(index.dense!.liveCount).toBe(index.chunks.length);
    expect((await openIndex({ corpusDir, indexDir, embedder: tiny })).rebuilt).toBe(false);
  });


  it('compares the corpus while the graph is read, yet says a damaged graph is damaged when the corpus changed too', async () => {
    await buildIndex({ corpusDir, indexDir, embedder: tiny });
    let meanwhile = 0;
    expect((await openIndex({ corpusDir, indexDir, embedder: tiny, whileGraphLoads: () => meanwhile++ })).rebuilt).toBe(false);
    expect(meanwhile).toBe(1);

    flipByte(path.join(indexDir, readManifestJson().generation as string, 'dense', 'hnswlib.index'));
    writeFileSync(path.join(corpusDir, 'extra.txt'), 'A new document about something else entirely.');
    const warnings: string[] = [];
    const { index, rebuilt } = await openIndex({ corpusDir, indexDir, embedder: tiny, warn: (w) => warnings.push(w) });
    expect(rebuilt).toBe(true);
    expect(warnings[0]).toMatch(/hnswlib.index does not match its checksum/);
    expect(index.documents.map((document) => document.source)).toContain('corpus/extra.txt');
  });
  it('leaves the index folder exactly as it was when saving fails midway, its half-written folder removed', async () => {
    const { index } = await buildIndex({ corpusDir, indexDir, embedder: tiny });
    const before = snapshotFolder(indexDir);
    const { generation: _generation, files: _files, ...fields } = index.manifest;
    let newFilesAtFailure: string[] = [];
    // Saving fails once every file of the new index is on disk, just before it is renamed into place.
    const failOnceWritten = (step: string): void => {
      if (step !== 'rename-generation') return;
      newFilesAtFailure = [...snapshotFolder(indexDir)].filter(([name, content]) => content !== '(folder)' && !before.has(name)).map(([name]) => name);
      throw new Error('disk full');
    };
    // Every document packed anew, so every file of the new generation is written, none linked.
    const packs = planPassagePacks(index.documents.map((document, i) => ({ document, kept: null, chunkCount: index.passages.layout.documents[i]!.chunks })), [], index.slots, (i) => index.passages.chunksOf(i));
    await expect(saveIndex(indexDir, { packs, corpusFiles: index.corpusFiles, lexical: { base: index.lexical, delta: index.lexicalDelta }, vectors: null }, fields, { checkpoint: failOnceWritten })).rejects.toThrow('disk full');
    expect(newFilesAtFailure.length, 'files of the new index were on disk when it failed').toBeGreaterThan(0);
    expect(snapshotFolder(indexDir)).toEqual(before);
    const warnings: string[] = [];
    expect((await openIndex({ corpusDir, indexDir, embedder: tiny, warn: (w) => warnings.push(w) })).rebuilt).toBe(false);
    expect(warnings).toEqual([]);
  });

  it('leaves the previous index intact when embedding fails during a build', async () => {
    const counting = new CountingEmbedder(tiny);
    await buildIndex({ corpusDir, indexDir, embedder: counting });
    const before = readFileSync(manifestPath(), 'utf8');
    writeFileSync(path.join(corpusDir, 'extra.txt'), 'A new passage that needs embedding.');
    counting.failWith = new Error('model crashed');
    await expect(buildIndex({ corpusDir, indexDir, embedder: counting })).rejects.toThrow('model crashed');
    expect(readFileSync(manifestPath(), 'utf8')).toBe(before);
    expect(readdirSync(indexDir).filter((name) => name.startsWith('.tmp-'))).toEqual([]);
    expect(existsSync(path.join(indexDir, JSON.parse(before).generation as string, 'passage-map.bin'))).toBe(true);

    rmSync(corpusDir, { recursive: true });
    cpSync(ARTICLE_DIR, corpusDir, { recursive: true });
    counting.failWith = null;
    const warnings: string[] = [];
    expect((await openIndex({ corpusDir, indexDir, embedder: counting, warn: (w) => warnings.push(w) })).rebuilt).toBe(false);
    expect(warnings).toEqual([]);
  });

  it('refuses to replace the index with an empty corpus', async () => {
    await buildIndex({ corpusDir, indexDir, embedder: null });
    const before = readFileSync(manifestPath(), 'utf8');
    rmSync(path.join(corpusDir, 'kazakhstan-un-human-rights-council.txt'));
    const failure = buildIndex({ corpusDir, indexDir, embedder: null });
    await expect(failure).rejects.toBeInstanceOf(UserError);
    await expect(failure).rejects.toMatchObject({ code: 'corpus-empty' });
    expect(readFileSync(manifestPath(), 'utf8')).toBe(before);
  });

  it('re-embeds only the passages whose text changed', async () => {
    const counting = new CountingEmbedder(tiny);
    const first = await buildIndex({ corpusDir, indexDir, embedder: counting });
    expect(counting.embedded).toBe(first.index.chunks.length);

    const file = path.join(corpusDir, 'kazakhstan-un-human-rights-council.txt');
    writeFileSync(file, readFileSync(file, 'utf8').replace('183 of 193 member states', '184 of 193 member states'));
    counting.embedded = 0;
    const second = await buildIndex({ corpusDir, indexDir, embedder: counting });
    expect(counting.embedded).toBe(1);
    expect(second.summary).toMatchObject({ changed: 1, added: 0, removed: 0, reusedEmbeddings: first.index.chunks.length - 1 });
  });
});
