import { readFileSync, writeFileSync } from 'node:fs';
import { computeAuc } from '../evaluation/threshold-sweep.js';
import { createSeededRandom } from '../seeded-random.js';
import type { HeldOutPrediction } from './train-answer-model.js';

/**
 * Two training runs compared question by question, on their held-out predictions (saved
 * with `npm run train -- --predictions FILE`): McNemar's exact test on the questions where
 * the runs differ, and confidence intervals from resampling documents — documents, not
 * questions, are what is held out, so they are the unit that is resampled.
 */

/** One held-out prediction as saved: enough to compare runs without fitting again. */
export interface SavedPrediction {
  group: string;
  setting: string;
  id: string;
  answerable: boolean;
  confidence: number;
  threshold: number;
  correct: boolean;
  topCorrect: boolean;
  reachable: boolean;
}

/** Resamples of the documents for each interval (more changes the third decimal only). */
const RESAMPLES = 2_000;
const SEED = 20_240_601;

export function savePredictions(file: string, predictions: readonly HeldOutPrediction[]): void {
  const lines = predictions.map((p): SavedPrediction => ({
    group: p.example.group,
    setting: p.example.setting,
    id: p.example.question.id,
    answerable: p.example.answerable,
    confidence: p.confidence,
    threshold: p.threshold,
    correct: p.correct,
    topCorrect: p.topCorrect,
    reachable: p.reachable,
  }));
  writeFileSync(file, `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);
}

export function readPredictions(file: string): SavedPrediction[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const value = JSON.parse(line) as SavedPrediction;
      if (typeof value.group !== 'string' || typeof value.confidence !== 'number') throw new Error(`train: ${file} line ${i + 1} is not a saved prediction (save them with --predictions)`);
      return value;
    });
}

const keyOf = (p: SavedPrediction): string => `${p.setting}\u0000${p.group}\u0000${p.id}`;

/** A yes/no outcome per question, and the questions it is counted over. */
interface Measure {
  label: string;
  over: (p: SavedPrediction) => boolean;
  outcome: (p: SavedPrediction) => boolean;
}

const MEASURES: readonly Measure[] = [
  { label: 'best sentence right (answerable)', over: (p) => p.answerable, outcome: (p) => p.topCorrect },
  { label: 'answered right at each run’s thresholds (answerable)', over: (p) => p.answerable, outcome: (p) => p.confidence >= p.threshold && p.correct },
  { label: 'unanswerable refused at each run’s thresholds', over: (p) => !p.answerable, outcome: (p) => p.confidence < p.threshold },
  { label: 'answer retrieved (answerable)', over: (p) => p.answerable, outcome: (p) => p.reachable },
];

/** How the questions were asked: each document alone in its corpus, or all in one. */
export const SETTINGS = { single: 'each document alone in its corpus', mixed: 'all documents in one corpus' } as const;
export type Setting = keyof typeof SETTINGS;

/** The comparison table (Markdown): B against A, over both settings or the one named. */
export function formatComparison(a: readonly SavedPrediction[], b: readonly SavedPrediction[], labels: [string, string], setting?: Setting): string {
  const byKey = new Map(b.map((p) => [keyOf(p), p]));
  const pairs = a.flatMap((p) => {
    const other = byKey.get(keyOf(p));
    return other && (setting === undefined || p.setting === setting) ? [[p, other] as const] : [];
  });
  if (pairs.length === 0) throw new Error(`train: the two prediction files share no questions${setting ? ` asked ${SETTINGS[setting]}` : ''}`);
  const groups = [...new Set(pairs.map(([p]) => p.group))];
  const lines = [
    `${labels[1]} against ${labels[0]}, ${pairs.length} question runs over ${groups.length} documents (${setting ? SETTINGS[setting] : 'both settings'}). Difference in points; McNemar's exact test on the questions where the runs differ; 95% interval from resampling the documents ${RESAMPLES} times.`,
    '',
    `| measure | ${labels[0]} | ${labels[1]} | difference | questions only ${labels[1]} / only ${labels[0]} gets | p | interval |`,
    '|---|--:|--:|--:|--:|--:|--:|',
  ];
  for (const measure of MEASURES) {
    const counted = pairs.filter(([p]) => measure.over(p));
    const onlyB = counted.filter(([p, q]) => !measure.outcome(p) && measure.outcome(q)).length;
    const onlyA = counted.filter(([p, q]) => measure.outcome(p) && !measure.outcome(q)).length;
    const share = (run: 0 | 1, chosen: readonly (readonly [SavedPrediction, SavedPrediction])[]): number => chosen.filter((pair) => measure.outcome(pair[run])).length / Math.max(chosen.length, 1);
    const interval = resampleDocuments(counted, groups, (chosen) => share(1, chosen) - share(0, chosen));
    lines.push(
      `| ${measure.label} | ${percent(share(0, counted))} | ${percent(share(1, counted))} | ${points(share(1, counted) - share(0, counted))} | ${onlyB} / ${onlyA} | ${formatP(mcnemarExact(onlyB, onlyA))} | [${points(interval[0])}, ${points(interval[1])}] |`,
    );
  }
  for (const refusedShare of [0.25, 0.5]) {
    const answeredAt = (run: 0 | 1, chosen: readonly (readonly [SavedPrediction, SavedPrediction])[]): number => answeredRightAtRefusal(chosen.map((pair) => pair[run]), refusedShare);
    const interval = resampleDocuments(pairs, groups, (chosen) => answeredAt(1, chosen) - answeredAt(0, chosen));
    lines.push(
      `| answered right with ${refusedShare * 100}% of unanswerable refused | ${percent(answeredAt(0, pairs))} | ${percent(answeredAt(1, pairs))} | ${points(answeredAt(1, pairs) - answeredAt(0, pairs))} | – | – | [${points(interval[0])}, ${points(interval[1])}] |`,
    );
  }
  const aucOf = (run: 0 | 1, chosen: readonly (readonly [SavedPrediction, SavedPrediction])[]): number => auc(chosen.map((pair) => pair[run]));
  // NaN (printed "n/a") when no question was answered right, or none was not: nothing to rank.
  const aucInterval = resampleDocuments(pairs, groups, (chosen) => aucOf(1, chosen) - aucOf(0, chosen));
  const [aucA, aucB] = [aucOf(0, pairs), aucOf(1, pairs)];
  const orNone = (value: number, format: (value: number) => string): string => (Number.isNaN(value) ? 'n/a' : format(value));
  const share = (value: number): string => value.toFixed(3);
  lines.push(
    `| AUC (right answers ranked above the rest; not points) | ${orNone(aucA, share)} | ${orNone(aucB, share)} | ${orNone(aucB - aucA, signed)} | – | – | [${orNone(aucInterval[0], signed)}, ${orNone(aucInterval[1], signed)}] |`,
  );
  return lines.join('\n');
}

/**
 * The share of answerable questions answered right at the lowest confidence threshold
 * that refuses at least `refusedShare` of the unanswerable ones: the runs compared at the
 * same refusal rate rather than at their own thresholds.
 */
export function answeredRightAtRefusal(predictions: readonly SavedPrediction[], refusedShare: number): number {
  const unanswerable = predictions.filter((p) => !p.answerable).map((p) => p.confidence).sort((x, y) => x - y);
  const answerable = predictions.filter((p) => p.answerable);
  if (unanswerable.length === 0 || answerable.length === 0) return 0;
  // Refusing below the k-th lowest unanswerable confidence refuses k of them.
  const k = Math.ceil(refusedShare * unanswerable.length);
  const threshold = k >= unanswerable.length ? Infinity : unanswerable[k]!;
  return answerable.filter((p) => p.confidence >= threshold && p.correct).length / answerable.length;
}

/** McNemar's exact two-sided p: the smaller discordant count under Binomial(n, 1/2). */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  let tail = 0;
  let term = 0.5 ** n;
  for (let i = 0; i <= k; i++) {
    tail += term;
    term *= (n - i) / (i + 1);
  }
  return Math.min(1, 2 * tail);
}

/** The 2.5th and 97.5th percentiles of `statistic` over resamples of whole documents (resamples where it is NaN left out; NaN when all are). */
function resampleDocuments<T extends readonly [SavedPrediction, SavedPrediction]>(pairs: readonly T[], groups: readonly string[], statistic: (chosen: readonly T[]) => number): [number, number] {
  const byGroup = new Map(groups.map((group) => [group, pairs.filter(([p]) => p.group === group)]));
  const random = createSeededRandom(SEED);
  const values: number[] = [];
  for (let r = 0; r < RESAMPLES; r++) {
    const chosen: T[] = [];
    for (let g = 0; g < groups.length; g++) chosen.push(...byGroup.get(groups[Math.floor(random() * groups.length)]!)!);
    const value = statistic(chosen);
    if (!Number.isNaN(value)) values.push(value);
  }
  if (values.length === 0) return [Number.NaN, Number.NaN];
  values.sort((x, y) => x - y);
  return [values[Math.floor(0.025 * values.length)]!, values[Math.ceil(0.975 * values.length) - 1]!];
}

/** The AUC of saved predictions, as the training report computes it; NaN when no question was answered right, or none was not. */
function auc(predictions: readonly SavedPrediction[]): number {
  return computeAuc(predictions.map((p) => ({ kind: p.answerable ? 'answerable' : 'unanswerable', confidence: p.confidence, holdsAnswer: p.answerable && p.correct, quoteChars: 0 }))) ?? Number.NaN;
}

const signed = (difference: number): string => `${difference >= 0 ? '+' : ''}${difference.toFixed(3)}`;
const percent = (share: number): string => `${(100 * share).toFixed(1)}%`;
const points = (difference: number): string => `${difference >= 0 ? '+' : ''}${(100 * difference).toFixed(1)}`;
const formatP = (p: number): string => (p < 0.001 ? '< 0.001' : p.toFixed(3));
