import { readFileSync } from 'node:fs';
import { FOLLOW_UP_FEATURES } from '../conversation/follow-up-features.js';
import { ANSWER_FEATURES } from './answer-features.js';
import type { AssociationSource } from '../lexicon/word-associations.js';
import { OPTIONAL_SIGNALS, SENTENCE_FEATURES, SIGNAL_FEATURES } from './sentence-features.js';
import { scoreTrees, type TreeEnsemble, validateTreeEnsemble } from './tree-ensemble.js';

/**
 * The fitted answer model: which sentence answers (a linear ranker, softmax over a
 * question's candidates) and whether the best quote answers at all (logistic, a
 * calibrated probability). Its weights and every constant that decides an answer live
 * in answer-model.json, written by `npm run train` (src/training/); nothing here is set
 * by hand.
 */

/** A linear function over standardized features: w · ((x − mean) / scale). */
export interface LinearModel {
  features: string[];
  mean: number[];
  scale: number[];
  weights: number[];
}

/** Whether a question asked after others follows up on the last: logistic over FOLLOW_UP_FEATURES. */
export interface FollowUpModel {
  model: LinearModel;
  /** Probability from which a question is read as a follow-up. */
  threshold: number;
}

export interface AnswerModel {
  formatVersion: number;
  /** Decides whether the conversation's last question is context for this one. */
  followUp: FollowUpModel;
  /** Ranks candidate sentences: softmax of this score over one question's candidates. */
  sentence: LinearModel;
  /** P(the quote answers the question): sigmoid of this score plus `answerTrees`'. */
  answer: LinearModel;
  /**
   * Boosted regression trees added to `answer`'s score, or null for a linear answer model.
   * Trees fitted from the base rate alone come with an `answer` that has only a bias.
   */
  answerTrees: TreeEnsemble | null;
  /** The optional signals (finer answer forms…) the features use: those that added something held out. */
  signals: string[];
  /** Confidence under which the bot abstains (chosen on held-out documents; see `trainedOn`). */
  abstainThreshold: number;
  /** A sentence other than the best joins the quote when its probability is at least this. */
  extraSentenceProbability: number;
  /**
   * The sentence after a quote, when it opens by referring back to it ("This…", "It…"),
   * joins when its probability is at least this (absent: never). Chosen with
   * `extraSentenceProbability`, held out inside the fit.
   */
  followingSentenceProbability?: number;
  retrieval: {
    /** BM25 weight of a WordNet alternative relative to the question's own word (1). */
    expansionWeight: number;
    /** WordNet senses followed per word. */
    maxSenses: number;
    /** Passages whose sentences are candidates. */
    candidatePassages: number;
    /**
     * Association sources (WordNet glosses, a thesaurus) whose words BM25 also searches,
     * at `weight` relative to the question's own word; absent: none (as measured so far).
     */
    associationExpansion?: { sources: AssociationSource[]; weight: number };
    /**
     * Whether BM25 also searches the WordNet is-a neighbours of a question word the corpus
     * never uses (otherwise they only inform the scorer); absent: no.
     */
    hypernymsOfAbsentWords?: boolean;
    /**
     * In a corpus of several documents, the fewest candidate passages taken from the
     * document that holds most of the question's words (among the passages three times
     * `candidatePassages` deep); absent or 0: candidates are the best passages, whatever
     * their documents.
     */
    documentPassages?: number;
  };
  /** What the model was fitted on and how it did on held-out documents (for people, not code). */
  trainedOn: unknown;
}

/** 3: `answerTrees` (null, or boosted trees added to the answer model's score). */
export const ANSWER_MODEL_FORMAT = 3;
const MODEL_FILE = new URL('./answer-model.json', import.meta.url);

let loaded: AnswerModel | null = null;

/** The fitted model shipped in src/answering/answer-model.json (read once). */
export function loadAnswerModel(): AnswerModel {
  loaded ??= parseAnswerModel(readFileSync(MODEL_FILE, 'utf8'));
  return loaded;
}

/**
 * Validates a model file against the features this code computes; throws saying to
 * retrain. A file fitted before a signal's features existed is read with them at weight
 * 0, as long as it does not use that signal (the features are then always 0 anyway).
 */
export function parseAnswerModel(json: string): AnswerModel {
  const model = JSON.parse(json) as AnswerModel;
  const retrain = 'run `npm run train` to refit it';
  if (model.formatVersion !== ANSWER_MODEL_FORMAT) throw new Error(`answering: answer-model.json has format ${model.formatVersion}, not ${ANSWER_MODEL_FORMAT}; ${retrain}`);
  const unknown = (model.signals ?? [null]).filter((signal) => !(OPTIONAL_SIGNALS as readonly unknown[]).includes(signal));
  if (unknown.length > 0) throw new Error(`answering: answer-model.json names signals this code does not compute (${unknown.join(', ')}); ${retrain}`);
  model.sentence = addUnusedSignalFeatures(model.sentence, SENTENCE_FEATURES, model.signals);
  model.answer = addUnusedSignalFeatures(model.answer, ANSWER_FEATURES, model.signals);
  checkFeatures('sentence', model.sentence, SENTENCE_FEATURES, retrain);
  checkFeatures('answer', model.answer, ANSWER_FEATURES, retrain);
  if (model.answerTrees === undefined) throw new Error(`answering: answer-model.json has no answerTrees (null for a linear answer model); ${retrain}`);
  if (model.answerTrees !== null) {
    const trees = validateTreeEnsemble(model.answerTrees, ANSWER_FEATURES);
    if ('error' in trees) throw new Error(`answering: answer-model.json's answerTrees ${trees.error}; ${retrain}`);
    model.answerTrees = trees.ensemble;
  }
  checkFeatures('followUp', model.followUp?.model ?? { features: [], mean: [], scale: [], weights: [] }, FOLLOW_UP_FEATURES, retrain);
  return model;
}

/**
 * The model with the code's features it lacks put in at weight 0 — only features that
 * optional signals alone set, none of which the model uses. Anything else is left for
 * `checkFeatures` to refuse.
 */
function addUnusedSignalFeatures(linear: LinearModel, expected: readonly string[], signals: readonly string[]): LinearModel {
  if (![linear?.features, linear?.mean, linear?.scale, linear?.weights].every(Array.isArray) || linear.features.length === expected.length) return linear;
  const missing = expected.filter((feature) => !linear.features.includes(feature));
  const addable = missing.every((feature) => SIGNAL_FEATURES[feature]?.every((signal) => !signals.includes(signal)) ?? false);
  const inOrder = expected.filter((feature) => !missing.includes(feature)).every((feature, i) => linear.features[i] === feature);
  if (missing.length === 0 || !addable || !inOrder || linear.features.length + missing.length !== expected.length) return linear;
  const at = (vector: readonly number[], fill: number) => expected.map((feature) => (missing.includes(feature) ? fill : vector[linear.features.indexOf(feature)]!));
  return { features: [...expected], mean: at(linear.mean, 0), scale: at(linear.scale, 1), weights: at(linear.weights, 0) };
}

function checkFeatures(name: string, linear: LinearModel, expected: readonly string[], retrain: string): void {
  const same = linear.features.length === expected.length && linear.features.every((feature, i) => feature === expected[i]);
  if (!same) throw new Error(`answering: answer-model.json's ${name} features differ from the code's; ${retrain}`);
  for (const vector of [linear.mean, linear.scale, linear.weights]) {
    if (vector.length !== expected.length || vector.some((x) => !Number.isFinite(x))) throw new Error(`answering: answer-model.json's ${name} model is malformed; ${retrain}`);
  }
}

/** The linear score of one feature vector. */
export function scoreLinear(model: LinearModel, features: readonly number[]): number {
  let score = 0;
  for (let i = 0; i < features.length; i++) score += model.weights[i]! * ((features[i]! - model.mean[i]!) / model.scale[i]!);
  return score;
}

/** P(the quote answers the question) for one vector of answer features: the linear score plus the trees'. */
export function estimateAnswerProbability(model: Pick<AnswerModel, 'answer' | 'answerTrees'>, features: readonly number[]): number {
  return sigmoid(scoreLinear(model.answer, features) + (model.answerTrees ? scoreTrees(model.answerTrees, features) : 0));
}

/** Softmax of scores (stable). */
export function softmax(scores: readonly number[]): number[] {
  const top = Math.max(...scores);
  const exps = scores.map((score) => Math.exp(score - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((value) => value / total);
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
