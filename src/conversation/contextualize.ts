import { contentTerms, type WeightedTerm } from '../text/terms.js';
import type { Turn } from './conversation-store.js';

/** Words that point back at something said before. */
const REFERENCE = /\b(?:he|she|him|her|his|hers|it|its|they|them|their|that|this|those|these|there|then|same|former|latter)\b/i;
/** Openings that continue the previous question ("And what about…", "How about…"). */
const CONTINUATION = /^\s*(?:and|but|also|so|what about|how about|and what|what else|anything else|more on)\b/i;
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
 * new words counting fully and the earlier ones as context.
 */
export function contextualize(question: string, history: readonly Turn[]): ContextualizedQuestion {
  const own = unique(contentTerms(question));
  const previous = history.at(-1);
  const isFollowUp = previous !== undefined && (REFERENCE.test(question) || CONTINUATION.test(question) || own.length <= 1);
  const terms: WeightedTerm[] = own.map((term) => ({ term, weight: 1 }));
  if (!isFollowUp || !previous) {
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
