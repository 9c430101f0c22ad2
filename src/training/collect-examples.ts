import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { collectCandidates, createKnowledgeBase, type CandidateSet, type KnowledgeBase } from '../answering/answer-question.js';
import { computeSentenceFeatures, SENTENCE_FEATURES } from '../answering/sentence-features.js';
import { ANSWER_FEATURES } from '../answering/answer-features.js';
import { ANSWER_MODEL_FORMAT, type AnswerModel, type LinearModel } from '../answering/answer-model.js';
import { cleanQuestion } from '../answering/clean-question.js';
import type { QuotedPlace, Turn } from '../conversation/conversation-store.js';
import { FOLLOW_UP_FEATURES } from '../conversation/follow-up-features.js';
import { pageAt } from '../chunking/locate.js';
import type { Document, Span } from '../domain.js';
import { quoteHoldsAnswer } from '../evaluation/answer-match.js';
import type { Lexicon } from '../lexicon/lexicon.js';
import type { WordAssociations } from '../lexicon/word-associations.js';
import { buildIndex } from '../store/build-index.js';
import type { IndexEmbedder } from '../store/dense-index.js';
import type { LabelledDocument, LabelledQuestion } from './labelled-data.js';

/** A question's candidates under one reading (with or without the conversation as context). */
export interface CandidateReading {
  set: CandidateSet;
  /** Per candidate: does this sentence hold the gold answer? */
  positives: boolean[];
}

/** One labelled question run through the real retrieval and feature code. */
export interface QuestionExample {
  group: string;
  /** `single`: the document alone in its corpus; `mixed`: every labelled document in one corpus. */
  setting: 'single' | 'mixed';
  question: LabelledQuestion;
  /** Answerable (or a follow-up, whose last turn is answerable). */
  answerable: boolean;
  /** The labelled reading: the conversation is context exactly when the last turn is labelled a follow-up. */
  set: CandidateSet;
  positives: boolean[];
  /** The last turn is labelled as following up on the turn before (false for a first turn and for a new topic). */
  followUp: boolean;
  /** For a turn asked after others: the other reading, for when the follow-up model decides otherwise. */
  otherReading: CandidateReading | null;
  knowledge: KnowledgeBase;
}

export interface CollectOptions {
  /** Retrieval settings and a model whose weights are not used (only `retrieval`). */
  model: AnswerModel;
  lexicon: Lexicon | null;
  /** Association sources the questions are read with, whichever signals are in use (default: those the model needs). */
  associations?: readonly WordAssociations[];
  embedder: IndexEmbedder | null;
  retrievalK: number;
}

/** A model with the retrieval settings and signals and no fitted weights: what example collection needs. */
export function provisionalModel(retrieval: AnswerModel['retrieval'], signals: readonly string[]): AnswerModel {
  const zero = (features: readonly string[]): LinearModel => ({
    features: [...features],
    mean: features.map(() => 0),
    scale: features.map(() => 1),
    weights: features.map(() => 0),
  });
  return {
    formatVersion: ANSWER_MODEL_FORMAT,
    // Collection forces every follow-up decision, so this model is never consulted.
    followUp: { model: zero(FOLLOW_UP_FEATURES), threshold: 0.5 },
    sentence: zero(SENTENCE_FEATURES),
    answer: zero(ANSWER_FEATURES),
    answerTrees: null,
    signals: [...signals],
    abstainThreshold: 0.5,
    extraSentenceProbability: 1,
    retrieval,
    trainedOn: null,
  };
}

/**
 * Builds a real index over `documents` in a temporary folder and runs every question of
 * `askedOf` through candidate collection, labelling each candidate sentence by whether it
 * holds the gold answer at the labelled place.
 */
export async function collectExamples(
  documents: readonly LabelledDocument[],
  askedOf: readonly LabelledDocument[],
  setting: QuestionExample['setting'],
  options: CollectOptions,
): Promise<QuestionExample[]> {
  const root = mkdtempSync(path.join(tmpdir(), 'verbatim-train-'));
  try {
    const corpusDir = path.join(root, 'corpus');
    mkdirSync(corpusDir);
    for (const document of documents) writeFileSync(path.join(corpusDir, document.fileName), document.bytes);
    const { index } = await buildIndex({ corpusDir, indexDir: path.join(root, 'index'), embedder: options.embedder });
    const knowledge = createKnowledgeBase(index, { model: options.model, lexicon: options.lexicon, associations: options.associations });
    const examples: QuestionExample[] = [];
    for (const document of askedOf) {
      const documentId = index.documents.find((d) => d.source.endsWith(`/${document.fileName}`))?.id;
      if (!documentId) throw new Error(`training: ${document.fileName} was not indexed`);
      const indexed = knowledge.documents.get(documentId)!;
      for (const question of document.questions) {
        const turns = question.turns && question.turns.length > 0 ? question.turns : [question.question];
        const followUps = turns.map((_, t) => t > 0 && (question.followUps?.[t] ?? question.kind === 'followup'));
        const history: Turn[] = [];
        const answerable = question.kind !== 'unanswerable';
        const places = answerable ? answerPlaces(indexed, question) : [];
        const read = (set: CandidateSet): CandidateReading => ({
          set,
          positives: set.candidates.map((candidate) =>
            answerable &&
            candidate.hit.chunk.documentId === documentId &&
            quoteHoldsAnswer(candidate.text, question.answers) &&
            (places === null || places.some((span) => span.start < candidate.sentence.end && span.end > candidate.sentence.start)),
          ),
        });
        let labelled: CandidateReading | null = null;
        let other: CandidateReading | null = null;
        for (const [t, turn] of turns.entries()) {
          const cleaned = cleanQuestion(turn);
          // Earlier turns are read as labelled; the last is collected both ways when it has a turn before it.
          const set = await collectCandidates(knowledge, cleaned, history, { ...options, followUp: followUps[t]! });
          if (t === turns.length - 1) {
            labelled = read(set);
            if (t > 0) other = read(await collectCandidates(knowledge, cleaned, history, { ...options, followUp: !followUps[t]! }));
          }
          // Earlier turns' answers are not labelled: take the best-retrieved passage as what was
          // quoted, and in it the sentence that holds most of the question word for word.
          history.push({ question: set.analysis.text, resolvedQuestion: set.resolvedQuestion, quoted: stoodInForQuote(set), at: 0 });
        }
        examples.push({ group: document.group, setting, question, answerable, set: labelled!.set, positives: labelled!.positives, followUp: followUps.at(-1)!, otherReading: other, knowledge });
      }
    }
    return examples;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Position of the sentence's BM25 in a feature vector (not text/bm25.ts's SENTENCE_BM25, the scoring parameters). */
const BM25_FEATURE = SENTENCE_FEATURES.indexOf('sentenceBm25');

/**
 * What an earlier turn is taken to have quoted: the sentence of the best-retrieved passage
 * with the highest BM25 against the question (no fitted model exists while examples are
 * collected; answering records the real quote, or the first related passage it showed when
 * it abstained).
 */
function stoodInForQuote(set: CandidateSet): QuotedPlace[] {
  const top = set.hits[0];
  if (!top) return [];
  let best = -1;
  set.candidates.forEach((candidate, i) => {
    if (candidate.hit === top && (best < 0 || set.features[i]![BM25_FEATURE]! > set.features[best]![BM25_FEATURE]!)) best = i;
  });
  if (best < 0) return [];
  const { sentence } = set.candidates[best]!;
  return [{ chunkId: top.chunk.id, documentId: top.chunk.documentId, start: sentence.start, end: sentence.end }];
}

/**
 * Where the labelled answer stands: SQuAD's answer spans, or every place the evidence
 * span occurs (on the labelled page, for a paged document); null when neither is known
 * (then any sentence holding the answer counts, on the labelled page if there is one).
 */
function answerPlaces(document: Document, question: LabelledQuestion): Span[] | null {
  if (question.answerSpans && question.answerSpans.length > 0) return question.answerSpans;
  const onPage = (start: number): boolean => question.page === undefined || document.pageStarts === null || pageAt(document, start) === question.page;
  const evidence = question.evidence?.trim();
  if (!evidence) {
    if (question.page === undefined || document.pageStarts === null) return null;
    const first = document.pageStarts[question.page - 1] ?? document.text.length;
    return [{ start: first, end: document.pageStarts[question.page] ?? document.text.length }];
  }
  const spans: Span[] = [];
  for (let at = document.text.indexOf(evidence); at !== -1; at = document.text.indexOf(evidence, at + 1)) {
    if (onPage(at)) spans.push({ start: at, end: at + evidence.length });
  }
  return spans.length > 0 ? spans : null;
}

/**
 * The same examples with their features worked out again using other optional signals
 * (retrieval does not depend on them), to measure what a signal adds without collecting again.
 */
export function withSignals(examples: readonly QuestionExample[], signals: readonly string[]): QuestionExample[] {
  const using = new Set(signals);
  // The answer features read the signals from the knowledge base (the question's form), so it carries the new set too.
  const knowledgeWith = new Map<KnowledgeBase, KnowledgeBase>();
  return examples.map((e) => {
    const recompute = (set: CandidateSet): CandidateSet => ({ ...set, features: computeSentenceFeatures(set.candidates, { analysis: set.analysis, stems: e.knowledge.stems, documentTerms: e.knowledge.documentTerms, signals: using, lexicon: e.knowledge.lexicon }) });
    let knowledge = knowledgeWith.get(e.knowledge);
    if (!knowledge) {
      knowledge = { ...e.knowledge, signals: using };
      knowledgeWith.set(e.knowledge, knowledge);
    }
    return { ...e, knowledge, set: recompute(e.set), otherReading: e.otherReading ? { ...e.otherReading, set: recompute(e.otherReading.set) } : null };
  });
}
