import { contentTerms } from '../text/terms.js';
import type { QuestionAnalysis } from './analyze-question.js';

/**
 * Does a quote hold what the user typed — the rarest content word of `typed` in the corpus,
 * as written, in another inflection or spelling, or as a derivation (not a synonym or
 * broader term: those are loose enough to be found anywhere, and a name's words have
 * none)? A follow-up read as the earlier question asked again ("what about Human Rights
 * Watch?" → "What score did Human Rights Watch give for political liberties?") is answered
 * only by a quote about what it names: one that holds only the earlier question's words
 * ("Freedom House … a score of 6 for political liberties") answers the earlier question,
 * not this one — nor one that holds only its commoner words ("the Human Rights Council").
 */
export function quoteHoldsTypedWords(analysis: QuestionAnalysis, typed: string, quoteTexts: readonly string[]): boolean {
  return quoteTexts.some(mentionsTypedWords(analysis, typed));
}

/** `quoteHoldsTypedWords` for one text at a time, the words looked for gathered once. */
export function mentionsTypedWords(analysis: QuestionAnalysis, typed: string): (text: string) => boolean {
  const typedStems = new Set(contentTerms(typed));
  if (typedStems.size === 0) return () => true;
  const typedTerms = analysis.terms.filter((term) => typedStems.has(term.stem) || (term.respelled !== undefined && typedStems.has(contentTerms(term.respelled.typed)[0] ?? '')));
  // Its rarest word says what it names: "watch" of "Human Rights Watch", where the article says
  // "human rights" throughout. Without the analysis's terms (none read), any typed word counts.
  const rarest = typedTerms.reduce<(typeof typedTerms)[number] | null>((best, term) => (best === null || term.idf > best.idf ? term : best), null);
  if (!rarest) return (text) => contentTerms(text).some((stem) => typedStems.has(stem));
  const wanted = new Set<string>([rarest.stem]);
  if (!rarest.isName) {
    for (const alternative of rarest.alternatives) {
      if (alternative.kind === 'exact' || alternative.kind === 'derivation' || alternative.sameWord) for (const stem of alternative.stems) wanted.add(stem);
    }
  }
  return (text) => contentTerms(text).some((stem) => wanted.has(stem));
}
