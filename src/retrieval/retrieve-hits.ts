import type { Chunk, Hit } from '../domain.js';
import type { IndexEmbedder } from '../store/dense-index.js';
import { searchDense } from '../store/dense-index.js';
import type { CorpusIndex } from '../store/index-files.js';
import { searchLexical } from '../store/lexical-index.js';
import type { WeightedTerm } from '../text/terms.js';

/** Reciprocal rank fusion constant: the usual 60 keeps one list from dominating. */
export const RRF_K = 60;
/** Two passages sharing more than this share of the shorter one's span count as one. */
const NEAR_DUPLICATE_OVERLAP = 0.5;

/**
 * The query's vector for the dense half, or null when the index has no dense part, no
 * model is loaded, or the text embeds to a zero vector (only words the model has never
 * seen), which would match nothing.
 */
export async function embedQuery(index: CorpusIndex, embedder: IndexEmbedder | null, text: string): Promise<number[] | null> {
  if (!index.dense || !embedder) return null;
  const vector = await embedder.embedQuery(text);
  return vector.some((x) => x !== 0 && Number.isFinite(x)) ? vector : null;
}

export interface RetrieveOptions {
  /** Candidates taken from each retriever before fusion. */
  k: number;
  /** Hits returned after fusion and de-duplication. */
  limit: number;
  /** The query's embedding, when a model is loaded (computed by the caller so it can be reused). */
  queryVector?: number[] | null;
}

/**
 * Hybrid retrieval: BM25 and HNSW results fused by reciprocal rank, best first,
 * without near-duplicate passages (the overlapping parts of a split paragraph, or the
 * same text in two files). Lexical-only when the index has no dense part. The lexical
 * query is text, or weighted terms (the question's own at full weight, synonyms lower).
 */
export async function retrieveHits(index: CorpusIndex, query: string | readonly WeightedTerm[], options: RetrieveOptions): Promise<Hit[]> {
  const byPosition = new Map<number, Hit>();
  const hitAt = (position: number): Hit => {
    let hit = byPosition.get(position);
    if (!hit) {
      hit = { chunk: index.chunks[position]!, score: 0, lexicalRank: null, lexicalScore: null, denseRank: null, denseScore: null };
      byPosition.set(position, hit);
    }
    return hit;
  };
  searchLexical(index.lexical, query, options.k).forEach((match, rank) => {
    const hit = hitAt(match.position);
    hit.lexicalRank = rank + 1;
    hit.lexicalScore = match.score;
    hit.score += 1 / (RRF_K + rank + 1);
  });
  if (index.dense && options.queryVector) {
    (await searchDense(index.dense, options.queryVector, options.k)).forEach((match, rank) => {
      const hit = hitAt(match.position);
      hit.denseRank = rank + 1;
      hit.denseScore = match.similarity;
      hit.score += 1 / (RRF_K + rank + 1);
    });
  }
  const ranked = [...byPosition.values()].sort((a, b) => b.score - a.score);
  return removeNearDuplicates(ranked).slice(0, options.limit);
}

function removeNearDuplicates(hits: Hit[]): Hit[] {
  const kept: Hit[] = [];
  for (const hit of hits) {
    if (!kept.some((other) => isNearDuplicate(other.chunk, hit.chunk))) kept.push(hit);
  }
  return kept;
}

function isNearDuplicate(a: Chunk, b: Chunk): boolean {
  if (a.text === b.text) return true;
  if (a.documentId !== b.documentId) return false;
  const overlap = Math.min(a.end, b.end) - Math.max(a.start, b.start);
  return overlap > NEAR_DUPLICATE_OVERLAP * Math.min(a.end - a.start, b.end - b.start);
}
