import MiniSearch from 'minisearch';
import type { Chunk } from '../domain.js';
import { isStopWord, stemTerm, tokenize } from '../text/terms.js';

/**
 * MiniSearch configured exactly as the project's lexical index was before it moved to
 * flat typed arrays: the reference the lexical index's ranking is tested against, and
 * the baseline its speed is benchmarked against.
 */
export type MiniSearchBaseline = MiniSearch<{ id: number; text: string }>;

/** Indexes the chunks; a result's `id` is the chunk's position. */
export function buildMiniSearchBaseline(chunks: readonly Chunk[]): MiniSearchBaseline {
  const index = new MiniSearch<{ id: number; text: string }>({
    fields: ['text'],
    tokenize,
    processTerm: (term) => (isStopWord(term) ? null : stemTerm(term)),
    searchOptions: { combineWith: 'OR', fuzzy: (term) => (term.length >= 6 ? 0.15 : false), weights: { fuzzy: 0.4, prefix: 0.3 } },
  });
  index.addAll(chunks.map((chunk, id) => ({ id, text: chunk.text })));
  return index;
}
