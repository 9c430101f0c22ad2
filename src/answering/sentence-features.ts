import type { Chunk, Hit, Sentence } from '../domain.js';
import { AssociationMatcher, MATCH_KINDS, type MatchKind, type QuestionAnalysis, type QuestionTerm, TermMatcher } from './analyze-question.js';
import { ASSOCIATION_SOURCES, type AssociationSource } from '../lexicon/word-associations.js';
import { ANSWER_FORMS, definesSubject, findSpecificForm, givesCause, offersSpecificForm } from './answer-forms.js';
import { expectedEntityTypes, matchEntityType } from './entity-types.js';
import { FORM_FEATURE_NAMES, offersAnswerForm } from './question-form.js';
import { findKindHead, offersKind } from './answer-kind.js';
import type { DocumentTerms } from './document-terms.js';
import type { StemCache, StemmedText } from './stem-cache.js';
import { scoreTermFrequency, SENTENCE_BM25, TYPICAL_SENTENCE_TERMS } from '../text/bm25.js';
import { isStopWord, stemTerm, tokenize } from '../text/terms.js';
import { type ChangedDetail, findSubstitution, findWordSlots, type WordSlot } from './substituted-word.js';
import type { Lexicon } from '../lexicon/lexicon.js';

/**
 * The one place that turns (question, candidate sentence) into numbers for the fitted
 * answer model. Every signal the scorer uses is here, named; the weights that mix them
 * are fitted by `npm run train` (src/training/) and live in answer-model.json.
 * Dense retrieval enters only through ranks, so weights fitted with one embedding model
 * carry over to another.
 */

/** Features of one candidate sentence, in the order of the weight vector. */
export const SENTENCE_FEATURES = [
  'bias',
  /** Rarity-weighted share of the question's terms the sentence has, word for word (or inflected). */
  'coverExact',
  /** …through a WordNet synonym. */
  'coverSynonym',
  /** …through a derivation (elect → election). */
  'coverDerivation',
  /** …through a pertainym, attribute or similar adjective. */
  'coverPertainym',
  /** …one step up or down the is-a hierarchy. */
  'coverHypernym',
  /** Share covered (any relation but is-a) by the sentence and its neighbours. */
  'coverWindow',
  /** Share covered (any relation but is-a) by the whole passage. */
  'coverPassage',
  /** Share of the two rarest question terms the sentence has (any relation but is-a). */
  'coverRarest',
  /** Share of the question's own terms its document does not contain at all. */
  'missingInDocument',
  /** The question's rarest term is nowhere in the document. */
  'rarestMissingInDocument',
  /** Importance of the most important question word that neither the sentence nor its neighbours hold (its rarity over the rarest word's). */
  'uncoveredRarest',
  /** The sentence says the opposite of a question word (WordNet antonym) and not the word itself. */
  'antonym',
  /** Names in the question the document does not contain as written or as a synonym (0, 0.5, 1 for two or more). */
  'namesMissingInDocument',
  /** Names in the question the sentence does not contain as written or as a synonym, as a share of names. */
  'namesMissingInSentence',
  /** A number in the question that the sentence does not contain. */
  'numberMissingInSentence',
  /** The question's form asks for a date, number or name and the sentence has one it does not already say (+1) or not (−1). */
  'formMatch',
  /** The question asks for an age, a founding year, a duration, a percentage, a place or a quantity in a unit, and the sentence says one (+1) or not (−1). */
  'specificForm',
  /** A "why" question and the sentence gives a cause or purpose. */
  'causeMatch',
  /** "What is X?" and the sentence says "X is …", "X means …", "… known as X". */
  'definesSubject',
  /** A yes/no question, and the sentence with its neighbours holds every word of it, or says the opposite of one. */
  'settlesYesNo',
  /** The question wants a date, an amount, a duration, a percentage or a name, and wink-nlp finds one in the sentence it does not already say (+1) or none (−1). */
  'entityMatch',
  /** Share of the question's own terms in the heading path of the passage's section. */
  'sectionCover',
  /** Share of the sentence's content words that are not in the question: it says something new. */
  'novelty',
  /** Matched question terms per word of the shortest stretch holding them all. */
  'proximity',
  /** Share of the question's adjacent word pairs found close together in the sentence. */
  'bigrams',
  /** Share of covered weight that is only in the sentence's citation. */
  'citationOnly',
  /** BM25 of the sentence against the question (word for word), relative to the best candidate's. */
  'sentenceBm25',
  /** Coverage by meaning (exact, synonyms, derivations, pertainyms) relative to the best candidate's. */
  'coverRelative',
  /** 1 / BM25 rank of the passage (0 when BM25 did not return it). */
  'lexicalRank',
  /** 1 / dense rank of the passage (0 when the dense retriever did not return it or there is none). */
  'denseRank',
  /** 1 / fused rank of the passage among candidates. */
  'fusedRank',
  /** The sentence opens its paragraph. */
  'firstInParagraph',
  /** The passage is a headline or heading line. */
  'header',
  /** log of the sentence length, scaled so 500 characters is 1. */
  'length',
  /** A follow-up, and the passage is one the previous answer quoted. */
  'previouslyQuoted',
  /** Share of the question's own terms in the document's title. */
  'titleCover',
  /** Rarity-weighted share of the question's terms the sentence holds only through a WordNet gloss (their own, or one defining them by them), not by any WordNet relation. */
  'coverGloss',
  /** …only through a thesaurus (each word listing the other), not by any WordNet relation. Each source counts apart: a term both hold counts in both. */
  'coverThesaurus',
  /** A follow-up, and the passage is the one just before or after a passage the previous answer quoted (the story goes on there). */
  'adjacentToQuoted',
  /**
   * BM25 of the question against the sentence before, in the same passage (scaled as
   * `sentenceBm25`): an answer often comes right after the sentence that says what the
   * question asks about ("…the complexity class P…" · "This hypothesis is called…").
   */
  'previousBm25',
  /** The sentence holds the words either side of a question word around another word: one detail changed ("the *west* wing" where it says "the east wing"; substituted-word.ts). */
  'substitutedWord',
  /** A follow-up, and the sentence is (part of) what the previous answer quoted: "how far is that from Bedford?" after a quote that says so. */
  'inPreviousQuote',
  /** A follow-up, and the sentence comes soon after what the previous answer quoted: 1 right after it, falling to 0 at FOLLOWING_QUOTE_CHARS. */
  'afterPreviousQuote',
  /** A "which X" question, and the sentence names a kind of X it does not already say (+1: "Geneva" for "which city") or none (−1; answer-kind.ts). */
  'kindMatch',
] as const;

export type SentenceFeature = (typeof SENTENCE_FEATURES)[number];

/** A sentence of a retrieved passage, considered as (part of) the answer. */
export interface CandidateSentence {
  hit: Hit;
  /** Index into `hit.chunk.sentences`. */
  index: number;
  sentence: Sentence;
  text: string;
  /** 1-based rank of its passage after fusion. */
  passageRank: number;
}

/**
 * Signals that can be left out to measure what each adds held out
 * (`npm run train -- --ablate NAME`); answer-model.json lists the ones kept.
 */
export const OPTIONAL_SIGNALS = [...ANSWER_FORMS, 'entities', 'section', ...ASSOCIATION_SOURCES, 'adjacent', 'previous', 'substitution', 'quoted-sentence', 'question-form', 'kind', 'pronoun'] as const;
export type OptionalSignal = (typeof OPTIONAL_SIGNALS)[number];

/**
 * The features only optional signals set (always 0 when none of them is in use), by
 * feature name, in the sentence and answer models alike. A model file fitted before such
 * a feature existed can be read without it while it does not use the signal.
 */
export const SIGNAL_FEATURES: Readonly<Record<string, readonly OptionalSignal[]>> = {
  specificForm: ['age', 'founding', 'duration', 'percentage', 'place', 'unit'],
  causeMatch: ['cause'],
  definesSubject: ['definition'],
  settlesYesNo: ['yes-no'],
  entityMatch: ['entities'],
  sectionCover: ['section'],
  coverGloss: ['gloss'],
  coverThesaurus: ['thesaurus'],
  adjacentToQuoted: ['adjacent'],
  previousBm25: ['previous'],
  substitutedWord: ['substitution'],
  inPreviousQuote: ['quoted-sentence'],
  afterPreviousQuote: ['quoted-sentence'],
  ...Object.fromEntries(FORM_FEATURE_NAMES.map((name) => [name, ['question-form'] as const])),
  kindMatch: ['kind'],
};

/** What features need beyond the question and the sentence; injected so training and serving share it. */
export interface FeatureContext {
  analysis: QuestionAnalysis;
  /** Stems of sentences, passages and titles. */
  stems: StemCache;
  /** Which stems each document holds (from the index). */
  documentTerms: DocumentTerms;
  /** The optional signals in use (the model's). */
  signals: ReadonlySet<string>;
  /** WordNet, for the substitution signal's contrasting words (none: only numbers contrast) and the kind signal's kinds (none: not read). */
  lexicon?: Lexicon | null;
}

/** Position of each feature in a vector. */
const AT = Object.fromEntries(SENTENCE_FEATURES.map((name, i) => [name, i])) as Record<SentenceFeature, number>;
const COVER_KIND_FEATURE: Record<MatchKind, number> = {
  exact: AT.coverExact,
  synonym: AT.coverSynonym,
  derivation: AT.coverDerivation,
  pertainym: AT.coverPertainym,
  hypernym: AT.coverHypernym,
};
const ASSOCIATION_FEATURE: Record<AssociationSource, number> = { gloss: AT.coverGloss, thesaurus: AT.coverThesaurus };
/** Match ranks below this carry the question's meaning; is-a neighbours are too loose to count as "has it". */
const MEANING_RANK = MATCH_KINDS.indexOf('hypernym');
/** A name is held as written or under another of its names (WordNet's synonyms: Kazakstan, Kazakhstan). */
const NAME_RANK = MATCH_KINDS.indexOf('synonym') + 1;
const LENGTH_SCALE = Math.log(500);
/**
 * How far after the previous answer's quote a sentence still "comes soon after" it. In the
 * labelled answerable follow-ups whose first turn quoted something (`npm run ask` on the
 * first turns), the answer stood in that quote for 48 of 96, in its paragraph or the next
 * for 29 more, and further on for 19; two short paragraphs are about 600 characters. Held
 * out, 300 and 1,000 answered fewer follow-ups right (KEPT_SIGNALS in cli/train.ts).
 */
const FOLLOWING_QUOTE_CHARS = 600;
/** A pronoun that stands for someone named before it ("*He* enlisted in the Parliamentary army", of Bunyan). */
export const REFERRING_PRONOUN = /\b(?:he|him|his|himself|she|her|hers|herself)\b/i;

/** Feature vectors (in SENTENCE_FEATURES order) for each candidate. */
export function computeSentenceFeatures(candidates: readonly CandidateSentence[], context: FeatureContext): number[][] {
  const { analysis, stems, signals, documentTerms } = context;
  const forms = analysis.forms.filter((form) => signals.has(form));
  const specificForm = findSpecificForm(forms);
  const asksCause = forms.includes('cause');
  const asksYesNo = forms.includes('yes-no');
  const definitionSubject = forms.includes('definition') ? analysis.definitionSubject : null;
  const expectedEntities = signals.has('entities') ? expectedEntityTypes(analysis.text, analysis.form, forms) : null;
  const useSections = signals.has('section');
  const useAdjacent = signals.has('adjacent');
  const usePrevious = signals.has('previous');
  const lexicon = context.lexicon ?? null;
  const substitution = signals.has('substitution') ? new SubstitutionReader(analysis, lexicon) : null;
  // Read only when the signal is in use: most questions never need their head noun looked up.
  const kindHead = signals.has('kind') && lexicon ? findKindHead(analysis.text, lexicon) : null;
  const previousQuotes = signals.has('quoted-sentence') && analysis.isFollowUp ? analysis.previousQuotes : [];
  const usePronouns = signals.has('pronoun');
  const terms = analysis.terms;
  const ownIndices = terms.flatMap((term, i) => (term.weight >= 1 ? [i] : []));
  const totalWeight = sum(terms.map(termWeight)) || 1;
  const ownWeight = sum(ownIndices.map((i) => termWeight(terms[i]!))) || 1;
  const rarest = [...ownIndices].sort((a, b) => terms[b]!.idf - terms[a]!.idf).slice(0, 2);
  const names = ownIndices.filter((i) => terms[i]!.isName);
  const numbers = ownIndices.filter((i) => terms[i]!.isNumber);
  const questionStems = new Set(terms.map((term) => term.stem));
  const matcher = new TermMatcher(terms);
  const associationSources = ASSOCIATION_SOURCES.filter((source) => signals.has(source));
  const associationMatcher = associationSources.length > 0 ? new AssociationMatcher(terms) : null;
  const wanted = wantedStems(terms);
  const ownInOrder = ownIndices.map((i) => terms[i]!).sort((a, b) => a.position - b.position);
  // A term is held by a stretch of text as well as by its best sentence: match each sentence once.
  const sentenceRanks = new Map<string, Uint8Array>();
  const ranksOfSentence = (chunk: Chunk, index: number): Uint8Array => {
    const key = `${chunk.documentId}:${chunk.sentences[index]!.start}`;
    let ranks = sentenceRanks.get(key);
    if (!ranks) {
      ranks = matcher.ranks(stems.sentence(chunk, index));
      sentenceRanks.set(key, ranks);
    }
    return ranks;
  };
  const passageRanks = new Map<string, Uint8Array>();
  const documentRanks = new Map<string, Uint8Array>();

  /**
   * A candidate's ranks, with a question name the sentence does not say held as said when
   * the sentence has a pronoun and the name stands in the passage before it or in the
   * document's title: "Which side's army did Bunyan sign up with?" · "He enlisted in the
   * Parliamentary army…", in the article titled "Bunyan, John".
   */
  const withNamesReferredTo = (candidate: CandidateSentence, title: ReadonlySet<string>, ranks: Uint8Array): Uint8Array => {
    if (names.length === 0 || !REFERRING_PRONOUN.test(candidate.text)) return ranks;
    const { chunk } = candidate.hit;
    const saidBefore = (i: number): boolean => chunk.sentences.slice(0, candidate.index).some((_, j) => ranksOfSentence(chunk, j)[i]! < NAME_RANK);
    const referred = names.filter((i) => ranks[i]! >= NAME_RANK && (title.has(terms[i]!.stem) || saidBefore(i)));
    if (referred.length === 0) return ranks;
    const resolved = ranks.slice();
    for (const i of referred) resolved[i] = 0;
    return resolved;
  };

  const vectors = candidates.map((candidate) => {
    const { chunk } = candidate.hit;
    const title = stems.title(chunk.documentId);
    const values = new Array<number>(SENTENCE_FEATURES.length).fill(0);
    const sentence = stems.sentence(chunk, candidate.index);
    const claim = stems.claim(chunk, candidate.index);
    const claimText = claim.text;
    const ownRanks = ranksOfSentence(chunk, candidate.index);
    const inSentence = usePronouns ? withNamesReferredTo(candidate, title, ownRanks) : ownRanks;
    const inClaim = claimText === candidate.text ? inSentence : matcher.ranks(claim.stemmed);
    const neighbours = [candidate.index - 1, candidate.index + 1].filter((i) => i >= 0 && i < chunk.sentences.length);
    const inWindow = bestOf([inSentence, ...neighbours.map((i) => ranksOfSentence(chunk, i))]);
    let inPassage = passageRanks.get(chunk.id);
    if (!inPassage) {
      inPassage = bestOf(chunk.sentences.map((_, i) => ranksOfSentence(chunk, i)));
      passageRanks.set(chunk.id, inPassage);
    }
    let inDocument = documentRanks.get(chunk.documentId);
    if (!inDocument) {
      inDocument = matcher.ranksWhere(documentTerms.holderOf(chunk.documentId));
      documentRanks.set(chunk.documentId, inDocument);
    }

    let citationOnlyWeight = 0;
    let coveredWeight = 0;
    terms.forEach((term, i) => {
      const weight = termWeight(term) / totalWeight;
      const rank = inSentence[i]!;
      if (rank < MATCH_KINDS.length) {
        values[COVER_KIND_FEATURE[MATCH_KINDS[rank]!]]! += weight;
        coveredWeight += weight;
        if (inClaim[i]! >= MATCH_KINDS.length) citationOnlyWeight += weight;
      }
      if (inWindow[i]! < MEANING_RANK) values[AT.coverWindow]! += weight;
      if (inPassage[i]! < MEANING_RANK) values[AT.coverPassage]! += weight;
    });
    for (const i of ownIndices) {
      const weight = termWeight(terms[i]!) / ownWeight;
      if (inDocument[i]! >= MEANING_RANK) values[AT.missingInDocument]! += weight;
      if (title.has(terms[i]!.stem)) values[AT.titleCover]! += weight;
    }
    if (associationMatcher && !associationMatcher.isEmpty) {
      for (const source of associationSources) {
        const held = associationMatcher.holds(sentence, source, terms.length);
        terms.forEach((term, i) => {
          if (held[i] && inSentence[i]! >= MATCH_KINDS.length) values[ASSOCIATION_FEATURE[source]]! += termWeight(term) / totalWeight;
        });
      }
    }
    values[AT.coverRarest] = share(rarest, (i) => inSentence[i]! < MEANING_RANK);
    const topIdf = rarest.length > 0 ? terms[rarest[0]!]!.idf : 0;
    const uncovered = ownIndices.filter((i) => inWindow[i]! >= MEANING_RANK).map((i) => terms[i]!.idf);
    values[AT.uncoveredRarest] = topIdf > 0 && uncovered.length > 0 ? Math.max(...uncovered) / topIdf : 0;
    values[AT.antonym] = ownIndices.some((i) => inSentence[i]! >= MEANING_RANK && terms[i]!.antonyms.some((word) => sentence.words.has(word))) ? 1 : 0;
    values[AT.rarestMissingInDocument] = rarest.length > 0 && inDocument[rarest[0]!]! >= MEANING_RANK ? 1 : 0;
    values[AT.namesMissingInDocument] = Math.min(2, names.filter((i) => inDocument[i]! >= NAME_RANK).length) / 2;
    values[AT.namesMissingInSentence] = share(names, (i) => inSentence[i]! >= NAME_RANK);
    values[AT.numberMissingInSentence] = numbers.some((i) => !sentence.stems.has(terms[i]!.stem)) ? 1 : 0;
    const offered = offersAnswerForm(analysis.form, claimText, questionStems);
    values[AT.formMatch] = offered === null ? 0 : offered ? 1 : -1;
    values[AT.specificForm] = specificForm === null ? 0 : offersSpecificForm(specificForm, claimText, analysis.countedStem) ? 1 : -1;
    values[AT.causeMatch] = asksCause && givesCause(claimText) ? 1 : 0;
    values[AT.definesSubject] = definitionSubject !== null && definesSubject(definitionSubject, candidate.text) ? 1 : 0;
    values[AT.entityMatch] = matchEntityType(expectedEntities, claimText, questionStems);
    if (kindHead && lexicon) values[AT.kindMatch] = offersKind(kindHead, claimText, questionStems, lexicon) ? 1 : -1;
    if (useSections && chunk.section !== null) {
      const section = stems.heading(chunk.section);
      for (const i of ownIndices) if (section.has(terms[i]!.stem)) values[AT.sectionCover]! += termWeight(terms[i]!) / ownWeight;
    }
    if (asksYesNo) {
      const holdsAll = ownIndices.every((i) => inWindow[i]! < MEANING_RANK);
      values[AT.settlesYesNo] = holdsAll || values[AT.antonym] === 1 ? 1 : 0;
    }
    values[AT.novelty] = sentence.stems.size === 0 ? 0 : countWhere(sentence.stems, (stem) => !questionStems.has(stem)) / sentence.stems.size;
    values[AT.proximity] = measureProximity(sentence, wanted);
    values[AT.bigrams] = measureBigrams(sentence, ownInOrder);
    values[AT.citationOnly] = coveredWeight === 0 ? 0 : citationOnlyWeight / coveredWeight;
    values[AT.lexicalRank] = candidate.hit.lexicalRank ? 1 / candidate.hit.lexicalRank : 0;
    values[AT.denseRank] = candidate.hit.denseRank ? 1 / candidate.hit.denseRank : 0;
    values[AT.fusedRank] = 1 / candidate.passageRank;
    values[AT.firstInParagraph] = candidate.index === 0 || chunk.sentences[candidate.index - 1]!.paragraph !== candidate.sentence.paragraph ? 1 : 0;
    values[AT.header] = chunk.kind === 'header' ? 1 : 0;
    values[AT.length] = Math.log(Math.max(candidate.text.length, 1)) / LENGTH_SCALE;
    values[AT.previouslyQuoted] = analysis.isFollowUp && analysis.previousChunkIds.has(chunk.id) ? 1 : 0;
    values[AT.adjacentToQuoted] = useAdjacent && analysis.isFollowUp && analysis.adjacentChunkIds?.has(chunk.id) ? 1 : 0;
    values[AT.bias] = 1;
    values[AT.sentenceBm25] = scoreBm25(sentence, terms);
    if (substitution) values[AT.substitutedWord] = substitution.read(candidate.text, inSentence, sentence) ? 1 : 0;
    if (usePrevious && candidate.index > 0) values[AT.previousBm25] = scoreBm25(stems.sentence(chunk, candidate.index - 1), terms);
    if (previousQuotes.length > 0) {
      const { start, end } = candidate.sentence;
      const inDocument = previousQuotes.filter((place) => place.documentId === chunk.documentId);
      if (inDocument.some((place) => place.start < end && place.end > start)) values[AT.inPreviousQuote] = 1;
      else values[AT.afterPreviousQuote] = Math.max(0, ...inDocument.map((place) => (start >= place.end ? 1 - (start - place.end) / FOLLOWING_QUOTE_CHARS : 0)));
    }
    values[AT.coverRelative] = values[AT.coverExact]! + values[AT.coverSynonym]! + values[AT.coverDerivation]! + values[AT.coverPertainym]!;
    return values;
  });
  // Scores that only mean something next to the other candidates' are scaled by the best
  // (the sentence before's BM25 by the best sentence's, so the two compare).
  const topOf = (at: number): number => Math.max(0, ...vectors.map((values) => values[at]!));
  const topBm25 = topOf(AT.sentenceBm25);
  for (const [at, top] of [[AT.sentenceBm25, topBm25], [AT.previousBm25, topBm25], [AT.coverRelative, topOf(AT.coverRelative)]] as const) {
    for (const values of vectors) values[at] = top > 0 ? values[at]! / top : 0;
  }
  return vectors;
}

/**
 * How an association source bears on a question's candidates: `some` when a candidate
 * holds a question word through it and through no WordNet relation; `only` when, more
 * narrowly, it finds a question word that no candidate holds as written or through WordNet.
 */
export function measureAssociationReach(source: AssociationSource, candidates: readonly CandidateSentence[], analysis: QuestionAnalysis, stems: StemCache): { some: boolean; only: boolean } {
  const associations = new AssociationMatcher(analysis.terms);
  if (associations.isEmpty) return { some: false, only: false };
  const matcher = new TermMatcher(analysis.terms);
  const termCount = analysis.terms.length;
  const heldByWordNet = new Array<boolean>(termCount).fill(false);
  const heldOnlyBySource = new Array<boolean>(termCount).fill(false);
  for (const { hit, index } of candidates) {
    const sentence = stems.sentence(hit.chunk, index);
    const ranks = matcher.ranks(sentence);
    const held = associations.holds(sentence, source, termCount);
    for (let i = 0; i < termCount; i++) {
      if (ranks[i]! < MATCH_KINDS.length) heldByWordNet[i] = true;
      else if (held[i]) heldOnlyBySource[i] = true;
    }
  }
  return { some: heldOnlyBySource.some(Boolean), only: heldOnlyBySource.some((held, i) => held && !heldByWordNet[i]) };
}

/**
 * Reads what `substitutedWord` marks: the question's words with a word either side (those
 * the sentence holds in no form), and whether a sentence says another, contrasting word
 * between the same two — another number, an opposite, a kind of the same thing, or two
 * words no dictionary knows (names, codes: "arm64", "amd64").
 */
class SubstitutionReader {
  /** Each slot with its question term and the stem of a neighbour that is a content word (one is). */
  private readonly slots: { slot: WordSlot; term: number; neighbourStem: string }[];
  private readonly contrasting: (a: string, b: string) => boolean;

  constructor(analysis: QuestionAnalysis, lexicon: Lexicon | null) {
    this.slots = findWordSlots(tokenize(analysis.text))
      .map((slot) => ({ slot, term: termIndexOf(analysis.terms, slot.word), neighbourStem: stemTerm(isStopWord(slot.after) ? slot.before : slot.after) }))
      .filter(({ term }) => term !== -1);
    this.contrasting = (a, b) => (lexicon ? lexicon.contrasting(a, b) || (lexicon.lemmas(a).length === 0 && lexicon.lemmas(b).length === 0) : false);
  }

  /**
   * The changed detail `text` says, given how it holds each question term (`ranks`, as
   * TermMatcher gives them) and its stems, or null. A slot can only be filled where the
   * sentence has its content neighbour, so a sentence without one is not tokenised at all
   * (most are not: at 6,000 passages this signal took 13% of a question's time before).
   */
  read(text: string, ranks: Uint8Array, stemmed: StemmedText): ChangedDetail | null {
    const unheld = this.slots.filter(({ term, neighbourStem }) => ranks[term]! >= MATCH_KINDS.length && stemmed.stems.has(neighbourStem)).map(({ slot }) => slot);
    return unheld.length > 0 ? findSubstitution(unheld, tokenize(text), this.contrasting) : null;
  }
}

/**
 * The detail a candidate sentence changes ({ asked: "west", says: "east" }): what
 * `substitutedWord` marks, worked out again for one sentence to tell the user.
 */
export function findChangedDetail(candidate: CandidateSentence, context: Pick<FeatureContext, 'analysis' | 'stems' | 'lexicon'>): ChangedDetail | null {
  const stemmed = context.stems.sentence(candidate.hit.chunk, candidate.index);
  const ranks = new TermMatcher(context.analysis.terms).ranks(stemmed);
  return new SubstitutionReader(context.analysis, context.lexicon ?? null).read(candidate.text, ranks, stemmed);
}

/** The index of the question term a typed token was read as (its stem, or the word it was respelled from), or -1 (a typo read as another word). */
function termIndexOf(terms: readonly QuestionTerm[], token: string): number {
  const stem = stemTerm(token);
  return terms.findIndex((term) => term.weight >= 1 && (term.stem === stem || term.respelled?.typed === token));
}

/** Term-wise best (lowest) match rank over several stretches of text. */
function bestOf(all: readonly Uint8Array[]): Uint8Array {
  const best = Uint8Array.from(all[0] ?? []);
  for (const ranks of all.slice(1)) for (let i = 0; i < best.length; i++) if (ranks[i]! < best[i]!) best[i] = ranks[i]!;
  return best;
}

function countWhere<T>(items: Iterable<T>, predicate: (item: T) => boolean): number {
  let count = 0;
  for (const item of items) if (predicate(item)) count++;
  return count;
}

/** BM25 of the sentence over the question terms (`SENTENCE_BM25`, length in content words against a typical sentence's). */
function scoreBm25(sentence: StemmedText, terms: readonly QuestionTerm[]): number {
  let score = 0;
  for (const term of terms) {
    if (!sentence.stems.has(term.stem)) continue;
    let tf = 0;
    for (const { stem } of sentence.sequence) if (stem === term.stem) tf++;
    score += termWeight(term) * scoreTermFrequency(tf, sentence.sequence.length, TYPICAL_SENTENCE_TERMS, SENTENCE_BM25);
  }
  return score;
}

function termWeight(term: QuestionTerm): number {
  return term.weight * term.idf;
}

/** Each stem that stands for a question term (its own, or a one-word alternative closer than is-a), to the term's index. */
function wantedStems(terms: readonly QuestionTerm[]): Map<string, number> {
  const wanted = new Map<string, number>();
  terms.forEach((term, i) => {
    wanted.set(term.stem, i);
    for (const alternative of term.alternatives) if (alternative.stems.length === 1 && alternative.kind !== 'hypernym') wanted.set(alternative.stems[0]!, i);
  });
  return wanted;
}

/** Matched terms divided by the length of the shortest token stretch that holds one of each. */
function measureProximity(sentence: StemmedText, wanted: ReadonlyMap<string, number>): number {
  const hits = sentence.sequence.filter(({ stem }) => wanted.has(stem)).map(({ stem, position }) => ({ term: wanted.get(stem)!, position }));
  const distinct = new Set(hits.map((hit) => hit.term)).size;
  if (distinct < 2) return distinct;
  // Sliding window over hits for the shortest span holding every distinct matched term.
  const counts = new Map<number, number>();
  let best = Infinity;
  let left = 0;
  for (let right = 0; right < hits.length; right++) {
    counts.set(hits[right]!.term, (counts.get(hits[right]!.term) ?? 0) + 1);
    while (counts.size === distinct) {
      best = Math.min(best, hits[right]!.position - hits[left]!.position + 1);
      const term = hits[left]!.term;
      const count = counts.get(term)! - 1;
      if (count === 0) counts.delete(term);
      else counts.set(term, count);
      left++;
    }
  }
  return distinct / best;
}

/** Share of the question's adjacent content-word pairs that stand within two words of each other in the sentence. */
function measureBigrams(sentence: StemmedText, ordered: readonly QuestionTerm[]): number {
  if (ordered.length < 2) return 0;
  let found = 0;
  for (let i = 0; i + 1 < ordered.length; i++) {
    const first = ordered[i]!.stem;
    const second = ordered[i + 1]!.stem;
    if (!sentence.stems.has(first) || !sentence.stems.has(second)) continue;
    const near = sentence.sequence.some(
      (a) => a.stem === first && sentence.sequence.some((b) => b.stem === second && Math.abs(a.position - b.position) <= 2),
    );
    if (near) found++;
  }
  return found / (ordered.length - 1);
}

function share<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  return items.length === 0 ? 0 : items.filter(predicate).length / items.length;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
