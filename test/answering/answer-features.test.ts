import { describe, expect, it } from 'vitest';
import { analyzeQuestion } from '../../src/answering/analyze-question.js';
import { ANSWER_FEATURES, computeAnswerFeatures, type AnswerFeature } from '../../src/answering/answer-features.js';
import { SENTENCE_FEATURES } from '../../src/answering/sentence-features.js';
import { TermStatistics } from '../../src/answering/term-statistics.js';
import { contextualize } from '../../src/conversation/contextualize.js';
import { passageOf } from './passage-fixture.js';

const FORM_FEATURES = ['asksWho', 'asksWhen', 'asksQuantity', 'asksWhere', 'asksWhy', 'asksWhich', 'asksYesNo'] as const satisfies readonly AnswerFeature[];

/** The question-form features of a question's answer, with the signals given (the ranking itself does not matter to them). */
function formFeaturesOf(question: string, signals: readonly string[]): Record<string, number> {
  const statistics = new TermStatistics([passageOf(['The commission met in Almaty in 2002.', 'It adopted 18 recommendations.'])]);
  const analysis = analyzeQuestion(question, contextualize(question, [], false), statistics, null);
  const best = SENTENCE_FEATURES.map(() => 0);
  const values = computeAnswerFeatures({ best, scores: [1, 0], probabilities: [0.7, 0.3], quoteProbability: 0.7 }, analysis, statistics, new Set(signals));
  return Object.fromEntries(FORM_FEATURES.map((name) => [name, values[ANSWER_FEATURES.indexOf(name)]!]));
}

describe('answer features: the form of the question (question-form signal)', () => {
  it.each([
    ['Who chaired the commission?', 'asksWho'],
    ['When did the commission meet?', 'asksWhen'],
    ['How many recommendations did the commission adopt?', 'asksQuantity'],
    ['Where did the commission meet?', 'asksWhere'],
    ['Why did the commission meet?', 'asksWhy'],
    ['Which city hosted the commission?', 'asksWhich'],
    ['What did the commission adopt?', 'asksWhich'],
    ['Did the commission meet in Almaty?', 'asksYesNo'],
  ])('gives "%s" the one form feature %s', (question, feature) => {
    const features = formFeaturesOf(question, ['question-form']);
    expect(Object.entries(features).filter(([, value]) => value === 1).map(([name]) => name)).toEqual([feature]);
  });

  it('gives a question with no question word none, and none to any question when the signal is left out', () => {
    expect(Object.values(formFeaturesOf('Tell me about the commission', ['question-form'])).every((value) => value === 0)).toBe(true);
    expect(Object.values(formFeaturesOf('How many recommendations did the commission adopt?', [])).every((value) => value === 0)).toBe(true);
  });
});
