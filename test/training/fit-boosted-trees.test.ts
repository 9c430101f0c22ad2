import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ANSWER_FEATURES } from '../../src/answering/answer-features.js';
import { estimateAnswerProbability, parseAnswerModel, scoreLinear, sigmoid } from '../../src/answering/answer-model.js';
import { scoreTrees } from '../../src/answering/tree-ensemble.js';
import { createSeededRandom } from '../../src/seeded-random.js';
import { type BoostOptions, chooseThresholds, fitBoostedTrees } from '../../src/training/fit-boosted-trees.js';
import { fitLogistic } from '../../src/training/fit-linear.js';

const NAMES = ['bias', 'a', 'b'];
const OPTIONS: BoostOptions = { rounds: 60, depth: 2, shrinkage: 0.3, minLeafWeight: 5, l2: 1, bins: 16 };

/** Points in the unit square labelled by which quadrant they fall in: right when exactly one coordinate is above a half (XOR). */
function makeXor(count: number, seed: number): { rows: number[][]; labels: boolean[] } {
  const random = createSeededRandom(seed);
  const rows = Array.from({ length: count }, () => [1, random(), random()]);
  return { rows, labels: rows.map((row) => row[1]! > 0.5 !== row[2]! > 0.5) };
}

const accuracy = (score: (row: number[]) => number, data: { rows: number[][]; labels: boolean[] }): number =>
  data.rows.filter((row, i) => score(row) > 0 === data.labels[i]).length / data.rows.length;

describe('fitBoostedTrees (gradient-boosted regression trees, logistic loss)', () => {
  it('learns XOR, which a linear model cannot, and classifies unseen points', () => {
    const training = makeXor(400, 1);
    const unseen = makeXor(400, 2);
    const trees = fitBoostedTrees(training.rows, training.labels, NAMES, OPTIONS);
    const linear = fitLogistic(training.rows, training.labels, NAMES);
    expect(accuracy((row) => scoreTrees(trees, row), unseen)).toBeGreaterThan(0.93);
    expect(accuracy((row) => scoreLinear(linear, row), unseen)).toBeLessThan(0.65);
    expect(trees.trees.every((nodes) => nodes.length <= 7)).toBe(true);
  });

  it('is deterministic: the same data gives the same trees', () => {
    const data = makeXor(200, 3);
    expect(fitBoostedTrees(data.rows, data.labels, NAMES, OPTIONS)).toEqual(fitBoostedTrees(data.rows, data.labels, NAMES, OPTIONS));
  });

  it('counts a row of weight 2 as two rows', () => {
    const data = makeXor(150, 4);
    // Bins enough for every gap between values: the thresholds (row quantiles) are then the same both ways.
    const options = { ...OPTIONS, bins: 1000 };
    const doubled = fitBoostedTrees([...data.rows, ...data.rows.slice(0, 50)], [...data.labels, ...data.labels.slice(0, 50)], NAMES, options);
    const weighted = fitBoostedTrees(data.rows, data.labels, NAMES, options, data.rows.map((_, i) => (i < 50 ? 2 : 1)));
    const probe = makeXor(100, 5).rows;
    for (const row of probe) expect(scoreTrees(weighted, row)).toBeCloseTo(scoreTrees(doubled, row), 6);
  });

  it('starts from the base scores: where they already separate the classes, the trees add little', () => {
    const data = makeXor(300, 6);
    const base = data.labels.map((label) => (label ? 10 : -10));
    const onTop = fitBoostedTrees(data.rows, data.labels, NAMES, { ...OPTIONS, rounds: 20 }, undefined, base);
    const alone = fitBoostedTrees(data.rows, data.labels, NAMES, { ...OPTIONS, rounds: 20 });
    expect(Math.max(...data.rows.map((row) => Math.abs(scoreTrees(onTop, row))))).toBeLessThan(0.1);
    expect(Math.max(...data.rows.map((row) => Math.abs(scoreTrees(alone, row))))).toBeGreaterThan(1);
  });

  it('grows the first tree as an exhaustive search for the best split of each node would', () => {
    const random = createSeededRandom(9);
    const rows = Array.from({ length: 120 }, () => [1, random(), random(), Math.round(random() * 4)]);
    const labels = rows.map((row) => (row[1]! > 0.6 ? row[3]! >= 2 : row[2]! < 0.3) !== random() < 0.1);
    const options = { rounds: 1, depth: 3, shrinkage: 1, minLeafWeight: 4, l2: 1, bins: 1000 };
    const [tree] = fitBoostedTrees(rows, labels, ['bias', 'a', 'b', 'c'], options).trees;
    // At score 0 every row's gradient is p − y = ±0.5 and its hessian 0.25.
    const gain = (members: number[]) => {
      const g = members.reduce((total, i) => total + (0.5 - (labels[i] ? 1 : 0)), 0);
      return (g * g) / (members.length * 0.25 + options.l2);
    };
    const splitGain = (members: number[], feature: number, threshold: number): number | null => {
      const below = members.filter((i) => rows[i]![feature]! <= threshold);
      const above = members.filter((i) => rows[i]![feature]! > threshold);
      if (below.length < options.minLeafWeight || above.length < options.minLeafWeight) return null;
      return gain(below) + gain(above) - gain(members);
    };
    const bestGain = (members: number[]): number => {
      let best = 0;
      for (let feature = 0; feature < 4; feature++) {
        const values = [...new Set(members.map((i) => rows[i]![feature]!))].sort((x, y) => x - y);
        for (let k = 0; k + 1 < values.length; k++) best = Math.max(best, splitGain(members, feature, (values[k]! + values[k + 1]!) / 2) ?? 0);
      }
      return best;
    };
    // Several splits may tie (every gradient is ±0.5): the fitted one must reach the best gain.
    const check = (node: number, members: number[], depth: number): void => {
      const fitted = tree![node]!;
      const best = depth < options.depth ? bestGain(members) : 0;
      if (!('feature' in fitted)) return void expect(best).toBeLessThan(1e-9);
      expect(splitGain(members, fitted.feature, fitted.threshold)).toBeCloseTo(best, 9);
      check(fitted.below, members.filter((i) => rows[i]![fitted.feature]! <= fitted.threshold), depth + 1);
      check(fitted.above, members.filter((i) => rows[i]![fitted.feature]! > fitted.threshold), depth + 1);
    };
    check(0, rows.map((_, i) => i), 0);
    expect(tree!.length).toBeGreaterThanOrEqual(7);
  });

  it('splits no node into a side lighter than the least leaf weight', () => {
    const data = makeXor(100, 7);
    const trees = fitBoostedTrees(data.rows, data.labels, NAMES, { ...OPTIONS, minLeafWeight: 51 });
    expect(trees.trees.every((nodes) => nodes.length === 1)).toBe(true);
    // The single leaves still move the score toward the base rate.
    const rate = data.labels.filter(Boolean).length / data.labels.length;
    expect(sigmoid(scoreTrees(trees, data.rows[0]!))).toBeCloseTo(rate, 1);
  });
});

describe('chooseThresholds', () => {
  it('puts a threshold between every pair of neighbouring values when there are few', () => {
    expect(chooseThresholds([0, 1, 1, 3, 0], 8)).toEqual([0.5, 2]);
    expect(chooseThresholds([2, 2, 2], 8)).toEqual([]);
  });

  it('keeps at most `bins` thresholds, at quantiles, each between two values seen', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i * i);
    const cuts = chooseThresholds(values, 10);
    expect(cuts.length).toBeGreaterThan(5);
    expect(cuts.length).toBeLessThanOrEqual(10);
    expect(cuts.every((cut) => !values.includes(cut))).toBe(true);
    // Quantiles, not even steps of the range: most cuts fall in the lower half of the range.
    expect(cuts.filter((cut) => cut < 999 * 999 * 0.5).length).toBeGreaterThan(cuts.length / 2);
  });
});

describe('boosted answer trees in answer-model.json', () => {
  const shipped = JSON.parse(readFileSync(new URL('../../src/answering/answer-model.json', import.meta.url), 'utf8'));
  const random = createSeededRandom(8);
  const rows = Array.from({ length: 300 }, () => ANSWER_FEATURES.map((feature) => (feature === 'bias' ? 1 : random())));
  const labels = rows.map((row) => row[1]! > 0.5 !== row[2]! > 0.5);
  const answerTrees = fitBoostedTrees(rows, labels, ANSWER_FEATURES, OPTIONS);

  it('survive a round trip through the file and give the same probabilities', () => {
    const read = parseAnswerModel(JSON.stringify({ ...shipped, answerTrees }));
    for (const row of rows.slice(0, 50)) {
      expect(estimateAnswerProbability(read, row)).toBe(sigmoid(scoreLinear(read.answer, row) + scoreTrees(answerTrees, row)));
    }
    expect(estimateAnswerProbability(read, rows[0]!)).not.toBe(estimateAnswerProbability({ ...read, answerTrees: null }, rows[0]!));
  });

  it('are refused, saying to retrain, when a node points back (a loop), names a feature the code lacks, or are missing', () => {
    const looping = structuredClone(answerTrees);
    const split = looping.trees[0]!.findIndex((node) => 'feature' in node);
    (looping.trees[0]![split] as { below: number }).below = split;
    expect(() => parseAnswerModel(JSON.stringify({ ...shipped, answerTrees: looping }))).toThrow(/answerTrees tree 0 node \d+ is malformed; run `npm run train`/);
    const renamed = { ...answerTrees, features: answerTrees.features.map((f) => (f === 'margin' ? 'gap' : f)) };
    expect(() => parseAnswerModel(JSON.stringify({ ...shipped, answerTrees: renamed }))).toThrow(/features the code does not compute \(gap\)/);
    const { answerTrees: _, ...without } = shipped;
    expect(() => parseAnswerModel(JSON.stringify(without))).toThrow(/no answerTrees/);
  });
});
