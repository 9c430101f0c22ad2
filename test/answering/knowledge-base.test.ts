import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion, collectCandidates, createKnowledgeBase, estimateConfidence, rankCandidates } from '../../src/answering/answer-question.js';
import { selectQuotes } from '../../src/answering/select-quotes.js';
import { loadAnswerModel } from '../../src/answering/answer-model.js';
import { Thesaurus } from '../../src/lexicon/thesaurus.js';
import { buildIndex } from '../../src/store/build-index.js';
import type { CorpusIndex } from '../../src/store/index-files.js';
import { makeTempDir, writeCorpus } from '../helpers.js';

describe('a knowledge base’s association sources', () => {
  let index: CorpusIndex;
  let cleanup = (): void => {};
  beforeAll(async () => {
    const temp = makeTempDir();
    cleanup = temp.cleanup;
    const corpusDir = writeCorpus(temp.dir, { 'note.txt': 'The mouthpiece of the ministry spoke on Monday. The campaign ended in June.\n' });
    ({ index } = await buildIndex({ corpusDir, indexDir: path.join(temp.dir, 'index'), embedder: null }));
  });
  afterAll(() => cleanup());

  it('reads questions with WordNet’s glosses only when the model uses them', () => {
    const shipped = loadAnswerModel();
    expect(createKnowledgeBase(index, { model: { ...shipped, signals: shipped.signals.filter((s) => s !== 'gloss') } }).associations).toEqual([]);
    expect(createKnowledgeBase(index, { model: { ...shipped, signals: [...shipped.signals, 'gloss'] } }).associations.map((source) => source.source)).toEqual(['gloss']);
  });

  it('refuses a model that uses the thesaurus when none is given, and reads questions with the one given', async () => {
    const shipped = loadAnswerModel();
    const model = { ...shipped, signals: [...shipped.signals, 'thesaurus'] };
    expect(() => createKnowledgeBase(index, { model })).toThrow(/answering: the answer model uses the thesaurus/);
    const thesaurus = new Thesaurus('spokesman,mouthpiece\nmouthpiece,spokesman\n');
    const knowledge = createKnowledgeBase(index, { model, associations: [thesaurus] });
    const set = await collectCandidates(knowledge, 'What did the spokesman say?', [], { retrievalK: 8, embedder: null });
    expect(set.analysis.terms.find((term) => term.stem === 'spokesman')?.associations.map((a) => a.words.join(' '))).toEqual(['mouthpiece']);
  });

  it('builds its passage directory once, on first use, and finds every passage in it', () => {
    const knowledge = createKnowledgeBase(index);
    const directory = knowledge.chunks;
    expect(knowledge.chunks).toBe(directory);
    for (const chunk of index.chunks) expect(directory.get(chunk.id)).toBe(chunk);
  });

  it('decides on the model’s own probability, and never shows a refused answer’s confidence at or above the threshold', async () => {
    const knowledge = createKnowledgeBase(index);
    const { model } = knowledge;
    const probabilityOf = async (question: string): Promise<number> => {
      const set = await collectCandidates(knowledge, question, [], { retrievalK: 8, embedder: null });
      const ranking = rankCandidates(model, set.features);
      const selection = selectQuotes(set.candidates, ranking, model.extraSentenceProbability, knowledge, { followingSentenceProbability: model.followingSentenceProbability });
      return estimateConfidence(knowledge, set, ranking, selection.probability);
    };
    // A question whose probability rounds up to three decimals: just under that rounded value, as a threshold, it must be refused.
    // About half of all probabilities do; fourteen questions make it near certain that one does, whatever the fitted model.
    const questions = [
      'When did the campaign end?', 'Who spoke on Monday?', 'What did the mouthpiece say?', 'When did the ministry speak?', 'What ended in June?', 'Which ministry spoke?',
      'When did the mouthpiece speak?', 'What happened in June?', 'Who spoke?', 'What ended?', 'When did the campaign start?', 'Which campaign ended in June?',
      'What did the ministry do on Monday?', 'Did the campaign end in June?',
    ];
    const probabilities = await Promise.all(questions.map(probabilityOf));
    const at = probabilities.findIndex((p) => Math.round(p * 1000) / 1000 > p);
    expect(at).toBeGreaterThanOrEqual(0);
    const [question, probability] = [questions[at]!, probabilities[at]!];
    const options = { retrievalK: 8, maxQuestionChars: 1000, embedder: null };
    const threshold = Math.round(probability * 1000) / 1000;
    const refused = await answerQuestion(knowledge, question, [], { ...options, abstainThreshold: threshold });
    expect(refused.abstained).toBe(true);
    expect(refused.confidence).toBeLessThan(threshold);
    // At its own probability it is answered, and the confidence shown is not above it.
    const answered = await answerQuestion(knowledge, question, [], { ...options, abstainThreshold: probability });
    expect(answered.abstained).toBe(false);
    expect(answered.confidence).toBeLessThanOrEqual(probability);
  });
});
