import { describe, expect, it } from 'vitest';
import { normalizeAnswerText } from '../../src/evaluation/evaluate-questions.js';
import { readAllLabelledDocuments } from '../../src/training/labelled-data.js';
import { PROJECT_ROOT } from '../helpers.js';

// The sets written by hand (everything but SQuAD, whose answers come with offsets).
const documents = (await readAllLabelledDocuments(PROJECT_ROOT)).filter((document) => !document.group.startsWith('squad:'));

/** The sentence around text[start, end): out to the nearest . ? ! before whitespace, or a blank line. */
function sentenceAround(text: string, start: number, end: number): string {
  const boundary = /[.?!](?=\s)|\n[ \t]*\n/g;
  let from = 0;
  for (const match of text.slice(0, start).matchAll(boundary)) from = match.index + match[0].length;
  boundary.lastIndex = end;
  const after = boundary.exec(text);
  return text.slice(from, after ? after.index + 1 : text.length);
}

function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) found.push(at);
  return found;
}

describe('the labelled question sets', () => {
  it('cover the hand-written documents, each with questions', () => {
    const groups = documents.map((document) => document.group);
    expect(groups).toContain('article');
    expect(groups).toContain('book-debian-reference');
    for (const document of documents) expect(document.questions.length, document.group).toBeGreaterThan(0);
  });

  it('give every question an id no other question has', () => {
    const ids = documents.flatMap((document) => document.questions.map((question) => question.id));
    const repeated = ids.filter((id, n) => ids.indexOf(id) !== n);
    expect(repeated).toEqual([]);
  });

  it('end every conversation with the question asked, and give every follow-up an earlier turn', () => {
    for (const document of documents) {
      for (const question of document.questions) {
        if (question.turns) expect(question.turns.at(-1), question.id).toBe(question.question);
        if (question.kind === 'followup') expect(question.turns?.length ?? 0, question.id).toBeGreaterThanOrEqual(2);
      }
    }
  });

  it('leave unanswerable questions without answers or evidence', () => {
    for (const document of documents) {
      for (const question of document.questions.filter((q) => q.kind === 'unanswerable')) {
        expect(question.answers, question.id).toEqual([]);
        expect(question.evidence, question.id).toBe('');
      }
    }
  });

  it('copy the evidence of every answer verbatim from its document, with an answer in the same sentence', () => {
    const problems: string[] = [];
    for (const document of documents) {
      const normalizedText = normalizeAnswerText(document.text);
      for (const question of document.questions.filter((q) => q.kind !== 'unanswerable')) {
        if (question.answers.length === 0) problems.push(`${question.id}: no answers`);
        for (const answer of question.answers) {
          if (!normalizedText.includes(normalizeAnswerText(answer))) problems.push(`${question.id}: answer "${answer}" is not in ${document.fileName}`);
        }
        const places = question.evidence ? occurrences(document.text, question.evidence) : [];
        if (places.length === 0) {
          problems.push(`${question.id}: evidence "${question.evidence}" is not verbatim in ${document.fileName}`);
          continue;
        }
        const answered = places.some((at) => {
          const sentence = normalizeAnswerText(sentenceAround(document.text, at, at + question.evidence.length));
          return question.answers.some((answer) => sentence.includes(normalizeAnswerText(answer)));
        });
        if (!answered) problems.push(`${question.id}: no answer in the sentence of its evidence "${question.evidence}"`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('keep the evidence of a hard-wrapped text within one line', () => {
    for (const document of documents.filter((d) => d.fileName.endsWith('.txt') && d.group !== 'article')) {
      for (const question of document.questions) expect(question.evidence.includes('\n'), question.id).toBe(false);
    }
  });
});
