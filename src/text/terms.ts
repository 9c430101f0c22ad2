import { stemmer } from 'stemmer';
import { eng } from 'stopword';
import { remember } from '../remember.js';

/**
 * The one place that turns text into search terms, so the lexical index, the
 * sentence scorer and follow-up resolution agree on what a "word" is.
 */

const QUESTION_WORDS = ['who', 'whom', 'whose', 'what', 'when', 'where', 'which', 'why', 'how', 'many', 'much', 'did', 'does', 'do', 'say', 'said', 'tell', 'please', 'can', 'could', 'would', 'according', 'article', 'text'];
const STOP_WORDS = new Set([...eng, ...QUESTION_WORDS]);

/** Lower-cased word and number tokens, accents removed ("Kazakhstan’s" → "kazakhstan", "s"). */
export function tokenize(text: string): string[] {
  // Plain ASCII has no accents to remove; skipping the normalisation halves the cost.
  const folded = /^[\x00-\x7f]*$/.test(text) ? text : text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  return folded
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((token) => token.length > 0);
}

export function isStopWord(token: string): boolean {
  return STOP_WORDS.has(token) || (token.length === 1 && !/\d/.test(token));
}

/**
 * Stems already computed. A language has far fewer distinct words than a corpus has
 * tokens, so the cache stays small while stemming drops out of every hot path;
 * it is cleared if a flood of distinct junk tokens ever fills it.
 */
const stemCache = new Map<string, string>();
const STEM_CACHE_SIZE = 200_000;

/** Porter stem of a lower-case token; numbers are kept as they are. */
export function stemTerm(token: string): string {
  return remember(stemCache, token, STEM_CACHE_SIZE, () => (/\d/.test(token) ? token : stemmer(token)));
}

/**
 * A search term as the index holds it — tokenized, stop words out, stemmed as
 * `contentTerms` does — with how much a match on it counts (1 = the user's own word;
 * less for a synonym, 0.5 for a follow-up's context).
 */
export interface WeightedTerm {
  term: string;
  weight: number;
}

/** Stemmed content terms of a text: what lexical matching compares. */
export function contentTerms(text: string): string[] {
  return tokenize(text).filter((token) => !isStopWord(token)).map(stemTerm);
}

/**
 * Whether a text's capitals say nothing about which words are names: it has none ("how
 * much debt does cambodia owe japan?"), or every word of six or more opens with one ("How
 * Much Debt Does Cambodia Owe Japan?", "HOW MUCH DEBT…"). A shorter text may be a sentence
 * opening with a name ("And Radio Free Asia?", "What About The Cambodia Daily?"), so its
 * capitals are read as written. Names are then read otherwise (`Lexicon.isName`).
 */
export function capitalsSayNothing(text: string): boolean {
  const words = text.split(/\s+/).filter((word) => /\p{L}/u.test(word));
  if (words.every((word) => !/\p{Lu}/u.test(word))) return true;
  return words.length >= 6 && words.every((word) => /^[^\p{L}]*\p{Lu}/u.test(word));
}
