import { ANSWER_FEATURES, computeAnswerFeatures } from '../answering/answer-features.js';
import { ANSWER_MODEL_FORMAT, type AnswerModel, type LinearModel, scoreLinear, sigmoid } from '../answering/answer-model.js';
import { rankCandidates, type Ranking } from '../answering/answer-question.js';
import { selectQuotes } from '../answering/select-quotes.js';
import { SENTENCE_FEATURES } from '../answering/sentence-features.js';
import { quoteHoldsAnswer } from '../evaluation/answer-match.js';
import { measureAtThreshold, type ScoredRun } from '../evaluation/threshold-sweep.js';
import type { QuestionExample } from './collect-examples.js';
import { fitLogistic, fitRanker, type RankingGroup } from './fit-linear.js';

/**
 * Fits answer-model.json from collected examples, holding out by document: for each
 * document the ranker and the answer model are fitted on the others and judged on it.
 * Every constant that decides an answer is chosen from these held-out predictions.
 */

/** A held-out prediction for one question. */
export interface HeldOutPrediction {
  example: QuestionExample;
  confidence: number;
  /** The quote (chosen with the held-out ranker) holds the gold answer. */
  correct: boolean;
  quoteChars: number;
  /** The best-ranked sentence holds the answer. */
  topCorrect: boolean;
  /** Some candidate holds the answer (retrieval found it). */
  reachable: boolean;
}

export interface TrainingChoices {
  /** Candidate values of `extraSentenceProbability`. */
  extraSentenceGrid: readonly number[];
  /** How much longer (a ratio) the mean quote may grow over quoting the best sentence alone. */
  maxQuoteGrowth: number;
  /** Share of the right answers given with no threshold at all that the chosen threshold must keep. */
  keepAnswers: number;
}

export interface TrainingResult {
  model: AnswerModel;
  predictions: HeldOutPrediction[];
  extraSentence: { value: number; recall: number; meanChars: number }[];
}

export function trainAnswerModel(examples: readonly QuestionExample[], retrieval: AnswerModel['retrieval'], choices: TrainingChoices): TrainingResult {
  const groups = [...new Set(examples.map((example) => example.group))];
  // 1. Held-out rankings: each document's questions ranked by a ranker fitted without it.
  const heldOutRanking = new Map<QuestionExample, Ranking>();
  for (const group of groups) {
    const ranker = fitRanker(toRankingGroups(examples.filter((e) => e.group !== group)), SENTENCE_FEATURES);
    for (const example of examples.filter((e) => e.group === group)) heldOutRanking.set(example, rankWith(ranker, example));
  }
  // 2. The quote rule: the extra-sentence probability with the best held-out recall within the length budget.
  const answerable = examples.filter((e) => e.answerable);
  const extraSentence = choices.extraSentenceGrid.map((value) => {
    const quotes = answerable.map((e) => quoteFor(e, heldOutRanking.get(e)!, value));
    return {
      value,
      recall: quotes.filter((q, i) => quoteHoldsAnswer(q.text, answerable[i]!.question.answers)).length / Math.max(quotes.length, 1),
      meanChars: quotes.reduce((total, q) => total + q.text.length, 0) / Math.max(quotes.length, 1),
    };
  });
  const alone = extraSentence.reduce((shortest, option) => (option.meanChars < shortest.meanChars ? option : shortest));
  const extraSentenceProbability = extraSentence
    .filter((option) => option.meanChars <= alone.meanChars * choices.maxQuoteGrowth)
    .reduce((best, option) => (option.recall > best.recall ? option : best), alone).value;
  // 3. Answer features from held-out rankings, so the answer model learns how far to trust a ranking it has not seen.
  const rows = examples.map((e) => {
    const ranking = heldOutRanking.get(e)!;
    const quote = quoteFor(e, ranking, extraSentenceProbability);
    const best = ranking.order[0];
    return {
      example: e,
      features:
        best === undefined
          ? null
          : computeAnswerFeatures({ best: e.set.features[best]!, scores: ranking.scores, probabilities: ranking.probabilities, quoteProbability: quote.probability }, e.set.analysis, e.knowledge.statistics),
      correct: e.answerable && quote.text.length > 0 && quoteHoldsAnswer(quote.text, e.question.answers),
      quoteChars: quote.text.length,
      topCorrect: best !== undefined && e.positives[best] === true,
      reachable: e.positives.some(Boolean),
    };
  });
  const usable = rows.filter((row) => row.features !== null);
  const predictions: HeldOutPrediction[] = [];
  for (const group of groups) {
    const answerModel = fitAnswerModel(usable.filter((row) => row.example.group !== group));
    for (const row of rows.filter((r) => r.example.group === group)) {
      const confidence = row.features ? sigmoid(scoreLinear(answerModel, row.features)) : 0;
      predictions.push({ example: row.example, confidence, correct: row.correct, quoteChars: row.quoteChars, topCorrect: row.topCorrect, reachable: row.reachable });
    }
  }
  // 4. The threshold: the highest that still gives most of the right answers a threshold of 0 would.
  const byDocument = groups.map((group) => predictions.filter((p) => p.example.group === group).map(toScoredRun));
  const abstainThreshold = chooseThreshold(byDocument, choices.keepAnswers);
  // 5. The shipped model: both parts fitted on every document.
  const model: AnswerModel = {
    formatVersion: ANSWER_MODEL_FORMAT,
    sentence: roundModel(fitRanker(toRankingGroups(examples), SENTENCE_FEATURES)),
    answer: roundModel(fitAnswerModel(usable)),
    abstainThreshold,
    extraSentenceProbability,
    retrieval,
    trainedOn: null,
  };
  return { model, predictions, extraSentence };
}

function fitAnswerModel(rows: readonly { example: QuestionExample; features: number[] | null; correct: boolean }[]): LinearModel {
  const weights = balanceByDocument(rows.map((row) => row.example));
  return fitLogistic(rows.map((row) => row.features!), rows.map((row) => row.correct), ANSWER_FEATURES, undefined, rows.map((row) => weights.get(row.example)!));
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

function rankWith(ranker: LinearModel, example: QuestionExample): Ranking {
  return rankCandidates({ sentence: ranker } as AnswerModel, example.set.features);
}

function quoteFor(example: QuestionExample, ranking: Ranking, extraSentenceProbability: number): { text: string; probability: number } {
  const selection = selectQuotes(example.set.candidates, ranking, extraSentenceProbability, example.knowledge.documents);
  return { text: selection.quotes.map((quote) => quote.text).join('\n'), probability: selection.probability };
}

/** Six significant digits: the file stays readable and diffs stay small; fits are deterministic anyway. */
function roundModel(model: LinearModel): LinearModel {
  const round = (values: number[]): number[] => values.map((v) => Number(v.toPrecision(6)));
  return { ...model, mean: round(model.mean), scale: round(model.scale), weights: round(model.weights) };
}
