import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readerLimits } from '../corpus/load-corpus.js';
import { readDocument } from '../corpus/readers/read-document.js';
import { isSkipped } from '../corpus/readers/reader-types.js';
import type { Span } from '../domain.js';
import { type EvalQuestion, readEvalQuestionsSync } from './evaluate-questions.js';

/**
 * Documents with labelled questions about them: SQuAD 2.0 articles (laid out the way the
 * SQuAD README says they are judged) and texts with a question file beside them.
 * Shared by `npm run eval -- --squad` and by training.
 */

/** A labelled question; `answerSpans` (SQuAD) say exactly where in the document the gold answers are. */
export interface LabelledQuestion extends EvalQuestion {
  answerSpans?: Span[];
  /** SQuAD 2.0's "plausible answers" of an unanswerable question (the distractor). */
  plausibleAnswers?: string[];
}

/** One document and the questions asked about it. */
export interface LabelledDocument {
  /** Group name for holding out, e.g. `squad:Normans`, `article`, `enc-bunyan`. */
  group: string;
  /** File name inside a corpus folder; its extension selects the reader, as in a corpus. */
  fileName: string;
  /** The file as it goes into a corpus (a PDF's bytes, a Markdown file's…). */
  bytes: Buffer;
  /** Its text as the reader extracts it (what the questions' evidence is found in). */
  text: string;
  questions: LabelledQuestion[];
}

interface SquadFile {
  data: {
    title: string;
    paragraphs: {
      context: string;
      qas: {
        id: string;
        question: string;
        is_impossible?: boolean;
        answers: { text: string; answer_start: number }[];
        plausible_answers?: { text: string; answer_start: number }[];
      }[];
    }[];
  }[];
}

/**
 * SQuAD 2.0 articles as documents laid out the way they are judged: the title, a blank
 * line, then the paragraphs separated by blank lines; answer offsets moved to match.
 */
export function readSquadDocuments(file: string): LabelledDocument[] {
  const squad = JSON.parse(readFileSync(file, 'utf8')) as SquadFile;
  return squad.data.map((article) => {
    const title = article.title.replace(/_/g, ' ');
    let text = title;
    const questions: LabelledQuestion[] = [];
    for (const paragraph of article.paragraphs) {
      text += '\n\n';
      const offset = text.length;
      text += paragraph.context;
      for (const qa of paragraph.qas) {
        const impossible = qa.is_impossible === true || qa.answers.length === 0;
        questions.push({
          id: qa.id,
          kind: impossible ? 'unanswerable' : 'answerable',
          question: qa.question.trim(),
          answers: impossible ? [] : unique(qa.answers.map((answer) => answer.text)),
          evidence: '',
          answerSpans: impossible ? [] : qa.answers.map((answer) => ({ start: offset + answer.answer_start, end: offset + answer.answer_start + answer.text.length })),
          plausibleAnswers: unique((qa.plausible_answers ?? []).map((answer) => answer.text)),
        });
      }
    }
    return { group: `squad:${article.title}`, fileName: `${slugify(article.title)}.txt`, bytes: Buffer.from(`${text}\n`), text: `${text}\n`, questions };
  });
}

/**
 * A document in any format Verbatim reads (`NAME.md`, `NAME.pdf`, `NAME.html`…) with its
 * question files beside it: read through the same readers as a corpus, so a labelled PDF
 * is judged on the text the bot quotes from. Question files that do not exist are skipped
 * (a chains file is optional); a document no reader can read is an error naming why.
 */
export async function readLabelledDocument(documentFile: string, questionFiles: readonly string[], group: string): Promise<LabelledDocument> {
  const bytes = readFileSync(documentFile);
  const fileName = path.basename(documentFile);
  const extracted = await readDocument({ bytes, fileName, limits: readerLimits() });
  if (isSkipped(extracted)) throw new Error(`labelled data: ${documentFile} cannot be read: ${extracted.skip}`);
  return {
    group,
    fileName,
    bytes,
    text: extracted.text,
    questions: questionFiles.filter((file) => existsSync(file)).flatMap((file) => readEvalQuestionsSync(file)),
  };
}

function slugify(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
