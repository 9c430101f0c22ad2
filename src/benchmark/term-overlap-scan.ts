import type { Chunk } from '../domain.js';
import { contentTerms } from '../text/terms.js';

/**
 * The simplest retrieval that could work, used as the latency baseline for
 * questions: no index, no BM25, no sentence selection — every chunk is stemmed
 * afresh and the one sharing the most distinct content terms with the question wins.
 * Returns its position, or -1 when no chunk shares a term.
 */
export function scanByTermOverlap(chunks: readonly Chunk[], question: string): number {
  const wanted = new Set(contentTerms(question));
  let best = -1;
  let bestShared = 0;
  chunks.forEach((chunk, position) => {
    const shared = new Set(contentTerms(chunk.text).filter((term) => wanted.has(term))).size;
    if (shared > bestShared) {
      best = position;
      bestShared = shared;
    }
  });
  return best;
}
