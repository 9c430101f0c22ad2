import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine-types.js';
import { openCorpusEngine } from '../helpers.js';

/**
 * A follow-up to a question the bot abstained on looks back to the related passage it showed
 * first, as the models are fitted to (an earlier turn counts as having quoted its
 * best-retrieved passage, answered or not). "Who presides over the Senate?" abstains with
 * Article I, Section 3 first among the related passages; "Can he vote?" then finds its
 * answer there ("…but shall have no Vote, unless they be equally divided"). With nothing
 * remembered of the abstention, it quoted the Senate's tie rule for choosing a Vice
 * President instead.
 */
describe('a follow-up after an abstention', () => {
  let engine: Engine;
  let cleanup: () => void;

  beforeAll(async () => {
    const constitution = readFileSync(new URL('../fixtures/labelled/misc-us-constitution.md', import.meta.url));
    ({ engine, cleanup } = await openCorpusEngine({ 'constitution.md': constitution }));
  });
  afterAll(() => cleanup());

  it('reads the related passage shown first as what the conversation is about', async () => {
    const first = await engine.ask('Who presides over the Senate?', 'senate');
    expect(first.abstained).toBe(true);
    expect(first.related[0]!.text).toContain('shall have no Vote');
    const followUp = await engine.ask('Can he vote?', 'senate');
    expect(followUp.abstained).toBe(false);
    expect(followUp.quotes.map((quote) => quote.text).join(' ')).toContain('no Vote, unless they be equally divided');
  });

  it('is not carried into a conversation of its own', async () => {
    const alone = await engine.ask('Can he vote?', 'another');
    expect(alone.quotes.map((quote) => quote.text).join(' ')).not.toContain('no Vote, unless they be equally divided');
  });
});
