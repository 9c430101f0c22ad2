import type { QuestionAnalysis } from './analyze-question.js';
import { FORM_FEATURE_NAMES, FORM_FEATURES, type FormFeature } from './question-form.js';
import { SENTENCE_FEATURES, type SentenceFeature } from './sentence-features.js';
import type { TermStatistics } from './term-statistics.js';

/**
 * Features of a whole answer — the quote the ranker picked, and how sure the ranking
 * was — for the model that decides whether to answer at all. Like the sentence
 * features, the weights are fitted (answer-model.json).
 */
export const ANSWER_FEATURES = [
  'bias',
  /** The best sentence's ranking score. */
  'topScore',
  /** How far ahead of the second sentence it is. */
  'margin',
  /** Its softmax probability among the candidates. */
  'topProbability',
  /** Probability mass of the sentences the quote holds. */
  'quoteProbability',
  'coverExact',
  /** Synonyms, derivations and pertainyms together. */
  'coverRelated',
  'coverHypernym',
  'coverPassage',
  'coverRarest',
  'missingInDocument',
  'rarestMissingInDocument',
  'uncoveredRarest',
  'antonym',
  'namesMissingInDocument',
  'namesMissingInSentence',
  'numberMissingInSentence',
  'formMatch',
  'specificForm',
  'causeMatch',
  'definesSubject',
  'settlesYesNo',
  'entityMatch',
  /** Share of the question's own weight on words the corpus never uses, nor any alternative of them. */
  'unknownToCorpus',
  /** log(1 + number of the question's own content words). */
  'questionTerms',
  'isFollowUp',
  /** The question says "not", "never", "n't"… (adversarial rewordings often do). */
  'negation',
  /** The best sentence's share of the question held only through a WordNet gloss, or a thesaurus (optional signals). */
  'coverGloss',
  'coverThesaurus',
  'substitutedWord',
  /**
   * The question's broad form (question-form.ts), one feature each; a question with no
   * question word ("Tell me about…") has none. Held out, questions of some forms are
   * answerable less often than others ("who", "how many"), whatever their best sentence
   * (optional signal).
   */
  ...FORM_FEATURE_NAMES,
  /** The best sentence names a kind of what a "which X" question asks for, or none (optional signal `kind`). */
  'kindMatch',
] as const;

export type AnswerFeature = (typeof ANSWER_FEATURES)[number];

const NEGATION = /\b(?:not|never|no|none|neither|nor|without)\b|n't\b/i;

/** What the answer features read: the best candidate's features and the ranking. */
export interface RankedSummary {
  /** Sentence features of the best candidate. */
  best: readonly number[];
  scores: readonly number[];
  probabilities: readonly number[];
  /** Sum of the probabilities of the sentences in the quote. */
  quoteProbability: number;
}

export function computeAnswerFeatures(summary: RankedSummary, analysis: QuestionAnalysis, statistics: TermStatistics, signals: ReadonlySet<string>): number[] {
  const form = signals.has('question-form') ? analysis.form : null;
  const sentence = (name: SentenceFeature): number => summary.best[SENTENCE_FEATURES.indexOf(name)]!;
  const sorted = [...summary.scores].sort((a, b) => b - a);
  const own = analysis.terms.filter((term) => term.weight >= 1);
  const ownWeight = own.reduce((total, term) => total + term.idf, 0);
  const unknownWeight = own
    .filter((term) => !statistics.has(term.stem) && !term.alternatives.some((alternative) => alternative.stems.every((stem) => statistics.has(stem))))
    .reduce((total, term) => total + term.idf, 0);
  const values: Record<AnswerFeature, number> = {
    bias: 1,
    topScore: sorted[0] ?? 0,
    margin: sorted.length > 1 ? sorted[0]! - sorted[1]! : 5,
    topProbability: Math.max(...summary.probabilities, 0),
    quoteProbability: summary.quoteProbability,
    coverExact: sentence('coverExact'),
    coverRelated: sentence('coverSynonym') + sentence('coverDerivation') + sentence('coverPertainym'),
    coverHypernym: sentence('coverHypernym'),
    coverPassage: sentence('coverPassage'),
    coverRarest: sentence('coverRarest'),
    missingInDocument: sentence('missingInDocument'),
    rarestMissingInDocument: sentence('rarestMissingInDocument'),
    uncoveredRarest: sentence('uncoveredRarest'),
    antonym: sentence('antonym'),
    namesMissingInDocument: sentence('namesMissingInDocument'),
    namesMissingInSentence: sentence('namesMissingInSentence'),
    numberMissingInSentence: sentence('numberMissingInSentence'),
    formMatch: sentence('formMatch'),
    specificForm: sentence('specificForm'),
    causeMatch: sentence('causeMatch'),
    definesSubject: sentence('definesSubject'),
    settlesYesNo: sentence('settlesYesNo'),
    entityMatch: sentence('entityMatch'),
    unknownToCorpus: ownWeight === 0 ? 0 : unknownWeight / ownWeight,
    questionTerms: Math.log(1 + own.length),
    isFollowUp: analysis.isFollowUp ? 1 : 0,
    negation: NEGATION.test(analysis.text) ? 1 : 0,
    coverGloss: sentence('coverGloss'),
    coverThesaurus: sentence('coverThesaurus'),
    substitutedWord: sentence('substitutedWord'),
    ...(Object.fromEntries(FORM_FEATURE_NAMES.map((name) => [name, form === FORM_FEATURES[name] ? 1 : 0])) as Record<FormFeature, number>),
    kindMatch: sentence('kindMatch'),
  };
  return ANSWER_FEATURES.map((name) => values[name]);
}
