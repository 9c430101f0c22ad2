import { ANSWER_FORMS } from '../answering/answer-forms.js';
import { holdsOnlyThrough } from '../answering/sentence-features.js';
import { ASSOCIATION_SOURCES, type AssociationSource } from '../lexicon/word-associations.js';
import { withSignals, type QuestionExample } from './collect-examples.js';
import { type CollectedWith, type HeldOutPrediction, trainAnswerModel, type TrainingChoices } from './train-answer-model.js';
import { measureHeldOut } from './training-report.js';

/**
 * What each optional signal adds, held out by document: the whole procedure run again
 * with the signal taken out (for one in use) or put in (for one left out), on the same
 * collected examples, compared with the signals as they are. A signal earns its place
 * when the held-out figures are better with it.
 */

/** One signal's comparison: the held-out predictions with and without it. */
export interface SignalComparison {
  signal: string;
  /** True when the signal is among those in use (the comparison takes it out). */
  inUse: boolean;
  withSignal: HeldOutPrediction[];
  withoutSignal: HeldOutPrediction[];
}

/** Runs the procedure once per signal in `candidates` (besides the run given for the signals in use). */
export function compareSignals(
  examples: readonly QuestionExample[],
  collected: CollectedWith,
  choices: TrainingChoices,
  baseline: readonly HeldOutPrediction[],
  candidates: readonly string[],
  onProgress: (message: string) => void = () => {},
): SignalComparison[] {
  return candidates.map((signal) => {
    const inUse = collected.signals.includes(signal);
    const signals = inUse ? collected.signals.filter((s) => s !== signal) : [...collected.signals, signal];
    const started = performance.now();
    const other = trainAnswerModel(withSignals(examples, signals), { ...collected, signals }, choices).predictions;
    onProgress(`train: ${inUse ? 'without' : 'with'} ${signal} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return { signal, inUse, withSignal: inUse ? [...baseline] : other, withoutSignal: inUse ? other : [...baseline] };
  });
}

/** A Markdown table: each signal's held-out figures without → with it, one document per corpus, and on the questions it concerns. */
export function formatSignalTable(comparisons: readonly SignalComparison[]): string {
  const lines = [
    '| signal | in use | answerable answered | unanswerable refused | precision | best sentence right | follow-ups right | AUC | questions it concerns: right |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|',
  ];
  const pct = (count: number, total: number): string => (total === 0 ? '–' : `${((100 * count) / total).toFixed(1)}`);
  for (const comparison of comparisons) {
    const single = (predictions: readonly HeldOutPrediction[]) => measureHeldOut(predictions.filter((p) => p.example.setting === 'single'));
    const [without, withIt] = [single(comparison.withoutSignal), single(comparison.withSignal)];
    const concerned = (predictions: readonly HeldOutPrediction[]) => predictions.filter((p) => concerns(comparison.signal, p.example));
    const right = (predictions: readonly HeldOutPrediction[]) => predictions.filter((p) => (p.example.answerable ? p.confidence >= p.threshold && p.correct : p.confidence < p.threshold)).length;
    const concernedWith = concerned(comparison.withSignal);
    const change = (before: string, after: string): string => `${before} → ${after}`;
    lines.push(
      `| ${comparison.signal} | ${comparison.inUse ? 'yes' : 'no'} | ${change(pct(without.answered, without.answerable), pct(withIt.answered, withIt.answerable))} | ${change(pct(without.refused, without.unanswerable), pct(withIt.refused, withIt.unanswerable))} | ${change(pct(without.precision, 1), pct(withIt.precision, 1))} | ${change(pct(without.topCorrect, without.answerable), pct(withIt.topCorrect, withIt.answerable))} | ${change(`${without.followUpsRight}`, `${withIt.followUpsRight}`)} | ${change(without.auc?.toFixed(3) ?? '–', withIt.auc?.toFixed(3) ?? '–')} | ${change(`${right(concerned(comparison.withoutSignal))}`, `${right(concernedWith)}`)} of ${concernedWith.length} |`,
    );
  }
  return lines.join('\n');
}

/**
 * Whether a signal bears on a question: a form on the questions that ask for it; an
 * association source on those where some candidate sentence holds a question word
 * through it and through no WordNet relation; any other signal on every question.
 */
function concerns(signal: string, example: QuestionExample): boolean {
  if ((ANSWER_FORMS as readonly string[]).includes(signal)) return (example.set.analysis.forms as readonly string[]).includes(signal);
  if ((ASSOCIATION_SOURCES as readonly string[]).includes(signal)) return holdsOnlyThrough(signal as AssociationSource, example.set.candidates, example.set.analysis, example.knowledge.stems);
  return true;
}
