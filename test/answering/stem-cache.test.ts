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

/** Which forms a text uses only capitalised after its first word, worked out word by word. */
function referenceNameWords(text: string): string[] {
  const named = new Set<string>();
  const common = new Set<string>();
  text.split(/\s+/).filter((word) => word.length > 0).forEach((word, i) => {
    const inName = i > 0 && /^["“(‘']?\p{Lu}/u.test(word);
    for (const token of tokenize(word)) if (!isStopWord(token)) for (const form of findWordForms(token)) (inName ? named : common).add(form);
  });
  return [...named].filter((form) => !common.has(form));
}

describe('stemText', () => {
  it('reads plain ASCII as it reads any text: stems, forms, positions and the words used only in names', () => {
    const random = createSeededRandom(11);
    const pieces = ['The', 'Assembly', 'of', 'People', 'people', 'Kazakhstan', '"Quoted"', "'single'", '(Brackets)', 'U.S.', '3.5%', 'co-operate', "don't", 'UN-led', 'x', 'A', '--', '.', ',', '\t', '\n', '\r\n', '\v', '\f', '  ', ' '];
    for (let n = 0; n < 400; n++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 16) }, () => pieces[Math.floor(random() * pieces.length)]).join(random() < 0.7 ? ' ' : '');
      const stemmed = stemText(text);
      expect({ stems: [...stemmed.stems], words: [...stemmed.words], sequence: stemmed.sequence }, JSON.stringify(text)).toEqual(reference(text));
      expect(new Set(stemmed.nameWords), JSON.stringify(text)).toEqual(new Set(referenceNameWords(text)));
    }
  });

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
