import { describe, expect, it } from 'vitest';
import { PASSAGE_BM25, scoreTermFrequency, SENTENCE_BM25, TYPICAL_SENTENCE_TERMS } from '../../src/text/bm25.js';
import { createSeededRandom } from '../../src/seeded-random.js';

/**
 * The two formulas BM25 had before it had one home, exactly as they were written (in
 * store/lexical-index.ts and answering/sentence-features.ts). The shared function must
 * give the very same floating-point numbers, so rankings, features and answers stay
 * bit-identical.
 */
const passageFormulaBefore = (tf: number, fieldLength: number, averageLength: number): number =>
  0.5 + (tf * (1.2 + 1)) / (tf + 1.2 * (1 - 0.7 + (0.7 * fieldLength) / averageLength));
const sentenceFormulaBefore = (tf: number, contentWords: number): number => {
  const relativeLength = contentWords / 12;
  return (tf * 2.2) / (tf + 1.2 * (0.25 + 0.75 * relativeLength));
};

describe('scoreTermFrequency', () => {
  it('gives sentence scoring the same numbers, bit for bit, for every term count and sentence length it meets', () => {
    let compared = 0;
    for (let words = 1; words <= 2_000; words++) {
      for (let tf = 1; tf <= Math.min(words, 40); tf++) {
        expect(scoreTermFrequency(tf, words, TYPICAL_SENTENCE_TERMS, SENTENCE_BM25)).toBe(sentenceFormulaBefore(tf, words));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(70_000);
  });

  it('gives the passage index the same numbers, bit for bit, over field lengths and corpus averages', () => {
    const random = createSeededRandom(18);
    for (let i = 0; i < 100_000; i++) {
      const tf = 1 + Math.floor(random() * 30);
      const fieldLength = Math.floor(random() * 600);
      // An average is a total of whole lengths over a passage count.
      const averageLength = (1 + Math.floor(random() * 5_000_000)) / (1 + Math.floor(random() * 100_000));
      expect(scoreTermFrequency(tf, fieldLength, averageLength, PASSAGE_BM25)).toBe(passageFormulaBefore(tf, fieldLength, averageLength));
    }
  });

  it('saturates: more occurrences add less and less, and a longer text scores lower', () => {
    const one = scoreTermFrequency(1, 10, 10, SENTENCE_BM25);
    const two = scoreTermFrequency(2, 10, 10, SENTENCE_BM25);
    const three = scoreTermFrequency(3, 10, 10, SENTENCE_BM25);
    expect(two - one).toBeGreaterThan(three - two);
    expect(three).toBeLessThan(SENTENCE_BM25.k1 + 1);
    expect(scoreTermFrequency(1, 20, 10, PASSAGE_BM25)).toBeLessThan(scoreTermFrequency(1, 10, 10, PASSAGE_BM25));
    // BM25+: any match is worth at least delta.
    expect(scoreTermFrequency(1, 1e9, 10, PASSAGE_BM25)).toBeGreaterThan(PASSAGE_BM25.delta);
  });
});
