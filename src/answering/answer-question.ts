import type { Answer, Chunk, Document, Hit } from '../domain.js';
import type { Turn } from '../conversation/conversation-store.js';
import { contextualize } from '../conversation/contextualize.js';
import { embedQuery, retrieveHits } from '../retrieval/retrieve-hits.js';
import type { IndexEmbedder } from '../store/dense-index.js';
import type { CorpusIndex } from '../store/index-files.js';
import { isStopWord, stemTerm, tokenize } from '../text/terms.js';
import { validateQuestion } from './clean-question.js';
import { asksForTitle, detectQuestionForm, findDefinitionSubject, isRequestNotQuestion } from './question-form.js';
import { estimateConfidence, type QuestionAnalysis, quoteSentences, scoreSentences, selectQuotes, selectRelated } from './select-quotes.js';
import { TermStatistics } from './term-statistics.js';

/** Passages whose sentences are considered for an answer. */
const CANDIDATE_PASSAGES = 10;
/** Passages offered as "related" when the answer abstains. */
const RELATED_PASSAGES = 3;
// Dense similarity that says "on topic" (floor) and "clearly this passage" (ceiling);
// in between it can lift a paraphrase whose words differ from the text's.
const DENSE_SIMILARITY_FLOOR = 0.35;
const DENSE_SIMILARITY_CEILING = 0.75;
/**
 * Confidence is multiplied by this for each name in the question the corpus never
 * mentions ("What did Russia say…"): a question about someone the documents don't name
 * is almost never answered by them, however well its other words match.
 */
const UNKNOWN_NAME_FACTOR = 0.5;

/** An index with what answering derives from it once (term rarity, documents by id). */
export interface KnowledgeBase {
  index: CorpusIndex;
  statistics: TermStatistics;
  documents: ReadonlyMap<string, Document>;
  chunks: ReadonlyMap<string, Chunk>;
}

export function createKnowledgeBase(index: CorpusIndex): KnowledgeBase {
  return {
    index,
    statistics: new TermStatistics(index.lexical),
    documents: new Map(index.documents.map((document) => [document.id, document])),
    chunks: new Map(index.chunks.map((chunk) => [chunk.id, chunk])),
  };
}

export interface AnswerOptions {
  retrievalK: number;
  abstainThreshold: number;
  maxQuestionChars: number;
  embedder: IndexEmbedder | null;
}

/**
 * Answers one question with verbatim quotes from the corpus, or abstains: the question
 * is cleaned, resolved against the conversation, retrieved (hybrid), its candidate
 * sentences scored, and the confidence compared with the threshold.
 * Throws UserError for an empty or over-long question.
 */
export async function answerQuestion(
  knowledge: KnowledgeBase,
  rawQuestion: string,
  history: readonly Turn[],
  options: AnswerOptions,
): Promise<Answer> {
  const question = validateQuestion(rawQuestion, options.maxQuestionChars);

  const abstain = (reason: Answer['reason'], resolvedQuestion = question, confidence = 0, related: Answer['related'] = [], retrievedChunkIds: string[] = []): Answer => ({
    question: rawQuestion,
    resolvedQuestion,
    abstained: true,
    confidence,
    quotes: [],
    related,
    retrievedChunkIds,
    reason,
  });
  if (isRequestNotQuestion(question)) return abstain('not-a-question');

  const { statistics, index, documents } = knowledge;
  const context = contextualize(question, history);
  const analysis: QuestionAnalysis = {
    terms: mergeTerms(context.terms.map(({ term, weight }) => ({ term: statistics.correct(term), weight }))),
    form: detectQuestionForm(question),
    previousChunkIds: context.previousChunkIds,
    definitionSubject: findDefinitionSubject(question),
  };
  if (asksForTitle(question)) {
    const titled = quoteTitles(knowledge, analysis.terms.length > 0 ? await retrieveHits(index, question, { k: options.retrievalK, limit: 1 }) : []);
    if (titled.length > 0) {
      return { question: rawQuestion, resolvedQuestion: context.resolvedQuestion, abstained: false, confidence: 1, quotes: titled, related: [], retrievedChunkIds: [], reason: null };
    }
  }
  if (analysis.terms.length === 0) return abstain('not-in-sources', context.resolvedQuestion);

  const queryVector = await embedQuery(index, options.embedder, context.resolvedQuestion);
  const searchText = `${context.resolvedQuestion} ${analysis.terms.map((t) => t.term).join(' ')}`;
  const hits = await retrieveHits(index, searchText, { k: options.retrievalK, limit: CANDIDATE_PASSAGES, queryVector });
  const scored = scoreSentences(hits, analysis, statistics);
  const best = scored[0];
  const retrievedChunkIds = hits.map((hit) => hit.chunk.id);
  const lexicalConfidence = estimateConfidence(best, analysis, statistics);
  const unknownNames = findUnknownNames(question, statistics);
  const confidence = round(blendDenseConfidence(lexicalConfidence, best?.hit) * UNKNOWN_NAME_FACTOR ** unknownNames.length);

  if (!best || confidence < options.abstainThreshold) {
    return abstain('not-in-sources', context.resolvedQuestion, confidence, selectRelated(scored, documents, RELATED_PASSAGES), retrievedChunkIds);
  }
  return {
    question: rawQuestion,
    resolvedQuestion: context.resolvedQuestion,
    abstained: false,
    confidence,
    quotes: selectQuotes(scored, analysis, statistics, documents),
    related: [],
    retrievedChunkIds,
    reason: null,
  };
}

/**
 * The headline of the document the question is about (the best hit's), or of the only
 * document: the first header line, when it is the document's title.
 */
function quoteTitles(knowledge: KnowledgeBase, hits: readonly Hit[]): Answer['quotes'] {
  const { index, documents } = knowledge;
  const documentId = hits[0]?.chunk.documentId ?? (index.documents.length === 1 ? index.documents[0]!.id : null);
  const document = documentId ? documents.get(documentId) : undefined;
  const chunk = index.chunks.find((c) => c.documentId === documentId && c.kind === 'header' && c.text === document?.title);
  if (!chunk || !document) return [];
  return [quoteSentences(chunk, 0, chunk.sentences.length - 1, 1, documents)];
}

/**
 * Capitalised words after the first (names, places, organisations) that the corpus does not
 * contain even after typo correction.
 */
export function findUnknownNames(question: string, statistics: TermStatistics): string[] {
  const words = question.split(/\s+/).slice(1);
  return words.flatMap((word) => {
    if (!/^["“(]?\p{Lu}/u.test(word)) return [];
    return tokenize(word).filter((token) => !isStopWord(token) && !statistics.has(statistics.correct(stemTerm(token))));
  });
}

/** Dense similarity can only lift a lexical confidence (paraphrases), never lower it. */
function blendDenseConfidence(lexical: number, hit: Hit | undefined): number {
  if (!hit || hit.denseScore === null) return lexical;
  const dense = Math.max(0, Math.min(1, (hit.denseScore - DENSE_SIMILARITY_FLOOR) / (DENSE_SIMILARITY_CEILING - DENSE_SIMILARITY_FLOOR)));
  return Math.max(lexical, 0.5 * lexical + 0.5 * dense);
}

function mergeTerms(terms: { term: string; weight: number }[]): { term: string; weight: number }[] {
  const merged = new Map<string, number>();
  for (const { term, weight } of terms) merged.set(term, Math.max(weight, merged.get(term) ?? 0));
  return [...merged].map(([term, weight]) => ({ term, weight }));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
