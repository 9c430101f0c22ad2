import type { Turn } from '../conversation/conversation-store.js';
import { contextualize } from '../conversation/contextualize.js';
import { namedTopic } from '../conversation/restate-follow-up.js';
import { isFollowUpQuestion } from './follow-up-decision.js';
import type { Answer, Chunk, Document, Hit } from '../domain.js';
import { getGlossAssociations } from '../lexicon/gloss-associations.js';
import { getLexicon, type Lexicon } from '../lexicon/lexicon.js';
import type { WordAssociations } from '../lexicon/word-associations.js';
import { embedQuery, retrieveHits } from '../retrieval/retrieve-hits.js';
import type { IndexEmbedder } from '../store/dense-index.js';
import type { CorpusIndex } from '../store/index-files.js';
import { PassageDirectory } from '../store/passage-directory.js';
import type { WeightedTerm } from '../text/terms.js';
import { analyzeQuestion, type QuestionAnalysis } from './analyze-question.js';
import { computeAnswerFeatures } from './answer-features.js';
import { type AnswerModel, estimateAnswerProbability, loadAnswerModel, scoreLinear, softmax } from './answer-model.js';
import { validateQuestion } from './clean-question.js';
import { asksForDocumentTitle, asksForTitle, isRequestNotQuestion } from './question-form.js';
import { quoteSentences, selectQuotes, selectRelated } from './select-quotes.js';
import { type CandidateSentence, computeSentenceFeatures, findChangedDetail, SENTENCE_FEATURES } from './sentence-features.js';
import { DocumentTerms } from './document-terms.js';
import { StemCache } from './stem-cache.js';
import { TermStatistics } from './term-statistics.js';
import { mentionsTypedWords } from './typed-words.js';

/** Passages offered as "related" when the answer abstains. */
export const RELATED_PASSAGES = 3;
/**
 * WordNet alternatives of one question word searched in BM25, closest senses first.
 * The long tail of a common word's senses cost time and never retrieved an answer the
 * first eight missed: `npm run train`'s "answer retrieved" (held out, one document per corpus)
 * was 95.2% searching all and 95.5% searching eight.
 */
const MAX_ALTERNATIVES_SEARCHED = 8;

/** An index with what answering derives from it once (term rarity, documents by id, word meaning). */
export interface KnowledgeBase {
  index: CorpusIndex;
  statistics: TermStatistics;
  documents: ReadonlyMap<string, Document>;
  /** Passages by id, by what a person types, and their neighbours. */
  chunks: PassageDirectory;
  /**
   * Builds `chunks` until `deadline` (a `performance.now()` time); true while work is left.
   * `chunks` finishes the build at once when it is wanted first.
   */
  buildDirectoryUntil(deadline: number): boolean;
  /** WordNet word meaning, or null to match words only as written. */
  lexicon: Lexicon | null;
  /** Looser sources of associated words (WordNet glosses, a thesaurus): only those the model's signals or retrieval use. */
  associations: readonly WordAssociations[];
  model: AnswerModel;
  /** The optional signals the model was fitted with. */
  signals: ReadonlySet<string>;
  /** Stems of the sentences and passages answering has looked at. */
  stems: StemCache;
  /** Which stems each document holds, from the BM25 postings. */
  documentTerms: DocumentTerms;
}

export interface KnowledgeBaseOptions {
  /** The fitted model (default: src/answering/answer-model.json). */
  model?: AnswerModel;
  /** Null turns WordNet off (for measuring what it adds); default: on. */
  lexicon?: Lexicon | null;
  /**
   * Association sources to read questions with (training passes every one it measures);
   * default: WordNet's glosses when the model uses them. A model using the thesaurus
   * needs it given here.
   */
  associations?: readonly WordAssociations[];
}

export function createKnowledgeBase(index: CorpusIndex, options: KnowledgeBaseOptions = {}): KnowledgeBase {
  const model = options.model ?? loadAnswerModel();
  const documents = new Map(index.documents.map((document) => [document.id, document]));
  const lexicon = options.lexicon === undefined ? getLexicon({ maxSenses: model.retrieval.maxSenses }) : options.lexicon;
  // Built after the index opens, not before: it needs every passage decoded, which at
  // 100,000 passages kept open from answering for about 0.4 s more. The engine decodes and
  // builds it in slices right after it opens or swaps in an index (see `prepareDirectory`);
  // the first use finishes whatever is left.
  const directory = PassageDirectory.builder(() => index.chunks, index.documents);
  return {
    index,
    statistics: new TermStatistics(index.lexical),
    documents,
    get chunks() {
      return directory.get();
    },
    buildDirectoryUntil: (deadline) => directory.buildUntil(deadline),
    lexicon,
    associations: options.associations ?? defaultAssociations(model, lexicon),
    model,
    signals: new Set(model.signals),
    stems: new StemCache(documents),
    documentTerms: DocumentTerms.of(index),
  };
}

/** The association sources a model needs by default: WordNet's glosses when it uses them (and WordNet is on). */
function defaultAssociations(model: AnswerModel, lexicon: Lexicon | null): WordAssociations[] {
  const used = new Set([...model.signals, ...(model.retrieval.associationExpansion?.sources ?? [])]);
  if (used.has('thesaurus')) throw new Error('answering: the answer model uses the thesaurus, which must be given to createKnowledgeBase (associations)');
  return used.has('gloss') && lexicon ? [getGlossAssociations(model.retrieval.maxSenses)] : [];
}

export interface AnswerOptions {
  retrievalK: number;
  /** Confidence under which to abstain; null uses the fitted model's. */
  abstainThreshold: number | null;
  maxQuestionChars: number;
  embedder: IndexEmbedder | null;
}

/** A question's candidate sentences with their features: what the model scores. */
export interface CandidateSet {
  analysis: QuestionAnalysis;
  resolvedQuestion: string;
  hits: Hit[];
  candidates: CandidateSentence[];
  features: number[][];
}

/** Retrieval settings, and whether the question follows up (default: the fitted follow-up model decides; training sets it to collect both readings). */
type FollowUpOption = Pick<AnswerOptions, 'retrievalK' | 'embedder'> & { followUp?: boolean };

/** What retrieval found for a question, before its sentences are scored. */
export type QuestionRetrieval = Pick<CandidateSet, 'analysis' | 'resolvedQuestion' | 'hits'>;

/**
 * The passages answering considers for a question, best first: its own words, plus
 * WordNet alternatives at a lower weight, plus dense vectors when a model is loaded,
 * fused. Exported so that `/search` shows exactly what `/ask` retrieves.
 */
export async function retrieveForQuestion(
  knowledge: KnowledgeBase,
  question: string,
  history: readonly Turn[],
  options: FollowUpOption,
): Promise<QuestionRetrieval> {
  const { statistics, index, model, lexicon } = knowledge;
  const followsUp = history.length > 0 && (options.followUp ?? isFollowUpQuestion(model.followUp, question));
  const context = contextualize(question, history, followsUp, lexicon ? (token) => lexicon.isName(token) : undefined);
  // The embedding is asked for first, but it does not run alongside the analysis:
  // onnxruntime-node 1.14 (transformers.js 2's) runs the model on this thread, in a
  // process.nextTick callback, so the work happens at the `await` below. With the bench's
  // tiny model that is 0.1 ms a question; a real model blocks the event loop for its whole
  // inference. (The catch only keeps a failure from being reported as unhandled before it
  // is awaited, and thrown, below.)
  const embedding = embedQuery(index, options.embedder, context.resolvedQuestion);
  embedding.catch(() => {});
  const analysis = analyzeQuestion(context.question, context, statistics, knowledge.lexicon, knowledge.associations);
  analysis.adjacentChunkIds = adjacentPassages(knowledge, context.previousChunkIds);
  const queryVector = await embedding;
  const { candidatePassages, documentPassages = 0 } = model.retrieval;
  const wide = documentPassages > 0 && index.documents.length > 1;
  const depth = wide ? DOCUMENT_POOL_DEPTH * candidatePassages : candidatePassages;
  const pool = analysis.terms.length === 0 && !queryVector
    ? []
    : await retrieveHits(index, buildLexicalQuery(analysis, model.retrieval), {
        // Each retriever offers at least as many passages as the model considers.
        k: Math.max(options.retrievalK, depth),
        limit: depth,
        queryVector,
      });
  const hits = wide ? withDocumentPassages(pool, candidatePassages, documentPassages, analysis, knowledge.documentTerms) : pool;
  return { analysis, resolvedQuestion: context.resolvedQuestion, hits };
}

/** How deep, in candidate passages, the document holding most of the question is looked for. */
const DOCUMENT_POOL_DEPTH = 3;

/**
 * The best `limit` passages of `pool`, and then, when fewer than `fewest` of them come from
 * the document that holds most of the question's own words (rarity-weighted, among the
 * pool's documents; ties go to the better-ranked), that document's next passages from the
 * pool until it has `fewest`: in a corpus of several documents, other documents' passages
 * that share a common word can crowd out the one document the question is about.
 */
function withDocumentPassages(pool: readonly Hit[], limit: number, fewest: number, analysis: QuestionAnalysis, documentTerms: DocumentTerms): Hit[] {
  const best = pool.slice(0, limit);
  const own = analysis.terms.filter((term) => term.weight >= 1);
  let topDocument: string | null = null;
  let topCover = 0;
  for (const documentId of new Set(pool.map((hit) => hit.chunk.documentId))) {
    const holds = documentTerms.holderOf(documentId);
    const cover = own.reduce((total, term) => total + (holds(term.stem) ? term.idf : 0), 0);
    if (cover > topCover) {
      topCover = cover;
      topDocument = documentId;
    }
  }
  if (topDocument === null) return best;
  let count = best.filter((hit) => hit.chunk.documentId === topDocument).length;
  for (const hit of pool.slice(limit)) {
    if (count >= fewest) break;
    if (hit.chunk.documentId !== topDocument) continue;
    best.push(hit);
    count++;
  }
  return best;
}

/**
 * Retrieves passages for a question (`retrieveForQuestion`) and turns their sentences into
 * scored candidates. Shared by answering and by training, so both see the same features.
 */
export async function collectCandidates(
  knowledge: KnowledgeBase,
  question: string,
  history: readonly Turn[],
  options: FollowUpOption,
): Promise<CandidateSet> {
  const { analysis, resolvedQuestion, hits } = await retrieveForQuestion(knowledge, question, history, options);
  const candidates = listCandidates(hits);
  const features = computeSentenceFeatures(candidates, { analysis, stems: knowledge.stems, documentTerms: knowledge.documentTerms, signals: knowledge.signals, lexicon: knowledge.lexicon });
  return { analysis, resolvedQuestion: resolvedQuestion, hits, candidates, features };
}

/** The model's view of a candidate set: scores, probabilities, best first. */
export interface Ranking {
  scores: number[];
  probabilities: number[];
  /** Candidate indices, best first. */
  order: number[];
}

export function rankCandidates(model: AnswerModel, features: readonly number[][]): Ranking {
  const scores = features.map((vector) => scoreLinear(model.sentence, vector));
  const probabilities = scores.length > 0 ? softmax(scores) : [];
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  return { scores, probabilities, order };
}

/**
 * Answers one question with verbatim quotes from the corpus, or abstains: the question
 * is cleaned, resolved against the conversation, its candidate sentences ranked by the
 * fitted model, and the model's confidence that the quote answers compared with the
 * threshold. Throws UserError for an empty or over-long question.
 */
export async function answerQuestion(
  knowledge: KnowledgeBase,
  rawQuestion: string,
  history: readonly Turn[],
  options: AnswerOptions,
): Promise<Answer> {
  const question = validateQuestion(rawQuestion, options.maxQuestionChars);
  const answer = (fields: Partial<Answer> & Pick<Answer, 'abstained' | 'reason'>): Answer => ({
    question: rawQuestion,
    resolvedQuestion: question,
    confidence: 0,
    quotes: [],
    related: [],
    retrievedChunkIds: [],
    ...fields,
  });
  if (isRequestNotQuestion(question)) return answer({ abstained: true, reason: 'not-a-question' });

  const { model, documents } = knowledge;
  const set = await collectCandidates(knowledge, question, history, options);
  const retrievedChunkIds = set.hits.map((hit) => hit.chunk.id);
  const readAs = set.analysis.text === question ? {} : { readAs: set.analysis.text };
  if (asksForDocumentTitle(question)) {
    const titled = quoteTitle(knowledge, set.hits);
    if (titled.length > 0) return answer({ abstained: false, reason: null, confidence: 1, quotes: titled, resolvedQuestion: set.resolvedQuestion, ...readAs, retrievedChunkIds });
  }
  if (set.candidates.length === 0) return answer({ abstained: true, reason: 'not-in-sources', resolvedQuestion: set.resolvedQuestion, ...readAs });

  const ranking = rankCandidates(model, set.features);
  const selection = selectQuotes(set.candidates, ranking, model.extraSentenceProbability, knowledge, { quoteHeadings: asksForTitle(question), followingSentenceProbability: model.followingSentenceProbability });
  // The threshold was chosen on the model's own probabilities, so the decision uses them; the
  // confidence shown is cut to three decimals, never rounded up past a threshold it is under
  // (0.2298 against 0.23 used to show, and answer, at 0.23).
  const probability = estimateConfidence(knowledge, set, ranking, selection.probability);
  const confidence = roundDown(probability);
  const threshold = options.abstainThreshold ?? model.abstainThreshold;
  // A follow-up read as the earlier question asked again is answered only by a quote about
  // what it names; so is a question that names its topic ("what about the heliophysics
  // division, who runs that?"). The first of those the quote does not mention, if any:
  const named = [readAs.readAs === undefined ? null : question, namedTopic(question)].filter((text) => text !== null);
  const missing = named.map((text) => mentionsTypedWords(set.analysis, text)).find((mentions) => !selection.quotes.some((quote) => mentions(quote.text)));
  if (probability < threshold || missing) {
    // Refused for not mentioning what was named, the related passages that do mention it come first.
    const related = selectRelated(set.candidates, ranking, documents, RELATED_PASSAGES, missing ? (candidate) => missing(candidate.text) : undefined);
    const reason = probability < threshold ? 'not-in-sources' : 'off-target';
    // The closest sentence says the question with one detail changed ("east" where it asked "west"): say which.
    const best = ranking.order[0]!;
    const changed = reason === 'not-in-sources' && set.features[best]![SENTENCE_FEATURES.indexOf('substitutedWord')] === 1 ? findChangedDetail(set.candidates[best]!, { analysis: set.analysis, stems: knowledge.stems, lexicon: knowledge.lexicon }) : null;
    return answer({ abstained: true, reason, confidence, related, resolvedQuestion: set.resolvedQuestion, ...readAs, ...(changed ? { changedDetail: changed } : {}), retrievedChunkIds });
  }
  return answer({ abstained: false, reason: null, confidence, quotes: selection.quotes, resolvedQuestion: set.resolvedQuestion, ...readAs, retrievedChunkIds });
}

/** P(the quote answers the question), from the fitted answer model. */
export function estimateConfidence(knowledge: KnowledgeBase, set: CandidateSet, ranking: Ranking, quoteProbability: number): number {
  const best = ranking.order[0];
  if (best === undefined) return 0;
  const features = computeAnswerFeatures(
    { best: set.features[best]!, scores: ranking.scores, probabilities: ranking.probabilities, quoteProbability },
    set.analysis,
    knowledge.statistics,
    knowledge.signals,
  );
  return estimateAnswerProbability(knowledge.model, features);
}

/**
 * The question's own words at full weight, their WordNet alternatives (is-a neighbours
 * aside) at `expansionWeight`, and, when `associationExpansion` names sources, those
 * sources' associations at its (lower) weight.
 */
export function buildLexicalQuery(analysis: QuestionAnalysis, retrieval: Pick<AnswerModel['retrieval'], 'expansionWeight' | 'associationExpansion' | 'hypernymsOfAbsentWords'>): WeightedTerm[] {
  const { expansionWeight, associationExpansion } = retrieval;
  const words: WeightedTerm[] = [];
  for (const term of analysis.terms) {
    words.push({ term: term.stem, weight: term.weight });
    if (associationExpansion && associationExpansion.weight > 0) {
      const sources: readonly string[] = associationExpansion.sources;
      for (const association of term.associations) {
        if (!sources.includes(association.source)) continue;
        for (const stem of association.stems) words.push({ term: stem, weight: term.weight * associationExpansion.weight });
      }
    }
    if (expansionWeight <= 0) continue;
    // Is-a neighbours are too loose to search by, except for a word the corpus never uses
    // ("spokesman" where it says "spokesperson"), whose own stem can find nothing.
    const searchHypernyms = retrieval.hypernymsOfAbsentWords === true && !term.inCorpus;
    let searched = 0;
    for (const alternative of term.alternatives) {
      if (alternative.kind === 'hypernym' && !searchHypernyms) continue;
      if (++searched > MAX_ALTERNATIVES_SEARCHED) break;
      const weight = alternative.kind === 'exact' ? term.weight : term.weight * expansionWeight;
      for (const stem of alternative.stems) words.push({ term: stem, weight });
    }
  }
  return words;
}

/**
 * Every sentence of the retrieved passages once (split passages repeat a sentence at
 * their seams; the better-ranked passage keeps it), with its passage's rank.
 */
export function listCandidates(hits: readonly Hit[]): CandidateSentence[] {
  const seen = new Set<string>();
  const candidates: CandidateSentence[] = [];
  hits.forEach((hit, rank) => {
    hit.chunk.sentences.forEach((sentence, index) => {
      const key = `${hit.chunk.documentId}:${sentence.start}`;
      if (seen.has(key)) return;
      seen.add(key);
      const text = hit.chunk.text.slice(sentence.start - hit.chunk.start, sentence.end - hit.chunk.start);
      candidates.push({ hit, index, sentence, text, passageRank: rank + 1 });
    });
  });
  return candidates;
}

/**
 * The headline of the document the question is about (the best hit's), or of the only
 * document: its first header line that is the title (a Markdown heading without its `#`).
 */
function quoteTitle(knowledge: KnowledgeBase, hits: readonly Hit[]): Answer['quotes'] {
  const { index, documents } = knowledge;
  const documentId = hits[0]?.chunk.documentId ?? (index.documents.length === 1 ? index.documents[0]!.id : null);
  const document = documentId ? documents.get(documentId) : undefined;
  // The document's own passages, not every passage of the corpus (decoding them all at 100,000 passages).
  const chunk = documentId ? knowledge.chunks.passagesOf(documentId).find((c) => c.kind === 'header' && c.text.replace(/^#+\s*/, '') === document?.title) : undefined;
  if (!chunk || !document) return [];
  return [quoteSentences(chunk, 0, chunk.sentences.length - 1, 1, documents)];
}

function roundDown(value: number): number {
  return Math.floor(value * 1000) / 1000;
}

/** The passages just before and after each of `chunkIds`, within their documents. */
function adjacentPassages(knowledge: KnowledgeBase, chunkIds: ReadonlySet<string>): Set<string> {
  const adjacent = new Set<string>();
  for (const id of chunkIds) {
    const { previousId, nextId } = knowledge.chunks.neighbours(id);
    if (previousId !== null) adjacent.add(previousId);
    if (nextId !== null) adjacent.add(nextId);
  }
  return adjacent;
}
