import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeMatch } from '../../src/answering/explain-search.js';
import type { Engine } from '../../src/engine-types.js';
import { openArticleEngine } from '../helpers.js';

describe('search as /ask retrieves (engine.search)', () => {
  let engine: Engine;
  let cleanup = (): void => {};
  beforeAll(async () => ({ engine, cleanup } = await openArticleEngine()));
  afterAll(() => cleanup());

  it.each([
    'Which organisations did Kazakhstan chair?',
    'How many recomendations came out of the reveiw?',
    'When did the assembly elect Kazakhstan?',
    'press freedom index',
  ])('lists the passages /ask considers for %j, in its order', async (query) => {
    const result = await engine.search(query);
    expect(result.hits.length).toBeGreaterThan(0);
    expect(result.hits.map((hit) => hit.chunk.id)).toEqual((await engine.ask(query)).retrievedChunkIds);
    for (const hit of result.hits) expect(hit.lexicalRank ?? hit.denseRank).not.toBeNull();
  });

  it('names the WordNet alternative a passage holds instead of the question word', async () => {
    const { hits } = await engine.search('How many countries backed Kazakhstan?');
    const matched = hits.flatMap((hit) => hit.matches.map(describeMatch));
    expect(matched).toContain('support ← backed (synonym)');
    // The same word spelt the other way is said so.
    const spelt = await engine.search('Which organisations did Kazakhstan chair?');
    expect(spelt.hits.flatMap((hit) => hit.matches.map(describeMatch))).toContain('organization ← organisations (spelling)');
    // The question's own words, held as typed, are named alone.
    expect(matched).toContain('kazakhstan');
  });

  it('says which typed words were searched as another corpus word, and matches them under the words typed', async () => {
    const result = await engine.search('How many recomendations came out of the reveiw?');
    expect(result.corrections).toEqual([
      { typed: 'recomendations', searched: 'recommend' },
      { typed: 'reveiw', searched: 'review' },
    ]);
    expect(result.hits[0]!.matches.map(describeMatch)).toEqual(['recomendations', 'reveiw']);
  });

  it('shows at most the number asked for, best first', async () => {
    const all = await engine.search('When did the assembly elect Kazakhstan?');
    const two = await engine.search('When did the assembly elect Kazakhstan?', 2);
    expect(two.hits.map((hit) => hit.chunk.id)).toEqual(all.hits.slice(0, 2).map((hit) => hit.chunk.id));
  });
});
