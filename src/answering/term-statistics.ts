import type { Chunk } from '../domain.js';
import { countSentenceTerms } from '../store/lexical-index.js';
import { findSimilarTerms, findTerm } from '../store/similar-terms.js';
import { remember } from '../remember.js';

/** Sentence counts per term, as the lexical index stores them (computed once, at build). */
export interface TermCounts {
  /** Sorted by UTF-16 code units. */
  readonly terms: readonly string[];
  /** Sentences each term occurs in (0: the term is only in the lexical index, not in a sentence). */
  readonly sentenceFrequencies: Uint32Array;
  readonly sentenceCount: number;
}

const MAX_REMEMBERED_CORRECTIONS = 4_096;
/** A word the corpus never uses may be a synonym or a typo rather than proof of absence. */
const UNKNOWN_TERM_DISCOUNT = 0.6;

/**
 * Corpus-wide term rarity over sentences, used to weigh question words: a match on
 * a rare word ("Ombudsman") says more than one on a word every sentence has.
 * Built from the counts the index stores (instant), or counted from chunks.
 */
export class TermStatistics {
  private readonly counts: TermCounts;
  private readonly sentenceCount: number;
  /** Recent corrections: the search over the vocabulary is the costly part, and questions repeat words. */
  private readonly corrections = new Map<string, string>();

  constructor(source: readonly Chunk[] | TermCounts) {
    this.counts = 'terms' in source ? source : countChunks(source);
    this.sentenceCount = Math.max(this.counts.sentenceCount, 1);
  }

  has(term: string): boolean {
    return this.frequency(term) > 0;
  }

  /** Smoothed inverse sentence frequency; unknown words get the maximum, discounted. */
  weigh(term: string): number {
    const df = this.frequency(term);
    const idf = Math.log(1 + this.sentenceCount / (1 + df));
    return df === 0 ? idf * UNKNOWN_TERM_DISCOUNT : idf;
  }

  /**
   * The corpus word a misspelt query word most likely meant ("kazakstan" → "kazakhstan"),
   * or the word itself. Only words of five letters or more are corrected, by at most
   * one edit (two for long words), so real but absent words stay absent. Of the nearest
   * corpus words the most frequent wins (then the first in sorted order).
   */
  correct(term: string): string {
    if (this.has(term) || term.length < 5 || /\d/.test(term)) return term;
    const corrected = remember(this.corrections, term, MAX_REMEMBERED_CORRECTIONS, () => this.findCorrection(term));
    return corrected;
  }

  private findCorrection(term: string): string {
    const allowed = term.length >= 9 ? 2 : 1;
    let best = term;
    let bestDistance = allowed + 1;
    let bestFrequency = 0;
    for (const { index, distance } of findSimilarTerms(this.counts.terms, term, allowed, { transpositions: true })) {
      const candidate = this.counts.terms[index]!;
      const frequency = this.counts.sentenceFrequencies[index]!;
      if (frequency === 0 || /\d/.test(candidate)) continue;
      if (distance < bestDistance || (distance === bestDistance && frequency > bestFrequency)) {
        best = candidate;
        bestDistance = distance;
        bestFrequency = frequency;
      }
    }
    return bestDistance <= allowed ? best : term;
  }

  private frequency(term: string): number {
    const index = findTerm(this.counts.terms, term);
    return index === -1 ? 0 : this.counts.sentenceFrequencies[index]!;
  }
}

function countChunks(chunks: readonly Chunk[]): TermCounts {
  const { sentences, frequencies } = countSentenceTerms(chunks);
  const terms = [...frequencies.keys()].sort();
  return { terms, sentenceFrequencies: Uint32Array.from(terms, (term) => frequencies.get(term)!), sentenceCount: sentences };
}
