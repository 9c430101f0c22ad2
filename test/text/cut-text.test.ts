import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../src/seeded-random.js';
import { cutAtCharacters } from '../../src/text/cut-text.js';

/** The definition: the longest start made of whole grapheme clusters (Intl.Segmenter), at most `max` units. */
function cutBySegmenting(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  for (const { index, segment } of new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)) {
    if (index + segment.length > max) break;
    end = index + segment.length;
  }
  return end > 0 ? text.slice(0, end) : null!;
}

describe('cutAtCharacters', () => {
  it('cuts where segmenting into characters cuts, ASCII shortcut or not', () => {
    const pieces = ['a', 'Z', ' ', '.', '\r\n', '\r', '\n', 'e\u0301', '\u0600' + '1', '👍🏽', '🇰🇿', '👨‍👩‍👧', 'ß', '한', '\u200d', 'x\u0308\u0308'];
    const random = createSeededRandom(11);
    for (let trial = 0; trial < 3_000; trial++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 30) }, () => pieces[Math.floor(random() * pieces.length)]!).join('');
      const max = 1 + Math.floor(random() * text.length);
      const expected = cutBySegmenting(text, max);
      if (expected !== null) expect(cutAtCharacters(text, max), JSON.stringify([text, max])).toBe(expected);
    }
  });

  it('never splits "\\r\\n", a letter from its accent, or an emoji', () => {
    expect(cutAtCharacters('ab\r\ncd', 3)).toBe('ab');
    expect(cutAtCharacters('cafe\u0301!', 4)).toBe('caf');
    expect(cutAtCharacters('ok👍🏽', 5)).toBe('ok');
    expect(cutAtCharacters('plain ascii text', 5)).toBe('plain');
  });
});
