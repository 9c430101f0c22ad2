import { describe, expect, it } from 'vitest';
import { previewText } from '../../src/answering/resolve-source.js';
import { createSeededRandom } from '../../src/seeded-random.js';
import { cutAtCharacters } from '../../src/text/cut-text.js';

/** The preview as it was defined before it read only the start of a passage. */
const wholePreview = (text: string, chars: number): string => cutAtCharacters(text.replace(/\s+/g, ' '), chars);

describe('previewText', () => {
  it('is the whole text collapsed and cut, for passages of every shape', () => {
    const pieces = ['word', ' ', '\n\n', '\t  \t', 'é', 'e\u0301', '👍🏽', '🇰🇿', '👨‍👩‍👧', 'x'.repeat(40), ' '.repeat(300)];
    const random = createSeededRandom(7);
    for (let trial = 0; trial < 2_000; trial++) {
      const text = Array.from({ length: Math.floor(random() * 80) }, () => pieces[Math.floor(random() * pieces.length)]!).join('');
      for (const chars of [1, 5, 60]) expect(previewText(text, chars), JSON.stringify(text)).toBe(wholePreview(text, chars));
    }
  });

  it('keeps an emoji whole when the text around the cut is mostly white space', () => {
    const text = `${'a'.repeat(59)}${' '.repeat(200)}👍🏽 and more`;
    expect(previewText(text, 60)).toBe(`${'a'.repeat(59)} `);
    expect(previewText(`${'a'.repeat(58)}${' '.repeat(200)}👍🏽 and more`, 63)).toBe(`${'a'.repeat(58)} 👍🏽`);
  });
});
