import MiniSearch, { type Options, type SearchResult } from 'minisearch';
import type { Chunk } from '../domain.js';
import { isStopWord, stemTerm, tokenize } from '../text/terms.js';

/** The BM25 index over chunk texts (MiniSearch), with stemming and stop words. */
export type LexicalIndex = MiniSearch<LexicalEntry>;

interface LexicalEntry {
  id: number;
  text: string;
}

export interface LexicalMatch {
  /** Position of the chunk in the index's chunk array. */
  position: number;
  score: number;
}

const OPTIONS: Options<LexicalEntry> = {
  fields: ['text'],
  tokenize,
  processTerm: (term) => (isStopWord(term) ? null : stemTerm(term)),
  searchOptions: {
    combineWith: 'OR',
    // Typos in longer words still match, at a discount; short words must match exactly.
    fuzzy: (term) => (term.length >= 6 ? 0.15 : false),
    weights: { fuzzy: 0.4, prefix: 0.3 },
  },
};

/** Builds the index; each chunk is addressed by its position in `chunks`. */
export function buildLexicalIndex(chunks: readonly Chunk[]): LexicalIndex {
  const index = new MiniSearch<LexicalEntry>(OPTIONS);
  index.addAll(chunks.map((chunk, position) => ({ id: position, text: chunk.text })));
  return index;
}

export function serializeLexicalIndex(index: LexicalIndex): string {
  return JSON.stringify(index);
}

/** Restores a saved index; throws when the JSON is not a MiniSearch index. */
export function loadLexicalIndex(json: string): LexicalIndex {
  return MiniSearch.loadJSON<LexicalEntry>(json, OPTIONS);
}

/** A query word with how much a match on it counts (1 = the user's own word; less for a synonym). */
export interface WeightedWord {
  word: string;
  weight: number;
}

/**
 * BM25 matches for a query, best first. The query is either plain text (every word
 * counts fully) or weighted words: words that stem alike count at the highest weight given.
 */
export function searchLexical(index: LexicalIndex, query: string | readonly WeightedWord[], limit: number): LexicalMatch[] {
  let results: SearchResult[];
  if (typeof query === 'string') {
    results = index.search(query);
  } else {
    const boosts = new Map<string, number>();
    for (const { word, weight } of query) {
      for (const token of tokenize(word)) {
        if (isStopWord(token)) continue;
        const term = stemTerm(token);
        boosts.set(term, Math.max(weight, boosts.get(term) ?? 0));
      }
    }
    // The terms are already tokenized and stemmed: search them as they are.
    results = boosts.size === 0
      ? []
      : index.search([...boosts.keys()].join(' '), { tokenize: (text) => text.split(' '), processTerm: (term) => term, boostTerm: (term) => boosts.get(term) ?? 1 });
  }
  return results.slice(0, limit).map((result) => ({ position: result.id as number, score: result.score }));
}
