/**
 * A sum of small regression trees over the answer features (gradient-boosted, fitted by
 * src/training/fit-boosted-trees.ts): added to the answer model's linear score, it can
 * learn what a straight line cannot — a feature that matters only when another is low,
 * a score that helps up to a point. Stored in answer-model.json beside the linear part.
 */

/** An inner node: rows with `features[feature] <= threshold` go to `below`, the others to `above` (node indices, always after this one). */
export interface TreeSplit {
  feature: number;
  threshold: number;
  below: number;
  above: number;
}

/** A leaf: what the tree adds to the score (shrinkage already applied). */
export interface TreeLeaf {
  value: number;
}

export type TreeNode = TreeSplit | TreeLeaf;

export interface TreeEnsemble {
  /** The feature names the nodes' `feature` indices refer to, in order. */
  features: string[];
  /** Each tree's nodes, the root first. */
  trees: TreeNode[][];
}

/** What the trees add to a score for one feature vector (in the order of `ensemble.features`). */
export function scoreTrees(ensemble: TreeEnsemble, features: readonly number[]): number {
  let score = 0;
  for (const nodes of ensemble.trees) {
    let node = nodes[0]!;
    while ('feature' in node) node = nodes[features[node.feature]! <= node.threshold ? node.below : node.above]!;
    score += node.value;
  }
  return score;
}

/**
 * The ensemble re-indexed onto `expected` (the features the code computes), or an error
 * message saying what is wrong with it. Every node is checked: a child index must point
 * forward, so scoring always ends at a leaf.
 */
export function validateTreeEnsemble(ensemble: unknown, expected: readonly string[]): { ensemble: TreeEnsemble } | { error: string } {
  const value = ensemble as Partial<TreeEnsemble> | null;
  if (!value || !Array.isArray(value.features) || !Array.isArray(value.trees)) return { error: 'is not an object with `features` and `trees` arrays' };
  const unknown = value.features.filter((feature) => !expected.includes(feature));
  if (unknown.length > 0) return { error: `splits on features the code does not compute (${unknown.join(', ')})` };
  const at = value.features.map((feature) => expected.indexOf(feature));
  const trees: TreeNode[][] = [];
  for (const [t, nodes] of value.trees.entries()) {
    if (!Array.isArray(nodes) || nodes.length === 0) return { error: `tree ${t} has no nodes` };
    const read: TreeNode[] = [];
    for (const [i, node] of (nodes as unknown[]).entries()) {
      const n = node as Partial<TreeSplit & TreeLeaf> | null;
      const child = (c: unknown): c is number => Number.isInteger(c) && (c as number) > i && (c as number) < nodes.length;
      if (n && 'value' in n && Number.isFinite(n.value)) read.push({ value: n.value! });
      else if (n && Number.isInteger(n.feature) && at[n.feature!] !== undefined && Number.isFinite(n.threshold) && child(n.below) && child(n.above)) {
        read.push({ feature: at[n.feature!]!, threshold: n.threshold!, below: n.below!, above: n.above! });
      } else return { error: `tree ${t} node ${i} is malformed` };
    }
    trees.push(read);
  }
  return { ensemble: { features: [...expected], trees } };
}
