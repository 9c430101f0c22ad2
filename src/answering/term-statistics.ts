import type { Chunk } from '../domain.js';
import { contentTerms } from '../text/terms.js';

/** A query term with how much it matters before rarity is counted (1 = the user's own words). */
export interface QueryTerm {
  term: string;
  weight: number;
}

/** A word the corpus never uses may be a synonym or a typo rather than proof of absence. */
const UNKNOWN_TERM_DISCOUNT = 0.6;

/**
 * Corpus-wide term rarity over sentences, used to weigh question words: a match on
 * a rare word ("Ombudsman") says more than one on a word every sentence has.
 */
export class TermStatistics {
  private readonly documentFrequency = new Map<string, number>();
  private readonly sentenceCount: number;
  private readonly vocabulary: string[];
  /** Corrections already worked out: a scan of the vocabulary is the costly part. */
  private readonly corrections = new Map<string, string>();

  constructor(chunks: readonly Chunk[]) {
    const seen = new Set<string>();
    let count = 0;
    for (const chunk of chunks) {
      for (const sentence of chunk.sentences) {
        // Split passages repeat their overlap sentence; count it once.
        const key = `${chunk.documentId}:${sentence.start}`;
        if (seen.has(key)) continue;
        seen.add(key);
        count++;
        const text = chunk.text.slice(sentence.start - chunk.start, sentence.end - chunk.start);
        for (const term of new Set(contentTerms(text))) {
          this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
        }
      }
    }
    this.sentenceCount = Math.max(count, 1);
    this.vocabulary = [...this.documentFrequency.keys()];
  }

  has(term: string): boolean {
    return this.documentFrequency.has(term);
  }

  /** Smoothed inverse sentence frequency; unknown words get the maximum, discounted. */
  weigh(term: string): number {
    const df = this.documentFrequency.get(term) ?? 0;
    const idf = Math.log(1 + this.sentenceCount / (1 + df));
    return df === 0 ? idf * UNKNOWN_TERM_DISCOUNT : idf;
  }

  /**
   * The corpus word a misspelt query word most likely meant ("kazakstan" → "kazakhstan"),
   * or the word itself. Only words of five letters or more are corrected, by at most
   * one edit (two for long words), so real but absent words stay absent.
   */
  correct(term: string): string {
    if (this.has(term) || term.length < 5 || /\d/.test(term)) return term;
    let corrected = this.corrections.get(term);
    if (corrected === undefined) {
      corrected = this.findCorrection(term);
      this.corrections.set(term, corrected);
    }
    return corrected;
  }

  private findCorrection(term: string): string {
    const allowed = term.length >= 9 ? 2 : 1;
    let best = term;
    let bestDistance = allowed + 1;
    for (const candidate of this.vocabulary) {
      if (Math.abs(candidate.length - term.length) > allowed || /\d/.test(candidate)) continue;
      const distance = editDistance(term, candidate, allowed);
      if (distance < bestDistance || (distance === bestDistance && best !== term && (this.documentFrequency.get(candidate) ?? 0) > (this.documentFrequency.get(best) ?? 0))) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return bestDistance <= allowed ? best : term;
  }
}

/** Damerau–Levenshtein (optimal string alignment) distance, giving up past `limit`; three rolling rows. */
export function editDistance(a: string, b: string, limit: number): number {
  const cols = b.length + 1;
  let before = new Int32Array(cols);
  let previous = Int32Array.from({ length: cols }, (_, j) => j);
  let current = new Int32Array(cols);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      current[j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}
