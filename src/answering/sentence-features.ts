import { stripCitations } from '../chunking/attributions.js';
import type { Hit, Sentence } from '../domain.js';
import { type MatchKind, type QuestionAnalysis, type QuestionTerm, TermMatcher } from './analyze-question.js';
import { definesSubject, matchAnswerForm, offersAnswerForm } from './question-form.js';
import { type StemCache, type StemmedText, stemText } from './stem-cache.js';

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
  /** Names in the question the document does not contain (0, 0.5, 1 for two or more). */
  'namesMissingInDocument',
  /** Names in the question the sentence does not contain, as a share of names. */
  'namesMissingInSentence',
  /** A number in the question that the sentence does not contain. */
  'numberMissingInSentence',
  /** The question's form asks for a date, number or name and the sentence has one it does not already say (+1) or not (−1). */
  'formMatch',
  /** A "why" question and the sentence gives a cause. */
  'causeMatch',
  /** "What is X?" and the sentence says "X is …". */
  'definesSubject',
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

/** What features need beyond the question and the sentence; injected so training and serving share it. */
export interface FeatureContext {
  analysis: QuestionAnalysis;
  /** Stems of sentences, passages, documents and titles. */
  stems: StemCache;
}

const COVER_KIND_FEATURE: Record<MatchKind, SentenceFeature> = {
  exact: 'coverExact',
  synonym: 'coverSynonym',
  derivation: 'coverDerivation',
  pertainym: 'coverPertainym',
  hypernym: 'coverHypernym',
};
const LENGTH_SCALE = Math.log(500);

/** Feature vectors (in SENTENCE_FEATURES order) for each candidate. */
export function computeSentenceFeatures(candidates: readonly CandidateSentence[], context: FeatureContext): number[][] {
  const { analysis, stems } = context;
  const own = analysis.terms.filter((term) => term.weight >= 1);
  const totalWeight = sum(analysis.terms.map(termWeight));
  const ownWeight = sum(own.map(termWeight));
  const rarest = [...own].sort((a, b) => b.idf - a.idf).slice(0, 2);
  const names = own.filter((term) => term.isName);
  const numbers = own.filter((term) => term.isNumber);
  const questionStems = new Set(analysis.terms.map((term) => term.stem));
  const matcher = new TermMatcher(analysis.terms);
  const termIndex = new Map(analysis.terms.map((term, i) => [term, i]));
  const documentMatches = new Map<string, (MatchKind | null)[]>();

  const vectors = candidates.map((candidate) => {
    const { chunk } = candidate.hit;
    const values = new Map<SentenceFeature, number>(SENTENCE_FEATURES.map((name) => [name, 0]));
    const sentence = stems.sentence(chunk, candidate.index);
    const claimText = stripCitations(candidate.text);
    const claim = claimText === candidate.text ? sentence : stemText(claimText);
    const passage = stems.passage(chunk);
    const window = new Set(sentence.stems);
    for (const neighbour of [candidate.index - 1, candidate.index + 1]) {
      if (neighbour >= 0 && neighbour < chunk.sentences.length) for (const stem of stems.sentence(chunk, neighbour).stems) window.add(stem);
    }
    const document = stems.document(chunk.documentId);
    const title = stems.title(chunk.documentId);
    const inSentence = matcher.match(sentence.stems);
    const inClaim = claim === sentence ? inSentence : matcher.match(claim.stems);
    const inWindow = matcher.match(window);
    const inPassage = matcher.match(passage);
    let inDocument = documentMatches.get(chunk.documentId);
    if (!inDocument) {
      inDocument = matcher.match(document);
      documentMatches.set(chunk.documentId, inDocument);
    }
    const held = (matches: readonly (MatchKind | null)[], term: QuestionTerm): boolean => isMeaningMatch(matches[termIndex.get(term)!]!);

    let citationOnlyWeight = 0;
    let coveredWeight = 0;
    analysis.terms.forEach((term, i) => {
      const weight = termWeight(term) / (totalWeight || 1);
      const kind = inSentence[i];
      if (kind) {
        values.set(COVER_KIND_FEATURE[kind], values.get(COVER_KIND_FEATURE[kind])! + weight);
        coveredWeight += weight;
        if (!inClaim[i]) citationOnlyWeight += weight;
      }
      if (isMeaningMatch(inWindow[i]!)) values.set('coverWindow', values.get('coverWindow')! + weight);
      if (isMeaningMatch(inPassage[i]!)) values.set('coverPassage', values.get('coverPassage')! + weight);
    });
    for (const term of own) {
      const weight = termWeight(term) / (ownWeight || 1);
      if (!held(inDocument, term)) values.set('missingInDocument', values.get('missingInDocument')! + weight);
      if (title.has(term.stem)) values.set('titleCover', values.get('titleCover')! + weight);
    }
    values.set('coverRarest', share(rarest, (term) => held(inSentence, term)));
    const topIdf = rarest[0]?.idf ?? 0;
    const uncovered = own.filter((term) => !held(inWindow, term)).map((term) => term.idf);
    values.set('uncoveredRarest', topIdf > 0 && uncovered.length > 0 ? Math.max(...uncovered) / topIdf : 0);
    values.set('antonym', own.some((term) => !held(inSentence, term) && term.antonyms.some((stem) => sentence.stems.has(stem))) ? 1 : 0);
    values.set('rarestMissingInDocument', rarest[0] && !held(inDocument, rarest[0]) ? 1 : 0);
    values.set('namesMissingInDocument', Math.min(2, names.filter((term) => !document.has(term.stem)).length) / 2);
    values.set('namesMissingInSentence', names.length === 0 ? 0 : share(names, (term) => !sentence.stems.has(term.stem)));
    values.set('numberMissingInSentence', numbers.some((term) => !sentence.stems.has(term.stem)) ? 1 : 0);
    const offered = offersAnswerForm(analysis.form, claimText, questionStems);
    values.set('formMatch', offered === null ? 0 : offered ? 1 : -1);
    values.set('causeMatch', analysis.form === 'why' && matchAnswerForm('why', claimText) === 1 ? 1 : 0);
    values.set('definesSubject', analysis.definitionSubject && definesSubject(analysis.definitionSubject, candidate.text) ? 1 : 0);
    values.set('novelty', sentence.stems.size === 0 ? 0 : [...sentence.stems].filter((stem) => !questionStems.has(stem)).length / sentence.stems.size);
    values.set('proximity', measureProximity(sentence, analysis.terms));
    values.set('bigrams', measureBigrams(sentence, own));
    values.set('citationOnly', coveredWeight === 0 ? 0 : citationOnlyWeight / coveredWeight);
    values.set('lexicalRank', candidate.hit.lexicalRank ? 1 / candidate.hit.lexicalRank : 0);
    values.set('denseRank', candidate.hit.denseRank ? 1 / candidate.hit.denseRank : 0);
    values.set('fusedRank', 1 / candidate.passageRank);
    values.set('firstInParagraph', candidate.index === 0 || chunk.sentences[candidate.index - 1]!.paragraph !== candidate.sentence.paragraph ? 1 : 0);
    values.set('header', chunk.kind === 'header' ? 1 : 0);
    values.set('length', Math.log(Math.max(candidate.text.length, 1)) / LENGTH_SCALE);
    values.set('previouslyQuoted', analysis.isFollowUp && analysis.previousChunkIds.has(chunk.id) ? 1 : 0);
    values.set('bias', 1);
    values.set('sentenceBm25', scoreBm25(sentence, analysis.terms));
    values.set('coverRelative', values.get('coverExact')! + values.get('coverSynonym')! + values.get('coverDerivation')! + values.get('coverPertainym')!);
    return values;
  });
  // Scores that only mean something next to the other candidates' are scaled by the best.
  for (const name of ['sentenceBm25', 'coverRelative'] as const) {
    const top = Math.max(0, ...vectors.map((values) => values.get(name)!));
    for (const values of vectors) values.set(name, top > 0 ? values.get(name)! / top : 0);
  }
  return vectors.map((values) => SENTENCE_FEATURES.map((name) => values.get(name)!));
}

/** BM25's term-frequency saturation and length normalisation (k1 = 1.2, b = 0.75, the usual values), over question terms. */
function scoreBm25(sentence: StemmedText, terms: readonly QuestionTerm[]): number {
  const counts = new Map<string, number>();
  for (const { stem } of sentence.sequence) counts.set(stem, (counts.get(stem) ?? 0) + 1);
  // A typical sentence has about 12 content words; length is measured against that.
  const relativeLength = sentence.sequence.length / 12;
  let score = 0;
  for (const term of terms) {
    const tf = counts.get(term.stem) ?? 0;
    if (tf > 0) score += termWeight(term) * ((tf * 2.2) / (tf + 1.2 * (0.25 + 0.75 * relativeLength)));
  }
  return score;
}

/** Matches that carry the question's meaning: is-a neighbours are too loose to count as "has it". */
function isMeaningMatch(kind: MatchKind | null): boolean {
  return kind !== null && kind !== 'hypernym';
}

function termWeight(term: QuestionTerm): number {
  return term.weight * term.idf;
}

/** Matched terms divided by the length of the shortest token stretch that holds one of each. */
function measureProximity(sentence: StemmedText, terms: readonly QuestionTerm[]): number {
  const wanted = new Map<string, number>();
  terms.forEach((term, i) => {
    wanted.set(term.stem, i);
    for (const alternative of term.alternatives) if (alternative.stems.length === 1 && alternative.kind !== 'hypernym') wanted.set(alternative.stems[0]!, i);
  });
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
function measureBigrams(sentence: StemmedText, own: readonly QuestionTerm[]): number {
  const ordered = [...own].sort((a, b) => a.position - b.position);
  if (ordered.length < 2) return 0;
  const positions = new Map<string, number[]>();
  for (const { stem, position } of sentence.sequence) {
    // Appended in place: copying the list per occurrence is quadratic, and a "sentence" of a
    // table or option list can repeat a stem thousands of times (59% of ask time at 100k passages).
    const list = positions.get(stem);
    if (list) list.push(position);
    else positions.set(stem, [position]);
  }
  let found = 0;
  for (let i = 0; i + 1 < ordered.length; i++) {
    const first = positions.get(ordered[i]!.stem) ?? [];
    const second = positions.get(ordered[i + 1]!.stem) ?? [];
    if (first.some((a) => second.some((b) => Math.abs(a - b) <= 2))) found++;
  }
  return found / (ordered.length - 1);
}

function share<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  return items.length === 0 ? 0 : items.filter(predicate).length / items.length;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
