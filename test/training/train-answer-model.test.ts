import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ANSWER_FEATURES } from '../../src/answering/answer-features.js';
import { type AnswerModel, parseAnswerModel } from '../../src/answering/answer-model.js';
import { ANSWER_FORMS } from '../../src/answering/answer-forms.js';
import type { ScoredRun } from '../../src/evaluation/threshold-sweep.js';
import { readLabelledDocument } from '../../src/evaluation/labelled-documents.js';
import { Lexicon } from '../../src/lexicon/lexicon.js';
import { WordNet } from '../../src/lexicon/wordnet.js';
import { cleanQuestion } from '../../src/answering/clean-question.js';
import { collectExamples, provisionalModel, type QuestionExample, withSignals } from '../../src/training/collect-examples.js';
import { chooseThreshold, foldDocuments, type HeldOutPrediction, trainAnswerModel } from '../../src/training/train-answer-model.js';
import { PROJECT_ROOT } from '../helpers.js';

const RETRIEVAL: AnswerModel['retrieval'] = { expansionWeight: 0.4, maxSenses: 3, candidatePassages: 8 };
const PROVISIONAL = provisionalModel(RETRIEVAL, ANSWER_FORMS);
const COLLECTED = { retrieval: RETRIEVAL, signals: [...ANSWER_FORMS] };
const CHOICES = { extraSentenceGrid: [0.3, 1.01], followingSentenceGrid: [0.05, 1.01], maxQuoteGrowth: 1.25, keepAnswers: 0.95 };
const fixtures = path.join(PROJECT_ROOT, 'test', 'fixtures');
const labelled = (name: string) => readLabelledDocument(path.join(fixtures, 'labelled', `${name}.md`), [path.join(fixtures, 'labelled', `${name}.jsonl`)], name);

describe('training the answer model, held out by document all the way', () => {
  let examples: QuestionExample[];
  let articleQuestions: number;
  beforeAll(async () => {
    const article = await readLabelledDocument(
      path.join(PROJECT_ROOT, 'corpus', 'kazakhstan-un-human-rights-council.txt'),
      [path.join(fixtures, 'questions.jsonl'), path.join(fixtures, 'chains.jsonl')],
      'article',
    );
    articleQuestions = article.questions.length;
    const documents = [article, await labelled('news-cambodia-election'), await labelled('news-nasa-pace-launch')];
    const options = { model: PROVISIONAL, lexicon: new Lexicon(new WordNet(), { maxSenses: 3 }), embedder: null, retrievalK: 8 };
    examples = [];
    for (const document of documents) examples.push(...(await collectExamples([document], [document], 'single', options)));
  }, 60_000);

  it('fits a valid, deterministic model, and judges each document by the procedure run without it', () => {
    const first = trainAnswerModel(examples, COLLECTED, CHOICES);
    const second = trainAnswerModel(examples, COLLECTED, CHOICES);
    expect(JSON.stringify(first.model)).toBe(JSON.stringify(second.model));
    expect(() => parseAnswerModel(JSON.stringify(first.model))).not.toThrow();
    expect(first.predictions).toHaveLength(examples.length);
    expect(first.folds.map((fold) => fold.group)).toEqual(['article', 'news-cambodia-election', 'news-nasa-pace-launch']);
    expect([0.3, 1.01]).toContain(first.model.extraSentenceProbability);
    expect([0.05, 1.01]).toContain(first.model.followingSentenceProbability);
    expect(first.folds.every((fold) => [0.05, 1.01].includes(fold.followingSentenceProbability))).toBe(true);
    // Held out, the article's questions are still mostly answered right by models that never saw them.
    const article = first.predictions.filter((p) => p.example.group === 'article' && p.example.answerable);
    expect(article.filter((p) => p.correct).length / article.length).toBeGreaterThan(0.75);
    expect(first.predictions.filter((p) => p.example.group === 'article')).toHaveLength(articleQuestions);
  }, 30_000);

  it("takes what an earlier turn quoted to be one sentence of its best-retrieved passage, and gives it only to a follow-up that is not restated", () => {
    const followUps = examples.filter((e) => e.followUp);
    // A follow-up that only names something new is read as the earlier question asked of it ("and a Senator?"): the earlier quote was about what it replaces.
    const restated = followUps.filter((e) => e.set.analysis.text !== cleanQuestion(e.question.turns!.at(-1)!));
    const plain = followUps.filter((e) => !restated.includes(e));
    expect(plain.length).toBeGreaterThan(10);
    expect(restated.length).toBeGreaterThan(0);
    for (const e of plain) {
      const [place, ...more] = e.set.analysis.previousQuotes;
      expect(more).toEqual([]);
      // The passage stood in for the quote is the one the chunk-level features know as quoted…
      expect(e.set.analysis.previousChunkIds).toEqual(new Set([place!.chunkId]));
      // …and the place is exactly one of its sentences.
      const chunk = e.knowledge.chunks.get(place!.chunkId)!;
      expect(chunk.sentences.some((sentence) => sentence.start === place!.start && sentence.end === place!.end)).toBe(true);
      expect(chunk.documentId).toBe(place!.documentId);
    }
    for (const e of restated) {
      expect(e.set.analysis.previousQuotes).toEqual([]);
      expect(e.set.analysis.previousChunkIds.size).toBe(1);
    }
    // A question read as standing alone has no previous answer.
    expect(examples.filter((e) => !e.followUp).every((e) => e.set.analysis.previousQuotes.length === 0)).toBe(true);
  });

  it('turns a signal the answer model alone reads on and off without collecting again (question-form, for --ablate)', () => {
    const asks = ANSWER_FEATURES.flatMap((feature, i) => (feature.startsWith('asks') ? [i] : []));
    const weightsWith = (signals: string[]) => {
      const model = trainAnswerModel(withSignals(examples, signals), { ...COLLECTED, signals }, CHOICES).model;
      return asks.map((i) => model.answer.weights[i]!);
    };
    // Collected without it, the examples give the question's form once it is asked for…
    expect(weightsWith([...ANSWER_FORMS, 'question-form']).some((weight) => weight !== 0)).toBe(true);
    // …and nothing when it is left out again.
    expect(weightsWith([...ANSWER_FORMS]).every((weight) => weight === 0)).toBe(true);
  }, 60_000);

  it('leaves a document’s held-out predictions unchanged when its labels are flipped, while the other documents’ change', () => {
    const before = trainAnswerModel(examples, COLLECTED, CHOICES);
    const flipped = examples.map((e) => (e.group === 'news-cambodia-election' ? flipLabels(e) : e));
    const after = trainAnswerModel(flipped, COLLECTED, CHOICES);
    const decisions = (predictions: readonly HeldOutPrediction[], group: string) =>
      predictions
        .filter((p) => p.example.group === group)
        .map((p) => [p.confidence, p.threshold, p.extraSentenceProbability, p.quoteChars, p.followUpProbability, p.followUpDecision]);
    expect(decisions(after.predictions, 'news-cambodia-election')).toEqual(decisions(before.predictions, 'news-cambodia-election'));
    // The flip is real: documents fitted on the flipped labels are judged differently.
    expect(decisions(after.predictions, 'article')).not.toEqual(decisions(before.predictions, 'article'));
  }, 30_000);

  it('fits boosted answer trees deterministically, into a valid file, still judging each document without its labels', () => {
    const trees = { ...CHOICES, answerModel: { kind: 'trees', from: 'linear', boost: { rounds: 20, depth: 2, shrinkage: 0.1, minLeafWeight: 5, l2: 1, bins: 16 } } } as const;
    const first = trainAnswerModel(examples, COLLECTED, trees);
    expect(JSON.stringify(trainAnswerModel(examples, COLLECTED, trees).model)).toBe(JSON.stringify(first.model));
    expect(first.model.answerTrees?.trees).toHaveLength(20);
    const read = parseAnswerModel(JSON.stringify(first.model));
    expect(read.answerTrees?.trees.length).toBe(20);
    // The trees change the confidences the linear model alone gives.
    const linear = trainAnswerModel(examples, COLLECTED, CHOICES);
    expect(first.predictions.map((p) => p.confidence)).not.toEqual(linear.predictions.map((p) => p.confidence));
    const flipped = trainAnswerModel(
      examples.map((e) => (e.group === 'news-cambodia-election' ? flipLabels(e) : e)),
      COLLECTED,
      trees,
    );
    const confidences = (predictions: readonly HeldOutPrediction[]) => predictions.filter((p) => p.example.group === 'news-cambodia-election').map((p) => [p.confidence, p.threshold]);
    expect(confidences(flipped.predictions)).toEqual(confidences(first.predictions));
  }, 30_000);
});

/** Every label of an example turned around: answerable ↔ not, which sentences answer, follows up ↔ stands alone. */
function flipLabels(example: QuestionExample): QuestionExample {
  const kind = example.question.kind === 'unanswerable' ? 'answerable' : 'unanswerable';
  const labelled = example.otherReading ?? { set: example.set, positives: example.positives };
  return {
    ...example,
    question: { ...example.question, kind, answers: kind === 'answerable' ? ['Kazakhstan'] : [] },
    answerable: kind === 'answerable',
    set: labelled.set,
    positives: labelled.positives.map((positive) => !positive),
    followUp: example.otherReading ? !example.followUp : example.followUp,
    otherReading: example.otherReading ? { set: example.set, positives: example.positives.map((positive) => !positive) } : null,
  };
}

describe('foldDocuments (the documents a held-out document’s model is fitted on)', () => {
  const groups = ['article', 'book', 'faq', 'news-a', 'news-b', 'squad-x', 'tech'];

  it('is every other document unless a count is asked for, or the count covers them all', () => {
    expect(foldDocuments(groups, 'faq')).toEqual(['article', 'book', 'news-a', 'news-b', 'squad-x', 'tech']);
    expect(foldDocuments(groups, 'faq', 6)).toEqual(foldDocuments(groups, 'faq'));
    expect(foldDocuments(groups, 'faq', 10)).toEqual(foldDocuments(groups, 'faq'));
  });

  it('draws that many of the others, the same on every run, differently for each held-out document', () => {
    const draws = groups.map((heldOut) => foldDocuments(groups, heldOut, 3));
    groups.forEach((heldOut, i) => {
      expect(draws[i]).toHaveLength(3);
      expect(draws[i]).not.toContain(heldOut);
      expect(new Set(draws[i]).size).toBe(3);
      expect(draws[i]!.every((group) => groups.includes(group))).toBe(true);
      expect(foldDocuments(groups, heldOut, 3)).toEqual(draws[i]);
    });
    expect(new Set(draws.map((draw) => [...draw].sort().join(','))).size).toBeGreaterThan(1);
  });

  it('refuses a fold of fewer than two documents, or of part of one', () => {
    expect(() => foldDocuments(groups, 'faq', 1)).toThrow(/at least two documents/);
    expect(() => foldDocuments(groups, 'faq', 2.5)).toThrow(/at least two documents/);
  });
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
