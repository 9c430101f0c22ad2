import type { Span } from '../domain.js';

/**
 * Words that end with a period without ending a sentence. Lower-case, without the
 * final period; dotted forms ("u.s") are matched letter-dot-letter.
 */
const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'jr', 'sr', 'vs', 'etc', 'e.g', 'i.e', 'cf', 'al',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'no', 'nos', 'vol', 'p', 'pp', 'fig', 'gen', 'gov', 'sen', 'rep', 'rev', 'lt', 'col', 'capt',
  'inc', 'ltd', 'co', 'corp', 'dept', 'est', 'approx', 'ave', 'blvd', 'mt', 'ft',
]);

// A sentence ends at terminal punctuation plus any closing quotes or brackets…
const TERMINATOR = /[.!?…]+["'”’»)\]]*/g;
// …when what follows (after spaces) can start a sentence.
const SENTENCE_START = /^[\s\u00a0]+["'“‘«(\[]*[\p{Lu}\p{N}]/u;

/**
 * Splits `text.slice(start, end)` into sentence spans (absolute offsets, trimmed of
 * surrounding white space). Pure; never changes the text. Abbreviations such as
 * "U.S." and "Nov. 12" and initials such as "J. Smith" do not end a sentence.
 */
export function splitSentences(text: string, start: number, end: number): Span[] {
  const spans: Span[] = [];
  const slice = text.slice(start, end);
  let sentenceStart = 0;
  TERMINATOR.lastIndex = 0;
  for (let match = TERMINATOR.exec(slice); match; match = TERMINATOR.exec(slice)) {
    const after = match.index + match[0].length;
    if (after >= slice.length) break;
    if (!SENTENCE_START.test(slice.slice(after, after + 8))) continue;
    if (match[0].startsWith('.') && match[0].length === 1 && endsWithAbbreviation(slice.slice(sentenceStart, match.index))) continue;
    // Sentences inside a quotation stay with the words that introduce it ("…said that, “We…. But…”"),
    // unless an unbalanced quote mark would swallow the rest of the paragraph.
    if (isInsideQuotation(slice.slice(sentenceStart, after)) && after - sentenceStart < MAX_QUOTED_SENTENCE_CHARS) continue;
    // A sentence that is a quotation ending with its own "?" or "!" (or "."), then who said it: one sentence.
    if (CLOSING_QUOTE.test(match[0]) && OPENING_QUOTE.test(slice.slice(sentenceStart, match.index)) && ATTRIBUTION.test(slice.slice(after, after + 80))) continue;
    pushTrimmed(spans, text, start + sentenceStart, start + after);
    sentenceStart = after;
  }
  pushTrimmed(spans, text, start + sentenceStart, end);
  return spans;
}

const MAX_QUOTED_SENTENCE_CHARS = 700;

/** A terminator that ends a quotation: “…?” / "…!" / ‘….’ */
const CLOSING_QUOTE = /["”’']$/;
/** A sentence that opens with a quotation. */
const OPENING_QUOTE = /^[\s\u00a0]*["“‘']/;
/**
 * Who said a quotation, after it: up to five capitalised words and a verb of saying
 * ("“…outcome?” Kang Savang said." — split there, the quote's attribution became a
 * sentence of its own, which a question about Kang Savang then quoted alone).
 */
const ATTRIBUTION = /^[\s\u00a0]+(?:\p{Lu}[\p{L}’'.-]*\s+){1,5}(?:said|says|added|adds|asked|asks|told|tells|wrote|writes|explained|stated|noted|continued|replied|insisted|argued|warned|declared|answered|recalled|remarked|concluded|exclaimed|shouted|cried)\b/u;

function isInsideQuotation(sentence: string): boolean {
  let open = 0;
  let straight = 0;
  for (const ch of sentence) {
    if (ch === '“') open++;
    else if (ch === '”') open = Math.max(0, open - 1);
    else if (ch === '"') straight++;
  }
  return open > 0 || straight % 2 === 1;
}

function endsWithAbbreviation(before: string): boolean {
  const word = /([\p{L}.]+)$/u.exec(before)?.[1];
  if (!word) return false;
  const lower = word.toLowerCase();
  if (ABBREVIATIONS.has(lower)) return true;
  // Initials and dotted acronyms: "J", "U.S", "U.N".
  return /^\p{L}$/u.test(word) || /^(\p{L}\.)+\p{L}$/u.test(word);
}

/** Adds `[from, to)` with surrounding white space removed, unless it is empty. */
export function pushTrimmed(spans: Span[], text: string, from: number, to: number): void {
  let s = from;
  let e = to;
  while (s < e && /\s/.test(text[s]!)) s++;
  while (e > s && /\s/.test(text[e - 1]!)) e--;
  if (e > s) spans.push({ start: s, end: e });
}

/**
 * Spans longer than `max` characters cut into pieces of at most `max`: a table or code
 * listing with no sentence punctuation is one "sentence" to `splitSentences` (16 KB in a
 * book here, 1.5 MB in a manual page), and one such sentence made a passage, a quote and
 * the work of every question that retrieved it as long. A piece ends at the last line
 * break in the second half of its room, else the last semicolon, else comma, else space,
 * else at `max` (never inside a surrogate pair); pieces are trimmed like sentences.
 */
export function splitLongSpans(text: string, spans: readonly Span[], max: number): Span[] {
  if (spans.every((span) => span.end - span.start <= max)) return [...spans];
  const pieces: Span[] = [];
  for (const span of spans) {
    let start = span.start;
    while (span.end - start > max) {
      const cut = findCut(text, start + Math.floor(max / 2), start + max);
      pushTrimmed(pieces, text, start, cut);
      start = cut;
    }
    pushTrimmed(pieces, text, start, span.end);
  }
  return pieces;
}

/** Where to end a piece within `[from, to]`: after the best boundary there (see `splitLongSpans`). */
function findCut(text: string, from: number, to: number): number {
  for (const boundary of ['\n', ';', ',', ' ']) {
    const at = text.lastIndexOf(boundary, to - 1);
    if (at >= from) return at + 1;
  }
  const code = text.charCodeAt(to - 1);
  return code >= 0xd800 && code <= 0xdbff ? to - 1 : to;
}

