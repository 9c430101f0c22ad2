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

/** BM25 matches for a query, best first. */
export function searchLexical(index: LexicalIndex, query: string, limit: number): LexicalMatch[] {
  return index
    .search(query)
    .slice(0, limit)
    .map((result: SearchResult) => ({ position: result.id as number, score: result.score }));
}
