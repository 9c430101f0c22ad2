import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKnowledgeBase, retrieveForQuestion } from '../../src/answering/answer-question.js';
import { loadAnswerModel } from '../../src/answering/answer-model.js';
import { buildIndex } from '../../src/store/build-index.js';
import type { CorpusIndex } from '../../src/store/index-files.js';
import { makeTempDir, writeCorpus } from '../helpers.js';

/**
 * In a corpus of several documents, the passages of the one document that holds most of a
 * question's words are not all crowded out by other documents' passages sharing a common
 * word with it (`retrieval.documentPassages`).
 */
const ZEBRAS = ['Zebra herds graze near the river in the dry season.', 'The zebra count rose again in the spring survey.', 'Lions follow the herds at a distance.'].join('\n\n');
const CATTLE = ['Cattle herds cross the river twice a day, and the river herds are counted.', 'River boats carry the herds when the river floods.', 'The river herds of the valley were sold.'].join('\n\n');

describe('candidates from the document a question is about', () => {
  let several: CorpusIndex;
  let one: CorpusIndex;
  let cleanup = (): void => {};
  beforeAll(async () => {
    const temp = makeTempDir();
    cleanup = temp.cleanup;
    const severalDir = writeCorpus(path.join(temp.dir, 'several'), { 'zebras.txt': `${ZEBRAS}\n`, 'cattle.txt': `${CATTLE}\n` });
    ({ index: several } = await buildIndex({ corpusDir: severalDir, indexDir: path.join(temp.dir, 'several', 'index'), embedder: null }));
    const oneDir = writeCorpus(path.join(temp.dir, 'one'), { 'zebras.txt': `${ZEBRAS}\n\n${CATTLE}\n` });
    ({ index: one } = await buildIndex({ corpusDir: oneDir, indexDir: path.join(temp.dir, 'one', 'index'), embedder: null }));
  });
  afterAll(() => cleanup());

  const question = 'Where do zebra herds graze by the river?';
  const documentsOf = async (index: CorpusIndex, documentPassages: number): Promise<string[]> => {
    const shipped = loadAnswerModel();
    const model = { ...shipped, retrieval: { ...shipped.retrieval, candidatePassages: 2, documentPassages } };
    const { hits } = await retrieveForQuestion(createKnowledgeBase(index, { model }), question, [], { retrievalK: 2, embedder: null });
    return hits.map((hit) => `${hit.chunk.documentId}: ${hit.chunk.text.slice(0, 16)}`);
  };

  it('adds the next passages of the document holding most of the question until it has as many as asked', async () => {
    const without = await documentsOf(several, 0);
    expect(without).toHaveLength(2);
    expect(without.filter((hit) => hit.startsWith('zebras'))).toHaveLength(1);
    const withDocument = await documentsOf(several, 2);
    expect(withDocument.slice(0, 2)).toEqual(without);
    expect(withDocument).toHaveLength(3);
    expect(withDocument[2]).toMatch(/^zebras/);
  });

  it('changes nothing in a corpus of one document', async () => {
    expect(await documentsOf(one, 2)).toEqual(await documentsOf(one, 0));
  });
});
