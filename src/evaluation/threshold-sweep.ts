/**
 * Abstention as a stated trade-off: what each confidence threshold would do to a set of
 * answered questions — answers given, answerable questions wrongly refused,
 * unanswerable ones refused, precision and quote length — as a table and as an SVG plot.
 */

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
  const line = (values: number[], colour: string, dash = ''): string =>
    `<polyline fill="none" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''} points="${rows.map((row, i) => `${x(row.threshold).toFixed(1)},${y(values[i]!).toFixed(1)}`).join(' ')}"/>`;
  const answered = rows.map((row) => (row.answerable === 0 ? 0 : row.answered / row.answerable));
  const refused = rows.map((row) => (row.unanswerable === 0 ? 0 : row.refused / row.unanswerable));
  const precision = rows.map((row) => row.precision);
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((share) => `<line x1="${left}" x2="${width - right}" y1="${y(share)}" y2="${y(share)}" stroke="#ddd"/><text x="${left - 6}" y="${y(share) + 4}" text-anchor="end">${share * 100}%</text>`)
    .join('');
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1].map((t) => `<text x="${x(t)}" y="${height - bottom + 16}" text-anchor="middle">${t}</text>`).join('');
  const marker = chosen === undefined ? '' : `<line x1="${x(chosen)}" x2="${x(chosen)}" y1="${top}" y2="${height - bottom}" stroke="#555" stroke-dasharray="4 3"/><text x="${x(chosen) + 4}" y="${top + 10}">chosen ${chosen}</text>`;
  const legend = [
    ['#1f77b4', 'answerable answered', ''],
    ['#d62728', 'unanswerable refused', ''],
    ['#2ca02c', 'precision', '5 3'],
  ]
    .map(([colour, label, dash], i) => `<line x1="${width - right + 12}" x2="${width - right + 32}" y1="${top + 14 + i * 18}" y2="${top + 14 + i * 18}" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/><text x="${width - right + 36}" y="${top + 18 + i * 18}">${label}</text>`)
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${left}" y="20" font-size="13" font-weight="bold">${escapeXml(title)}</text>`,
    grid,
    ticks,
    `<text x="${(left + width - right) / 2}" y="${height - 6}" text-anchor="middle">confidence threshold</text>`,
    line(answered, '#1f77b4'),
    line(refused, '#d62728'),
    line(precision, '#2ca02c', '5 3'),
    marker,
    legend,
    '</svg>',
    '',
  ].join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * How well the confidence orders answers: the probability that a question answered right
 * has a higher confidence than one that is not (unanswerable, or quoting the wrong
 * sentence), ties counting half — the area under the ROC curve. Null when either kind is missing.
 */
export function computeAuc(runs: readonly ScoredRun[]): number | null {
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
