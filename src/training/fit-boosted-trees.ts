import type { TreeEnsemble, TreeNode } from '../answering/tree-ensemble.js';

/**
 * Gradient-boosted regression trees for a logistic loss: each round fits one shallow tree
 * to the loss's gradient at the current scores and steps each leaf by a shrunken Newton
 * step (−Σgradient / (Σhessian + l2)), as XGBoost does. Splits are searched on at most
 * `bins` thresholds per feature (quantiles of the training rows), which keeps a round at
 * one pass over the rows per tree level. No randomness (no row or column sampling), and
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
  const thresholds = featureNames.map((_, j) => chooseThresholds(rows.map((row) => row[j]!), options.bins));
  // binned[j * n + i]: how many of feature j's thresholds row i's value exceeds.
  const binned = new Uint16Array(width * n);
  for (let j = 0; j < width; j++) {
    const cuts = thresholds[j]!;
    for (let i = 0; i < n; i++) {
      // Binary search: the first threshold the value does not exceed.
      let low = 0;
      let high = cuts.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (rows[i]![j]! > cuts[middle]!) low = middle + 1;
        else high = middle;
      }
      binned[j * n + i] = low;
    }
  }
  const scores = Float64Array.from(baseScores);
  const gradient = new Float64Array(n);
  const hessian = new Float64Array(n);
  const trees: TreeNode[][] = [];
  for (let round = 0; round < options.rounds; round++) {
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-scores[i]!));
      gradient[i] = sampleWeights[i]! * (p - (labels[i] ? 1 : 0));
      hessian[i] = sampleWeights[i]! * Math.max(p * (1 - p), 1e-6);
    }
    const nodes: TreeNode[] = [];
    const grow = (members: Int32Array, depth: number): number => {
      const at = nodes.length;
      let g = 0;
      let h = 0;
      let w = 0;
      for (const i of members) {
        g += gradient[i]!;
        h += hessian[i]!;
        w += sampleWeights[i]!;
      }
      const split = depth < options.depth ? findSplit(members, g, h, w) : null;
      if (!split) {
        const value = (-g / (h + options.l2)) * options.shrinkage;
        for (const i of members) scores[i] = scores[i]! + value;
        nodes.push({ value });
        return at;
      }
      const node = { feature: split.feature, threshold: thresholds[split.feature]![split.bin]!, below: 0, above: 0 };
      nodes.push(node);
      const below = members.filter((i) => binned[split.feature * n + i]! <= split.bin);
      const above = members.filter((i) => binned[split.feature * n + i]! > split.bin);
      node.below = grow(below, depth + 1);
      node.above = grow(above, depth + 1);
      return at;
    };
    /** The split with the largest loss reduction that leaves enough weight each side, or null. */
    const findSplit = (members: Int32Array, g: number, h: number, w: number): { feature: number; bin: number } | null => {
      const parent = (g * g) / (h + options.l2);
      let best: { feature: number; bin: number } | null = null;
      let bestGain = 1e-9;
      for (let j = 0; j < width; j++) {
        const count = thresholds[j]!.length;
        if (count === 0) continue;
        const histogram = new Float64Array((count + 1) * 3);
        for (const i of members) {
          const b = binned[j * n + i]! * 3;
          histogram[b] = histogram[b]! + gradient[i]!;
          histogram[b + 1] = histogram[b + 1]! + hessian[i]!;
          histogram[b + 2] = histogram[b + 2]! + sampleWeights[i]!;
        }
        let gl = 0;
        let hl = 0;
        let wl = 0;
        for (let bin = 0; bin < count; bin++) {
          gl += histogram[bin * 3]!;
          hl += histogram[bin * 3 + 1]!;
          wl += histogram[bin * 3 + 2]!;
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
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  if (distinct.length < 2) return [];
  const sorted = [...values].sort((a, b) => a - b);
  const cuts = new Set<number>();
  const steps = Math.min(bins, distinct.length - 1);
  for (let k = 1; k <= steps; k++) {
    // The value at quantile k / (steps + 1), then the next distinct value above it.
    const value = sorted[Math.min(sorted.length - 1, Math.floor((k * sorted.length) / (steps + 1)))]!;
    const index = distinct.indexOf(value);
    const next = distinct[index + 1];
    if (next !== undefined) cuts.add((value + next) / 2);
  }
  // With few distinct values the quantiles may miss some; then every gap is a candidate.
  if (distinct.length - 1 <= bins) for (let k = 0; k + 1 < distinct.length; k++) cuts.add((distinct[k]! + distinct[k + 1]!) / 2);
  return [...cuts].sort((a, b) => a - b);
}
