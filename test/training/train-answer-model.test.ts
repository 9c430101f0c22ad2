import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANSWER_FEATURES } from '../../src/answering/answer-features.js';
import { ANSWER_MODEL_FORMAT, type AnswerModel, parseAnswerModel } from '../../src/answering/answer-model.js';
import { SENTENCE_FEATURES } from '../../src/answering/sentence-features.js';
import type { ScoredRun } from '../../src/evaluation/threshold-sweep.js';
import { readLabelledDocument } from '../../src/evaluation/labelled-documents.js';
import { Lexicon } from '../../src/lexicon/lexicon.js';
import { WordNet } from '../../src/lexicon/wordnet.js';
import { collectExamples } from '../../src/training/collect-examples.js';
import { chooseThreshold, trainAnswerModel } from '../../src/training/train-answer-model.js';
import { PROJECT_ROOT } from '../helpers.js';

const RETRIEVAL: AnswerModel['retrieval'] = { expansionWeight: 0.4, maxSenses: 3, candidatePassages: 10 };
const zero = (features: readonly string[]) => ({ features: [...features], mean: features.map(() => 0), scale: features.map(() => 1), weights: features.map(() => 0) });
const PROVISIONAL: AnswerModel = { formatVersion: ANSWER_MODEL_FORMAT, sentence: zero(SENTENCE_FEATURES), answer: zero(ANSWER_FEATURES), abstainThreshold: 0.5, extraSentenceProbability: 1, retrieval: RETRIEVAL, trainedOn: null };
const fixtures = path.join(PROJECT_ROOT, 'test', 'fixtures');

describe('training the answer model', () => {
  it('fits a valid, deterministic model from two documents, judging each document by models fitted on the other', async () => {
    const article = readLabelledDocument(path.join(PROJECT_ROOT, 'corpus', 'kazakhstan-un-human-rights-council.txt'), [path.join(fixtures, 'questions.jsonl')], 'article');
    const bzip2 = readLabelledDocument(path.join(fixtures, 'labelled', 'tech-bzip2.md'), [path.join(fixtures, 'labelled', 'tech-bzip2.jsonl')], 'bzip2');
    const options = { model: PROVISIONAL, lexicon: new Lexicon(new WordNet(), { maxSenses: 3 }), embedder: null, retrievalK: 8 };
    const examples = [...(await collectExamples([article], [article], 'single', options)), ...(await collectExamples([bzip2], [bzip2], 'single', options))];
    const choices = { extraSentenceGrid: [0.3, 1.01], maxQuoteGrowth: 1.25, keepAnswers: 0.95 };

    const first = trainAnswerModel(examples, RETRIEVAL, choices);
    const second = trainAnswerModel(examples, RETRIEVAL, choices);
    expect(JSON.stringify(first.model)).toBe(JSON.stringify(second.model));
    expect(() => parseAnswerModel(JSON.stringify(first.model))).not.toThrow();
    expect(first.predictions).toHaveLength(article.questions.length + bzip2.questions.length);
    expect([0.3, 1.01]).toContain(first.model.extraSentenceProbability);
    // Held out, the article's questions are still mostly answered right by a model that never saw them.
    const articleRight = first.predictions.filter((p) => p.example.group === 'article' && p.example.answerable && p.correct).length;
    expect(articleRight / article.questions.filter((q) => q.kind !== 'unanswerable').length).toBeGreaterThan(0.8);
  }, 120_000);
});

describe('chooseThreshold', () => {
  const run = (kind: ScoredRun['kind'], confidence: number, holdsAnswer = kind !== 'unanswerable'): ScoredRun => ({ kind, confidence, holdsAnswer, quoteChars: 100 });

  it('picks the highest threshold that keeps the share of right answers asked for, averaged over documents', () => {
    const documentA = [run('answerable', 0.9), run('answerable', 0.8), run('answerable', 0.35), run('answerable', 0.3), run('unanswerable', 0.2)];
    const documentB = [run('answerable', 0.95), run('unanswerable', 0.1)];
    // Keeping 3 of A's 4 right answers and B's one averages 87.5%: allowed up to 0.35.
    expect(chooseThreshold([documentA, documentB], 0.85)).toBe(0.35);
    expect(chooseThreshold([documentA, documentB], 1)).toBe(0.3);
  });
});
