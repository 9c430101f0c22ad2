import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine-types.js';
import { renderCitation } from '../../src/render/render-text.js';
import { openCorpusEngine, PROJECT_ROOT } from '../helpers.js';

const FIXTURES = path.join(PROJECT_ROOT, 'test', 'fixtures', 'documents');

/**
 * A chapter's endnotes are one numbered list, read as one paragraph: two quotes from it
 * used to carry the same citation ("… DM-Upload-Allowed · paragraph 598", twice), each
 * ending in the note's "↩︎" link back.
 */
describe('quotes from a numbered list of notes (the Debian Policy EPUB)', () => {
  let temp: { dir: string; cleanup: () => void };
  let engine: Engine;
  beforeAll(async () => {
    ({ engine, ...temp } = await openCorpusEngine({ 'debian-policy.epub': readFileSync(path.join(FIXTURES, 'debian-policy.epub')) }));
  });
  afterAll(() => temp.cleanup());

  it.each([
    ['What are Emergency and critical treated as?', 'treated as synonymous', '12'],
    ['Which distribution names are used in .changes files?', 'Example distribution names', '10'],
  ])('cites "%s" by the note it quotes, without the link back', async (question, words, item) => {
    const answer = await engine.ask(question);
    const quote = answer.quotes.find((candidate) => candidate.text.includes(words));
    expect(quote, JSON.stringify(answer.quotes.map((candidate) => candidate.text))).toBeDefined();
    expect(quote!.item).toBe(item);
    expect(renderCitation(quote!)).toMatch(new RegExp(`· paragraph \\d+, item ${item} \\(corpus/debian-policy\\.epub\\)$`));
    expect(quote!.text).not.toMatch(/↩/);
    expect(readFileSync(path.join(temp.dir, quote!.textFile), 'utf8').slice(quote!.start, quote!.end)).toBe(quote!.text);
  });

  it('gives a quote of running text no item', async () => {
    const answer = await engine.ask('Which distribution names are used in .changes files?');
    const prose = answer.quotes.find((candidate) => !candidate.text.startsWith('Example'));
    expect(prose, JSON.stringify(answer.quotes.map((candidate) => candidate.text))).toBeDefined();
    expect(prose!.item).toBeNull();
    expect(renderCitation(prose!)).toMatch(/· paragraph \d+ \(corpus\/debian-policy\.epub\)$/);
  });
});
