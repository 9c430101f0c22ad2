import { contentTerms } from '../text/terms.js';
import type { QuestionAnalysis } from './analyze-question.js';

/**
 * Does a quote hold something the user typed — a content word of `typed`, as written, in
 * another inflection or spelling, or as a derivation (not a synonym or broader term: those
 * are loose enough to be found anywhere, and a name's words have none)? A follow-up read as
 * the earlier question asked again ("what about Human Rights Watch?" → "What score did
 * Human Rights Watch give for political liberties?") is answered only by a quote about what
 * it names: one that holds only the earlier question's words ("Freedom House … a score of
 * 6 for political liberties") answers the earlier question, not this one.
 */
export function quoteHoldsTypedWords(analysis: QuestionAnalysis, typed: string, quoteTexts: readonly string[]): boolean {
  return quoteTexts.some(mentionsTypedWords(analysis, typed));
}

/** `quoteHoldsTypedWords` for one text at a time, the words looked for gathered once. */
export function mentionsTypedWords(analysis: QuestionAnalysis, typed: string): (text: string) => boolean {
  const typedStems = new Set(contentTerms(typed));
  if (typedStems.size === 0) return () => true;
  const wanted = new Set<string>(typedStems);
  for (const term of analysis.terms) {
    if (!typedStems.has(term.stem) && !(term.respelled && typedStems.has(contentTerms(term.respelled.typed)[0] ?? ''))) continue;
    wanted.add(term.stem);
    if (term.isName) continue;
    for (const alternative of term.alternatives) {
      if (alternative.kind === 'exact' || alternative.kind === 'derivation' || alternative.sameWord) for (const stem of alternative.stems) wanted.add(stem);
    }
  }
  return (text) => contentTerms(text).some((stem) => wanted.has(stem));
}

