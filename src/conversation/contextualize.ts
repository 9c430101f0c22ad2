import { type FollowUpModel, scoreLinear, sigmoid } from '../answering/answer-model.js';
import type { QueryTerm } from '../answering/term-statistics.js';
import { contentTerms } from '../text/terms.js';
import type { Turn } from './conversation-store.js';
import { computeFollowUpFeatures } from './follow-up-features.js';

/** Weight of the previous question's words: context, not the question itself. */
export const CONTEXT_TERM_WEIGHT = 0.5;
/** A chain of follow-ups carries only this much earlier context. */
const MAX_CONTEXT_CHARS = 300;

export interface ContextualizedQuestion {
  /** Text for retrieval: the question, plus the previous question when this one follows up. */
  resolvedQuestion: string;
  isFollowUp: boolean;
  terms: QueryTerm[];
  previousChunkIds: Set<string>;
}

/** P(the question follows up on the one before), from the fitted follow-up model. */
export function estimateFollowUp(model: FollowUpModel, question: string): number {
  return sigmoid(scoreLinear(model.model, computeFollowUpFeatures(question)));
}

/** Whether a question asked after others follows up on the last (the model's probability reaches its threshold). */
export function isFollowUpQuestion(model: FollowUpModel, question: string): boolean {
  return estimateFollowUp(model, question) >= model.threshold;
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
  const terms: QueryTerm[] = own.map((term) => ({ term, weight: 1 }));
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
