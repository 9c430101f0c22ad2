import { containsAnswer, normalizeSquadText } from './evaluate-questions.js';

/**
 * The SQuAD rule (../shared/eval/squad/README.md): a quote answers when one of the gold
 * answers, normalised as SQuAD does, appears inside it, likewise normalised — as whole
 * words, so "18" is not found in "183".
 */
export function quoteHoldsAnswer(quoted: string, answers: readonly string[]): boolean {
  return answers.some((gold) => containsAnswer(quoted, gold, normalizeSquadText));
}
