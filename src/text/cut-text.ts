/**
 * Cutting text to a length counted in UTF-16 code units (what Discord's limits count)
 * without breaking a character: never half a surrogate pair (a lone surrogate is not
 * text, and an emoji cut in two shows as a broken glyph), nor a character made of several
 * code points (a flag, a family emoji, a letter with its accents).
 */

const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * The longest start of `text` that is whole characters (grapheme clusters) and at most
 * `maxUnits` UTF-16 code units long. When not even the first character fits (a letter
 * under hundreds of combining marks), the cut falls between code points instead.
 */
export function cutAtCharacters(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) return text;
  // Between two ASCII characters there is always a character boundary but inside "\r\n"
  // (Unicode's grapheme rules join nothing else there): most cuts of English text are
  // settled without segmenting, which costs tens of microseconds a call.
  const before = text.charCodeAt(maxUnits - 1);
  const after = text.charCodeAt(maxUnits);
  if (maxUnits > 0 && before < 0x80 && after < 0x80 && !(before === 0x0d && after === 0x0a)) return text.slice(0, maxUnits);
  let end = 0;
  // The segmenter is lazy: only the part up to the cut is segmented.
  for (const { index, segment } of GRAPHEMES.segment(text)) {
    if (index + segment.length > maxUnits) break;
    end = index + segment.length;
  }
  if (end > 0) return text.slice(0, end);
  const lowSurrogateNext = /[\uDC00-\uDFFF]/.test(text[maxUnits] ?? '');
  return text.slice(0, Math.max(0, lowSurrogateNext ? maxUnits - 1 : maxUnits));
}
