import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAllLabelledDocuments } from '../../src/training/labelled-data.js';
import { makeTempDir, PROJECT_ROOT } from '../helpers.js';

const CONTEXT = 'The Normans gave their name to Normandy. Their first ruler was Rollo.';
const SQUAD = {
  version: 'v2.0',
  data: [{ title: 'Tiny_Normans', paragraphs: [{ context: CONTEXT, qas: [{ id: 'q1', question: 'Who was the first ruler?', answers: [{ text: 'Rollo', answer_start: CONTEXT.indexOf('Rollo') }] }] }] }],
};
const line = (value: object) => `${JSON.stringify(value)}\n`;

/** A project folder laid out as the repository's test/fixtures, with small sets in it. */
function writeProject(root: string): string {
  const fixtures = path.join(root, 'test', 'fixtures');
  mkdirSync(path.join(fixtures, 'squad'), { recursive: true });
  mkdirSync(path.join(fixtures, 'labelled'));
  cpSync(path.join(PROJECT_ROOT, 'corpus'), path.join(root, 'corpus'), { recursive: true });
  writeFileSync(path.join(fixtures, 'squad', 'tiny.json'), JSON.stringify(SQUAD));
  writeFileSync(path.join(fixtures, 'questions.jsonl'), line({ id: 'a1', kind: 'answerable', question: 'How many member states voted for Kazakhstan?', answers: ['183'], evidence: '183 of 193' }));
  return path.join(fixtures, 'labelled');
}

describe('readAllLabelledDocuments', () => {
  let temp: { dir: string; cleanup: () => void };
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp.cleanup());

  it('reads each labelled document through its format’s reader, with its questions and its conversations', async () => {
    const labelled = writeProject(temp.dir);
    writeFileSync(path.join(labelled, 'harbour.txt'), 'The Harbour\n\nThe harbour opened in 1901. It was closed in 1990.\n');
    writeFileSync(path.join(labelled, 'harbour.jsonl'), line({ id: 'h1', kind: 'answerable', question: 'When did the harbour open?', answers: ['1901'], evidence: 'opened in 1901' }));
    writeFileSync(
      path.join(labelled, 'harbour.chains.jsonl'),
      line({ id: 'hc', turns: [{ question: 'When did the harbour open?', answers: ['1901'] }, { question: 'And when did it close?', followup: true, answers: ['1990'] }] }),
    );
    // A document with conversations only.
    writeFileSync(path.join(labelled, 'mill.md'), '# The Mill\n\nThe mill ground corn.\n');
    writeFileSync(path.join(labelled, 'mill.chains.jsonl'), line({ id: 'mc', turns: [{ question: 'What did the mill grind?', answers: ['corn'] }] }));

    const documents = await readAllLabelledDocuments(temp.dir);
    expect(documents.map((d) => d.group)).toEqual(['squad:Tiny_Normans', 'article', 'harbour', 'mill']);
    const harbour = documents.find((d) => d.group === 'harbour')!;
    expect(harbour.text).toContain('opened in 1901');
    expect(harbour.bytes.toString('utf8')).toBe(harbour.text);
    expect(harbour.questions.map((q) => [q.id, q.kind, q.followUps])).toEqual([
      ['h1', 'answerable', undefined],
      ['hc-t1', 'answerable', undefined],
      ['hc-t2', 'followup', [false, true]],
    ]);
    expect(documents.find((d) => d.group === 'mill')!.questions).toHaveLength(1);
  });

  it('names a question file whose document is missing or in a format no reader reads', async () => {
    const labelled = writeProject(temp.dir);
    writeFileSync(path.join(labelled, 'orphan.jsonl'), line({ id: 'o1', kind: 'unanswerable', question: 'Why?' }));
    writeFileSync(path.join(labelled, 'orphan.xyz'), 'not a format');
    await expect(readAllLabelledDocuments(temp.dir)).rejects.toThrow(/orphan\.jsonl needs exactly one document beside it .*found none/);
  });
});

describe('the article’s blind question set', () => {
  const article = readFileSync(path.join(PROJECT_ROOT, 'corpus', 'kazakhstan-un-human-rights-council.txt'), 'utf8');
  const questions = readFileSync(path.join(PROJECT_ROOT, 'test', 'fixtures', 'blind-paraphrases.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((text) => JSON.parse(text) as { id: string; kind: string; question: string; answers: string[]; evidence?: string });

  it('quotes the article exactly in every answer and evidence span', () => {
    expect(questions.filter((q) => q.kind === 'answerable')).toHaveLength(24);
    expect(questions.filter((q) => q.kind === 'unanswerable')).toHaveLength(6);
    for (const q of questions.filter((question) => question.kind === 'answerable')) {
      expect(article).toContain(q.evidence!);
      for (const answer of q.answers) expect(q.evidence!).toContain(answer);
    }
  });

  it('is kept out of training', async () => {
    const article = (await readAllLabelledDocuments(PROJECT_ROOT)).find((document) => document.group === 'article')!;
    const questionTexts = new Set(article.questions.map((question) => question.question));
    expect(article.questions.length).toBeGreaterThan(100);
    for (const q of questions) expect(questionTexts.has(q.question)).toBe(false);
  }, 60_000);
});
