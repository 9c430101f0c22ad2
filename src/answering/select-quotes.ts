import { joinAttributions } from '../chunking/attributions.js';
import { pageAt } from '../chunking/locate.js';
import type { Chunk, Document, Quote } from '../domain.js';
import type { CandidateSentence } from './sentence-features.js';

/** A quote opened by a pronoun may take the sentence before it, up to this length in characters. */
export const MAX_QUOTE_CHARS = 900;
/** Quotes per answer: the best sentence's, plus passages that also answer. */
const MAX_QUOTES = 3;
// A sentence opening with a pronoun needs the one before it to say who is speaking.
const OPENS_WITH_REFERENCE = /^["“]?(?:He|She|They|It|This|These|Those|His|Her|Their|Its|Such)\b/;

/** The ranking the quotes are chosen from (see `rankCandidates`). */
export interface RankingView {
  probabilities: readonly number[];
  /** Candidate indices, best first. */
  order: readonly number[];
}

export interface QuoteSelection {
  quotes: Quote[];
  /** Summed probability of the sentences quoted: how likely the quotes hold the answer. */
  probability: number;
}

/**
 * Quotes only what answers: the best sentence, joined by a neighbour or followed by
 * another passage only when the model gives that sentence at least
 * `extraSentenceProbability` of being the answer itself — not because it scores
 * "well". A sentence opening with "He…" takes the sentence before it.
 */
export function selectQuotes(
  candidates: readonly CandidateSentence[],
  ranking: RankingView,
  extraSentenceProbability: number,
  documents: ReadonlyMap<string, Document>,
): QuoteSelection {
  const best = ranking.order[0];
  if (best === undefined) return { quotes: [], probability: 0 };
  const chosen = [best, ...ranking.order.slice(1).filter((i) => ranking.probabilities[i]! >= extraSentenceProbability)];
  // Group chosen sentences into runs of adjacent sentences of one passage, in the order they were chosen.
  const spans: { chunk: Chunk; first: number; last: number }[] = [];
  let probability = 0;
  for (const i of chosen) {
    const candidate = candidates[i]!;
    const chunk = candidate.hit.chunk;
    const joining = spans.find((span) => span.chunk.documentId === chunk.documentId && sameRun(span, candidate));
    if (joining) {
      joining.first = Math.min(joining.first, indexIn(joining.chunk, candidate));
      joining.last = Math.max(joining.last, indexIn(joining.chunk, candidate));
    } else if (spans.length < MAX_QUOTES) {
      spans.push({ chunk, first: candidate.index, last: candidate.index });
    } else {
      continue;
    }
    probability += ranking.probabilities[i]!;
  }
  for (const span of spans) {
    const opening = span.chunk.sentences[span.first]!;
    const previous = span.chunk.sentences[span.first - 1];
    const text = span.chunk.text.slice(opening.start - span.chunk.start, opening.end - span.chunk.start);
    if (previous && previous.paragraph === opening.paragraph && OPENS_WITH_REFERENCE.test(text) && span.chunk.sentences[span.last]!.end - previous.start <= MAX_QUOTE_CHARS) {
      span.first--;
    }
  }
  return { quotes: spans.map((span, i) => quoteSentences(span.chunk, span.first, span.last, i + 1, documents)), probability };
}

/** True when the candidate's sentence is in the span's passage text and next to (or in) the span. */
function sameRun(span: { chunk: Chunk; first: number; last: number }, candidate: CandidateSentence): boolean {
  const index = indexIn(span.chunk, candidate);
  return index !== -1 && index >= span.first - 1 && index <= span.last + 1;
}

/** The candidate's sentence index within `chunk` (it may come from an overlapping split part), or −1. */
function indexIn(chunk: Chunk, candidate: CandidateSentence): number {
  return chunk.sentences.findIndex((sentence) => sentence.start === candidate.sentence.start);
}

/** Sentences `first..last` of a chunk as a numbered Quote, with their attributions. */
export function quoteSentences(chunk: Chunk, first: number, last: number, citation: number, documents: ReadonlyMap<string, Document>): Quote {
  const sentences = chunk.sentences.slice(first, last + 1);
  const start = sentences[0]!.start;
  const end = sentences.at(-1)!.end;
  const document = documents.get(chunk.documentId);
  return {
    citation,
    text: chunk.text.slice(start - chunk.start, end - chunk.start),
    source: chunk.source,
    documentId: chunk.documentId,
    documentTitle: document?.title ?? chunk.documentId,
    textFile: document?.textFile || chunk.source,
    url: document?.url ?? null,
    chunkId: chunk.id,
    paragraph: sentences[0]!.paragraph,
    start,
    end,
    page: document ? pageAt(document, start) : chunk.page,
    pageCount: document?.pageStarts?.length ?? null,
    section: chunk.section,
    attribution: joinAttributions(sentences),
  };
}

/**
 * The "related" quotes offered when the answer abstains: the best sentence of each of the
 * best passages, with the sentence either side of it. Held out, the answer to a refused
 * answerable question is in the first three such quotes for 63.8% of them, against 51.2%
 * for the sentences alone (`npm run train`'s related table).
 */
export function selectRelated(ranked: readonly CandidateSentence[], documents: ReadonlyMap<string, Document>, limit: number): Quote[] {
  const perChunk = new Map<string, CandidateSentence>();
  for (const candidate of ranked) if (!perChunk.has(candidate.hit.chunk.id)) perChunk.set(candidate.hit.chunk.id, candidate);
  return [...perChunk.values()].slice(0, limit).map((candidate, i) => {
    const { chunk } = candidate.hit;
    return quoteSentences(chunk, Math.max(0, candidate.index - 1), Math.min(chunk.sentences.length - 1, candidate.index + 1), i + 1, documents);
  });
}
