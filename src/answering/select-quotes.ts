import { joinAttributions } from '../chunking/attributions.js';
import { listItemAt, pageAt, SECTION_SEPARATOR } from '../chunking/locate.js';
import type { Chunk, Document, Quote } from '../domain.js';
import type { CandidateSentence } from './sentence-features.js';

/** A quote opened by a pronoun may take the sentence before it, up to this length in characters. */
export const MAX_QUOTE_CHARS = 900;
/** Quotes per answer: the best sentence's, plus passages that also answer. */
const MAX_QUOTES = 3;
// A sentence opening by referring back: it takes the one before it when it opens a quote
// (to say who is speaking), and joins the quote it follows at a lower bar (see below).
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
  passages: PassageLookup,
  options: { quoteHeadings?: boolean; followingSentenceProbability?: number } = {},
): QuoteSelection {
  const { documents } = passages;
  const best = ranking.order[0];
  if (best === undefined) return { quotes: [], probability: 0 };
  const chosen = [best, ...ranking.order.slice(1).filter((i) => ranking.probabilities[i]! >= extraSentenceProbability)];
  // Group chosen sentences into runs of adjacent sentences of one passage, in the order they were chosen.
  const spans: { chunk: Chunk; first: number; last: number }[] = [];
  let probability = 0;
  for (const i of chosen) {
    let candidate: Pick<CandidateSentence, 'hit' | 'index' | 'sentence'> = candidates[i]!;
    if (candidate.hit.chunk.kind === 'header' && !options.quoteHeadings) {
      // A heading names a topic and says nothing about it: the best match stands for the
      // opening of its section; a heading as an extra quote adds nothing.
      const opening = i === best ? sectionOpening(candidate.hit.chunk, passages) : null;
      if (!opening) continue;
      candidate = { hit: { ...candidate.hit, chunk: opening }, index: 0, sentence: opening.sentences[0]! };
    }
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
  // An opening sentence that announces a list ("The rules are:") brings the list with it.
  for (const span of spans) {
    while (span.last + 1 < span.chunk.sentences.length && /:\s*$/.test(sentenceText(span.chunk, span.last))) {
      if (span.chunk.sentences[span.last + 1]!.end - span.chunk.sentences[span.first]!.start > MAX_QUOTE_CHARS) break;
      span.last++;
    }
  }
  // The sentence after a quote that opens by referring back to it ("…the complexity class P…"
  // · "This hypothesis is called…") goes on with what the quote began: it joins when the
  // model gives it at least `followingSentenceProbability` — a far lower bar than for any
  // other sentence, since it is both likely and short to add (see docs/answer-quality.md).
  const following = options.followingSentenceProbability;
  if (following !== undefined) {
    const probabilityAt = new Map(candidates.map((candidate, i) => [`${candidate.hit.chunk.documentId}:${candidate.sentence.start}`, ranking.probabilities[i]!]));
    for (const span of spans) {
      const last = span.chunk.sentences[span.last]!;
      const next = span.chunk.sentences[span.last + 1];
      if (!next || next.paragraph !== last.paragraph || !OPENS_WITH_REFERENCE.test(sentenceText(span.chunk, span.last + 1))) continue;
      const nextProbability = probabilityAt.get(`${span.chunk.documentId}:${next.start}`) ?? 0;
      if (nextProbability < following || next.end - span.chunk.sentences[span.first]!.start > MAX_QUOTE_CHARS) continue;
      span.last++;
      probability += nextProbability;
    }
  }
  for (const span of spans) {
    const opening = span.chunk.sentences[span.first]!;
    const previous = span.chunk.sentences[span.first - 1];
    if (previous && previous.paragraph === opening.paragraph && OPENS_WITH_REFERENCE.test(sentenceText(span.chunk, span.first)) && span.chunk.sentences[span.last]!.end - previous.start <= MAX_QUOTE_CHARS) {
      span.first--;
    }
  }
  return { quotes: spans.map((span, i) => quoteSentences(span.chunk, span.first, span.last, i + 1, documents)), probability };
}

/** Passages and documents by id: what quoting needs beyond the candidates (a KnowledgeBase is one). */
export interface PassageLookup {
  documents: ReadonlyMap<string, Document>;
  chunks: { get(id: string): Chunk | undefined };
}

/** Headings in a row (a chapter's title, then its first section's) skipped to reach a section's text. */
const MAX_HEADINGS_SKIPPED = 3;

/**
 * The first passage of text under a heading: the next paragraph of its document that is
 * not itself a heading, when it is still in that heading's section. Paragraph n's passage
 * is `<document>#p<n>`, or `#p<n>.1` when it was split.
 */
export function sectionOpening(heading: Chunk, passages: PassageLookup): Chunk | null {
  const headingPath = heading.section ?? '';
  for (let paragraph = heading.paragraph + 1; paragraph <= heading.paragraph + MAX_HEADINGS_SKIPPED + 1; paragraph++) {
    const id = `${heading.documentId}#p${paragraph}`;
    const chunk = passages.chunks.get(id) ?? passages.chunks.get(`${id}.1`);
    if (!chunk) return null;
    // Under another heading of the same or a higher level: the section had no text of its own.
    if (headingPath !== '' && chunk.section !== null && chunk.section !== headingPath && !chunk.section.startsWith(headingPath + SECTION_SEPARATOR)) return null;
    if (chunk.kind !== 'header' && chunk.sentences.length > 0) return chunk;
  }
  return null;
}

function sentenceText(chunk: Chunk, index: number): string {
  const sentence = chunk.sentences[index]!;
  return chunk.text.slice(sentence.start - chunk.start, sentence.end - chunk.start);
}

/** True when the candidate's sentence is in the span's passage text and next to (or in) the span. */
function sameRun(span: { chunk: Chunk; first: number; last: number }, candidate: Pick<CandidateSentence, 'sentence'>): boolean {
  const index = indexIn(span.chunk, candidate);
  return index !== -1 && index >= span.first - 1 && index <= span.last + 1;
}

/** The candidate's sentence index within `chunk` (it may come from an overlapping split part), or −1. */
function indexIn(chunk: Chunk, candidate: Pick<CandidateSentence, 'sentence'>): number {
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
    item: chunk.kind === 'list' && document ? listItemAt(document.text, start) : null,
    start,
    end,
    page: document ? pageAt(document, start) : chunk.page,
    pageCount: document?.pageStarts?.length ?? null,
    section: chunk.section,
    attribution: joinAttributions(sentences),
  };
}

/**
 * The "related" quotes offered when the answer abstains: the passages that hold most of
 * the ranker's probability (summed over their sentences), each quoted as the three
 * sentences running that hold most of it — a sentence with the one either side. Passages
 * with a sentence `first` accepts come before the rest ("what about X?" refused for not
 * mentioning X shows the passages that do), and their three sentences are around such a
 * sentence. Held out, the answer to a refused answerable question is in the first three
 * such quotes for 59.4% of them, against 56.5% when passages went by their best sentence
 * and were quoted around it (`npm run train`'s related table; summing the probabilities'
 * square roots instead, so that many weak sentences count for more, gave 56.9%). Passing over a quote that
 * shares text with one already shown (split passages overlap by a sentence) was measured
 * with an earlier model and not kept: the same 59.9% at three quotes, 68.3 -> 68.0% at
 * five. Nor was letting one passage give two quotes when its good sentences lie apart
 * (windows sharing no sentence): the same 59.0% at three, 67.9 -> 68.2% at five.
 *
 * The candidates are read best first, by `ranking` (as `selectQuotes` reads them).
 */
export function selectRelated(
  candidates: readonly CandidateSentence[],
  ranking: RankingView,
  documents: ReadonlyMap<string, Document>,
  limit: number,
  first: (candidate: CandidateSentence) => boolean = () => false,
): Quote[] {
  interface Passage {
    chunk: Chunk;
    mass: number;
    /** Where its best sentence stands in the ranking. */
    order: number;
    preferred: boolean;
    /** Probability by sentence index, and the sentences a window may centre on. */
    bySentence: Map<number, number>;
    centres: Set<number>;
  }
  const passages = new Map<string, Passage>();
  ranking.order.forEach((at, order) => {
    const candidate = candidates[at]!;
    const { chunk } = candidate.hit;
    let passage = passages.get(chunk.id);
    if (!passage) {
      passage = { chunk, mass: 0, order, preferred: false, bySentence: new Map(), centres: new Set() };
      passages.set(chunk.id, passage);
    }
    const probability = ranking.probabilities[at] ?? 0;
    passage.mass += probability;
    passage.bySentence.set(candidate.index, (passage.bySentence.get(candidate.index) ?? 0) + probability);
    const preferred = first(candidate);
    if (preferred && !passage.preferred) {
      passage.preferred = true;
      passage.centres.clear();
    }
    if (preferred || !passage.preferred) passage.centres.add(candidate.index);
  });
  const chosen = [...passages.values()].sort((a, b) => Number(b.preferred) - Number(a.preferred) || b.mass - a.mass || a.order - b.order).slice(0, limit);
  return chosen.map((passage, i) => {
    let centre = -1;
    let best = -1;
    for (const index of passage.centres) {
      const held = (passage.bySentence.get(index - 1) ?? 0) + passage.bySentence.get(index)! + (passage.bySentence.get(index + 1) ?? 0);
      if (held > best) {
        best = held;
        centre = index;
      }
    }
    const last = passage.chunk.sentences.length - 1;
    return quoteSentences(passage.chunk, Math.max(0, centre - 1), Math.min(last, centre + 1), i + 1, documents);
  });
}
