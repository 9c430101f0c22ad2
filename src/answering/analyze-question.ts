import type { ContextualizedQuestion } from '../conversation/contextualize.js';
import type { QuotedPlace } from '../conversation/conversation-store.js';
import type { Lexicon, RelatedWord } from '../lexicon/lexicon.js';
import type { AssociationSource, WordAssociations } from '../lexicon/word-associations.js';
import { capitalsSayNothing, isStopWord, stemTerm, tokenize } from '../text/terms.js';
import type { MatchableText } from './stem-cache.js';
import { ANSWER_FORMS, type AnswerForm, detectAnswerForms, findCountedStem, findDefinitionSubject } from './answer-forms.js';
import { detectQuestionForm, type QuestionForm } from './question-form.js';
import type { TermStatistics } from './term-statistics.js';
import { remember } from '../remember.js';

/** How a document word can stand for a question word, closest first. */
export type MatchKind = 'exact' | 'synonym' | 'derivation' | 'pertainym' | 'hypernym';
export const MATCH_KINDS: readonly MatchKind[] = ['exact', 'synonym', 'derivation', 'pertainym', 'hypernym'];

/**
 * Another way a document may say a question word: `words` (dictionary forms) that must
 * all be in a text for it to count, and their `stems`, by which the lexical index is searched.
 */
export interface Alternative {
  stems: string[];
  words: string[];
  kind: MatchKind;
  /**
   * The question's word itself, spelt another way ("criticise" for "criticize"): matched
   * by stem like the question's own words, so "criticised" finds "critics" as "criticized" does.
   */
  sameWord?: boolean;
}

/**
 * A word or phrase a looser source than WordNet associates with a question word (its
 * gloss, a thesaurus): like an Alternative, matched by dictionary form, searched by stems.
 */
export interface Association {
  stems: string[];
  words: string[];
  source: AssociationSource;
}

/** A content word of the question, with what else may stand for it. */
export interface QuestionTerm {
  /** Stemmed, typo-corrected against the corpus vocabulary. */
  stem: string;
  /** 1 for the question's own words, less for words carried over from the previous turn. */
  weight: number;
  /** Rarity in the corpus (smoothed inverse sentence frequency). */
  idf: number;
  /** Whether the corpus has the stem at all. */
  inCorpus: boolean;
  /** Other stems that stand for it: inflections, WordNet synonyms, derivations… */
  alternatives: Alternative[];
  /** Words other sources associate with it (empty unless association sources are given). */
  associations: Association[];
  /** Words of opposite meaning (WordNet antonyms, dictionary forms): a sentence saying one of them instead contradicts the question. */
  antonyms: string[];
  /** Capitalised mid-sentence in the question: a name. */
  isName: boolean;
  isNumber: boolean;
  /** Position among the question's own content words (for bigrams), or -1 for context. */
  position: number;
  /** Set when the word was typed in the spelling the corpus does not use and read in the one it does. */
  respelled?: { typed: string; word: string };
}

/** What the scorer needs to know about a question. */
export interface QuestionAnalysis {
  /** The question as typed (cleaned). */
  text: string;
  terms: QuestionTerm[];
  form: QuestionForm;
  /** The finer forms of answer it asks for (every one detected; the model's signals say which count). */
  forms: AnswerForm[];
  /** The word a "how many" question counts ("seats"), stemmed, or null. */
  countedStem: string | null;
  /** What a "What is X?" question asks to define, or null. */
  definitionSubject: string | null;
  isFollowUp: boolean;
  /** Chunks the conversation's previous answer quoted. */
  previousChunkIds: ReadonlySet<string>;
  /** What the conversation's previous answer quoted (none when this is no follow-up). */
  previousQuotes: readonly QuotedPlace[];
  /** The passages just before and after those, in the same documents (set when answering; none when unknown). */
  adjacentChunkIds?: ReadonlySet<string>;
}

/**
 * Reads a (contextualized) question into weighted terms, each with the other words a
 * document may use for it (when a Lexicon is given) and the words other sources
 * associate with it (when any are given), its form and its names.
 */
export function analyzeQuestion(
  question: string,
  context: ContextualizedQuestion,
  statistics: TermStatistics,
  lexicon: Lexicon | null,
  associationSources: readonly WordAssociations[] = [],
): QuestionAnalysis {
  const terms = new Map<string, QuestionTerm>();
  const tokens = tokenize(question);
  const names = findNameTokens(question, tokens, lexicon);
  const phraseAlternatives = lexicon ? findPhraseAlternatives(tokens, lexicon) : new Map<number, Alternative[]>();
  let position = 0;
  tokens.forEach((token, index) => {
    if (isStopWord(token)) return;
    // Only words no dictionary knows are read as typos: "export" is not a misspelt "expert".
    const known = lexicon !== null && lexicon.lemmas(token).length > 0;
    let word = token;
    let respelled: QuestionTerm['respelled'];
    let stem = known ? stemTerm(token) : statistics.correct(stemTerm(token));
    let fromWord = lexicon ? wordAlternatives(token, stem, lexicon) : [];
    // A word the corpus spells the other side of the Atlantic ("criticised" where it writes
    // "criticized") is read as the corpus spells it: its rarity, the corpus's, not an unknown word's.
    if (lexicon && !statistics.has(stem)) {
      const spelt = fromWord.find((alternative) => alternative.sameWord && alternative.words.length === 1 && statistics.has(alternative.stems[0]!));
      if (spelt) {
        word = spelt.words[0]!;
        respelled = { typed: token, word };
        stem = spelt.stems[0]!;
        fromWord = wordAlternatives(word, stem, lexicon);
      }
    }
    const existing = terms.get(stem);
    const fromPhrase = phraseAlternatives.get(index) ?? [];
    // A word's own alternatives come merged from the cache; only a phrase's need merging in.
    const alternatives = fromPhrase.length === 0 ? fromWord : mergeAlternatives(fromPhrase, fromWord);
    const associations = associationSources.flatMap((source) => sourceAssociations(word, source));
    if (existing) {
      existing.alternatives = mergeAlternatives(existing.alternatives, alternatives);
      existing.associations = mergeAssociations(existing.associations, associations);
      return;
    }
    terms.set(stem, {
      stem,
      weight: 1,
      idf: statistics.weigh(stem),
      inCorpus: statistics.has(stem),
      alternatives,
      associations,
      antonyms: lexicon ? [...new Set(lexicon.antonyms(word).flatMap((antonym) => tokenize(antonym).filter((t) => !isStopWord(t))))] : [],
      isName: names.has(token),
      isNumber: /\d/.test(token),
      position: position++,
      ...(respelled ? { respelled } : {}),
    });
  });
  for (const { term, weight } of context.terms) {
    const stem = statistics.correct(term);
    if (weight >= 1 || terms.has(stem)) continue;
    terms.set(stem, { stem, weight, idf: statistics.weigh(stem), inCorpus: statistics.has(stem), alternatives: [], associations: [], antonyms: [], isName: false, isNumber: /\d/.test(stem), position: -1 });
  }
  return {
    text: question,
    terms: [...terms.values()],
    form: detectQuestionForm(question),
    forms: detectAnswerForms(question, ALL_FORMS),
    countedStem: findCountedStem(question),
    definitionSubject: findDefinitionSubject(question),
    isFollowUp: context.isFollowUp,
    previousChunkIds: context.previousChunkIds,
    previousQuotes: context.previousQuotes,
  };
}

const ALL_FORMS: ReadonlySet<string> = new Set(ANSWER_FORMS);

/**
 * The question's names, as lower-case tokens: words written with a capital after its first
 * word. A question whose capitals say nothing (`capitalsSayNothing`: none at all, "how
 * much debt does cambodia owe japan?", or on every word, "HOW MUCH DEBT…") has as names
 * the words WordNet takes for names (`Lexicon.isName`: "cambodia", "japan", "quakers").
 */
function findNameTokens(question: string, tokens: readonly string[], lexicon: Lexicon | null): Set<string> {
  const names = new Set<string>();
  if (capitalsSayNothing(question)) {
    if (lexicon) for (const token of tokens) if (!isStopWord(token) && lexicon.isName(token)) names.add(token);
    return names;
  }
  question.split(/\s+/).slice(1).forEach((word) => {
    if (/^["“(‘']?\p{Lu}/u.test(word)) for (const token of tokenize(word)) names.add(token);
  });
  return names;
}

/**
 * A word's alternatives as stems, worked out once per word and lexicon: turning every
 * related word into stems again for each question was a third of the time spent reading one.
 */
const stemmedAlternatives = new WeakMap<Lexicon, Map<string, Alternative[]>>();
/** Words whose stemmed alternatives are kept per lexicon (the lexicon itself keeps as many). */
const MAX_CACHED_WORDS = 50_000;

function wordAlternatives(token: string, stem: string, lexicon: Lexicon): Alternative[] {
  let cache = stemmedAlternatives.get(lexicon);
  if (!cache) {
    cache = new Map();
    stemmedAlternatives.set(lexicon, cache);
  }
  const alternatives = remember(cache, token, MAX_CACHED_WORDS, () => mergeAlternatives([], lexicon.relatedWords(token).flatMap((related) => toAlternative(related, null))));
  // The typo-corrected stem depends on the corpus, so it is left out here, not in the cache.
  return alternatives.filter((alternative) => alternative.words.length > 1 || alternative.stems[0] !== stem);
}

/** A multiword entry's related words stand for each of its words ("UN" for "united" and "nations"). */
function findPhraseAlternatives(tokens: readonly string[], lexicon: Lexicon): Map<number, Alternative[]> {
  const byToken = new Map<number, Alternative[]>();
  for (const match of lexicon.findPhrases(tokens)) {
    const alternatives = lexicon.relatedWords(match.phrase).flatMap((related) => toAlternative(related, null));
    for (let i = match.start; i < match.end; i++) byToken.set(i, [...(byToken.get(i) ?? []), ...alternatives]);
  }
  return byToken;
}

function toAlternative(related: RelatedWord, ownStem: string | null): Alternative[] {
  const words = tokenize(related.word).filter((token) => !isStopWord(token));
  const stems = words.map(stemTerm);
  if (stems.length === 0 || (stems.length === 1 && stems[0] === ownStem)) return [];
  if (related.relation === 'spelling') return [{ stems, words, kind: 'exact', sameWord: true }];
  return [{ stems, words, kind: related.relation === 'inflection' ? 'exact' : related.relation }];
}

/** A source's associations of a word as stems, worked out once per word and source (as for alternatives). */
const stemmedAssociations = new WeakMap<WordAssociations, Map<string, Association[]>>();

function sourceAssociations(token: string, source: WordAssociations): Association[] {
  let cache = stemmedAssociations.get(source);
  if (!cache) {
    cache = new Map();
    stemmedAssociations.set(source, cache);
  }
  return remember(cache, token, MAX_CACHED_WORDS, () => {
    const own = stemTerm(token);
    const found = new Map<string, Association>();
    for (const phrase of source.associatedWords(token)) {
      const words = tokenize(phrase).filter((word) => !isStopWord(word));
      const stems = words.map(stemTerm);
      if (stems.length === 0 || (stems.length === 1 && stems[0] === own)) continue;
      found.set(words.join(' '), { stems, words, source: source.source });
    }
    return [...found.values()];
  });
}

/** One association per source and word list. */
function mergeAssociations(existing: Association[], added: Association[]): Association[] {
  const byKey = new Map(existing.map((association) => [`${association.source}:${association.words.join(' ')}`, association]));
  for (const association of added) byKey.set(`${association.source}:${association.words.join(' ')}`, association);
  return [...byKey.values()];
}

/** One alternative per word list, at its closest kind. */
function mergeAlternatives(existing: Alternative[], added: Alternative[]): Alternative[] {
  const byKey = new Map(existing.map((alternative) => [alternative.words.join(' '), alternative]));
  for (const alternative of added) {
    const key = alternative.words.join(' ');
    const previous = byKey.get(key);
    if (!previous || MATCH_KINDS.indexOf(alternative.kind) < MATCH_KINDS.indexOf(previous.kind)) byKey.set(key, alternative);
  }
  return [...byKey.values()];
}

/**
 * How a text (a sentence, a passage, a document) holds each of a question's terms:
 * `exact` (its stem, or an inflection), the closest relation through an alternative, or
 * null. The question's own words match by stem, as the lexical index does; WordNet's
 * words match by dictionary form, because Porter stems merge words WordNet keeps apart
 * ("universe" and "universal" both stem to "univers"). Built once per question, with
 * one-word alternatives indexed, so matching a sentence costs a look-up per word.
 */
export class TermMatcher {
  /** The question's own stems, each with the terms it is (typo correction can merge two words into one stem). */
  private readonly ownStems: { stem: string; terms: number[] }[] = [];
  private readonly byWord = new Map<string, { term: number; rank: number }[]>();
  private readonly phrases: { term: number; rank: number; words: string[] }[] = [];
  /** Every alternative by its stems, for texts known only by the stems they hold (`ranksWhere`). */
  private readonly alternativeStems: { term: number; rank: number; stems: string[] }[] = [];

  constructor(private readonly terms: readonly QuestionTerm[]) {
    terms.forEach((term, i) => {
      const ownSpellings = term.alternatives.filter((alternative) => alternative.sameWord && alternative.stems.length === 1).map((alternative) => alternative.stems[0]!);
      for (const stem of new Set([term.stem, ...ownSpellings])) {
        const own = this.ownStems.find((entry) => entry.stem === stem);
        if (own) own.terms.push(i);
        else this.ownStems.push({ stem, terms: [i] });
      }
      for (const alternative of term.alternatives) {
        const rank = MATCH_KINDS.indexOf(alternative.kind);
        if (alternative.stems.length > 0) this.alternativeStems.push({ term: i, rank, stems: alternative.stems });
        if (alternative.words.length === 1) {
          const word = alternative.words[0]!;
          const entries = this.byWord.get(word);
          if (entries) entries.push({ term: i, rank });
          else this.byWord.set(word, [{ term: i, rank }]);
        } else {
          this.phrases.push({ term: i, rank, words: alternative.words });
        }
      }
    });
  }

  /** For each term (in order), how `text` holds it, or null. */
  match(text: MatchableText): (MatchKind | null)[] {
    return [...this.ranks(text)].map((rank) => MATCH_KINDS[rank] ?? null);
  }

  /**
   * `match` as ranks into MATCH_KINDS (0 = exact; MATCH_KINDS.length = not held), the
   * form the feature code combines: a stretch of text holds a term as well as its best sentence.
   */
  ranks(text: MatchableText): Uint8Array {
    const best = new Uint8Array(this.terms.length).fill(MATCH_KINDS.length);
    for (const { stem, terms } of this.ownStems) if (text.stems.has(stem)) for (const term of terms) best[term] = 0;
    // Another word found only inside a name does not hold a common word's meaning.
    const nameOnly = (word: string): boolean => text.nameWords.has(word);
    const consider = (word: string): void => {
      const inName = nameOnly(word);
      for (const { term, rank } of this.byWord.get(word) ?? []) {
        if (rank < best[term]! && !(inName && rank > 0 && !this.terms[term]!.isName)) best[term] = rank;
      }
    };
    // Walk whichever side is smaller: the text's words, or the question's (for a long passage).
    if (text.words.size <= this.byWord.size) for (const word of text.words) consider(word);
    else for (const word of this.byWord.keys()) if (text.words.has(word)) consider(word);
    for (const { term, rank, words } of this.phrases) {
      if (rank < best[term]! && words.every((word) => text.words.has(word)) && !(rank > 0 && !this.terms[term]!.isName && words.some(nameOnly))) best[term] = rank;
    }
    return best;
  }

  /**
   * `ranks` for a text known only by which stems it holds (a whole document, through the
   * index's postings): WordNet's words are matched by their stems there, a little looser
   * than by dictionary form.
   */
  ranksWhere(holds: (stem: string) => boolean): Uint8Array {
    const best = new Uint8Array(this.terms.length).fill(MATCH_KINDS.length);
    for (const { stem, terms } of this.ownStems) if (holds(stem)) for (const term of terms) best[term] = 0;
    for (const { term, rank, stems } of this.alternativeStems) {
      if (rank < best[term]! && stems.every(holds)) best[term] = rank;
    }
    return best;
  }
}

/**
 * Which question terms a text holds through each association source, by dictionary form
 * as for WordNet's words (a phrase: all its words). Built once per question.
 */
export class AssociationMatcher {
  private readonly byWord = new Map<string, { term: number; source: AssociationSource }[]>();
  private readonly phrases: { term: number; source: AssociationSource; words: string[] }[] = [];

  constructor(terms: readonly QuestionTerm[]) {
    terms.forEach((term, i) => {
      for (const { words, source } of term.associations) {
        if (words.length === 1) {
          const entries = this.byWord.get(words[0]!);
          if (entries) entries.push({ term: i, source });
          else this.byWord.set(words[0]!, [{ term: i, source }]);
        } else {
          this.phrases.push({ term: i, source, words });
        }
      }
    });
  }

  /** True when no term has an association: nothing to match. */
  get isEmpty(): boolean {
    return this.byWord.size === 0 && this.phrases.length === 0;
  }

  /** For each term (in order), whether `text` holds it through an association of `source`. */
  holds(text: MatchableText, source: AssociationSource, termCount: number): boolean[] {
    const held = new Array<boolean>(termCount).fill(false);
    for (const word of text.words) for (const entry of this.byWord.get(word) ?? []) if (entry.source === source) held[entry.term] = true;
    for (const { term, source: from, words } of this.phrases) if (from === source && !held[term] && words.every((word) => text.words.has(word))) held[term] = true;
    return held;
  }
}
