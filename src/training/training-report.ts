import type { LinearModel } from '../answering/answer-model.js';
import { formatSweepTable, measureAtThreshold, sweepThresholds } from '../evaluation/threshold-sweep.js';
import { type HeldOutPrediction, toScoredRun, type TrainingChoices, type TrainingResult } from './train-answer-model.js';

/** The printed report (Markdown tables) and the summary stored in answer-model.json. */
export function formatTrainingReport(result: TrainingResult, choices: TrainingChoices): { text: string; summary: object } {
  const { model, predictions } = result;
  const threshold = model.abstainThreshold;
  const pct = (count: number, total: number): string => (total === 0 ? '–' : `${((100 * count) / total).toFixed(1)}%`);
  const lines: string[] = [];
  const heldOut: Record<string, unknown> = {};
  for (const setting of ['single', 'mixed'] as const) {
    lines.push('', `Held out by document, ${setting === 'single' ? 'each document alone in its corpus' : 'all documents in one corpus'}, threshold ${threshold}:`, '');
    lines.push('| document | answerable answered | wrongly abstained | unanswerable refused | precision | mean quote | best sentence right | answer retrieved |');
    lines.push('|---|--:|--:|--:|--:|--:|--:|--:|');
    const inSetting = predictions.filter((p) => p.example.setting === setting);
    for (const group of [...new Set(inSetting.map((p) => p.example.group)), 'all']) {
      const chosen = group === 'all' ? inSetting : inSetting.filter((p) => p.example.group === group);
      const f = measureAtThreshold(chosen.map(toScoredRun), threshold);
      const answerable = chosen.filter((p) => p.example.answerable);
      lines.push(
        `| ${group} | ${pct(f.answered, f.answerable)} of ${f.answerable} | ${f.wronglyAbstained} | ${pct(f.refused, f.unanswerable)} of ${f.unanswerable} | ${pct(f.precision, 1)} | ${f.meanQuoteChars.toFixed(0)} | ${pct(answerable.filter((p) => p.topCorrect).length, f.answerable)} | ${pct(answerable.filter((p) => p.reachable).length, f.answerable)} |`,
      );
      heldOut[`${setting}:${group}`] = { answered: round(f.answered / Math.max(f.answerable, 1)), refused: round(f.refused / Math.max(f.unanswerable, 1)), meanQuoteChars: Math.round(f.meanQuoteChars) };
    }
  }
  lines.push('', 'The trade-off, held out, both settings pooled:', '', formatSweepTable(sweepThresholds(predictions.map(toScoredRun), threshold), threshold));
  for (const group of [...new Set(predictions.map((p) => p.example.group))]) {
    lines.push('', `…for ${group} alone (both settings):`, '', formatSweepTable(sweepThresholds(byGroup(predictions, group).map(toScoredRun), threshold), threshold));
  }
  lines.push('', 'Quote rule (held out, answerable): a sentence other than the best joins when its probability is at least…', '');
  lines.push('| probability | answer in quote | mean quote |', '|--:|--:|--:|');
  for (const option of result.extraSentence) {
    lines.push(`| ${option.value === model.extraSentenceProbability ? `**${option.value}**` : option.value} | ${pct(option.recall, 1)} | ${option.meanChars.toFixed(0)} |`);
  }
  lines.push('', 'What the weights say (standardized features, largest first):', '');
  lines.push(describeWeights('which sentence answers', model.sentence), '', describeWeights('whether to answer', model.answer));
  const summary = {
    method: "held out by document: each document's figures come from models fitted on the other documents",
    abstainThresholdRule: `highest threshold keeping, on average over held-out documents, ${choices.keepAnswers * 100}% of the right answers given with no threshold`,
    extraSentenceRule: `best held-out recall with the mean quote at most ${choices.maxQuoteGrowth}x quoting the best sentence alone`,
    heldOut,
  };
  return { text: lines.join('\n'), summary };
}

function byGroup(predictions: readonly HeldOutPrediction[], group: string): HeldOutPrediction[] {
  return predictions.filter((p) => p.example.group === group);
}

function describeWeights(title: string, model: LinearModel): string {
  const ranked = model.features.map((feature, i) => ({ feature, weight: model.weights[i]! })).filter((w) => w.feature !== 'bias').sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
  return `${title}: ${ranked.map((w) => `${w.feature} ${w.weight >= 0 ? '+' : ''}${w.weight.toFixed(2)}`).join(', ')}`;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
