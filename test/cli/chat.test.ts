import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine-types.js';
import { chatLines as chat, openArticleEngine } from '../helpers.js';

/** What the up-arrow key sends in a terminal. */
const UP_ARROW = '\x1b[A';
const count = (text: string, part: string): number => text.split(part).length - 1;

describe('the terminal chat', () => {
  let temp: { engine: Engine; cleanup: () => void };
  let engine: Engine;
  beforeAll(async () => {
    temp = await openArticleEngine();
    engine = temp.engine;
  });
  afterAll(() => temp.cleanup());

  it('answers, follows up, shows the passage behind a citation and searches', async () => {
    const text = await chat(engine, [
      "Who is Kazakhstan's Human Rights Commissioner?",
      'What did he attribute the election to?',
      '/source 1',
      '/search press freedom',
      '/quit',
      'How many seats were available?',
    ]);
    expect(text).toContain('Askar Shakirov');
    expect(text).toContain('methodical and active work');
    expect(text).toMatch(/»The Human Rights Commissioner of Kazakhstan.*«/);
    expect(text).toContain('Previous: kazakhstan-un-human-rights-council#p12');
    expect(text).toMatch(/1\. kazakhstan-un-human-rights-council#p11/);
    // The question typed after /quit is never answered.
    expect(text).not.toContain('18 available seats');
  });

  it('recalls the previous question with the up arrow, as a terminal does', async () => {
    const text = await chat(engine, ['How many seats were available?', UP_ARROW, '/quit'], { terminal: true });
    // Asked once by typing, once more by recalling it: answered twice.
    expect(count(text, '18 available seats')).toBe(2);
  });

  it('starts each chat session as a new conversation: a follow-up has nothing to lean on from an earlier session', async () => {
    const first = await chat(engine, ["Who is the spokesperson for Kazakhstan's Ministry of Foreign Affairs?", 'What did he say?']);
    expect(first).toContain('We are pleased to have been elected');
    const second = await chat(engine, ['What did he say?']);
    expect(second).toContain("The sources don't answer that.");
    expect(second).not.toContain('We are pleased to have been elected');
  });

  it('explains problems instead of failing (unknown citations, empty questions, unknown commands), shows /help and reindexes', async () => {
    const text = await chat(engine, ['/reset', '/source 3', '   ', '/frobnicate', '/help', '/reindex']);
    expect(text).toContain('There is no earlier answer in this channel to take citation 3 from');
    expect(text).toContain('Unknown command /frobnicate');
    expect(text).toContain('Retrieval: lexical-only (BM25) — no model in this test');
    expect(text).toMatch(/Reindexing…\nReindexed 1 document\(s\) into \d+ passage\(s\)/);
  });
});
