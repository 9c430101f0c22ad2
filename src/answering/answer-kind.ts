import { isVerbPastForm, type Lexicon } from '../lexicon/lexicon.js';
import { remember } from '../remember.js';
import { isStopWord, stemTerm, tokenize } from '../text/terms.js';

/**
 * The kind of thing a "what X" or "which X" question asks for ("Which country…",
 * "In what city…", "What kind of disinfectant…"), and whether a sentence names one:
 * a word the question does not say that WordNet files under X, as a kind or an instance
 * ("Geneva" under city, "French" under language, "Kazakhstan" under country). The `kind`
 * signal; it knows nothing about any corpus.
 */

/** The head noun a question asks a kind of, and the WordNet synsets it names that have kinds. */
export interface KindHead {
  word: string;
  targets: ReadonlySet<string>;
}

/**
 * Heads other features read already (a date, a number, a share, a span of time) or that
 * say nothing of the answer's kind.
 */
const NOT_A_KIND = new Set([
  'year', 'years', 'date', 'dates', 'day', 'days', 'month', 'months', 'time', 'times', 'century', 'decade', 'hour', 'week', 'season', 'period', 'age',
  'percentage', 'percent', 'share', 'proportion', 'fraction', 'portion', 'number', 'amount', 'size', 'price', 'cost', 'sum',
  'kind', 'kinds', 'type', 'types', 'sort', 'sorts', 'form', 'forms', 'variety', 'category', 'class', 'name', 'names', 'thing', 'things', 'way', 'ways',
  // Auxiliaries WordNet also has as nouns ("What will happen?", "What can it read?").
  'will', 'can', 'may', 'might', 'must', 'shall',
]);
/** Words before the head that are no part of it: "which two countries", "what other groups". */
const BEFORE_HEAD = /^(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|other|another|new|main|specific|particular|exact|single|first|last|major)$/;
const ASKS_KIND = /(?:^|[^\p{L}])(?:what|which)\s+(?:(?:kinds?|types?|sorts?|forms?|variety|category|class)\s+of\s+)?(?:an?\s+|the\s+)?([^?.!;]*)/iu;

/**
 * The noun a question asks a kind of, or null (no "what X" or "which X", a head that is
 * no WordNet noun with kinds, or one of `NOT_A_KIND`). The head is the word after
 * "what"/"which", or the one after that when it is a noun with kinds and not a verb's
 * form ("which joint exercise" → exercise; "which book tells" → book).
 */
export function findKindHead(question: string, lexicon: Lexicon | null): KindHead | null {
  if (!lexicon) return null;
  const match = ASKS_KIND.exec(question);
  if (!match) return null;
  const words = tokenize(match[1]!);
  while (words.length > 0 && BEFORE_HEAD.test(words[0]!)) words.shift();
  const [first, second] = words;
  if (first === undefined || isStopWord(first)) return null;
  const isNoun = (word: string): boolean => lexicon.lemmas(word).some(({ pos }) => pos === 'noun');
  const heads = second !== undefined && !isStopWord(second) && !isVerbForm(second, lexicon) && isNoun(second) ? [second, first] : [first];
  for (const word of heads) {
    if (NOT_A_KIND.has(word)) return null;
    const targets = lexicon.kindTargets(word);
    if (targets.length > 0) return { word, targets: new Set(targets) };
  }
  return null;
}

/** A verb's inflected form rather than a noun ("tells", "hosted", "won"). */
function isVerbForm(word: string, lexicon: Lexicon): boolean {
  if (isVerbPastForm(word)) return true;
  const lemmas = lexicon.lemmas(word);
  return lemmas.some(({ lemma, pos }) => pos === 'verb' && lemma !== word) && !lemmas.some(({ lemma, pos }) => pos === 'noun' && lemma !== word);
}

const offeredCache = new Map<string, boolean>();
const OFFERED_CACHE_SIZE = 20_000;

/**
 * Whether `sentence` names a kind of the head: a word or WordNet phrase of it, not among
 * the question's stems, that WordNet files under one of the head's synsets.
 */
export function offersKind(head: KindHead, sentence: string, questionStems: ReadonlySet<string>, lexicon: Lexicon): boolean {
  return remember(offeredCache, `${head.word}\u0000${[...questionStems].join(' ')}\u0000${sentence}`, OFFERED_CACHE_SIZE, () => {
    const tokens = tokenize(sentence);
    const isNew = (token: string): boolean => !isStopWord(token) && !questionStems.has(stemTerm(token));
    for (const { start, end, phrase } of lexicon.findPhrases(tokens)) {
      if (tokens.slice(start, end).some(isNew) && lexicon.isKindOf(phrase, head.targets)) return true;
    }
    return tokens.some((token) => isNew(token) && !/^\d/.test(token) && lexicon.isKindOf(token, head.targets));
  });
}
