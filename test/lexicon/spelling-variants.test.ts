import { describe, expect, it } from 'vitest';
import { Lexicon } from '../../src/lexicon/lexicon.js';
import { isSpellingVariant } from '../../src/lexicon/spelling-variants.js';
import { WordNet } from '../../src/lexicon/wordnet.js';

describe('isSpellingVariant', () => {
  it.each([
    ['criticise', 'criticize'],
    ['organisation', 'organization'],
    ['analysed', 'analyzed'],
    ['colour', 'color'],
    ['favourite', 'favorite'],
    ['centre', 'center'],
    ['catalogue', 'catalog'],
    ['defence', 'defense'],
    ['programme', 'program'],
    ['travelled', 'traveled'],
    ['archaeology', 'archeology'],
  ])('knows %s and %s for one word', (british, american) => {
    expect(isSpellingVariant(british, american)).toBe(true);
    expect(isSpellingVariant(american, british)).toBe(true);
  });

  it.each([
    ['four', 'for'],
    ['rise', 'riz'],
    ['coloring', 'color'],
    ['travel', 'travelled'],
    ['color', 'color'],
  ])('does not take %s and %s for spellings of one word', (a, b) => {
    expect(isSpellingVariant(a, b)).toBe(false);
  });
});

describe('Lexicon spelling variants', () => {
  const lexicon = new Lexicon(new WordNet(), { maxSenses: 3 });
  const relation = (token: string, word: string): string | undefined => lexicon.relatedWords(token).find((related) => related.word === word)?.relation;

  it('gives the other spelling of a word as the same word, before its synonyms', () => {
    expect(relation('criticised', 'criticize')).toBe('spelling');
    expect(relation('criticize', 'criticise')).toBe('spelling');
    expect(relation('colour', 'color')).toBe('spelling');
    expect(lexicon.relatedWords('centre')[0]).toEqual({ word: 'center', relation: 'spelling' });
  });

  it('keeps synonyms that are other words as synonyms', () => {
    expect(relation('criticised', 'knock')).toBe('synonym');
    expect(relation('color', 'coloring')).toBe('synonym');
  });
});
