import { ANSWER_FORMS } from '../answering/answer-forms.js';
import { measureAssociationReach, REFERRING_PRONOUN } from '../answering/sentence-features.js';
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
    '| signal | in use | answerable answered | unanswerable refused | precision | best sentence right | follow-ups right | AUC | questions it concerns: right | where only it finds a word: right |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  const pct = (count: number, total: number): string => (total === 0 ? '–' : `${((100 * count) / total).toFixed(1)}`);
  for (const comparison of comparisons) {
    const single = (predictions: readonly HeldOutPrediction[]) => measureHeldOut(predictions.filter((p) => p.example.setting === 'single'));
    const [without, withIt] = [single(comparison.withoutSignal), single(comparison.withSignal)];
    const concerned = (predictions: readonly HeldOutPrediction[]) => predictions.filter((p) => concerns(comparison.signal, p.example));
    const right = (predictions: readonly HeldOutPrediction[]) => predictions.filter((p) => (p.example.answerable ? p.confidence >= p.threshold && p.correct : p.confidence < p.threshold)).length;
    const concernedWith = concerned(comparison.withSignal);
    const only = (predictions: readonly HeldOutPrediction[]) => predictions.filter((p) => concernsOnly(comparison.signal, p.example));
    const onlyWith = only(comparison.withSignal);
    const change = (before: string, after: string): string => `${before} → ${after}`;
    const onlyColumn = isAssociationSource(comparison.signal) ? `${change(`${right(only(comparison.withoutSignal))}`, `${right(onlyWith)}`)} of ${onlyWith.length}` : '–';
    lines.push(
      `| ${comparison.signal} | ${comparison.inUse ? 'yes' : 'no'} | ${change(pct(without.answered, without.answerable), pct(withIt.answered, withIt.answerable))} | ${change(pct(without.refused, without.unanswerable), pct(withIt.refused, withIt.unanswerable))} | ${change(pct(without.precision, 1), pct(withIt.precision, 1))} | ${change(pct(without.topCorrect, without.answerable), pct(withIt.topCorrect, withIt.answerable))} | ${change(`${without.followUpsRight}`, `${withIt.followUpsRight}`)} | ${change(without.auc?.toFixed(3) ?? '–', withIt.auc?.toFixed(3) ?? '–')} | ${change(`${right(concerned(comparison.withoutSignal))}`, `${right(concernedWith)}`)} of ${concernedWith.length} | ${onlyColumn} |`,
    );
  }
  return lines.join('\n');
}

/**
 * Whether a signal bears on a question: a form on the questions that ask for it; an
 * association source on those where some candidate sentence holds a question word
 * through it and through no WordNet relation; `pronoun` on those with a sentence holding
 * the answer that refers by *he* or *she* to a name of the question it does not say; any
 * other signal on every question.
 */
export function concerns(signal: string, example: QuestionExample): boolean {
  if ((ANSWER_FORMS as readonly string[]).includes(signal)) return (example.set.analysis.forms as readonly string[]).includes(signal);
  if (isAssociationSource(signal)) return reachOf(signal, example).some;
  if (signal === 'pronoun') return refersToName(example);
  return true;
}

function refersToName(example: QuestionExample): boolean {
  const names = example.set.analysis.terms.filter((term) => term.isName && term.weight >= 1);
  return example.set.candidates.some((candidate, i) => {
    if (!example.positives[i] || !REFERRING_PRONOUN.test(candidate.text)) return false;
    const said = example.knowledge.stems.sentence(candidate.hit.chunk, candidate.index).stems;
    return names.some((term) => !said.has(term.stem));
  });
}

/** For an association source, the narrower set: it finds a question word that no candidate holds as written or through WordNet. */
function concernsOnly(signal: string, example: QuestionExample): boolean {
  return isAssociationSource(signal) && reachOf(signal, example).only;
}

function isAssociationSource(signal: string): signal is AssociationSource {
  return (ASSOCIATION_SOURCES as readonly string[]).includes(signal);
}

/** Worked out once per source and question: the table asks for it of both runs' predictions. */
const reaches = new WeakMap<QuestionExample['set']['analysis'], Map<string, { some: boolean; only: boolean }>>();

function reachOf(source: AssociationSource, example: QuestionExample): { some: boolean; only: boolean } {
  let bySource = reaches.get(example.set.analysis);
  if (!bySource) {
    bySource = new Map();
    reaches.set(example.set.analysis, bySource);
  }
  let reach = bySource.get(source);
  if (!reach) {
    reach = measureAssociationReach(source, example.set.candidates, example.set.analysis, example.knowledge.stems);
    bySource.set(source, reach);
  }
  return reach;
}
