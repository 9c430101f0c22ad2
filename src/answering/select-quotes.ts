import type { Chunk, Document, Hit, Quote, Sentence } from '../domain.js';
import { joinAttributions, stripCitations } from '../chunking/attributions.js';
import { contentTerms } from '../text/terms.js';
import { definesSubject, isSpecificForm, matchAnswerForm, type QuestionForm } from './question-form.js';
import type { QueryTerm, TermStatistics } from './term-statistics.js';

/** Quotes longer than this are not extended with neighbouring sentences. */
export const MAX_QUOTE_CHARS = 700;
/** A neighbouring sentence joins the quote when it scores this close to the best. */
const NEIGHBOUR_SHARE = 0.75;
/** A separate passage becomes a second quote when it scores this close and adds coverage. */
const SECOND_QUOTE_SHARE = 0.85;
const MAX_QUOTES = 3;
/** …and only when it covers at least this much more of the question (weighted). */
const MIN_SECOND_QUOTE_GAIN = 0.15;
// A sentence opening with a pronoun needs the one before it to say who is speaking.
const OPENS_WITH_REFERENCE = /^["“]?(?:He|She|They|It|This|These|Those|His|Her|Their|Its|Such)\b/;

/** A sentence considered for quoting, with what it covers of the question. */
export interface ScoredSentence {
  hit: Hit;
  /** Index into `hit.chunk.sentences`. */
  index: number;
  sentence: Sentence;
  text: string;
  score: number;
  /** Question terms the sentence contains. */
  covered: Set<string>;
}

export interface QuestionAnalysis {
  terms: QueryTerm[];
  form: QuestionForm;
  /** Chunks the conversation's previous answer quoted: follow-ups likely point back there. */
  previousChunkIds: ReadonlySet<string>;
  /** What a "What is X?" question asks to define, or null. */
  definitionSubject: string | null;
}

/** A question word found only in a sentence's citation counts this much: it names the source, not the fact. */
const CITATION_ONLY_CREDIT = 0.5;

/** IDF-weighted share of the question's terms found in `terms` (those in `citationOnly` at partial credit). */
export function coverage(analysis: QuestionAnalysis, statistics: TermStatistics, terms: ReadonlySet<string>, citationOnly?: ReadonlySet<string>): number {
  let total = 0;
  let found = 0;
  for (const { term, weight } of analysis.terms) {
    const w = weight * statistics.weigh(term);
    total += w;
    if (terms.has(term)) found += citationOnly?.has(term) ? w * CITATION_ONLY_CREDIT : w;
  }
  return total === 0 ? 0 : found / total;
}

/**
 * Scores every sentence of the retrieved passages against the question: what it
 * covers of the question's (rarity-weighted) terms, what its passage covers, whether
 * it has the kind of answer the question's form asks for, and the passage's rank.
 */
export function scoreSentences(hits: readonly Hit[], analysis: QuestionAnalysis, statistics: TermStatistics): ScoredSentence[] {
  const queryTerms = new Set(analysis.terms.map((t) => t.term));
  const topScore = hits[0]?.score ?? 1;
  const scored: ScoredSentence[] = [];
  for (const hit of hits) {
    const chunk = hit.chunk;
    const chunkTerms = new Set(contentTerms(chunk.text));
    const chunkCoverage = coverage(analysis, statistics, chunkTerms);
    const prior = hit.score / topScore;
    const followsUp = analysis.previousChunkIds.has(chunk.id) ? 0.1 : 0;
    chunk.sentences.forEach((sentence, index) => {
      const text = sliceSentence(chunk, sentence);
      const { terms, citationOnly, form } = judgeSentence(text, analysis, queryTerms);
      const covered = new Set([...terms].filter((term) => queryTerms.has(term)));
      const sentenceCoverage = coverage(analysis, statistics, terms, citationOnly);
      // A sentence that only repeats the question (a headline, say) tells the user nothing new.
      const novel = [...terms].some((term) => !queryTerms.has(term)) ? 1 : 0.4;
      const header = chunk.kind === 'header' ? 0.85 : 1;
      const score =
        (sentenceCoverage + 0.3 * chunkCoverage + 0.2 * form + 0.1 * prior + followsUp) * novel * header;
      scored.push({ hit, index, sentence, text, score, covered });
    });
  }
  return scored.sort((a, b) => b.score - a.score);
}

/**
 * Confidence that the quotes answer the question (0..1): how much of the question the
 * best sentence and its passage cover, lowered when the form asks for a date, number
 * or name the sentence lacks.
 */
export function estimateConfidence(best: ScoredSentence | undefined, analysis: QuestionAnalysis, statistics: TermStatistics): number {
  if (!best) return 0;
  const judged = judgeSentence(best.text, analysis, new Set(analysis.terms.map((t) => t.term)));
  // Full credit here: when the best sentence matched through its citation, the question was about the source.
  const sentenceCoverage = coverage(analysis, statistics, judged.terms);
  const chunkCoverage = coverage(analysis, statistics, new Set(contentTerms(best.hit.chunk.text)));
  const lexical = 0.6 * sentenceCoverage + 0.4 * chunkCoverage;
  const formPenalty = isSpecificForm(analysis.form) && judged.form === 0 ? 0.75 : 1;
  return clamp01(lexical * formPenalty);
}

/**
 * A sentence's terms (its citation included: "Aide-memoire" is only ever named there) and
 * how well it offers the kind of answer asked for — judged on what the sentence says, not
 * on its citation ("(Trend, November 12)" is no answer to "when"), unless the question is
 * about the cited source itself.
 */
function judgeSentence(
  text: string,
  analysis: QuestionAnalysis,
  queryTerms: ReadonlySet<string>,
): { terms: Set<string>; citationOnly: Set<string>; form: number } {
  const terms = new Set(contentTerms(text));
  const claim = stripCitations(text);
  const claimTerms = new Set(contentTerms(claim));
  const citationOnly = new Set([...terms].filter((term) => !claimTerms.has(term)));
  const asksAboutCitation = [...citationOnly].some((term) => queryTerms.has(term));
  const judged = asksAboutCitation ? text : claim;
  const form = analysis.definitionSubject && definesSubject(analysis.definitionSubject, claim) ? 1.5 : matchAnswerForm(analysis.form, judged);
  return { terms, citationOnly, form };
}

/**
 * Picks the quotes: the best sentence, joined with neighbours that also answer (and
 * with the sentence before when it opens with "He…"), then up to two more passages
 * that score nearly as well and cover question terms the first did not.
 */
export function selectQuotes(
  scored: readonly ScoredSentence[],
  analysis: QuestionAnalysis,
  statistics: TermStatistics,
  documents: ReadonlyMap<string, Document>,
): Quote[] {
  const best = scored[0];
  if (!best) return [];
  const spans = [expandAroundBest(best, scored)];
  const covered = new Set(best.covered);
  for (const candidate of scored.slice(1)) {
    if (spans.length >= MAX_QUOTES || candidate.score < SECOND_QUOTE_SHARE * best.score) break;
    const overlapsChosen = spans.some((span) => span.chunk.documentId === candidate.hit.chunk.documentId && candidate.sentence.start < span.end && candidate.sentence.end > span.start);
    const gain = coverage(analysis, statistics, new Set([...covered, ...candidate.covered])) - coverage(analysis, statistics, covered);
    if (overlapsChosen || gain < MIN_SECOND_QUOTE_GAIN) continue;
    spans.push(expandAroundBest(candidate, scored));
    candidate.covered.forEach((term) => covered.add(term));
  }
  return spans.map((span, i) => quoteSentences(span.chunk, span.first, span.last, i + 1, documents));
}

interface QuoteSpan {
  chunk: Chunk;
  first: number;
  last: number;
  start: number;
  end: number;
}

function expandAroundBest(best: ScoredSentence, scored: readonly ScoredSentence[]): QuoteSpan {
  const chunk = best.hit.chunk;
  const scoreOf = new Map(scored.filter((s) => s.hit.chunk.id === chunk.id).map((s) => [s.index, s.score]));
  let first = best.index;
  let last = best.index;
  const length = (a: number, b: number): number => chunk.sentences[b]!.end - chunk.sentences[a]!.start;
  const joins = (index: number): boolean => (scoreOf.get(index) ?? 0) >= NEIGHBOUR_SHARE * best.score;
  while (first > 0 && joins(first - 1) && length(first - 1, last) <= MAX_QUOTE_CHARS) first--;
  while (last < chunk.sentences.length - 1 && joins(last + 1) && length(first, last + 1) <= MAX_QUOTE_CHARS) last++;
  const opening = sliceSentence(chunk, chunk.sentences[first]!);
  const previous = chunk.sentences[first - 1];
  if (previous && previous.paragraph === chunk.sentences[first]!.paragraph && OPENS_WITH_REFERENCE.test(opening) && length(first - 1, last) <= MAX_QUOTE_CHARS + 200) {
    first--;
  }
  return { chunk, first, last, start: chunk.sentences[first]!.start, end: chunk.sentences[last]!.end };
}

/** Sentences `first..last` of a chunk as a numbered Quote, with their attributions. */
export function quoteSentences(chunk: Chunk, first: number, last: number, citation: number, documents: ReadonlyMap<string, Document>): Quote {
  const sentences = chunk.sentences.slice(first, last + 1);
  const start = sentences[0]!.start;
  const end = sentences.at(-1)!.end;
  return {
    citation,
    text: chunk.text.slice(start - chunk.start, end - chunk.start),
    source: chunk.source,
    documentId: chunk.documentId,
    documentTitle: documents.get(chunk.documentId)?.title ?? chunk.documentId,
    chunkId: chunk.id,
    paragraph: sentences[0]!.paragraph,
    start,
    end,
    attribution: joinAttributions(sentences),
  };
}

/** The best sentence of each passage, as "related" quotes when the answer abstains. */
export function selectRelated(scored: readonly ScoredSentence[], documents: ReadonlyMap<string, Document>, limit: number): Quote[] {
  const perChunk = new Map<string, ScoredSentence>();
  for (const s of scored) if (!perChunk.has(s.hit.chunk.id)) perChunk.set(s.hit.chunk.id, s);
  return [...perChunk.values()].slice(0, limit).map((s, i) =>
    quoteSentences(s.hit.chunk, s.index, s.index, i + 1, documents),
  );
}

function sliceSentence(chunk: Chunk, sentence: Sentence): string {
  return chunk.text.slice(sentence.start - chunk.start, sentence.end - chunk.start);
}

function clamp01(value: number): number {
  return Math.max(0, Math.min(1, value));
}
