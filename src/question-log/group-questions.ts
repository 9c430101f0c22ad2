import { contentTerms, tokenize } from '../text/terms.js';

/** Questions that ask the same thing, under their most frequent wording. */
export interface QuestionGroup {
  /** The wording asked most often (the earliest on a tie). */
  question: string;
  /** How many times the group was asked. */
  count: number;
  /** How many different wordings the group holds. */
  wordings: number;
}

/**
 * Groups questions that ask the same thing: the same stemmed content terms, whatever the
 * order, case, punctuation or stop words ("What is the population of Kazakhstan?" and
 * "kazakhstan population?"). A question with no content term is grouped by its words.
 * Largest groups first; `questions` in the order they were asked.
 */
export function groupSimilarQuestions(questions: readonly string[], limit = Infinity): QuestionGroup[] {
  const groups = new Map<string, { wordings: Map<string, number>; count: number; first: number }>();
  questions.forEach((raw, position) => {
    const wording = raw.replace(/\s+/g, ' ').trim();
    const terms = [...new Set(contentTerms(wording))].sort();
    const key = terms.length > 0 ? terms.join(' ') : `words:${tokenize(wording).join(' ')}`;
    const group = groups.get(key) ?? { wordings: new Map<string, number>(), count: 0, first: position };
    group.count++;
    group.wordings.set(wording, (group.wordings.get(wording) ?? 0) + 1);
    groups.set(key, group);
  });
  return [...groups.values()]
    .sort((a, b) => b.count - a.count || a.first - b.first)
    .slice(0, limit)
    .map((group) => ({
      // Map order is first-asked order, and sort is stable: ties go to the earliest wording.
      question: [...group.wordings.entries()].sort((a, b) => b[1] - a[1])[0]![0],
      count: group.count,
      wordings: group.wordings.size,
    }));
}
