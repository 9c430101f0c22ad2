import type { TreeEnsemble, TreeNode } from '../answering/tree-ensemble.js';
import { lowerBound } from '../sorted-search.js';

/**
 * Gradient-boosted regression trees for a logistic loss: each round fits one shallow tree
 * to the loss's gradient at the current scores and steps each leaf by a shrunken Newton
 * step (−Σgradient / (Σhessian + l2)), as XGBoost does. Splits are searched on at most
 * `bins` thresholds per feature (quantiles of the training rows), so a node's split search
 * is one pass over its rows. No randomness (no row or column sampling), and
 * ties go to the first feature and lowest threshold, so a fit is deterministic.
 */

export interface BoostOptions {
  rounds: number;
  /** Splits from the root to a leaf, at most. */
  depth: number;
  /** Each tree's leaves are multiplied by this (learning rate). */
  shrinkage: number;
  /** Sample weight each side of a split must hold, at least. */
  minLeafWeight: number;
  /** L2 penalty on leaf values, in units of the hessian. */
  l2: number;
  /** Candidate thresholds per feature, at most. */
  bins: number;
}

/**
 * Fits trees whose summed output, added to `baseScores` (default 0), is the log-odds of
 * `labels`. `sampleWeights` (default 1 each) say how much each row counts.
 */
export function fitBoostedTrees(
  rows: readonly (readonly number[])[],
  labels: readonly boolean[],
  featureNames: readonly string[],
  options: BoostOptions,
  sampleWeights: readonly number[] = rows.map(() => 1),
  baseScores: readonly number[] = rows.map(() => 0),
): TreeEnsemble {
  const n = rows.length;
  const width = featureNames.length;
  const thresholds = featureNames.map((_, j) => Float64Array.from(chooseThresholds(rows.map((row) => row[j]!), options.bins)));
  // binned[i * width + j]: how many of feature j's thresholds row i's value exceeds.
  const binned = new Uint16Array(width * n);
  // Feature j's histogram cells start at offsets[j] (one cell per bin: gradient, hessian, weight).
  const offsets = new Int32Array(width + 1);
  for (let j = 0; j < width; j++) offsets[j + 1] = offsets[j]! + (thresholds[j]!.length + 1) * 3;
  for (let j = 0; j < width; j++) for (let i = 0; i < n; i++) binned[i * width + j] = lowerBound(thresholds[j]!, rows[i]![j]!);
  const weights = Float64Array.from(sampleWeights);
  const scores = Float64Array.from(baseScores);
  const gradient = new Float64Array(n);
  const hessian = new Float64Array(n);
  const trees: TreeNode[][] = [];
  for (let round = 0; round < options.rounds; round++) {
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-scores[i]!));
      gradient[i] = weights[i]! * (p - (labels[i] ? 1 : 0));
      hessian[i] = weights[i]! * Math.max(p * (1 - p), 1e-6);
    }
    const nodes: TreeNode[] = [];
    /** Every feature's histogram over some rows, in one pass over them. */
    const fillHistogram = (members: Int32Array): Float64Array => {
      const histogram = new Float64Array(offsets[width]!);
      for (let k = 0; k < members.length; k++) {
        const i = members[k]!;
        const gi = gradient[i]!;
        const hi = hessian[i]!;
        const wi = weights[i]!;
        const row = i * width;
        for (let j = 0; j < width; j++) {
          const b = offsets[j]! + binned[row + j]! * 3;
          histogram[b] = histogram[b]! + gi;
          histogram[b + 1] = histogram[b + 1]! + hi;
          histogram[b + 2] = histogram[b + 2]! + wi;
        }
      }
      return histogram;
    };
    const grow = (members: Int32Array, depth: number): number => {
      const at = nodes.length;
      let g = 0;
      let h = 0;
      let w = 0;
      for (const i of members) {
        g += gradient[i]!;
        h += hessian[i]!;
        w += weights[i]!;
      }
      const split = depth < options.depth ? findSplit(fillHistogram(members), g, h, w) : null;
      if (!split) {
        const value = (-g / (h + options.l2)) * options.shrinkage;
        for (const i of members) scores[i] = scores[i]! + value;
        nodes.push({ value });
        return at;
      }
      const node = { feature: split.feature, threshold: thresholds[split.feature]![split.bin]!, below: 0, above: 0 };
      nodes.push(node);
      const below = members.filter((i) => binned[i * width + split.feature]! <= split.bin);
      const above = members.filter((i) => binned[i * width + split.feature]! > split.bin);
      node.below = grow(below, depth + 1);
      node.above = grow(above, depth + 1);
      return at;
    };
    /** The split with the largest loss reduction that leaves enough weight each side, or null. */
    const findSplit = (histogram: Float64Array, g: number, h: number, w: number): { feature: number; bin: number } | null => {
      const parent = (g * g) / (h + options.l2);
      let best: { feature: number; bin: number } | null = null;
      let bestGain = 1e-9;
      for (let j = 0; j < width; j++) {
        const count = thresholds[j]!.length;
        let gl = 0;
        let hl = 0;
        let wl = 0;
        for (let bin = 0; bin < count; bin++) {
          const b = offsets[j]! + bin * 3;
          gl += histogram[b]!;
          hl += histogram[b + 1]!;
          wl += histogram[b + 2]!;
          if (wl < options.minLeafWeight || w - wl < options.minLeafWeight) continue;
          const gain = (gl * gl) / (hl + options.l2) + ((g - gl) * (g - gl)) / (h - hl + options.l2) - parent;
          if (gain > bestGain) {
            bestGain = gain;
            best = { feature: j, bin };
          }
        }
      }
      return best;
    };
    grow(Int32Array.from({ length: n }, (_, i) => i), 0);
    trees.push(nodes);
  }
  return { features: [...featureNames], trees };
}

/**
 * Up to `bins` thresholds between distinct values of one feature, at its quantiles over
 * the rows (sample weights aside: they only place candidates, the split search weighs);
 * a threshold is the midpoint of two neighbouring values, so rows at either keep their side.
 */
export function chooseThresholds(values: readonly number[], bins: number): number[] {
  const sorted = Float64Array.from(values).sort();
  const distinct = sorted.filter((value, i) => i === 0 || value !== sorted[i - 1]);
  if (distinct.length < 2) return [];
  // With few distinct values every gap is a candidate; otherwise the gaps above `bins` quantiles.
  if (distinct.length - 1 <= bins) return Array.from(distinct.subarray(1), (next, k) => (distinct[k]! + next) / 2);
  const cuts = new Set<number>();
  for (let k = 1; k <= bins; k++) {
    const value = sorted[Math.floor((k * sorted.length) / (bins + 1))]!;
    const index = lowerBound(distinct, value);
    if (index + 1 < distinct.length) cuts.add((value + distinct[index + 1]!) / 2);
  }
  return [...cuts].sort((a, b) => a - b);
}

