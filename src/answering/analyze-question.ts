import type { ContextualizedQuestion } from '../conversation/contextualize.js';
import type { Lexicon, RelatedWord } from '../lexicon/lexicon.js';
import { isStopWord, stemTerm, tokenize } from '../text/terms.js';
import { detectQuestionForm, findDefinitionSubject, type QuestionForm } from './question-form.js';
import type { TermStatistics } from './term-statistics.js';

/** How a document word can stand for a question word, closest first. */
export type MatchKind = 'exact' | 'synonym' | 'derivation' | 'pertainym' | 'hypernym';
export const MATCH_KINDS: readonly MatchKind[] = ['exact', 'synonym', 'derivation', 'pertainym', 'hypernym'];

/** Another way a document may say a question word: stems that must all be present. */
export interface Alternative {
  stems: string[];
  kind: MatchKind;
}

/** A content word of the question, with what else may stand for it. */
export interface QuestionTerm {
  /** Stemmed, typo-corrected against the corpus vocabulary. */
  stem: string;
  /** 1 for the question's own words, less for words carried over from the previous turn. */
  weight: number;
  /** Rarity in the corpus (smoothed inverse sentence frequency). */
  idf: number;
  /** Other stems that stand for it: inflections, WordNet synonyms, derivations… */
  alternatives: Alternative[];
  /** Stems of words of opposite meaning (WordNet antonyms): a sentence saying one of them instead contradicts the question. */
  antonyms: string[];
  /** Capitalised mid-sentence in the question: a name. */
  isName: boolean;
  isNumber: boolean;
  /** Position among the question's own content words (for bigrams), or -1 for context. */
  position: number;
}

/** What the scorer needs to know about a question. */
export interface QuestionAnalysis {
  /** The question as typed (cleaned). */
  text: string;
  terms: QuestionTerm[];
  form: QuestionForm;
  /** What a "What is X?" question asks to define, or null. */
  definitionSubject: string | null;
  isFollowUp: boolean;
  /** Chunks the conversation's previous answer quoted. */
  previousChunkIds: ReadonlySet<string>;
}

/**
 * Reads a (contextualized) question into weighted terms, each with the other words a
 * document may use for it (when a Lexicon is given), its form and its names.
 */
export function analyzeQuestion(
  question: string,
  context: ContextualizedQuestion,
  statistics: TermStatistics,
  lexicon: Lexicon | null,
): QuestionAnalysis {
  const terms = new Map<string, QuestionTerm>();
  const names = findNameTokens(question);
  const tokens = tokenize(question);
  const phraseAlternatives = lexicon ? findPhraseAlternatives(tokens, lexicon) : new Map<number, Alternative[]>();
  let position = 0;
  tokens.forEach((token, index) => {
    if (isStopWord(token)) return;
    const stem = statistics.correct(stemTerm(token));
    const existing = terms.get(stem);
    const alternatives = [...(phraseAlternatives.get(index) ?? []), ...(lexicon ? wordAlternatives(token, stem, lexicon) : [])];
    if (existing) {
      existing.alternatives = mergeAlternatives(existing.alternatives, alternatives);
      return;
    }
    terms.set(stem, {
      stem,
      weight: 1,
      idf: statistics.weigh(stem),
      alternatives: mergeAlternatives([], alternatives),
      antonyms: lexicon ? [...new Set(lexicon.antonyms(token).flatMap((word) => tokenize(word).filter((t) => !isStopWord(t)).map(stemTerm)))] : [],
      isName: names.has(token),
      isNumber: /\d/.test(token),
      position: position++,
    });
  });
  for (const { term, weight } of context.terms) {
    const stem = statistics.correct(term);
    if (weight >= 1 || terms.has(stem)) continue;
    terms.set(stem, { stem, weight, idf: statistics.weigh(stem), alternatives: [], antonyms: [], isName: false, isNumber: /\d/.test(stem), position: -1 });
  }
  return {
    text: question,
    terms: [...terms.values()],
    form: detectQuestionForm(question),
    definitionSubject: findDefinitionSubject(question),
    isFollowUp: context.isFollowUp,
    previousChunkIds: context.previousChunkIds,
  };
}

/** Lower-case tokens written with a capital after the question's first word: names. */
function findNameTokens(question: string): Set<string> {
  const names = new Set<string>();
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
  let alternatives = cache.get(token);
  if (!alternatives) {
    alternatives = lexicon.relatedWords(token).flatMap((related) => toAlternative(related, null));
    if (cache.size >= MAX_CACHED_WORDS) cache.clear();
    cache.set(token, alternatives);
  }
  // The typo-corrected stem depends on the corpus, so it is left out here, not in the cache.
  return alternatives.filter((alternative) => alternative.stems.length > 1 || alternative.stems[0] !== stem);
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
  const stems = tokenize(related.word).filter((token) => !isStopWord(token)).map(stemTerm);
  if (stems.length === 0 || (stems.length === 1 && stems[0] === ownStem)) return [];
  return [{ stems, kind: related.relation === 'inflection' ? 'exact' : related.relation }];
}

/** One alternative per stem list, at its closest kind. */
function mergeAlternatives(existing: Alternative[], added: Alternative[]): Alternative[] {
  const byKey = new Map(existing.map((alternative) => [alternative.stems.join(' '), alternative]));
  for (const alternative of added) {
    const key = alternative.stems.join(' ');
    const previous = byKey.get(key);
    if (!previous || MATCH_KINDS.indexOf(alternative.kind) < MATCH_KINDS.indexOf(previous.kind)) byKey.set(key, alternative);
  }
  return [...byKey.values()];
}

/**
 * How a set of stems (a sentence's, a passage's, a document's) holds each of a question's
 * terms: `exact`, the closest relation through an alternative, or null. Built once per
 * question: one-word alternatives are indexed by stem, so matching a sentence costs a
 * look-up per sentence word rather than a scan of every alternative.
 */
export class TermMatcher {
  private readonly byStem = new Map<string, { term: number; rank: number }[]>();
  private readonly phrases: { term: number; rank: number; stems: string[] }[] = [];
  private readonly stemCount: number;

  constructor(private readonly terms: readonly QuestionTerm[]) {
    terms.forEach((term, i) => {
      this.index(term.stem, i, 0);
      for (const alternative of term.alternatives) {
        const rank = MATCH_KINDS.indexOf(alternative.kind);
        if (alternative.stems.length === 1) this.index(alternative.stems[0]!, i, rank);
        else this.phrases.push({ term: i, rank, stems: alternative.stems });
      }
    });
    this.stemCount = this.byStem.size;
  }

  /** For each term (in order), how `stems` holds it, or null. */
  match(stems: ReadonlySet<string>): (MatchKind | null)[] {
    return [...this.ranks(stems)].map((rank) => MATCH_KINDS[rank] ?? null);
  }

  /**
   * `match` as ranks into MATCH_KINDS (0 = exact; MATCH_KINDS.length = not held), the
   * form the feature code combines: a stretch of text holds a term as well as its best sentence.
   */
  ranks(stems: ReadonlySet<string>): Uint8Array {
    const best = new Uint8Array(this.terms.length).fill(MATCH_KINDS.length);
    const consider = (stem: string): void => {
      for (const { term, rank } of this.byStem.get(stem) ?? []) if (rank < best[term]!) best[term] = rank;
    };
    // Walk whichever side is smaller: a sentence's words, or the question's (for a whole document).
    if (stems.size <= this.stemCount) for (const stem of stems) consider(stem);
    else for (const stem of this.byStem.keys()) if (stems.has(stem)) consider(stem);
    for (const { term, rank, stems: words } of this.phrases) {
      if (rank < best[term]! && words.every((word) => stems.has(word))) best[term] = rank;
    }
    return best;
  }

  private index(stem: string, term: number, rank: number): void {
    const entries = this.byStem.get(stem);
    if (entries) entries.push({ term, rank });
    else this.byStem.set(stem, [{ term, rank }]);
  }
}
