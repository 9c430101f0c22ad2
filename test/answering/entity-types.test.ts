import { describe, expect, it } from 'vitest';
import { expectedEntityTypes, findEntities, matchEntityType } from '../../src/answering/entity-types.js';

describe('entity types (wink-nlp), an optional signal', () => {
  it('finds the dates, counts and names a sentence states', () => {
    const found = findEntities('On November 12, the General Assembly elected Kazakhstan with 183 votes.');
    expect(found).toContainEqual({ type: 'DATE', stems: ['novemb', '12'] });
    expect(found).toContainEqual({ type: 'CARDINAL', stems: ['183'] });
    expect(found.some((entity) => entity.type === 'NAME' && entity.stems.includes('kazakhstan'))).toBe(true);
  });

  it('expects the entity type a question’s form asks for, and matches only what the question does not already say', () => {
    expect(expectedEntityTypes('When was Kazakhstan elected?', 'when', [])).toEqual(new Set(['DATE', 'TIME']));
    expect(expectedEntityTypes('How long is the term?', 'quantity', ['duration'])).toEqual(new Set(['DURATION', 'DATE']));
    expect(expectedEntityTypes('Which organization ranked Kazakhstan?', 'which', [])).toEqual(new Set(['NAME']));
    expect(expectedEntityTypes('What did the reforms do?', 'which', [])).toBeNull();
    const when = expectedEntityTypes('When was Kazakhstan elected?', 'when', []);
    expect(matchEntityType(when, 'On November 12, the General Assembly elected Kazakhstan.', new Set(['kazakhstan', 'elect']))).toBe(1);
    expect(matchEntityType(when, 'The General Assembly elected Kazakhstan.', new Set(['kazakhstan', 'elect']))).toBe(-1);
    expect(matchEntityType(null, 'The General Assembly elected Kazakhstan.', new Set())).toBe(0);
  });
});
