import { describe, expect, it } from 'vitest';
import { stemText } from '../../src/answering/stem-cache.js';
import { findWordForms } from '../../src/lexicon/lexicon.js';
import { isStopWord, stemTerm, tokenize } from '../../src/text/terms.js';
import { createSeededRandom } from '../../src/seeded-random.js';

/** What stemText gives, worked out from one tokenization of the whole text. */
function reference(text: string): { stems: string[]; words: string[]; sequence: { stem: string; position: number }[] } {
  const stems = new Set<string>();
  const words = new Set<string>();
  const sequence: { stem: string; position: number }[] = [];
  tokenize(text).forEach((token, position) => {
    if (isStopWord(token)) return;
    stems.add(stemTerm(token));
    for (const form of findWordForms(token)) words.add(form);
    sequence.push({ stem: stemTerm(token), position });
  });
  return { stems: [...stems], words: [...words], sequence };
}

describe('stemText', () => {
  it('reads a text word by word exactly as tokenizing it whole does (stems, forms, token positions)', () => {
    const random = createSeededRandom(7);
    const pieces = ['The', 'Assembly', 'of', 'People', 'élection', 'Café', 'naïve', 'İstanbul', 'ﬁnal', '😀', '3.5%', 'U.S.', 'Kazakhstan’s', '“Quoted”', '(Brackets)', 'co-operate', 'don’t', '\u00a0', '\t', '\r\n', '  ', '—', 'x'];
    for (let n = 0; n < 300; n++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 14) }, () => pieces[Math.floor(random() * pieces.length)]).join(random() < 0.5 ? ' ' : '');
      const stemmed = stemText(text);
      expect({ stems: [...stemmed.stems], words: [...stemmed.words], sequence: stemmed.sequence }, JSON.stringify(text)).toEqual(reference(text));
    }
  });

  it('knows the forms a text uses only capitalised after its first word', () => {
    expect([...stemText('Delegates of the Assembly of People met.').nameWords]).toEqual(expect.arrayContaining(['assembly', 'people']));
    expect(stemText('Delegates of the Assembly of People met.').nameWords.has('delegate')).toBe(false);
    expect(stemText('The Assembly of People heard the people.').nameWords.has('people')).toBe(false);
    expect(stemText('People met the “Assembly”.').nameWords.has('people')).toBe(false);
    expect(stemText('People met the “Assembly”.').nameWords.has('assembly')).toBe(true);
  });
});
