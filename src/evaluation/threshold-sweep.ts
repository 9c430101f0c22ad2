/**
 * Abstention as a stated trade-off: what each confidence threshold would do to a set of
 * answered questions — answers given, answerable questions wrongly refused,
 * unanswerable ones refused, precision and quote length — as a table and as an SVG plot.
 */

import { renderLine, renderPolyline, renderSvgDocument, renderText, type Stroke } from '../render/svg-chart.js';

/** One question's answer, as if nothing were refused: its confidence and whether the quote holds the answer. */
export interface ScoredRun {
  /** `followup` counts as answerable (its last turn is). */
  kind: 'answerable' | 'unanswerable' | 'followup';
  confidence: number;
  /** The quote holds a gold answer (always false for unanswerable questions). */
  holdsAnswer: boolean;
  quoteChars: number;
}

export interface SweepRow {
  threshold: number;
  answerable: number;
  /** Answerable questions answered with a quote that holds the answer. */
  answered: number;
  /** Answerable questions refused. */
  wronglyAbstained: number;
  unanswerable: number;
  refused: number;
  /** Correct answers among the answers given (1 when none is given). */
  precision: number;
  /** Mean characters quoted over the answers given. */
  meanQuoteChars: number;
}

export const SWEEP_THRESHOLDS: readonly number[] = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** The figures at one threshold: a question is answered when its confidence reaches it. */
export function measureAtThreshold(runs: readonly ScoredRun[], threshold: number): SweepRow {
  const answerable = runs.filter((run) => run.kind !== 'unanswerable');
  const unanswerable = runs.filter((run) => run.kind === 'unanswerable');
  const given = runs.filter((run) => run.confidence >= threshold);
  return {
    threshold,
    answerable: answerable.length,
    answered: answerable.filter((run) => run.confidence >= threshold && run.holdsAnswer).length,
    wronglyAbstained: answerable.filter((run) => run.confidence < threshold).length,
    unanswerable: unanswerable.length,
    refused: unanswerable.filter((run) => run.confidence < threshold).length,
    precision: given.length === 0 ? 1 : given.filter((run) => run.kind !== 'unanswerable' && run.holdsAnswer).length / given.length,
    meanQuoteChars: given.length === 0 ? 0 : given.reduce((total, run) => total + run.quoteChars, 0) / given.length,
  };
}

/** The figures at each threshold (and at `chosen`, which is marked in tables and plots). */
export function sweepThresholds(runs: readonly ScoredRun[], chosen?: number, thresholds: readonly number[] = SWEEP_THRESHOLDS): SweepRow[] {
  const all = chosen === undefined ? [...thresholds] : [...new Set([...thresholds, chosen])];
  return all.sort((a, b) => a - b).map((threshold) => measureAtThreshold(runs, threshold));
}

const percent = (count: number, total: number): string => (total === 0 ? '–' : `${((100 * count) / total).toFixed(1)}%`);

/** A Markdown table, the chosen threshold in bold. */
export function formatSweepTable(rows: readonly SweepRow[], chosen?: number): string {
  const lines = [
    '| threshold | answerable answered | wrongly abstained | unanswerable refused | precision | mean quote (chars) |',
    '|--:|--:|--:|--:|--:|--:|',
  ];
  for (const row of rows) {
    const label = row.threshold === chosen ? `**${row.threshold}**` : String(row.threshold);
    lines.push(`| ${label} | ${percent(row.answered, row.answerable)} (${row.answered}/${row.answerable}) | ${row.wronglyAbstained} | ${percent(row.refused, row.unanswerable)} (${row.refused}/${row.unanswerable}) | ${percent(row.precision, 1)} | ${row.meanQuoteChars.toFixed(0)} |`);
  }
  return lines.join('\n');
}

/**
 * A small self-contained SVG: answerable answered and unanswerable refused (%) against
 * the threshold, the chosen threshold as a dashed line.
 */
export function renderSweepSvg(rows: readonly SweepRow[], title: string, chosen?: number): string {
  const width = 480;
  const height = 300;
  const left = 48;
  const right = 150;
  const top = 36;
  const bottom = 40;
  const x = (threshold: number): number => left + threshold * (width - left - right);
  const y = (share: number): number => top + (1 - share) * (height - top - bottom);
  const curve = (values: readonly number[], stroke: Stroke): string => renderPolyline(rows.map((row, i) => [x(row.threshold), y(values[i]!)]), stroke);
  const curves: [string, number[], Stroke][] = [
    ['answerable answered', rows.map((row) => (row.answerable === 0 ? 0 : row.answered / row.answerable)), { colour: '#1f77b4', width: 2 }],
    ['unanswerable refused', rows.map((row) => (row.unanswerable === 0 ? 0 : row.refused / row.unanswerable)), { colour: '#d62728', width: 2 }],
    ['precision', rows.map((row) => row.precision), { colour: '#2ca02c', width: 2, dash: '5 3' }],
  ];
  const grid = [0, 0.25, 0.5, 0.75, 1].flatMap((share) => [
    renderLine([left, y(share)], [width - right, y(share)], { colour: '#ddd' }),
    renderText([left - 6, y(share) + 4], `${share * 100}%`, { 'text-anchor': 'end' }),
  ]);
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1].map((t) => renderText([x(t), height - bottom + 16], String(t), { 'text-anchor': 'middle' }));
  const marker =
    chosen === undefined
      ? []
      : [renderLine([x(chosen), top], [x(chosen), height - bottom], { colour: '#555', dash: '4 3' }), renderText([x(chosen) + 4, top + 10], `chosen ${chosen}`)];
  const legend = curves.flatMap(([label, , stroke], i) => [
    renderLine([width - right + 12, top + 14 + i * 18], [width - right + 32, top + 14 + i * 18], stroke),
    renderText([width - right + 36, top + 18 + i * 18], label),
  ]);
  return renderSvgDocument({ width, height, fontSize: 11, title: { text: title, at: [left, 20], fontSize: 13 } }, [
    ...grid,
    ...ticks,
    renderText([(left + width - right) / 2, height - 6], 'confidence threshold', { 'text-anchor': 'middle' }),
    ...curves.map(([, values, stroke]) => curve(values, stroke)),
    ...marker,
    ...legend,
  ]);
}

/**
 * How well the confidence orders answers: the probability that a question answered right
 * has a higher confidence than one that is not (unanswerable, or quoting the wrong
 * sentence), ties counting half — the area under the ROC curve. Null when either kind is missing.
 */
export function computeAuc(runs: readonly Pick<ScoredRun, 'confidence' | 'holdsAnswer'>[]): number | null {
  const sorted = [...runs].sort((a, b) => a.confidence - b.confidence);
  const positives = sorted.filter((run) => run.holdsAnswer).length;
  const negatives = sorted.length - positives;
  if (positives === 0 || negatives === 0) return null;
  // Mann–Whitney: the sum of the positives' ranks (ties share their mean rank).
  let rankSum = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]!.confidence === sorted[i]!.confidence) j++;
    const meanRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (sorted[k]!.holdsAnswer) rankSum += meanRank;
    i = j;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
