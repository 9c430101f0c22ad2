import { contentTerms, type WeightedTerm } from '../text/terms.js';
import type { Turn } from './conversation-store.js';

/** Weight of the previous question's words: context, not the question itself. */
export const CONTEXT_TERM_WEIGHT = 0.5;
/** A chain of follow-ups carries only this much earlier context. */
const MAX_CONTEXT_CHARS = 300;

export interface ContextualizedQuestion {
  /** Text for retrieval: the question, plus the previous question when this one follows up. */
  resolvedQuestion: string;
  isFollowUp: boolean;
  terms: WeightedTerm[];
  previousChunkIds: Set<string>;
}

/**
 * Resolves a follow-up against the conversation: "In which index was that?" after
 * "How did Reporters Without Borders rank Kazakhstan?" is searched with both, the
 * new words counting fully and the earlier ones as context. A question that does not
 * follow up (`followsUp` false, or nothing asked before) is left exactly as asked.
 */
export function contextualize(question: string, history: readonly Turn[], followsUp: boolean): ContextualizedQuestion {
  const own = unique(contentTerms(question));
  const previous = history.at(-1);
  const terms: WeightedTerm[] = own.map((term) => ({ term, weight: 1 }));
  if (!followsUp || !previous) {
    return { resolvedQuestion: question, isFollowUp: false, terms, previousChunkIds: new Set() };
  }
  for (const term of unique(contentTerms(previous.resolvedQuestion))) {
    if (!own.includes(term)) terms.push({ term, weight: CONTEXT_TERM_WEIGHT });
  }
  return {
    resolvedQuestion: `${question} (${previous.resolvedQuestion.slice(0, MAX_CONTEXT_CHARS)})`,
    isFollowUp: true,
    terms,
    previousChunkIds: new Set(previous.quotedChunkIds),
  };
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
