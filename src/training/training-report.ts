import type { LinearModel } from '../answering/answer-model.js';
import type { TreeEnsemble } from '../answering/tree-ensemble.js';
import { computeAuc, formatSweepTable, sweepThresholds } from '../evaluation/threshold-sweep.js';
import { type HeldOutPrediction, NEVER, RELATED_MEASURED, toScoredRun, type TrainingChoices, type TrainingResult } from './train-answer-model.js';

/** Held-out figures of a set of predictions, each at the threshold of the model that judged it. */
export interface HeldOutFigures {
  answerable: number;
  /** Answerable questions answered with a quote that holds a gold answer. */
  answered: number;
  wronglyAbstained: number;
  /** …of which the related passages shown instead hold a gold answer. */
  abstainedWithAnswerRelated: number;
  unanswerable: number;
  refused: number;
  /** Right answers among the answers given. */
  precision: number;
  meanQuoteChars: number;
  topCorrect: number;
  reachable: number;
  /** Turns labelled as follow-ups, and those answered right (or refused, when unanswerable). */
  followUps: number;
  followUpsRight: number;
  /** Later turns labelled as a new topic, and those answered right (or refused). */
  topicChanges: number;
  topicChangesRight: number;
  /** Area under the ROC curve of the confidence (right answers against the rest); null when one kind is missing. */
  auc: number | null;
}

/** Counts what the held-out predictions did, each at its own fold's threshold. */
export function measureHeldOut(predictions: readonly HeldOutPrediction[]): HeldOutFigures {
  const answered = (p: HeldOutPrediction): boolean => p.confidence >= p.threshold;
  const right = (p: HeldOutPrediction): boolean => (p.example.answerable ? answered(p) && p.correct : !answered(p));
  const answerable = predictions.filter((p) => p.example.answerable);
  const given = predictions.filter(answered);
  const abstained = answerable.filter((p) => !answered(p));
  const followUps = predictions.filter((p) => p.example.followUp);
  const topicChanges = predictions.filter((p) => p.example.otherReading !== null && !p.example.followUp);
  return {
    answerable: answerable.length,
    answered: answerable.filter((p) => answered(p) && p.correct).length,
    wronglyAbstained: abstained.length,
    abstainedWithAnswerRelated: abstained.filter((p) => p.relatedHoldsAnswer).length,
    unanswerable: predictions.length - answerable.length,
    refused: predictions.filter((p) => !p.example.answerable && !answered(p)).length,
    precision: given.length === 0 ? 1 : given.filter((p) => p.example.answerable && p.correct).length / given.length,
    meanQuoteChars: given.length === 0 ? 0 : given.reduce((total, p) => total + p.quoteChars, 0) / given.length,
    topCorrect: answerable.filter((p) => p.topCorrect).length,
    reachable: answerable.filter((p) => p.reachable).length,
    followUps: followUps.length,
    followUpsRight: followUps.filter(right).length,
    topicChanges: topicChanges.length,
    topicChangesRight: topicChanges.filter(right).length,
    auc: computeAuc(predictions.map(toScoredRun)),
  };
}

const pct = (count: number, total: number): string => (total === 0 ? '–' : `${((100 * count) / total).toFixed(1)}%`);
const ofTotal = (count: number, total: number): string => (total === 0 ? '–' : `${count}/${total}`);

/** One table row per document, then all of them, at each fold's threshold. */
export function formatHeldOutTable(predictions: readonly HeldOutPrediction[]): string {
  const lines = [
    '| document | answerable answered | wrongly abstained | unanswerable refused | precision | mean quote | best sentence right | answer retrieved | follow-ups right | AUC |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  const groups = [...new Set(predictions.map((p) => p.example.group))];
  for (const group of [...groups, 'all']) {
    const f = measureHeldOut(group === 'all' ? predictions : predictions.filter((p) => p.example.group === group));
    lines.push(
      `| ${group} | ${pct(f.answered, f.answerable)} of ${f.answerable} | ${f.wronglyAbstained} | ${pct(f.refused, f.unanswerable)} of ${f.unanswerable} | ${pct(f.precision, 1)} | ${f.meanQuoteChars.toFixed(0)} | ${pct(f.topCorrect, f.answerable)} | ${pct(f.reachable, f.answerable)} | ${ofTotal(f.followUpsRight, f.followUps)} | ${f.auc === null ? '–' : f.auc.toFixed(3)} |`,
    );
  }
  return lines.join('\n');
}

/** The follow-up decision, held out by document: labelled follow-ups, changes of topic, and standalone questions. */
export function formatFollowUpTable(predictions: readonly HeldOutPrediction[]): string {
  const lines = [
    '| document | follow-ups read as follow-ups | new topics (after a question) read as new | standalone questions read as new | follow-ups answered right | new topics answered right |',
    '|---|--:|--:|--:|--:|--:|',
  ];
  const groups = [...new Set(predictions.map((p) => p.example.group))];
  for (const group of [...groups, 'all']) {
    const chosen = group === 'all' ? predictions : predictions.filter((p) => p.example.group === group);
    const followUps = chosen.filter((p) => p.example.followUp);
    const topicChanges = chosen.filter((p) => p.example.otherReading !== null && !p.example.followUp);
    const standalone = chosen.filter((p) => !p.example.followUp);
    const f = measureHeldOut(chosen);
    lines.push(
      `| ${group} | ${ofTotal(followUps.filter((p) => p.followUpDecision).length, followUps.length)} | ${ofTotal(topicChanges.filter((p) => !p.followUpDecision).length, topicChanges.length)} | ${ofTotal(standalone.filter((p) => !p.followUpDecision).length, standalone.length)} | ${ofTotal(f.followUpsRight, f.followUps)} | ${ofTotal(f.topicChangesRight, f.topicChanges)} |`,
    );
  }
  return lines.join('\n');
}

/**
 * For the answerable questions the bot refused (held out): would the answer be among the
 * related passages shown, if it showed the best sentence of the first k passages, or the
 * sentence with its neighbours?
 */
export function formatRelatedTable(predictions: readonly HeldOutPrediction[]): string {
  const refused = predictions.filter((p) => p.example.answerable && p.confidence < p.threshold);
  const lines = [`Answerable questions refused (held out, both settings, ${refused.length}): answer among the first k related passages shown as…`, '', `| k | best sentence | sentence with its neighbours |`, '|--:|--:|--:|'];
  for (let k = 1; k <= RELATED_MEASURED; k++) {
    const within = (place: number | null): boolean => place !== null && place <= k;
    lines.push(`| ${k} | ${pct(refused.filter((p) => within(p.relatedPlace.sentence)).length, refused.length)} | ${pct(refused.filter((p) => within(p.relatedPlace.window)).length, refused.length)} |`);
  }
  return lines.join('\n');
}

/** The printed report (Markdown tables) and the summary stored in answer-model.json. */
export function formatTrainingReport(result: TrainingResult, choices: TrainingChoices): { text: string; summary: object } {
  const { model, predictions } = result;
  const lines: string[] = [];
  const heldOut: Record<string, unknown> = {};
  lines.push(
    `Model: sentence ranker ${countFeatures(model.sentence)} features (${countWeighted(model.sentence)} with a weight), answer model ${countFeatures(model.answer)} (${countWeighted(model.answer)}), follow-up model ${countFeatures(model.followUp.model)} (${countWeighted(model.followUp.model)}), each plus a bias; a feature without weight belongs to a signal left out or is one this data never varies. Signals: ${model.signals.join(', ') || 'none'}; threshold ${model.abstainThreshold}, quote rule ${model.extraSentenceProbability} / ${model.followingSentenceProbability ?? 'never'}.`,
    '',
    'Each document is judged by the whole procedure run without it: ranker, quote rule, answer model, threshold and follow-up model.',
    `Thresholds chosen per fold: ${result.folds.map((fold) => `${fold.group} ${fold.threshold}`).join(', ')}.`,
    `Quote rules chosen per fold (another sentence / the referring sentence after): ${result.folds.map((fold) => `${fold.group} ${fold.extraSentenceProbability} / ${fold.followingSentenceProbability}`).join(', ')}.`,
  );
  for (const setting of ['single', 'mixed'] as const) {
    const inSetting = predictions.filter((p) => p.example.setting === setting);
    if (inSetting.length === 0) continue;
    lines.push('', `Held out by document, ${setting === 'single' ? 'each document alone in its corpus' : 'all documents in one corpus'}, each at its fold's threshold:`, '', formatHeldOutTable(inSetting));
    for (const group of [...new Set(inSetting.map((p) => p.example.group)), 'all']) {
      const f = measureHeldOut(group === 'all' ? inSetting : inSetting.filter((p) => p.example.group === group));
      heldOut[`${setting}:${group}`] = {
        answered: round(f.answered / Math.max(f.answerable, 1)),
        refused: round(f.refused / Math.max(f.unanswerable, 1)),
        precision: round(f.precision),
        meanQuoteChars: Math.round(f.meanQuoteChars),
        ...(f.followUps > 0 ? { followUpsRight: round(f.followUpsRight / f.followUps) } : {}),
      };
    }
  }
  lines.push('', 'Conversations, held out (both settings): does the follow-up model let the conversation in exactly when the question follows up?', '', formatFollowUpTable(predictions));
  const missed = predictions.filter((p) => p.example.followUp && p.example.answerable && !(p.confidence >= p.threshold && p.correct));
  lines.push(
    '',
    `Of the ${missed.length} answerable follow-ups not answered right: ${missed.filter((p) => !p.followUpDecision).length} read as new questions, ${missed.filter((p) => p.followUpDecision && p.confidence < p.threshold).length} read as follow-ups but refused, ${missed.filter((p) => p.followUpDecision && p.confidence >= p.threshold).length} read as follow-ups and quoting the wrong sentence.`,
  );
  const all = measureHeldOut(predictions);
  lines.push(
    '',
    `Abstention that still helps (held out, both settings): of ${all.wronglyAbstained} answerable questions refused, the related passages shown hold the answer for ${all.abstainedWithAnswerRelated} (${pct(all.abstainedWithAnswerRelated, all.wronglyAbstained)}).`,
  );
  lines.push('', formatRelatedTable(predictions));
  const pooledThreshold = model.abstainThreshold;
  lines.push('', `The trade-off, held out, both settings pooled (confidences from each fold's models; the shipped threshold ${pooledThreshold} in bold):`, '', formatSweepTable(sweepThresholds(predictions.map(toScoredRun), pooledThreshold), pooledThreshold));
  for (const group of [...new Set(predictions.map((p) => p.example.group))]) {
    const inGroup = predictions.filter((p) => p.example.group === group);
    const threshold = inGroup[0]!.threshold;
    lines.push('', `…for ${group} alone (both settings; its fold's threshold ${threshold} in bold):`, '', formatSweepTable(sweepThresholds(inGroup.map(toScoredRun), threshold), threshold));
  }
  lines.push('', "Quote rule (the shipped fit, held out within it, answerable): a sentence other than the best joins when its probability is at least the first value; the sentence after a quote that opens by referring back to it (\"This…\", \"It…\"), when at least the second (above 1: never). Rows with either value chosen:", '');
  lines.push('| other sentence | referring sentence after | answer in quote | mean quote |', '|--:|--:|--:|--:|');
  const chosenFollowing = model.followingSentenceProbability ?? NEVER;
  for (const option of result.extraSentence) {
    const chosen = option.value === model.extraSentenceProbability && option.following === chosenFollowing;
    if (option.value !== model.extraSentenceProbability && option.following !== chosenFollowing) continue;
    const bold = (text: string): string => (chosen ? `**${text}**` : text);
    lines.push(`| ${bold(String(option.value))} | ${bold(String(option.following))} | ${pct(option.recall, 1)} | ${option.meanChars.toFixed(0)} |`);
  }
  lines.push('', 'What the weights say (standardized features, largest first):', '');
  // Trees fitted from the base rate come with a linear part that is a bias alone: nothing to list.
  const answerWeights = model.answerTrees && countWeighted(model.answer) === 0 ? 'whether to answer: the trees alone (below)' : describeWeights('whether to answer', model.answer);
  lines.push(describeWeights('which sentence answers', model.sentence), '', answerWeights, '', describeWeights('whether a question follows up', model.followUp.model));
  if (model.answerTrees) lines.push('', describeTrees('whether to answer, the trees added', model.answerTrees));
  const summary = {
    method: 'held out by document all the way: each document is judged by the whole fitting procedure (ranker, quote rule, answer model, threshold, follow-up model) run on the other documents',
    abstainThresholdRule: `highest threshold keeping, on average over documents held out inside the fit, ${choices.keepAnswers * 100}% of the right answers given with no threshold`,
    answerModel: choices.answerModel ?? { kind: 'linear' },
    extraSentenceRule: `best recall, held out inside the fit, with the mean quote at most ${choices.maxQuoteGrowth}x quoting the best sentence alone`,
    heldOut,
  };
  return { text: lines.join('\n'), summary };
}

/** Features a linear model weighs, its bias aside. */
export function countFeatures(model: LinearModel): number {
  return model.features.filter((feature) => feature !== 'bias').length;
}

/** Features with a non-zero weight, the bias aside. */
function countWeighted(model: LinearModel): number {
  return model.features.filter((feature, i) => feature !== 'bias' && model.weights[i] !== 0).length;
}

function describeWeights(title: string, model: LinearModel): string {
  const ranked = model.features.map((feature, i) => ({ feature, weight: model.weights[i]! })).filter((w) => w.feature !== 'bias').sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
  return `${title}: ${ranked.map((w) => `${w.feature} ${w.weight >= 0 ? '+' : ''}${w.weight.toFixed(2)}`).join(', ')}`;
}

/** How many trees, and the features their splits use, most used first. */
function describeTrees(title: string, ensemble: TreeEnsemble): string {
  const uses = new Map<string, number>();
  for (const nodes of ensemble.trees) for (const node of nodes) if ('feature' in node) uses.set(ensemble.features[node.feature]!, (uses.get(ensemble.features[node.feature]!) ?? 0) + 1);
  const ranked = [...uses].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return `${title}: ${ensemble.trees.length} trees, ${ranked.reduce((total, [, count]) => total + count, 0)} splits; on ${ranked.map(([feature, count]) => `${feature} ${count}`).join(', ')}`;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
