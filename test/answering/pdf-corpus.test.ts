import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine-types.js';
import { openCorpusEngine, PROJECT_ROOT } from '../helpers.js';

const FIXTURES = path.join(PROJECT_ROOT, 'test', 'fixtures', 'documents');

/** A corpus of one PDF (the article printed on six pages), asked as a user would. */
describe('a corpus of only a PDF', () => {
  let temp: { dir: string; cleanup: () => void };
  let engine: Engine;
  beforeAll(async () => {
    ({ engine, ...temp } = await openCorpusEngine({ 'article.pdf': readFileSync(path.join(FIXTURES, 'article.pdf')) }));
  });
  afterAll(() => temp.cleanup());

  it('lists the PDF as indexed with its pages', () => {
    expect(engine.listFiles()).toEqual([expect.objectContaining({ file: 'corpus/article.pdf', outcome: 'indexed', format: 'pdf', pages: 6 })]);
  });

  it.each([
    ['How many member states voted for Kazakhstan?', '183 of 193 member states', 1],
    ['Who is the spokesperson for Kazakhstan’s Ministry of Foreign Affairs?', 'Altay Abibullayev', 4],
    ['How did Freedom House rank Kazakhstan?', 'Not Free', 4],
  ])('answers "%s" with a quote on the right page that is an exact slice of its text file', async (question, words, page) => {
    const answer = await engine.ask(question);
    expect(answer.abstained).toBe(false);
    const quote = answer.quotes.find((candidate) => candidate.text.includes(words));
    expect(quote, JSON.stringify(answer.quotes.map((candidate) => candidate.text))).toBeDefined();
    expect(quote!.source).toBe('corpus/article.pdf');
    expect(quote!.page).toBe(page);
    expect(quote!.pageCount).toBe(6);
    expect(quote!.textFile).not.toBe(quote!.source);
    expect(readFileSync(path.join(temp.dir, quote!.textFile), 'utf8').slice(quote!.start, quote!.end)).toBe(quote!.text);
    for (const each of answer.quotes) expect(each.text).not.toMatch(/Jamestown Foundation|Page \d+ of \d+|[\u2010\u00ad]/);
  });
});
