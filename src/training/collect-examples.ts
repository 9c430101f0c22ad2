import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { collectCandidates, createKnowledgeBase, type CandidateSet, type KnowledgeBase } from '../answering/answer-question.js';
import type { AnswerModel } from '../answering/answer-model.js';
import { cleanQuestion } from '../answering/clean-question.js';
import type { Turn } from '../conversation/conversation-store.js';
import type { Span } from '../domain.js';
import { quoteHoldsAnswer } from '../evaluation/answer-match.js';
import type { Lexicon } from '../lexicon/lexicon.js';
import { buildIndex } from '../store/build-index.js';
import type { IndexEmbedder } from '../store/dense-index.js';
import type { LabelledDocument, LabelledQuestion } from './labelled-data.js';

/** One labelled question run through the real retrieval and feature code. */
export interface QuestionExample {
  group: string;
  /** `single`: the document alone in its corpus; `mixed`: every labelled document in one corpus. */
  setting: 'single' | 'mixed';
  question: LabelledQuestion;
  /** Answerable (or a follow-up, whose last turn is answerable). */
  answerable: boolean;
  set: CandidateSet;
  /** Per candidate: does this sentence hold the gold answer? */
  positives: boolean[];
  knowledge: KnowledgeBase;
}

export interface CollectOptions {
  /** Retrieval settings and a model whose weights are not used (only `retrieval`). */
  model: AnswerModel;
  lexicon: Lexicon | null;
  embedder: IndexEmbedder | null;
  retrievalK: number;
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
    for (const document of documents) writeFileSync(path.join(corpusDir, document.fileName), document.text);
    const { index } = await buildIndex({ corpusDir, indexDir: path.join(root, 'index'), embedder: options.embedder });
    const knowledge = createKnowledgeBase(index, { model: options.model, lexicon: options.lexicon });
    const examples: QuestionExample[] = [];
    for (const document of askedOf) {
      const documentId = index.documents.find((d) => d.source.endsWith(`/${document.fileName}`))?.id;
      if (!documentId) throw new Error(`training: ${document.fileName} was not indexed`);
      const text = knowledge.documents.get(documentId)!.text;
      for (const question of document.questions) {
        const turns = question.turns && question.turns.length > 0 ? question.turns : [question.question];
        const history: Turn[] = [];
        let set: CandidateSet | null = null;
        for (const turn of turns) {
          const cleaned = cleanQuestion(turn);
          set = await collectCandidates(knowledge, cleaned, history, options);
          // Earlier turns' answers are not labelled: take the best-retrieved passage as what was quoted.
          history.push({ question: cleaned, resolvedQuestion: set.resolvedQuestion, quotedChunkIds: set.hits.slice(0, 1).map((hit) => hit.chunk.id), at: 0 });
        }
        const answerable = question.kind !== 'unanswerable';
        const places = answerable ? answerPlaces(text, question) : [];
        const positives = set!.candidates.map((candidate) =>
          answerable &&
          candidate.hit.chunk.documentId === documentId &&
          quoteHoldsAnswer(candidate.text, question.answers) &&
          (places === null || places.some((span) => span.start < candidate.sentence.end && span.end > candidate.sentence.start)),
        );
        examples.push({ group: document.group, setting, question, answerable, set: set!, positives, knowledge });
      }
    }
    return examples;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Where the labelled answer stands: SQuAD's answer spans, or every place the evidence
 * span occurs; null when neither is known (then any sentence holding the answer counts).
 */
function answerPlaces(text: string, question: LabelledQuestion): Span[] | null {
  if (question.answerSpans && question.answerSpans.length > 0) return question.answerSpans;
  const evidence = question.evidence?.trim();
  if (!evidence) return null;
  const spans: Span[] = [];
  for (let at = text.indexOf(evidence); at !== -1; at = text.indexOf(evidence, at + 1)) spans.push({ start: at, end: at + evidence.length });
  return spans.length > 0 ? spans : null;
}
