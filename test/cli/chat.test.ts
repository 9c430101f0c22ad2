import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine-types.js';
import { chatLines as chat, openArticleEngine } from '../helpers.js';

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
      'never read',
    ]);
    expect(text).toContain('Askar Shakirov');
    expect(text).toContain('methodical and active work');
    expect(text).toMatch(/»The Human Rights Commissioner of Kazakhstan.*«/);
    expect(text).toContain('Previous: kazakhstan-un-human-rights-council#p12');
    expect(text).toMatch(/1\. kazakhstan-un-human-rights-council#p11/);
  });

  it('explains problems instead of failing: unknown citations, empty questions, unknown commands', async () => {
    const text = await chat(engine, ['/reset', '/source 3', '   ', '/frobnicate', '/help']);
    expect(text).toContain('There is no earlier answer in this channel to take citation 3 from');
    expect(text).toContain('Unknown command /frobnicate');
    expect(text).toContain('Retrieval: lexical-only (BM25) — no model in this test');
  });
});
