import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hit } from '../../src/domain.js';
import { retrieveHits } from '../../src/retrieval/retrieve-hits.js';
import { buildIndex } from '../../src/store/build-index.js';
import type { IndexEmbedder } from '../../src/store/dense-index.js';
import { type CorpusIndex, loadIndex, readManifest } from '../../src/store/index-files.js';
import { MAX_VECTOR_DELTA_ROWS } from '../../src/store/vector-delta.js';
import { ARTICLE_DIR, loadTinyEmbedder, makeTempDir, PROJECT_ROOT } from '../helpers.js';

const ARTICLE = 'kazakhstan-un-human-rights-council.txt';
const READMES = ['minisearch', 'hnswlib-node', 'discord.js', 'vitest', 'ws'];
const QUESTIONS = [
  'Who is Kazakhstan’s Human Rights Commissioner?',
  'How many member states voted for Kazakhstan?',
  'fuzzy prefix search with boosting',
  'approximate nearest neighbour index in cosine space',
  'websocket client and server',
  'snapshot testing with a test runner',
  'Which zebra crossing is painted in bright colours?',
  'the heron fishes at dawn on the quiet river',
  'Why does an otter float on its back?',
];
const LONG_AGO = new Date('2024-01-01T00:00:00Z');

/** A made-up document of many short paragraphs: more new passages than a vector delta holds. */
function longDocument(paragraphs: number, topic: string): string {
  const animals = ['heron', 'zebra', 'otter', 'lynx', 'ibis', 'marten', 'stork', 'newt'];
  return Array.from({ length: paragraphs }, (_, i) => `The ${animals[i % animals.length]} of ${topic} note ${i} walks past crossing ${i * 7} painted in colour ${i % 13}.`).join('\n\n');
}

/** What a question retrieves: each hit's passage, in order, with its lexical and dense scores. */
async function retrieve(index: CorpusIndex, embedder: IndexEmbedder, question: string): Promise<[string, number | null, number | null][]> {
  const hits: Hit[] = await retrieveHits(index, question, { k: 12, limit: 8, queryVector: await embedder.embedQuery(question) });
  return hits.map((hit) => [`${hit.chunk.id}\0${hit.chunk.text}`, hit.lexicalScore, hit.denseScore === null ? null : Math.round(hit.denseScore * 1e6) / 1e6]);
}

describe('a reindexed index', () => {
  let root: { dir: string; cleanup: () => void };
  let tiny: IndexEmbedder;
  let corpusDir: string;
  let indexDir: string;
  let edits = 0;

  beforeAll(async () => {
    root = makeTempDir();
    corpusDir = path.join(root.dir, 'corpus');
    indexDir = path.join(root.dir, 'index');
    mkdirSync(corpusDir, { recursive: true });
    cpSync(path.join(ARTICLE_DIR, ARTICLE), path.join(corpusDir, ARTICLE));
    for (const name of READMES) {
      const readme = readdirSync(path.join(PROJECT_ROOT, 'node_modules', name)).find((file) => /^readme\.md$/i.test(file))!;
      writeFileSync(path.join(corpusDir, `${name}.md`), readFileSync(path.join(PROJECT_ROOT, 'node_modules', name, readme), 'utf8').slice(0, 8_000));
    }
    writeFileSync(path.join(corpusDir, 'otters.md'), '# Otters\n\nAn otter floats on its back to crack shells.\n\nOtters hold hands while they sleep.\n');
    for (const file of readdirSync(corpusDir)) utimesSync(path.join(corpusDir, file), LONG_AGO, LONG_AGO);
    tiny = await loadTinyEmbedder(root.dir, corpusDir);
  });
  afterAll(() => root.cleanup());

  /** Writes (or, with null, removes) a corpus file, dated long ago but later than before, so a reindex trusts its time. */
  function put(file: string, text: string | null): void {
    const full = path.join(corpusDir, file);
    if (text === null) return rmSync(full);
    writeFileSync(full, text);
    const when = new Date(LONG_AGO.getTime() + ++edits * 86_400_000);
    utimesSync(full, when, when);
  }

  /** The same questions against a build from scratch of the corpus as it is now, and against the index reopened from disk. */
  async function expectAnswersOfAColdBuild(index: CorpusIndex): Promise<void> {
    const cold = (await buildIndex({ corpusDir, indexDir: path.join(root.dir, `cold-${edits}`), embedder: tiny })).index;
    const reopened = await loadIndex(indexDir, (await readManifest(indexDir))!, corpusDir, tiny);
    // What the answer scorer weighs words by: the same sentence counts.
    for (const candidate of [index, reopened]) {
      const { lexical } = candidate;
      expect([lexical.documentCount, lexical.totalFieldLength, lexical.sentenceCount]).toEqual([cold.lexical.documentCount, cold.lexical.totalFieldLength, cold.lexical.sentenceCount]);
      expect(lexical.terms).toEqual(cold.lexical.terms);
      expect(Array.from(lexical.sentenceFrequencies)).toEqual(Array.from(cold.lexical.sentenceFrequencies));
    }
    for (const question of QUESTIONS) {
      const expected = await retrieve(cold, tiny, question);
      expect(expected.length, question).toBeGreaterThan(0);
      expect(await retrieve(index, tiny, question), question).toEqual(expected);
      expect(await retrieve(reopened, tiny, question), question).toEqual(expected);
    }
  }

  it('answers like a cold build of the same corpus after every kind of change, from disk and in a running engine, with and without new base files', async () => {
    const inodeOf = (name: string): number => statSync(path.join(indexDir, readdirSync(indexDir).find((entry) => entry.startsWith('gen-'))!, name)).ino;
    let index = (await buildIndex({ corpusDir, indexDir, embedder: tiny })).index;
    const baseLexical = inodeOf('lexical.bin');
    const baseGraph = inodeOf('dense/hnswlib.index');
    /** A reindex as `npm run reindex` runs it, or as a running engine does, given the index it answers from. */
    const reindex = async (inEngine: boolean): Promise<CorpusIndex> => {
      const current = inEngine ? await loadIndex(indexDir, (await readManifest(indexDir))!, corpusDir, tiny) : undefined;
      return (await buildIndex({ corpusDir, indexDir, embedder: tiny, ...(current ? { current } : { answerFromResult: false }) })).index;
    };

    // One passage changed, from disk; then a document added, in a running engine; then one removed, from disk.
    put(ARTICLE, readFileSync(path.join(corpusDir, ARTICLE), 'utf8').replace('183 of 193 member states', '184 of 193 member states'));
    index = await reindex(false);
    await expectAnswersOfAColdBuild(index);
    put('zebras.md', '# Zebras\n\nThe zebra crossing is painted in bright colours near the school.\n\nA heron fishes at dawn on the quiet river.\n');
    index = await reindex(true);
    await expectAnswersOfAColdBuild(index);
    put('otters.md', null);
    index = await reindex(false);
    await expectAnswersOfAColdBuild(index);
    // Only deltas were written so far: the base BM25 index and graph are the first build's files.
    expect([inodeOf('lexical.bin'), inodeOf('dense/hnswlib.index')]).toEqual([baseLexical, baseGraph]);

    // A long document: more new passages than a delta holds, so new base files are written…
    put('notes.md', longDocument(MAX_VECTOR_DELTA_ROWS + 20, 'the marsh'));
    index = await reindex(true);
    expect(inodeOf('lexical.bin')).not.toBe(baseLexical);
    expect(inodeOf('dense/hnswlib.index')).not.toBe(baseGraph);
    await expectAnswersOfAColdBuild(index);
    // …and the next change is a delta over them again.
    const foldedLexical = inodeOf('lexical.bin');
    put('notes.md', longDocument(MAX_VECTOR_DELTA_ROWS + 20, 'the marsh').replace('note 3 walks', 'note 3 swims'));
    index = await reindex(false);
    expect(inodeOf('lexical.bin')).toBe(foldedLexical);
    await expectAnswersOfAColdBuild(index);
  });
});
