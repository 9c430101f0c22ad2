import { cpSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine.js';
import type { Engine } from '../../src/engine-types.js';
import { evaluateQuestions, readEvalQuestions } from '../../src/evaluation/evaluate-questions.js';
import { readSquadDocuments } from '../../src/evaluation/labelled-documents.js';
import { ARTICLE_DIR, makeTempDir, PROJECT_ROOT, QUESTIONS_FILE, testConfig } from '../helpers.js';

const ARTICLE_ID = 'kazakhstan-un-human-rights-council';
const LABELLED_DIR = path.join(PROJECT_ROOT, 'test', 'fixtures', 'labelled');
/** The labelled Markdown documents (those with questions beside them; SOURCES.md is not one). */
const LABELLED_TEXTS = readdirSync(LABELLED_DIR).filter((file) => file.endsWith('.md') && readdirSync(LABELLED_DIR).includes(file.replace(/\.md$/, '.jsonl')));

/**
 * People add documents: the article shares its corpus with the two SQuAD articles and
 * every other labelled Markdown text.
 */
describe('the article among the other labelled documents', () => {
  let temp: { dir: string; cleanup: () => void };
  let engine: Engine;
  beforeAll(async () => {
    temp = makeTempDir();
    const corpus = path.join(temp.dir, 'corpus');
    cpSync(ARTICLE_DIR, corpus, { recursive: true });
    for (const name of LABELLED_TEXTS) cpSync(path.join(LABELLED_DIR, name), path.join(corpus, name));
    for (const article of readSquadDocuments(path.join(PROJECT_ROOT, 'test', 'fixtures', 'squad', 'squad2-normans-complexity.json'))) {
      writeFileSync(path.join(corpus, article.fileName), article.text);
    }
    engine = await createEngine({ config: testConfig(temp.dir), embedder: null, embedderWarning: 'lexical-only in this test' });
  });
  afterAll(() => temp.cleanup());

  it('still meets the development set’s targets', async () => {
    expect(engine.status().documents).toBe(1 + LABELLED_TEXTS.length + 2);
    const report = await evaluateQuestions(engine, await readEvalQuestions(QUESTIONS_FILE), temp.dir);
    expect(report.answerable.answerRecall, JSON.stringify(report.failures)).toBeGreaterThanOrEqual(0.95);
    expect(report.unanswerable.abstentionRate, JSON.stringify(report.failures)).toBe(1);
    expect(report.followup.answerRecall).toBe(1);
    expect(report.quotes.fidelity).toBe(1);
  });

  it.each(['What is the population of Kazakhstan?', 'What is the capital of Kazakhstan?', 'Who is the president of Kazakhstan?'])(
    'does not answer "%s" from another document about someone else',
    async (question) => {
      const answer = await engine.ask(question);
      for (const quote of answer.quotes) expect(quote.documentId).toBe(ARTICLE_ID);
    },
  );

  it.each([
    ['When did the Normans conquer England?', /normans/],
    ['What is the default block size of bzip2?', /bzip2/],
    ['Where did PACE launch from?', /pace/],
  ])('looks for "%s" in the document about its subject', async (question, document) => {
    const answer = await engine.ask(question);
    // Quoted when it answers, offered as related when it abstains: either way, from the right document.
    const first = [...answer.quotes, ...answer.related][0];
    expect(first?.documentId).toMatch(document);
  });
});
