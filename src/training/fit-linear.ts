import type { LinearModel } from '../answering/answer-model.js';

/**
 * Fitting the two linear models of answer-model.json: a conditional-logit ranker
 * (softmax over one question's candidate sentences, maximising the probability of the
 * sentences that hold the answer) and a logistic regression (is the quote right?).
 * Both are small convex problems solved by L-BFGS from zero weights, so a fit is
 * deterministic. No maintained npm package fits a
 * conditional logit, and one optimiser for both keeps them alike.
 */

export interface FitOptions {
  /** L2 penalty per example on every weight but the bias. */
  l2: number;
  /** Most L-BFGS iterations (it stops earlier once the loss stops falling). */
  iterations: number;
}

export const DEFAULT_FIT: FitOptions = { l2: 1e-3, iterations: 200 };

/** One question for the ranker: its candidates' features and which ones hold the answer. */
export interface RankingGroup {
  features: readonly (readonly number[])[];
  positives: readonly boolean[];
  /** How much this question counts in the fit (default 1). */
  weight?: number;
}

/** Column means and standard deviations (1 where a column is constant, so it contributes 0). */
export function standardize(rows: readonly (readonly number[])[], width: number): { mean: number[]; scale: number[] } {
  const mean = new Array<number>(width).fill(0);
  const scale = new Array<number>(width).fill(0);
  for (const row of rows) for (let j = 0; j < width; j++) mean[j]! += row[j]! / rows.length;
  for (const row of rows) for (let j = 0; j < width; j++) scale[j]! += (row[j]! - mean[j]!) ** 2 / rows.length;
  for (let j = 0; j < width; j++) {
    scale[j] = Math.sqrt(scale[j]!);
    if (scale[j]! < 1e-9) {
      // A constant column (the bias, or a signal this data never shows) stays as it is.
      scale[j] = 1;
      mean[j] = j === 0 ? 0 : mean[j]!;
    }
  }
  return { mean, scale };
}

/** Fits the ranker on questions that have at least one answering candidate. */
export function fitRanker(groups: readonly RankingGroup[], featureNames: readonly string[], options: FitOptions = DEFAULT_FIT): LinearModel {
  const usable = groups.filter((group) => group.positives.some(Boolean));
  const width = featureNames.length;
  const { mean, scale } = standardize(usable.flatMap((group) => group.features), width);
  // Standardized rows in one flat array per question: the inner loops stay on typed memory.
  const data = usable.map((group) => {
    const x = new Float64Array(group.features.length * width);
    group.features.forEach((row, i) => row.forEach((v, j) => (x[i * width + j] = (v - mean[j]!) / scale[j]!)));
    return { x, rows: group.features.length, positives: group.positives, weight: group.weight ?? 1 };
  });
  const totalWeight = data.reduce((total, group) => total + group.weight, 0);
  const weights = optimise(width, options, totalWeight, (w, gradient) => {
    let loss = 0;
    for (const { x, rows, positives, weight } of data) {
      const exps = new Float64Array(rows);
      let top = -Infinity;
      for (let i = 0; i < rows; i++) {
        let score = 0;
        for (let j = 0; j < width; j++) score += w[j]! * x[i * width + j]!;
        exps[i] = score;
        if (score > top) top = score;
      }
      let total = 0;
      let positiveTotal = 0;
      for (let i = 0; i < rows; i++) {
        exps[i] = Math.exp(exps[i]! - top);
        total += exps[i]!;
        if (positives[i]) positiveTotal += exps[i]!;
      }
      loss -= weight * Math.log(positiveTotal / total);
      for (let i = 0; i < rows; i++) {
        const coefficient = weight * (exps[i]! / total - (positives[i] ? exps[i]! / positiveTotal : 0));
        for (let j = 0; j < width; j++) gradient[j]! += coefficient * x[i * width + j]!;
      }
    }
    return loss;
  });
  // The ranker is shift-invariant: its bias carries nothing.
  weights[0] = 0;
  return { features: [...featureNames], mean, scale, weights };
}

/** Fits P(label) = sigmoid(w · standardized x); `sampleWeights` (default 1 each) say how much each row counts. */
export function fitLogistic(
  rows: readonly (readonly number[])[],
  labels: readonly boolean[],
  featureNames: readonly string[],
  options: FitOptions = DEFAULT_FIT,
  sampleWeights: readonly number[] = rows.map(() => 1),
): LinearModel {
  const { mean, scale } = standardize(rows, featureNames.length);
  const x = rows.map((row) => row.map((v, j) => (v - mean[j]!) / scale[j]!));
  const totalWeight = sampleWeights.reduce((a, b) => a + b, 0);
  const weights = optimise(featureNames.length, options, totalWeight, (w, gradient) => {
    let loss = 0;
    x.forEach((row, i) => {
      const p = 1 / (1 + Math.exp(-dot(w, row)));
      const y = labels[i] ? 1 : 0;
      const weight = sampleWeights[i]!;
      loss -= weight * (y * Math.log(Math.max(p, 1e-12)) + (1 - y) * Math.log(Math.max(1 - p, 1e-12)));
      for (let j = 0; j < row.length; j++) gradient[j]! += weight * (p - y) * row[j]!;
    });
    return loss;
  });
  return { features: [...featureNames], mean, scale, weights };
}

/**
 * Minimises the (weighted) mean loss plus an L2 penalty (bias excluded) by L-BFGS with a
 * backtracking line search, from zero weights; returns the weights. Both losses are
 * convex and smooth, so it converges in tens of iterations where gradient descent took
 * hundreds.
 */
function optimise(width: number, options: FitOptions, count: number, lossAndGradient: (w: number[], gradient: number[]) => number): number[] {
  const objective = (w: number[]): { loss: number; gradient: number[] } => {
    const gradient = new Array<number>(width).fill(0);
    let loss = lossAndGradient(w, gradient) / Math.max(count, 1);
    for (let j = 0; j < width; j++) {
      gradient[j] = gradient[j]! / Math.max(count, 1) + (j === 0 ? 0 : options.l2 * w[j]!);
      if (j > 0) loss += 0.5 * options.l2 * w[j]! * w[j]!;
    }
    return { loss, gradient };
  };
  let w = new Array<number>(width).fill(0);
  let { loss, gradient } = objective(w);
  const history: { s: number[]; y: number[]; rho: number }[] = [];
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    if (Math.sqrt(dot(gradient, gradient)) < 1e-6) break;
    // Two-loop recursion: the search direction from the last few steps' curvature.
    const q = [...gradient];
    const alphas: number[] = [];
    for (let k = history.length - 1; k >= 0; k--) {
      const { s, y, rho } = history[k]!;
      const alpha = rho * dot(s, q);
      alphas[k] = alpha;
      for (let j = 0; j < width; j++) q[j] = q[j]! - alpha * y[j]!;
    }
    const last = history.at(-1);
    const gamma = last ? dot(last.s, last.y) / dot(last.y, last.y) : 1 / Math.max(Math.sqrt(dot(gradient, gradient)), 1);
    for (let j = 0; j < width; j++) q[j] = q[j]! * gamma;
    for (let k = 0; k < history.length; k++) {
      const { s, y, rho } = history[k]!;
      const beta = rho * dot(y, q);
      for (let j = 0; j < width; j++) q[j] = q[j]! + s[j]! * (alphas[k]! - beta);
    }
    const direction = q.map((v) => -v);
    let slope = dot(gradient, direction);
    if (slope >= 0) {
      // Not a descent direction (curvature went wrong): start again from steepest descent.
      history.length = 0;
      for (let j = 0; j < width; j++) direction[j] = -gradient[j]!;
      slope = -dot(gradient, gradient);
    }
    let step = 1;
    let next = w.map((v, j) => v + step * direction[j]!);
    let trial = objective(next);
    while (trial.loss > loss + 1e-4 * step * slope && step > 1e-10) {
      step /= 2;
      next = w.map((v, j) => v + step * direction[j]!);
      trial = objective(next);
    }
    const s = next.map((v, j) => v - w[j]!);
    const y = trial.gradient.map((v, j) => v - gradient[j]!);
    const sy = dot(s, y);
    if (sy > 1e-12) {
      history.push({ s, y, rho: 1 / sy });
      if (history.length > LBFGS_MEMORY) history.shift();
    }
    const improvement = loss - trial.loss;
    w = next;
    loss = trial.loss;
    gradient = trial.gradient;
    if (improvement >= 0 && improvement < 1e-10 * Math.max(1, Math.abs(loss))) break;
  }
  return w;
}

/** Steps of curvature L-BFGS remembers (the usual 5–20; 10 converged the fits here within 100 iterations). */
const LBFGS_MEMORY = 10;

function dot(a: readonly number[], b: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += a[i]! * b[i]!;
  return total;
}
