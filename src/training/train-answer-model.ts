import { ANSWER_FEATURES, computeAnswerFeatures } from '../answering/answer-features.js';
import { ANSWER_MODEL_FORMAT, type AnswerModel, estimateAnswerProbability, type FollowUpModel, type LinearModel, scoreLinear } from '../answering/answer-model.js';
import { RELATED_PASSAGES, rankCandidates, type Ranking } from '../answering/answer-question.js';
import { cleanQuestion } from '../answering/clean-question.js';
import { asksForTitle } from '../answering/question-form.js';
import { selectQuotes, selectRelated } from '../answering/select-quotes.js';
import { SENTENCE_FEATURES } from '../answering/sentence-features.js';
import { estimateFollowUp } from '../answering/follow-up-decision.js';
import { computeFollowUpFeatures, FOLLOW_UP_FEATURES } from '../conversation/follow-up-features.js';
import { quoteHoldsAnswer } from '../evaluation/answer-match.js';
import { measureAtThreshold, type ScoredRun } from '../evaluation/threshold-sweep.js';
import type { CandidateReading, QuestionExample } from './collect-examples.js';
import { type BoostOptions, fitBoostedTrees } from './fit-boosted-trees.js';
import { fitLogistic, fitRanker, type RankingGroup } from './fit-linear.js';
import type { TreeEnsemble } from '../answering/tree-ensemble.js';
import { createSeededRandom, hashString } from '../seeded-random.js';

/**
 * Fits answer-model.json from collected examples, and judges it held out by document all
 * the way down. One procedure — `fitPipeline` — turns labelled documents into a model:
 * the follow-up model, the sentence ranker, the quote rule, the answer model (stacked on
 * rankings by rankers that did not see the question's document) and the threshold
 * (chosen on the answer model's own held-out confidences). The shipped model is that
 * procedure run on every document; a document's held-out figures come from the same
 * procedure run on every *other* document, so nothing about the judged document's labels
 * — not even a threshold or a rule — reaches its predictions.
 */

/** A held-out prediction for one question. */
export interface HeldOutPrediction {
  example: QuestionExample;
  confidence: number;
  /** The abstention threshold of the model that judged it (chosen without its document). */
  threshold: number;
  /** The quote rule of that model. */
  extraSentenceProbability: number;
  /** The quote (chosen with the held-out ranker) holds the gold answer. */
  correct: boolean;
  quoteChars: number;
  /** The best-ranked sentence holds the answer. */
  topCorrect: boolean;
  /** Some candidate holds the answer (retrieval found it). */
  reachable: boolean;
  /**
   * The follow-up model's probability that the last turn follows up on a turn before —
   * worked out for first turns too, as if asked after something else: a standalone
   * question must stand alone whatever came before it.
   */
  followUpProbability: number;
  /** …and its decision (for a first turn, what it would decide were it asked after another). */
  followUpDecision: boolean;
  /** The passages the bot offers as related when it abstains hold a gold answer. */
  relatedHoldsAnswer: boolean;
  /**
   * Among the best passages in ranking order (up to RELATED_MEASURED), the 1-based place
   * of the first whose best sentence holds a gold answer — alone, and with the sentences
   * either side of it — or null: what other ways of offering related passages would show.
   */
  relatedPlace: { sentence: number | null; window: number | null };
}

/** A probability no sentence reaches: a quote-rule bar set to it never lets a sentence join. */
export const NEVER = 1.01;

/** Passages looked at when measuring other ways of offering related passages. */
export const RELATED_MEASURED = 5;

export interface TrainingChoices {
  /** Candidate values of `extraSentenceProbability`. */
  extraSentenceGrid: readonly number[];
  /** Candidate values of `followingSentenceProbability` (each tried with each of the above; above 1: never). */
  followingSentenceGrid: readonly number[];
  /** How much longer (a ratio) the mean quote may grow over quoting the best sentence alone. */
  maxQuoteGrowth: number;
  /** Share of the right answers given with no threshold at all that the chosen threshold must keep. */
  keepAnswers: number;
  /** The kind of answer model (default linear). */
  answerModel?: AnswerModelChoice;
  /**
   * For a learning curve: each held-out document's model is fitted on this many of the
   * other documents (see `foldDocuments`) instead of all of them. The shipped model still
   * sees every document.
   */
  documentsPerFold?: number;
}

/**
 * A linear (logistic) answer model, or boosted trees fitted from the base rate ('prior')
 * or on top of the linear model's score ('linear': the trees learn what it leaves).
 */
export type AnswerModelChoice = { kind: 'linear' } | { kind: 'trees'; from: 'prior' | 'linear'; boost: BoostOptions };

/** One value of the quote rule, as measured on held-out rankings. */
export interface QuoteRuleOption {
  value: number;
  /** The `followingSentenceProbability` tried with it. */
  following: number;
  recall: number;
  meanChars: number;
}

/** A model fitted by the whole procedure, and what its quote rule was chosen from. */
export interface FittedPipeline {
  model: AnswerModel;
  extraSentence: QuoteRuleOption[];
}

export interface TrainingResult {
  /** The procedure run on every document: what ships. */
  model: AnswerModel;
  /** Each document's questions, judged by the procedure run without that document. */
  predictions: HeldOutPrediction[];
  /** The shipped model's quote-rule options. */
  extraSentence: QuoteRuleOption[];
  /** What the procedure chose on each fold (without the document named). */
  folds: { group: string; threshold: number; extraSentenceProbability: number; followingSentenceProbability: number }[];
}

/**
 * The follow-up model counts each document and each class (follows up / stands alone) the
 * same; read at one half, it then weighs a missed follow-up and a leaked context equally.
 */
const FOLLOW_UP_THRESHOLD = 0.5;

/** What the examples were collected with, and what the fitted model records of it. */
export interface CollectedWith {
  retrieval: AnswerModel['retrieval'];
  /** The optional signals the examples' features use. */
  signals: readonly string[];
}

export function trainAnswerModel(examples: readonly QuestionExample[], collected: CollectedWith, choices: TrainingChoices): TrainingResult {
  const groups = unique(examples.map((example) => example.group));
  const rankers = new RankerCache(examples);
  const predictions: HeldOutPrediction[] = [];
  const folds: TrainingResult['folds'] = [];
  for (const group of groups) {
    const kept = new Set(foldDocuments(groups, group, choices.documentsPerFold));
    const fold = fitPipeline(examples, new Set(groups.filter((other) => !kept.has(other))), rankers, collected, choices);
    folds.push({ group, threshold: fold.model.abstainThreshold, extraSentenceProbability: fold.model.extraSentenceProbability, followingSentenceProbability: fold.model.followingSentenceProbability ?? NEVER });
    for (const example of examples.filter((e) => e.group === group)) predictions.push(predictHeldOut(fold.model, example));
  }
  const shipped = fitPipeline(examples, new Set(), rankers, collected, choices);
  return { model: shipped.model, predictions, extraSentence: shipped.extraSentence, folds };
}

/** A fold fits on at least two documents (one to hold out inside it, one to fit on). */
export function checkDocumentsPerFold(count: number): void {
  if (!Number.isInteger(count) || count < 2) throw new Error(`training: a fold needs at least two documents to fit on (asked for ${count})`);
}

/**
 * The documents the model judging `heldOut` is fitted on: every other one, or, given a
 * count, that many of them drawn by a shuffle seeded by `heldOut`'s name (the same draw
 * on every run, a different one for each held-out document).
 */
export function foldDocuments(groups: readonly string[], heldOut: string, count?: number): string[] {
  const others = groups.filter((group) => group !== heldOut);
  if (count === undefined) return others;
  checkDocumentsPerFold(count);
  if (count >= others.length) return others;
  const next = createSeededRandom(hashString(heldOut, 0));
  const shuffled = [...others];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  return shuffled.slice(0, count);
}

/**
 * The whole fitting procedure on every example whose document is not in `excluded`.
 * Inside it, each remaining document is held out in turn to give the answer model
 * rankings like those it meets at run time, and the quote rule and threshold held-out
 * figures to be chosen on.
 */
export function fitPipeline(
  examples: readonly QuestionExample[],
  excluded: ReadonlySet<string>,
  rankers: RankerCache,
  collected: CollectedWith,
  choices: TrainingChoices,
): FittedPipeline {
  const training = examples.filter((e) => !excluded.has(e.group));
  const groups = unique(training.map((e) => e.group));
  if (groups.length < 2) throw new Error(`training: holding out by document needs at least two documents to fit on, got ${groups.length} (${groups.join(', ') || 'none'})`);
  // 1. Inner held-out rankings: each document ranked by a ranker that saw neither it nor the excluded ones.
  const innerRanking = new Map<QuestionExample, Ranking>();
  for (const group of groups) {
    const ranker = rankers.fitWithout([...excluded, group]);
    for (const example of training.filter((e) => e.group === group)) innerRanking.set(example, rankCandidates(asSentenceModel(ranker), example.set.features));
  }
  // 2. The quote rule: the extra-sentence probability with the best held-out recall within the length budget.
  const answerable = training.filter((e) => e.answerable);
  const extraSentence = choices.extraSentenceGrid.flatMap((value) => choices.followingSentenceGrid.map((following) => ({ value, following }))).map(({ value, following }) => {
    const quotes = answerable.map((e) => quoteFor(e.set, e, innerRanking.get(e)!, value, following));
    return {
      value,
      following,
      recall: quotes.filter((q, i) => quoteHoldsAnswer(q.text, answerable[i]!.question.answers)).length / Math.max(quotes.length, 1),
      meanChars: quotes.reduce((total, q) => total + q.text.length, 0) / Math.max(quotes.length, 1),
    };
  });
  const alone = extraSentence.reduce((shortest, option) => (option.meanChars < shortest.meanChars ? option : shortest));
  const quoteRule = extraSentence
    .filter((option) => option.meanChars <= alone.meanChars * choices.maxQuoteGrowth)
    .reduce((best, option) => (option.recall > best.recall ? option : best), alone);
  const { value: extraSentenceProbability, following: followingSentenceProbability } = quoteRule;
  // 3. Answer features from those rankings, so the answer model learns how far to trust a ranking it has not seen.
  const rows = training.flatMap((e) => {
    const ranking = innerRanking.get(e)!;
    if (ranking.order.length === 0) return [];
    const quote = quoteFor(e.set, e, ranking, extraSentenceProbability, followingSentenceProbability);
    return [{ example: e, features: answerFeatures(e.set, e, ranking, quote.probability), correct: e.answerable && quote.text.length > 0 && quoteHoldsAnswer(quote.text, e.question.answers) }];
  });
  // 4. The threshold, on the answer model's own held-out confidences (one answer model per inner fold).
  const rowOf = new Map(rows.map((row) => [row.example, row]));
  const runsByDocument = groups.map((group) => {
    const answerModel = fitAnswerModel(rows.filter((row) => row.example.group !== group), choices.answerModel);
    return training
      .filter((e) => e.group === group)
      .map((e): ScoredRun => {
        const row = rowOf.get(e);
        return { kind: e.question.kind, confidence: row ? estimateAnswerProbability(answerModel, row.features) : 0, holdsAnswer: row?.correct ?? false, quoteChars: 0 };
      });
  });
  const answerModel = fitAnswerModel(rows, choices.answerModel);
  const model: AnswerModel = {
    formatVersion: ANSWER_MODEL_FORMAT,
    followUp: fitFollowUpModel(training),
    sentence: roundModel(rankers.fitWithout([...excluded])),
    answer: roundModel(answerModel.answer),
    answerTrees: answerModel.answerTrees && roundTrees(answerModel.answerTrees),
    signals: [...collected.signals],
    abstainThreshold: chooseThreshold(runsByDocument, choices.keepAnswers),
    extraSentenceProbability,
    followingSentenceProbability,
    retrieval: collected.retrieval,
    trainedOn: null,
  };
  return { model, extraSentence };
}

/** A model's prediction for one example of a document it was not fitted on: what the bot would do. */
export function predictHeldOut(model: AnswerModel, example: QuestionExample): HeldOutPrediction {
  const lastTurn = cleanQuestion(example.question.turns?.at(-1) ?? example.question.question);
  const followUpProbability = estimateFollowUp(model.followUp, lastTurn);
  const followUpDecision = followUpProbability >= model.followUp.threshold;
  // A first turn has nothing to follow up on: it is read as asked, whatever the model says.
  const reading: CandidateReading = !example.otherReading || followUpDecision === example.followUp ? example : example.otherReading;
  const ranking = rankCandidates(model, reading.set.features);
  const best = ranking.order[0];
  const quote = quoteFor(reading.set, example, ranking, model.extraSentenceProbability, model.followingSentenceProbability ?? NEVER);
  const confidence = best === undefined ? 0 : estimateAnswerProbability(model, answerFeatures(reading.set, example, ranking, quote.probability));
  const measured = selectRelated(reading.set.candidates, ranking, example.knowledge.documents, RELATED_MEASURED);
  // The passages chosen are a ranking cut at a length: the bot's three are the first of those measured.
  const related = measured.slice(0, RELATED_PASSAGES);
  const placeOf = (texts: readonly string[]): number | null => {
    const at = texts.findIndex((text) => quoteHoldsAnswer(text, example.question.answers));
    return example.answerable && at !== -1 ? at + 1 : null;
  };
  // The best-ranked sentence of a related quote's passage alone (the quote is the three sentences holding most probability).
  const bestSentence = (quote: (typeof measured)[number]): string => {
    const best = ranking.order.find((i) => reading.set.candidates[i]!.hit.chunk.id === quote.chunkId)!;
    return reading.set.candidates[best]!.text;
  };
  return {
    example,
    confidence,
    threshold: model.abstainThreshold,
    extraSentenceProbability: model.extraSentenceProbability,
    correct: example.answerable && quote.text.length > 0 && quoteHoldsAnswer(quote.text, example.question.answers),
    quoteChars: quote.text.length,
    topCorrect: best !== undefined && reading.positives[best] === true,
    reachable: reading.positives.some(Boolean),
    followUpProbability,
    followUpDecision,
    relatedHoldsAnswer: example.answerable && quoteHoldsAnswer(related.map((quote) => quote.text).join('\n'), example.question.answers),
    relatedPlace: { sentence: placeOf(measured.map(bestSentence)), window: placeOf(measured.map((quote) => quote.text)) },
  };
}

/**
 * Rankers fitted on the examples of every document but some, each fitted once: the
 * ranker without documents A and B serves both A's fold and B's.
 */
export class RankerCache {
  private readonly fitted = new Map<string, LinearModel>();

  constructor(private readonly examples: readonly QuestionExample[]) {}

  fitWithout(excluded: readonly string[]): LinearModel {
    const key = unique(excluded).sort().join('\u0000');
    let ranker = this.fitted.get(key);
    if (!ranker) {
      const left = new Set(excluded);
      ranker = fitRanker(toRankingGroups(this.examples.filter((e) => !left.has(e.group))), SENTENCE_FEATURES);
      this.fitted.set(key, ranker);
    }
    return ranker;
  }
}

/**
 * The follow-up model, fitted on every labelled question: turns labelled as following up
 * against questions that stand alone (first turns and changes of topic). Each document's
 * follow-ups weigh as much together as its standalone questions, so documents without
 * conversations (SQuAD) teach only what standalone questions look like.
 */
function fitFollowUpModel(examples: readonly QuestionExample[]): FollowUpModel {
  const seen = new Set<string>();
  const rows: { group: string; label: boolean; features: number[] }[] = [];
  for (const e of examples) {
    const turn = cleanQuestion(e.question.turns?.at(-1) ?? e.question.question);
    const key = `${e.group}\u0000${e.followUp}\u0000${turn}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({ group: e.group, label: e.followUp, features: computeFollowUpFeatures(turn) });
  }
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(`${row.group}:${row.label}`, (counts.get(`${row.group}:${row.label}`) ?? 0) + 1);
  const weights = rows.map((row) => 1 / counts.get(`${row.group}:${row.label}`)!);
  const model = fitLogistic(rows.map((row) => row.features), rows.map((row) => row.label), FOLLOW_UP_FEATURES, undefined, weights);
  return { model: roundModel(model), threshold: FOLLOW_UP_THRESHOLD };
}

function fitAnswerModel(
  rows: readonly { example: QuestionExample; features: number[]; correct: boolean }[],
  choice: AnswerModelChoice = { kind: 'linear' },
): Pick<AnswerModel, 'answer' | 'answerTrees'> {
  const balance = balanceByDocument(rows.map((row) => row.example));
  const weights = rows.map((row) => balance.get(row.example)!);
  const features = rows.map((row) => row.features);
  const labels = rows.map((row) => row.correct);
  if (choice.kind === 'linear' || choice.from === 'linear') {
    const answer = fitLogistic(features, labels, ANSWER_FEATURES, undefined, weights);
    if (choice.kind === 'linear') return { answer, answerTrees: null };
    return { answer, answerTrees: fitBoostedTrees(features, labels, ANSWER_FEATURES, choice.boost, weights, features.map((row) => scoreLinear(answer, row))) };
  }
  // From the base rate: the linear part is the weighted log-odds of a right answer, as its bias.
  const total = weights.reduce((a, b) => a + b, 0);
  const right = weights.reduce((sum, w, i) => sum + (labels[i] ? w : 0), 0);
  const rate = Math.min(Math.max(right / Math.max(total, 1e-9), 1e-6), 1 - 1e-6);
  const answer: LinearModel = {
    features: [...ANSWER_FEATURES],
    mean: ANSWER_FEATURES.map(() => 0),
    scale: ANSWER_FEATURES.map(() => 1),
    weights: ANSWER_FEATURES.map((feature) => (feature === 'bias' ? Math.log(rate / (1 - rate)) : 0)),
  };
  return { answer, answerTrees: fitBoostedTrees(features, labels, ANSWER_FEATURES, choice.boost, weights, features.map(() => answer.weights[0]!)) };
}

function answerFeatures(set: QuestionExample['set'], example: QuestionExample, ranking: Ranking, quoteProbability: number): number[] {
  const best = ranking.order[0]!;
  return computeAnswerFeatures({ best: set.features[best]!, scores: ranking.scores, probabilities: ranking.probabilities, quoteProbability }, set.analysis, example.knowledge.statistics, example.knowledge.signals);
}

/**
 * The highest threshold (on a 0.01 grid) at which the questions answered right are still,
 * on average over documents, at least `keep` of those answered right with no threshold:
 * refuse what can be refused without losing more than that share of right answers.
 */
export function chooseThreshold(runsByDocument: readonly (readonly ScoredRun[])[], keep: number): number {
  const kept = (threshold: number): number => {
    const shares = runsByDocument.map((runs) => measureAtThreshold(runs, threshold).answered / Math.max(measureAtThreshold(runs, 0).answered, 1));
    return shares.reduce((a, b) => a + b, 0) / Math.max(shares.length, 1);
  };
  let chosen = 0;
  for (let step = 1; step <= 100; step++) {
    if (kept(step / 100) < keep) break;
    chosen = step / 100;
  }
  return chosen;
}

/** A held-out prediction as the threshold sweep counts it. */
export function toScoredRun(prediction: HeldOutPrediction): ScoredRun {
  return { kind: prediction.example.question.kind, confidence: prediction.confidence, holdsAnswer: prediction.correct, quoteChars: prediction.quoteChars };
}

function toRankingGroups(examples: readonly QuestionExample[]): RankingGroup[] {
  const weights = balanceByDocument(examples);
  return examples.filter((e) => e.answerable && e.set.candidates.length > 0).map((e) => ({ features: e.set.features, positives: e.positives, weight: weights.get(e)! }));
}

/**
 * Each document (in each setting) counts the same in a fit, however many questions it
 * has: two long SQuAD articles must not outvote five other kinds of text.
 */
function balanceByDocument(examples: readonly QuestionExample[]): Map<QuestionExample, number> {
  const counts = new Map<string, number>();
  for (const e of examples) counts.set(`${e.setting}:${e.group}`, (counts.get(`${e.setting}:${e.group}`) ?? 0) + 1);
  const mean = examples.length / Math.max(counts.size, 1);
  return new Map(examples.map((e) => [e, mean / counts.get(`${e.setting}:${e.group}`)!]));
}

/** A ranker alone, as `rankCandidates` reads it. */
function asSentenceModel(ranker: LinearModel): AnswerModel {
  return { sentence: ranker } as AnswerModel;
}

function quoteFor(set: QuestionExample['set'], example: QuestionExample, ranking: Ranking, extraSentenceProbability: number, followingSentenceProbability: number): { text: string; probability: number } {
  const selection = selectQuotes(set.candidates, ranking, extraSentenceProbability, example.knowledge, { quoteHeadings: asksForTitle(set.resolvedQuestion), followingSentenceProbability });
  return { text: selection.quotes.map((quote) => quote.text).join('\n'), probability: selection.probability };
}

/** Six significant digits: the file stays readable and diffs stay small; fits are deterministic anyway. */
function roundModel(model: LinearModel): LinearModel {
  const round = (values: number[]): number[] => values.map((v) => Number(v.toPrecision(6)));
  return { ...model, mean: round(model.mean), scale: round(model.scale), weights: round(model.weights) };
}

/** Thresholds and leaf values to six significant digits, as `roundModel`. */
function roundTrees(ensemble: TreeEnsemble): TreeEnsemble {
  const round = (v: number): number => Number(v.toPrecision(6));
  return { ...ensemble, trees: ensemble.trees.map((nodes) => nodes.map((node) => ('value' in node ? { value: round(node.value) } : { ...node, threshold: round(node.threshold) }))) };
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
