/**
 * BM25, in one place: how much one matching term adds to a text's score, from how often
 * it occurs there and how long the text is. The passage index (`store/lexical-index.ts`)
 * and sentence scoring (`answering/sentence-features.ts`) both use it, each with its own
 * parameters, named here:
 *
 *   delta + tf × (k1 + 1) / (tf + k1 × (1 − b + b × length / averageLength))
 *
 * multiplied by the caller's term weight (its idf, and any boost).
 */

/** k1 saturates term frequency; b normalises by length; delta is BM25+'s floor for any match (0: plain BM25). */
export interface Bm25Parameters {
  readonly k1: number;
  readonly b: number;
  readonly delta: number;
}

/**
 * Passages: MiniSearch's BM25+ (k1 = 1.2, b = 0.7, delta = 0.5), the library the passage
 * index replaced and is still compared against, so rankings stay MiniSearch's.
 */
export const PASSAGE_BM25: Bm25Parameters = { k1: 1.2, b: 0.7, delta: 0.5 };

/** Sentences: the textbook values (k1 = 1.2, b = 0.75), plain BM25, as the answer model's features were fitted with. */
export const SENTENCE_BM25: Bm25Parameters = { k1: 1.2, b: 0.75, delta: 0 };

/** A typical sentence has about 12 content words: sentence length is measured against that. */
export const TYPICAL_SENTENCE_TERMS = 12;

/**
 * What one matching term contributes before its weight: `tf` occurrences in a text of
 * `length` (the caller's unit: distinct tokens for passages, content words for sentences)
 * against `averageLength`.
 */
export function scoreTermFrequency(tf: number, length: number, averageLength: number, parameters: Bm25Parameters): number {
  return scoreWithLengthNorm(tf, lengthNorm(length, averageLength, parameters), parameters);
}

/**
 * The formula's length part, `k1 × (1 − b + b × length / averageLength)`: one number per
 * text, which a caller scoring many terms of the same texts (the passage index: every
 * posting of every query word) works out once per text rather than once per term.
 */
export function lengthNorm(length: number, averageLength: number, parameters: Bm25Parameters): number {
  const { k1, b } = parameters;
  return k1 * (1 - b + (b * length) / averageLength);
}

/** `scoreTermFrequency` with the text's `lengthNorm` already worked out (the same arithmetic, in the same order). */
export function scoreWithLengthNorm(tf: number, norm: number, parameters: Bm25Parameters): number {
  return parameters.delta + (tf * (parameters.k1 + 1)) / (tf + norm);
}
