import { contentTerms, type WeightedTerm } from '../text/terms.js';
import type { QuotedPlace, Turn } from './conversation-store.js';
import { type NameTest, restateFollowUp } from './restate-follow-up.js';

/** Weight of the previous question's words: context, not the question itself. */
export const CONTEXT_TERM_WEIGHT = 0.5;
/** A chain of follow-ups carries only this much earlier context. */
const MAX_CONTEXT_CHARS = 300;

export interface ContextualizedQuestion {
  /**
   * What is read as the question: as asked, or — for a follow-up that only names
   * something new ("and a Senator?") — the earlier question with it standing in ("How old
   * must a Senator be?").
   */
  question: string;
  /** Text for retrieval: the question, plus the previous question when this one follows up. */
  resolvedQuestion: string;
  isFollowUp: boolean;
  terms: WeightedTerm[];
  previousChunkIds: Set<string>;
  /** What the previous answer quoted, when this question follows up on it. */
  previousQuotes: readonly QuotedPlace[];
}

/**
 * Resolves a follow-up against the conversation: "In which index was that?" after
 * "How did Reporters Without Borders rank Kazakhstan?" is searched with both, the
 * new words counting fully and the earlier ones as context. A question that does not
 * follow up (`followsUp` false, or nothing asked before) is left exactly as asked.
 * `isName` tells names in a text typed without capitals (`Lexicon.isName`).
 */
export function contextualize(question: string, history: readonly Turn[], followsUp: boolean, isName?: NameTest): ContextualizedQuestion {
  const own = unique(contentTerms(question));
  const previous = history.at(-1);
  const terms: WeightedTerm[] = own.map((term) => ({ term, weight: 1 }));
  if (!followsUp || !previous) {
    return { question, resolvedQuestion: question, isFollowUp: false, terms, previousChunkIds: new Set(), previousQuotes: [] };
  }
  // "and a Senator?" after "How old must a Representative be?" asks the same of the
  // Senator, "and in 2018?" after "What was the turnout in 2013?" of 2018: the earlier
  // question, as it was read, is asked again with the new words standing in for those of
  // their kind. What the earlier answer quoted was about what is replaced, so it is no
  // guide to where this answer stands.
  const restated = restateFollowUp(question, previous.question, isName);
  if (restated !== null) {
    return { question: restated, resolvedQuestion: restated, isFollowUp: true, terms: unique(contentTerms(restated)).map((term) => ({ term, weight: 1 })), previousChunkIds: chunkIdsOf(previous), previousQuotes: [] };
  }
  for (const term of unique(contentTerms(previous.resolvedQuestion))) {
    if (!own.includes(term)) terms.push({ term, weight: CONTEXT_TERM_WEIGHT });
  }
  return {
    question,
    resolvedQuestion: `${question} (${previous.resolvedQuestion.slice(0, MAX_CONTEXT_CHARS)})`,
    isFollowUp: true,
    terms,
    previousChunkIds: chunkIdsOf(previous),
    previousQuotes: previous.quoted,
  };
}

function chunkIdsOf(turn: Turn): Set<string> {
  return new Set(turn.quoted.map((place) => place.chunkId));
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
