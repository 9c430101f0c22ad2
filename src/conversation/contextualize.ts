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
  // "and a Senator?" after "How old must a Representative be?" asks about the Senator
  // instead, "and in 2018?" after "What was the turnout in 2013?" about 2018: the earlier
  // words of the kind it names anew are what it replaces.
  const replaced = kindsReplaced(question);
  const previousKinds = replaced.size > 0 ? kindsByTerm(previous.resolvedQuestion) : null;
  for (const term of unique(contentTerms(previous.resolvedQuestion))) {
    if (own.includes(term) || (previousKinds !== null && replaced.has(previousKinds.get(term) ?? 'word'))) continue;
    terms.push({ term, weight: CONTEXT_TERM_WEIGHT });
  }
  return {
    resolvedQuestion: `${question} (${previous.resolvedQuestion.slice(0, MAX_CONTEXT_CHARS)})`,
    isFollowUp: true,
    terms,
    previousChunkIds: new Set(previous.quotedChunkIds),
  };
}

/** What a continuation opens with, before the words it adds ("and", "what about"). */
const CONTINUATION_OPENING = /^\s*(?:(?:and|but|also|so|or|plus)\s+)?(?:(?:what|how)\s+about\b)?/i;
/** A question word, or an opening verb of a yes/no question: the question asks something of its own. */
const OWN_ASKING = /\b(?:what|which|who|whom|whose|when|where|why|how)\b|^\s*(?:is|was|were|are|does|did|do|has|have|had|can|could|will|would|should|may|must|shall)\b/i;


/** Kinds of words one may stand in for another of: a name, a rank, a number, a code identifier; any other word. */
type TermKind = 'name' | 'rank' | 'number' | 'code' | 'word';
const RANK = /^(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|next|previous|final|\d+(?:st|nd|rd|th))$/i;

/**
 * Each content term of `text` with its kind: written capitalised (not as the first word
 * when `opensSentence`), a rank, a number ("2012", "3.5"), code ("read.table", "x_1").
 */
function kindsByTerm(text: string, opensSentence = true): Map<string, TermKind> {
  const kinds = new Map<string, TermKind>();
  const words = text.split(/\s+/).filter(Boolean);
  words.forEach((word, i) => {
    const bare = word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (bare === '') return;
    const kind: TermKind = /[._]\p{L}/u.test(bare)
      ? 'code'
      : RANK.test(bare)
        ? 'rank'
        : /^\d+(?:[.,]\d+)*$/.test(bare)
          ? 'number'
          : (i > 0 || !opensSentence) && /^\p{Lu}/u.test(bare)
            ? 'name'
            : 'word';
    for (const term of contentTerms(bare)) if (!kinds.has(term) || kind !== 'word') kinds.set(term, kind);
  });
  return kinds;
}

/**
 * The kinds (other than a plain word) a follow-up that only names something ("and a
 * Senator?", "what about Breaks?", "and the second?") names, and so replaces; none for a
 * question that asks something of its own.
 */
function kindsReplaced(question: string): Set<TermKind> {
  const opening = CONTINUATION_OPENING.exec(question)![0];
  const named = question.slice(opening.length);
  if (OWN_ASKING.test(named)) return new Set();
  return new Set([...kindsByTerm(named, opening.trim() === '').values()].filter((kind) => kind !== 'word'));
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
