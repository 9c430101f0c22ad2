import { describe, expect, it } from 'vitest';
import { scoreLinear, sigmoid, softmax } from '../../src/answering/answer-model.js';
import { createSeededRandom } from '../../src/seeded-random.js';
import { fitLogistic, fitRanker, type RankingGroup, standardize } from '../../src/training/fit-linear.js';

const NAMES = ['bias', 'signal', 'noise'];

/** Questions whose answering candidate has the highest `signal`, with `noise` unrelated to the answer. */
function makeRankingGroups(count: number, seed: number): RankingGroup[] {
  const random = createSeededRandom(seed);
  return Array.from({ length: count }, () => {
    const features = Array.from({ length: 6 }, () => [1, random(), random()]);
    const best = features.reduce((top, row, i) => (row[1]! > features[top]![1]! ? i : top), 0);
    return { features, positives: features.map((_, i) => i === best) };
  });
}

describe('fitRanker (conditional logit over a question’s candidates)', () => {
  it('learns to rank by the signal and to ignore the noise, and ranks unseen questions right', () => {
    const ranker = fitRanker(makeRankingGroups(200, 1), NAMES);
    expect(ranker.weights[1]!).toBeGreaterThan(1);
    expect(Math.abs(ranker.weights[2]!)).toBeLessThan(0.3 * ranker.weights[1]!);
    const unseen = makeRankingGroups(100, 2);
    const right = unseen.filter((group) => {
      const scores = group.features.map((row) => scoreLinear(ranker, row));
      return group.positives[scores.indexOf(Math.max(...scores))];
    }).length;
    expect(right).toBeGreaterThanOrEqual(95);
  });

  it('is deterministic: the same data gives the same weights', () => {
    expect(fitRanker(makeRankingGroups(50, 3), NAMES)).toEqual(fitRanker(makeRankingGroups(50, 3), NAMES));
  });

  it('skips questions with no answering candidate instead of failing on them', () => {
    const groups = [...makeRankingGroups(50, 4), { features: [[1, 0.5, 0.5]], positives: [false] }];
    expect(fitRanker(groups, NAMES).weights.every(Number.isFinite)).toBe(true);
  });
});

describe('fitLogistic', () => {
  it('gives calibrated probabilities: events predicted at about 70% happen about 70% of the time', () => {
    const random = createSeededRandom(5);
    const rows: number[][] = [];
    const labels: boolean[] = [];
    for (let i = 0; i < 4000; i++) {
      const x = random() * 4 - 2;
      rows.push([1, x]);
      labels.push(random() < sigmoid(1.5 * x - 0.5));
    }
    const model = fitLogistic(rows, labels, ['bias', 'x']);
    const near = rows.map((row, i) => ({ p: sigmoid(scoreLinear(model, row)), y: labels[i]! })).filter(({ p }) => p > 0.65 && p < 0.75);
    const observed = near.filter(({ y }) => y).length / near.length;
    expect(near.length).toBeGreaterThan(100);
    expect(observed).toBeGreaterThan(0.62);
    expect(observed).toBeLessThan(0.78);
  });

  it('counts weighted rows more', () => {
    const rows = [[1, 0], [1, 0]];
    const even = sigmoid(scoreLinear(fitLogistic(rows, [true, false], ['bias', 'x']), [1, 0]));
    const tilted = sigmoid(scoreLinear(fitLogistic(rows, [true, false], ['bias', 'x'], undefined, [3, 1]), [1, 0]));
    expect(even).toBeCloseTo(0.5, 2);
    expect(tilted).toBeGreaterThan(0.7);
  });
});

describe('standardize', () => {
  it('centres and scales columns, and leaves constant ones (the bias) alone', () => {
    const { mean, scale } = standardize([[1, 2, 5], [1, 4, 5]], 3);
    expect(mean).toEqual([0, 3, 5]);
    expect(scale).toEqual([1, 1, 1]);
  });
});

describe('softmax', () => {
  it('sums to one and survives large scores', () => {
    const p = softmax([1000, 1001, 999]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(p[1]!).toBeGreaterThan(p[0]!);
  });
});
