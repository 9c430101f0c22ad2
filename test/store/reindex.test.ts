import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatReindexSummary } from '../../src/render/render-reindex.js';
import { type BuildStep, buildIndex, MAX_FREE_SLOT_SHARE } from '../../src/store/build-index.js';
import { docsFileOf, MAX_PACKS, textsFileOf } from '../../src/store/passage-store.js';
import { type IndexEmbedder, searchDense } from '../../src/store/dense-index.js';
import { type CorpusIndex, loadIndex, readManifest } from '../../src/store/index-files.js';
import { searchLexical } from '../../src/store/lexical-index.js';
import { INDEX_FORMAT_VERSION } from '../../src/store/manifest.js';
import { openIndex } from '../../src/store/open-index.js';
import { ARTICLE_DIR, childEnv, loadTinyEmbedder, makeTempDir, PROJECT_ROOT } from '../helpers.js';
import { CountingEmbedder, flipByte } from './store-fixtures.js';

const ARTICLE = 'kazakhstan-un-human-rights-council.txt';
const READMES = ['minisearch', 'hnswlib-node', 'discord.js', 'vitest', 'ws'];
const QUERIES = ['Kazakhstan human rights council election', 'fuzzy search documents', 'nearest neighbour index', 'websocket client server'];
/** The time every corpus file is set to, well before any build, so size and time can be trusted. */
const LONG_AGO = new Date('2024-01-01T00:00:00Z');

/** A corpus of the article and five package READMEs (fixed by the lockfile), all dated long ago. */
function writeCorpus(corpusDir: string): void {
  mkdirSync(corpusDir, { recursive: true });
  cpSync(path.join(ARTICLE_DIR, ARTICLE), path.join(corpusDir, ARTICLE));
  for (const name of READMES) {
    const readme = readdirSync(path.join(PROJECT_ROOT, 'node_modules', name)).find((file) => /^readme\.md$/i.test(file))!;
    writeFileSync(path.join(corpusDir, `${name}.md`), readFileSync(path.join(PROJECT_ROOT, 'node_modules', name, readme), 'utf8').slice(0, 8_000));
  }
  for (const file of readdirSync(corpusDir)) utimesSync(path.join(corpusDir, file), LONG_AGO, LONG_AGO);
}

let edits = 0;
/**
 * Edits a corpus file. Its new time is still long ago (a later day for each edit), so it
 * differs from the recorded one without being too recent to trust, unless `time` says.
 */
function edit(corpusDir: string, file: string, change: (text: string) => string, time: 'later' | 'same' | 'now' = 'later'): void {
  const full = path.join(corpusDir, file);
  const before = statSync(full).mtime;
  writeFileSync(full, change(readFileSync(full, 'utf8')));
  if (time === 'now') return;
  const when = time === 'same' ? before : new Date(LONG_AGO.getTime() + ++edits * 86_400_000);
  utimesSync(full, when, when);
}

/** A fresh project folder under `root` holding the test corpus; its index folder is not made yet. */
function makeProject(root: string): { corpusDir: string; indexDir: string } {
  const project = path.join(root, `p${Math.random().toString(36).slice(2)}`);
  const corpusDir = path.join(project, 'corpus');
  writeCorpus(corpusDir);
  return { corpusDir, indexDir: path.join(project, 'index') };
}

function slotsById(index: CorpusIndex): Map<string, number> {
  return new Map(index.chunks.map((chunk, position) => [`${chunk.id}\0${chunk.text}`, index.slots[position]!]));
}

describe('reindexing in place', () => {
  let root: { dir: string; cleanup: () => void };
  let tiny: IndexEmbedder;
  let corpusDir: string;
  let indexDir: string;
  let counting: CountingEmbedder;

  beforeAll(async () => {
    root = makeTempDir();
    const modelCorpus = path.join(root.dir, 'model-corpus');
    writeCorpus(modelCorpus);
    tiny = await loadTinyEmbedder(root.dir, modelCorpus);
  });
  afterAll(() => root.cleanup());
  beforeEach(() => {
    ({ corpusDir, indexDir } = makeProject(root.dir));
    counting = new CountingEmbedder(tiny);
  });

  /** The same corpus built from scratch in another folder: what an in-place update must equal. */
  async function buildFresh(): Promise<CorpusIndex> {
    return (await buildIndex({ corpusDir, indexDir: `${indexDir}-fresh-${Math.random()}`, embedder: tiny })).index;
  }

  function expectSameLexicalResults(updated: CorpusIndex, fresh: CorpusIndex): void {
    for (const query of QUERIES) {
      const ours = searchLexical(updated.lexical, query, 8);
      const theirs = searchLexical(fresh.lexical, query, 8);
      expect(ours.map((match) => match.score)).toEqual(theirs.map((match) => match.score));
      expect(ours.map((match) => updated.chunks[match.position]!.id)).toEqual(theirs.map((match) => fresh.chunks[match.position]!.id));
    }
  }

  it('after one document changed, embeds only its changed passage, keeps every other passage in its slot, and answers like a fresh build', async () => {
    const first = await buildIndex({ corpusDir, indexDir, embedder: counting });
    // Passages with the same text are embedded once.
    expect(counting.embedded).toBe(new Set(first.index.chunks.map((chunk) => chunk.text)).size);
    counting.embedded = 0;
    edit(corpusDir, ARTICLE, (text) => text.replace('183 of 193 member states', '184 of 193 member states'));

    const second = await buildIndex({ corpusDir, indexDir, embedder: counting });
    expect(counting.embedded).toBe(1);
    expect(second.summary).toMatchObject({ changed: 1, added: 0, removed: 0, reusedEmbeddings: first.index.chunks.length - 1, warnings: [] });
    const before = slotsById(first.index);
    const after = slotsById(second.index);
    const kept = [...after].filter(([key]) => before.has(key));
    expect(kept).toHaveLength(first.index.chunks.length - 1);
    for (const [key, slot] of kept) expect(slot).toBe(before.get(key));
    // The changed passage took a new slot; its old one is free.
    expect(second.index.manifest.slots).toBe(first.index.manifest.slots + 1);

    expectSameLexicalResults(second.index, await buildFresh());
    const changed = second.index.chunks.find((chunk) => chunk.text.includes('184 of 193'))!;
    const [best] = await searchDense(second.index.dense!, await tiny.embedQuery(changed.text), 3);
    expect(second.index.chunks[best!.position]!.id).toBe(changed.id);
    // What was saved reopens as it was built.
    const reopened = await openIndex({ corpusDir, indexDir, embedder: tiny });
    expect(reopened.rebuilt).toBe(false);
    expect(reopened.index.slots).toEqual(second.index.slots);
    expectSameLexicalResults(reopened.index, second.index);
  });

  it('with nothing changed embeds nothing, and links the saved files instead of writing them again', async () => {
    await buildIndex({ corpusDir, indexDir, embedder: counting });
    const firstManifest = (await readManifest(indexDir))!;
    const inodes = (generation: string): Map<string, number> => new Map(Object.keys(firstManifest.files).map((name) => [name, statSync(path.join(indexDir, generation, name)).ino]));
    const before = inodes(firstManifest.generation);
    expect([...before.keys()].sort()).toEqual(['corpus-files.bin', 'dense/hnswlib.index', 'embedding-keys.bin', 'embeddings.bin', 'lexical-delta.bin', 'lexical.bin', 'passage-map.bin', expect.stringMatching(/^passages\/[\w-]+\.bin$/), expect.stringMatching(/^passages\/[\w-]+\.docs$/), expect.stringMatching(/^passages\/[\w-]+\.texts$/), 'vector-delta.bin']);
    counting.embedded = 0;

    const again = await buildIndex({ corpusDir, indexDir, embedder: counting });
    expect(counting.embedded).toBe(0);
    expect(again.summary).toMatchObject({ added: 0, changed: 0, removed: 0, reusedEmbeddings: again.index.chunks.length });
    const manifest = (await readManifest(indexDir))!;
    expect(manifest.generation).not.toBe(firstManifest.generation);
    expect(inodes(manifest.generation)).toEqual(before);
    expect(existsSync(path.join(indexDir, firstManifest.generation))).toBe(false);
    expect((await openIndex({ corpusDir, indexDir, embedder: tiny })).rebuilt).toBe(false);
  });

  it('after one document changed, links the packs of the others and writes one new pack holding that document only', async () => {
    const first = await buildIndex({ corpusDir, indexDir, embedder: null });
    const [basePack] = first.index.passages.layout.packs.map((pack) => pack.name);
    const baseInode = statSync(path.join(indexDir, first.index.manifest.generation, basePack!)).ino;
    const baseTextsInode = statSync(path.join(indexDir, first.index.manifest.generation, textsFileOf(basePack!))).ino;
    const baseDocsInode = statSync(path.join(indexDir, first.index.manifest.generation, docsFileOf(basePack!))).ino;
    edit(corpusDir, 'ws.md', (text) => `${text}\nA sentence about websockets added later.\n`);
    const second = await buildIndex({ corpusDir, indexDir, embedder: null });
    const { generation } = second.index.manifest;
    const packs = readdirSync(path.join(indexDir, generation, 'passages')).filter((name) => name.endsWith('.bin')).map((name) => `passages/${name}`);
    expect(packs).toHaveLength(2);
    // Each pack is its records, its documents and its texts.
    expect(readdirSync(path.join(indexDir, generation, 'passages'))).toHaveLength(6);
    expect(statSync(path.join(indexDir, generation, textsFileOf(basePack!))).ino).toBe(baseTextsInode);
    expect(statSync(path.join(indexDir, generation, docsFileOf(basePack!))).ino).toBe(baseDocsInode);
    expect(statSync(path.join(indexDir, generation, basePack!)).ino).toBe(baseInode);
    const newPack = packs.find((name) => name !== basePack)!;
    const ws = second.index.documents.findIndex((document) => document.source === 'corpus/ws.md');
    expect(second.index.passages.layout.documents.map((entry) => second.index.passages.layout.packs[entry.pack]!.name)).toEqual(second.index.documents.map((_, i) => (i === ws ? newPack : basePack)));
    const reopened = await loadIndex(indexDir, second.index.manifest, corpusDir, null);
    expect(reopened.documents).toEqual(second.index.documents);
    expect(reopened.chunks).toEqual(second.index.chunks);
  });

  it('reads the texts of unchanged documents not at all; a damaged text it needs makes it rebuild from scratch, saying so, and one it does not is caught at the next open', async () => {
    const first = await buildIndex({ corpusDir, indexDir, embedder: null });
    const textsFile = path.join(indexDir, first.index.manifest.generation, textsFileOf(first.index.passages.layout.packs[0]!.name));
    // Same size, other bytes: every text of the pack fails its checksum once read.
    writeFileSync(textsFile, Buffer.alloc(statSync(textsFile).size, 'x'));
    edit(corpusDir, 'ws.md', (text) => `${text}\nOne more sentence.\n`);
    // The edited document is packed anew; the old one's text is needed (its passages keep their slots by text).
    const rebuilt = await buildIndex({ corpusDir, indexDir, embedder: null });
    expect(rebuilt.summary.warnings).toEqual([expect.stringMatching(/^store: the previous index could not be read \(store: the text of corpus\/ws\.md in passages\/[\w-]+\.bin does not match its checksum\); it was rebuilt from scratch\.$/)]);
    expect((await openIndex({ corpusDir, indexDir, embedder: null })).rebuilt).toBe(false);

    const again = (await readManifest(indexDir))!;
    const damaged = path.join(indexDir, again.generation, textsFileOf(rebuilt.index.passages.layout.packs[0]!.name));
    writeFileSync(damaged, Buffer.alloc(statSync(damaged).size, 'x'));
    // Nothing changed: no text is read, the damaged file is linked as it is…
    expect((await buildIndex({ corpusDir, indexDir, embedder: null })).summary.warnings).toEqual([]);
    // …and opening the index to answer checks every file it reads.
    const warnings: string[] = [];
    expect((await openIndex({ corpusDir, indexDir, embedder: null, warn: (w) => warnings.push(w) })).rebuilt).toBe(true);
    expect(warnings[0]).toMatch(/\.texts does not match its checksum/);
  });

  it(`keeps at most ${MAX_PACKS} packs over many one-document changes, merging the small ones and leaving the largest as written`, async () => {
    const many = path.join(root.dir, `many-${Math.random().toString(36).slice(2)}`);
    const manyCorpus = path.join(many, 'corpus');
    mkdirSync(manyCorpus, { recursive: true });
    for (let i = 0; i < 40; i++) writeFileSync(path.join(manyCorpus, `note-${i}.txt`), `Note ${i} is about topic ${i} and nothing else.\n\nIt has a second paragraph, number ${i}.\n`);
    for (const file of readdirSync(manyCorpus)) utimesSync(path.join(manyCorpus, file), LONG_AGO, LONG_AGO);
    const manyIndex = path.join(many, 'index');
    const first = await buildIndex({ corpusDir: manyCorpus, indexDir: manyIndex, embedder: null });
    const base = first.index.passages.layout.packs[0]!.name;
    const inodeOfBase = (generation: string): number => statSync(path.join(manyIndex, generation, base)).ino;
    const baseInode = inodeOfBase(first.index.manifest.generation);
    let index = first.index;
    for (let n = 1; n <= MAX_PACKS + 2; n++) {
      edit(manyCorpus, `note-${n}.txt`, (text) => `${text}Edited ${n} times.\n`);
      index = (await buildIndex({ corpusDir: manyCorpus, indexDir: manyIndex, embedder: null })).index;
      const packs = readdirSync(path.join(manyIndex, index.manifest.generation, 'passages')).filter((name) => name.endsWith('.bin'));
      expect(packs.length).toBeLessThanOrEqual(MAX_PACKS);
      expect(inodeOfBase(index.manifest.generation)).toBe(baseInode);
    }
    const fresh = (await buildIndex({ corpusDir: manyCorpus, indexDir: `${manyIndex}-fresh`, embedder: null })).index;
    const reopened = await loadIndex(manyIndex, index.manifest, manyCorpus, null);
    expect(reopened.chunks.map((chunk) => [chunk.id, chunk.text])).toEqual(fresh.chunks.map((chunk) => [chunk.id, chunk.text]));
    expect(reopened.documents).toEqual(fresh.documents);
  });

  it('given the index a running engine has loaded, reuses it when nothing changed and never modifies it when something did', async () => {
    const { index: live } = await buildIndex({ corpusDir, indexDir, embedder: counting });
    const same = await buildIndex({ corpusDir, indexDir, embedder: counting, current: live });
    // Nothing changed: the same graph (not read again), the same lexical arrays.
    expect(same.index.dense!.store.index).toBe(live.dense!.store.index);
    expect(same.index.lexical.postingSlots).toBe(live.lexical.postingSlots);

    edit(corpusDir, ARTICLE, (text) => text.replace('183 of 193 member states', '184 of 193 member states'));
    const changed = await buildIndex({ corpusDir, indexDir, embedder: counting, current: same.index });
    expect(changed.index.dense!.store.index).not.toBe(live.dense!.store.index);
    // The engine keeps answering from the loaded index until it swaps: untouched.
    const old = live.chunks.find((chunk) => chunk.text.includes('183 of 193'))!;
    const [best] = await searchDense(live.dense!, await tiny.embedQuery(old.text), 1);
    expect(live.chunks[best!.position]!.id).toBe(old.id);
    expect(live.dense!.liveCount).toBe(live.chunks.length);
    expect(searchLexical(live.lexical, '183 member states', 1).map((match) => live.chunks[match.position]!.id)).toEqual([old.id]);
  });

  it('given a running index loaded without its model (it failed to load at start-up), embeds only the changed passage: the saved vectors are read from disk', async () => {
    await buildIndex({ corpusDir, indexDir, embedder: counting });
    const lexicalOnly = await loadIndex(indexDir, (await readManifest(indexDir))!, corpusDir, null);
    expect(lexicalOnly.dense).toBeNull();
    edit(corpusDir, ARTICLE, (text) => text.replace('183 of 193 member states', '184 of 193 member states'));
    counting.embedded = 0;
    const { index, summary } = await buildIndex({ corpusDir, indexDir, embedder: counting, current: lexicalOnly });
    expect(counting.embedded).toBe(1);
    expect(summary.warnings).toEqual([]);
    expect(index.dense!.liveCount).toBe(index.chunks.length);
    const changed = index.chunks.findIndex((chunk) => chunk.text.includes('184 of 193'));
    const [best] = await searchDense(index.dense!, await tiny.embedQuery(index.chunks[changed]!.text), 1);
    expect(best!.position).toBe(changed);
  });

  it('frees the slots of a removed document, gives a passage that moved to a new document its saved vector, and answers like a fresh build', async () => {
    await buildIndex({ corpusDir, indexDir, embedder: counting });
    counting.embedded = 0;
    const moved = readFileSync(path.join(corpusDir, ARTICLE), 'utf8').split(/\n\s*\n/).find((paragraph) => paragraph.includes('Askar Shakirov'))!;
    rmSync(path.join(corpusDir, 'ws.md'));
    writeFileSync(path.join(corpusDir, 'quoted.md'), `# Quoted\n\n${moved.trim()}\n\nA sentence nobody wrote before about zebras.\n`);
    utimesSync(path.join(corpusDir, 'quoted.md'), LONG_AGO, LONG_AGO);

    const { index, summary } = await buildIndex({ corpusDir, indexDir, embedder: counting });
    // The heading and the zebra sentence are new; the moved paragraph's vector is reused.
    expect(counting.embedded).toBe(2);
    expect(summary.added).toBe(3);
    expect(summary.removed).toBeGreaterThan(0);
    expect(index.chunks.some((chunk) => chunk.source === 'corpus/ws.md')).toBe(false);
    expectSameLexicalResults(index, await buildFresh());
    const zebra = index.chunks.find((chunk) => chunk.text.includes('zebras'))!;
    const [best] = await searchDense(index.dense!, await tiny.embedQuery(zebra.text), 3);
    expect(index.chunks[best!.position]!.id).toBe(zebra.id);
  });

  it(`compacts the slots once more than ${MAX_FREE_SLOT_SHARE * 100}% are free: renumbered in passage order, graph rebuilt, same answers`, async () => {
    const first = await buildIndex({ corpusDir, indexDir, embedder: counting });
    // Removing three of six documents frees well over a quarter of the slots.
    for (const name of ['discord.js', 'vitest', 'hnswlib-node']) rmSync(path.join(corpusDir, `${name}.md`));
    counting.embedded = 0;
    const { index } = await buildIndex({ corpusDir, indexDir, embedder: counting });
    expect((first.index.manifest.slots - index.chunks.length) / first.index.manifest.slots).toBeGreaterThan(MAX_FREE_SLOT_SHARE);
    expect(counting.embedded).toBe(0);
    expect(index.manifest.slots).toBe(index.chunks.length);
    expect(Array.from(index.slots)).toEqual(index.chunks.map((_, position) => position));
    expectSameLexicalResults(index, await buildFresh());
    for (const chunk of index.chunks.filter((_, i) => i % 7 === 0)) {
      const [best] = await searchDense(index.dense!, await tiny.embedQuery(chunk.text), 1);
      expect(index.chunks[best!.position]!.text).toBe(chunk.text);
    }
    const reopened = await openIndex({ corpusDir, indexDir, embedder: tiny });
    expect(reopened.rebuilt).toBe(false);
    expect(reopened.index.dense!.liveCount).toBe(index.chunks.length);
  });

  const stepsBeforeTheSwap: BuildStep[] = ['read-previous', 'read-corpus', 'embed', 'update-indexes', 'write-files', 'rename-generation', 'swap-manifest'];
  it.each(stepsBeforeTheSwap)('leaves the previous index answering when the build fails at %s, and the next build succeeds', async (step) => {
    const first = await buildIndex({ corpusDir, indexDir, embedder: tiny });
    const manifestBefore = readFileSync(path.join(indexDir, 'manifest.json'), 'utf8');
    edit(corpusDir, ARTICLE, (text) => text.replace('183 of 193 member states', '184 of 193 member states'));
    await expect(buildIndex({ corpusDir, indexDir, embedder: tiny, checkpoint: (at) => { if (at === step) throw new Error(`injected at ${at}`); } })).rejects.toThrow(`injected at ${step}`);

    expect(readFileSync(path.join(indexDir, 'manifest.json'), 'utf8')).toBe(manifestBefore);
    expect(readdirSync(indexDir).sort()).toEqual([first.index.manifest.generation, 'manifest.json']);
    const previous = await loadIndex(indexDir, (await readManifest(indexDir))!, corpusDir, tiny);
    expect(previous.chunks.some((chunk) => chunk.text.includes('183 of 193'))).toBe(true);
    expect(searchLexical(previous.lexical, 'Kazakhstan', 1)).toHaveLength(1);
    expect(await searchDense(previous.dense!, await tiny.embedQuery('Kazakhstan'), 1)).toHaveLength(1);

    const next = await buildIndex({ corpusDir, indexDir, embedder: tiny });
    expect(next.summary.changed).toBe(1);
    expect((await openIndex({ corpusDir, indexDir, embedder: tiny })).rebuilt).toBe(false);
  });

  it('leaves the previous index answering when the process dies after writing the new generation but before the swap', async () => {
    await buildIndex({ corpusDir, indexDir, embedder: tiny });
    const manifestBefore = readFileSync(path.join(indexDir, 'manifest.json'), 'utf8');
    edit(corpusDir, ARTICLE, (text) => text.replace('183 of 193 member states', '184 of 193 member states'));
    const script = path.join(root.dir, `crash-${Math.random().toString(36).slice(2)}.mts`);
    writeFileSync(
      script,
      `import { buildIndex } from ${JSON.stringify(pathToFileURL(path.join(PROJECT_ROOT, 'src/store/build-index.ts')).href)};\n` +
        `await buildIndex({ corpusDir: ${JSON.stringify(corpusDir)}, indexDir: ${JSON.stringify(indexDir)}, embedder: null, checkpoint: (step) => { if (step === 'swap-manifest') process.exit(3); } });\n`,
    );
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    let status = 0;
    try {
      execFileSync(process.execPath, ['--import', tsx, script], { stdio: 'ignore', env: childEnv() });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).toBe(3);
    // The dead build's generation is on disk, but nothing points at it.
    expect(readdirSync(indexDir).filter((name) => name.startsWith('gen-'))).toHaveLength(2);
    expect(readFileSync(path.join(indexDir, 'manifest.json'), 'utf8')).toBe(manifestBefore);
    const previous = await loadIndex(indexDir, (await readManifest(indexDir))!, corpusDir, tiny);
    expect(previous.chunks.some((chunk) => chunk.text.includes('183 of 193'))).toBe(true);
    // The next build replaces it and clears the leftover.
    await buildIndex({ corpusDir, indexDir, embedder: tiny });
    expect(readdirSync(indexDir).filter((name) => name.startsWith('gen-'))).toHaveLength(1);
  });

  it('when old generations cannot be removed, says the new index is live and what is left, instead of failing', async () => {
    await buildIndex({ corpusDir, indexDir, embedder: null });
    const old = (await readManifest(indexDir))!.generation;
    edit(corpusDir, ARTICLE, (text) => text.replace('183 of 193 member states', '184 of 193 member states'));
    const { index, summary } = await buildIndex({
      corpusDir,
      indexDir,
      embedder: null,
      checkpoint: (step) => {
        if (step === 'remove-old-generations') throw new Error('EBUSY: resource busy');
      },
    });
    expect((await readManifest(indexDir))!.generation).toBe(index.manifest.generation);
    expect(existsSync(path.join(indexDir, old))).toBe(true);
    expect(summary.warnings).toHaveLength(1);
    expect(summary.warnings[0]).toMatch(/the new index is live, but old generations could not be removed \(EBUSY: resource busy\)/);
    expect(summary.warnings[0]).toContain(index.manifest.generation);
    expect(formatReindexSummary(summary)).toContain('the new index is live');
    expect(formatReindexSummary(summary)).not.toMatch(/unchanged/);
  });

  it('says so when the previous HNSW graph fails its checksum: rebuilt from the saved vectors, nothing embedded again', async () => {
    const first = await buildIndex({ corpusDir, indexDir, embedder: counting });
    flipByte(path.join(indexDir, first.index.manifest.generation, 'dense', 'hnswlib.index'));
    edit(corpusDir, ARTICLE, (text) => text.replace('183 of 193 member states', '184 of 193 member states'));
    counting.embedded = 0;

    const { index, summary } = await buildIndex({ corpusDir, indexDir, embedder: counting });
    expect(counting.embedded).toBe(1);
    expect(summary.warnings).toHaveLength(1);
    expect(summary.warnings[0]).toMatch(/^store: the previous HNSW graph was unreadable \(.*hnswlib\.index does not match its checksum\), so it was rebuilt from the saved vectors; no passage was embedded again for it\.$/);
    expect(formatReindexSummary(summary)).toContain('previous HNSW graph was unreadable');
    // The rebuilt graph holds every passage and finds the changed one by its own vector.
    expect(index.dense!.liveCount).toBe(index.chunks.length);
    const changed = index.chunks.findIndex((chunk) => chunk.text.includes('184 of 193 member states'));
    const [top] = await searchDense(index.dense!, await tiny.embedQuery(index.chunks[changed]!.text), 1);
    expect(top!.position).toBe(changed);
  });

  it('says so when the embedding cache is unreadable: everything embedded again, and the changes counted as they are', async () => {
    const first = await buildIndex({ corpusDir, indexDir, embedder: counting });
    // The keys are what a reindex reads to look new passages up (the vectors only for a text it finds there).
    flipByte(path.join(indexDir, first.index.manifest.generation, 'embedding-keys.bin'));
    edit(corpusDir, ARTICLE, (text) => text.replace('183 of 193 member states', '184 of 193 member states'));
    counting.embedded = 0;

    const { index, summary } = await buildIndex({ corpusDir, indexDir, embedder: counting });
    expect(counting.embedded).toBe(new Set(index.chunks.map((chunk) => chunk.text)).size);
    expect(summary).toMatchObject({ added: 0, changed: 1, removed: 0, reusedEmbeddings: 0 });
    expect(summary.warnings).toHaveLength(1);
    expect(summary.warnings[0]).toMatch(/embedding cache was unreadable \(.*embedding-keys\.bin does not match its checksum\), so all \d+ passage\(s\) were embedded again/);
    expect(formatReindexSummary(summary)).toContain('embedding cache was unreadable');
    // The cache written now is whole again.
    counting.embedded = 0;
    edit(corpusDir, ARTICLE, (text) => text.replace('184 of 193 member states', '185 of 193 member states'));
    expect((await buildIndex({ corpusDir, indexDir, embedder: counting })).summary.warnings).toEqual([]);
    expect(counting.embedded).toBe(1);
  });
});

describe('opening the index at start-up', () => {
  let root: { dir: string; cleanup: () => void };
  let corpusDir: string;
  let indexDir: string;
  beforeAll(() => (root = makeTempDir()));
  afterAll(() => root.cleanup());
  beforeEach(() => ({ corpusDir, indexDir } = makeProject(root.dir)));

  it('trusts a file whose size and time are as recorded without reading it, and reads one whose time moved', async () => {
    await buildIndex({ corpusDir, indexDir, embedder: null });
    // Same size, same time, other bytes: proof the file was not read (a hash would have seen it).
    edit(corpusDir, ARTICLE, (text) => text.replace('183 of 193', '381 of 193'), 'same');
    expect((await openIndex({ corpusDir, indexDir, embedder: null })).rebuilt).toBe(false);

    // Touched (a new time) but unchanged: read, compared, still current.
    const warnings: string[] = [];
    edit(corpusDir, 'ws.md', (text) => text);
    expect((await openIndex({ corpusDir, indexDir, embedder: null, warn: (w) => warnings.push(w) })).rebuilt).toBe(false);
    // Changed with a new time: rebuilt.
    edit(corpusDir, 'vitest.md', (text) => `${text}\nOne more line.\n`);
    expect((await openIndex({ corpusDir, indexDir, embedder: null, warn: (w) => warnings.push(w) })).rebuilt).toBe(true);
    expect(warnings).toEqual(['store: rebuilding the index: the corpus has changed since the index was built.']);
  });

  it('reads again a file changed within the clock tick of the last scan, even with its size and time as recorded', async () => {
    // Written just now: its time is too close to the build's scan to vouch for its content.
    const file = path.join(corpusDir, 'fresh.md');
    writeFileSync(file, 'A fresh document about lighthouses.\n');
    await buildIndex({ corpusDir, indexDir, embedder: null });
    const { mtime } = statSync(file);
    writeFileSync(file, 'A fresh document about lightbulbs!\n');
    utimesSync(file, mtime, mtime);
    const { index, rebuilt } = await openIndex({ corpusDir, indexDir, embedder: null });
    expect(rebuilt).toBe(true);
    expect(index.chunks.some((chunk) => chunk.text.includes('lightbulbs'))).toBe(true);
  });

  it('says a file\'s invalid front matter at every build and at start-up, also once the file is trusted unread', async () => {
    const file = path.join(corpusDir, 'notes.md');
    writeFileSync(file, '---\ntitle: [unclosed\n---\nThe council met on a rainy Tuesday in Geneva.\n');
    utimesSync(file, LONG_AGO, LONG_AGO);
    const said = /^corpus: corpus\/notes\.md: front matter is not valid YAML \(.*\); it was indexed as text$/;
    expect((await buildIndex({ corpusDir, indexDir, embedder: null })).summary.warnings).toEqual([expect.stringMatching(said)]);
    // Unchanged: not read again, and still said.
    const again = await buildIndex({ corpusDir, indexDir, embedder: null });
    expect(again.summary).toMatchObject({ added: 0, changed: 0, removed: 0 });
    expect(again.summary.warnings).toEqual([expect.stringMatching(said)]);
    const warnings: string[] = [];
    expect((await openIndex({ corpusDir, indexDir, embedder: null, warn: (w) => warnings.push(w) })).rebuilt).toBe(false);
    expect(warnings).toEqual([expect.stringMatching(said)]);
  });

  it('rebuilds an index of an older format instead of reading it', async () => {
    await buildIndex({ corpusDir, indexDir, embedder: null });
    const manifestFile = path.join(indexDir, 'manifest.json');
    writeFileSync(manifestFile, JSON.stringify({ ...JSON.parse(readFileSync(manifestFile, 'utf8')), formatVersion: 1 }));
    const warnings: string[] = [];
    expect((await openIndex({ corpusDir, indexDir, embedder: null, warn: (w) => warnings.push(w) })).rebuilt).toBe(true);
    expect(warnings.join()).toContain(`index format 1 is not the current ${INDEX_FORMAT_VERSION}`);
  });
});
