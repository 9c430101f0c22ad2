import type { Sentence, Span } from '../domain.js';

const MONTH = '(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\\.|Feb\\.|Mar\\.|Apr\\.|Jun\\.|Jul\\.|Aug\\.|Sept?\\.|Oct\\.|Nov\\.|Dec\\.)';
const DATED = new RegExp(`,\\s*[^()]*${MONTH}\\s+\\d{1,2}(?:,\\s*\\d{4})?\\s*$`);
const URL = /^(?:https?:\/\/|www\.)\S+$/;
const SOURCE_LABEL = /^(?:Source|Sources|Via|Photo|Credit):\s*\S/i;
const PARENTHETICAL = /\(([^()\n]{2,400})\)/g;
/** The start of a Markdown table row, up to a position on it. */
const TABLE_ROW = /^[ \t]*\|/;

/** An in-text citation such as "(Kazinform, November 13)" found in a sentence. */
export interface InTextCitation {
  /** The citation without its parentheses, e.g. "Kazinform, November 13". */
  text: string;
  /** A bare URL cites only the sentence it stands in; a dated source can cover the one before. */
  isUrl: boolean;
}

/**
 * The document's own citations inside `text.slice(span.start, span.end)`: parentheticals
 * that name a source and a date, a URL, or a "Source: …" label. Plain asides such as
 * "(OSCE)" are not citations, and neither are a Markdown link's or image's target
 * (`[npm](https://…)`) or anything in a table row: a parenthetical cites a source when it
 * follows the words of a sentence, not when it is where a link points or a cell of data.
 */
export function findCitations(text: string, span: Span): InTextCitation[] {
  const sentence = text.slice(span.start, span.end);
  const found: InTextCitation[] = [];
  PARENTHETICAL.lastIndex = 0;
  for (let match = PARENTHETICAL.exec(sentence); match; match = PARENTHETICAL.exec(sentence)) {
    if (!canCite(text, span.start + match.index)) continue;
    const inner = match[1]!.trim();
    if (URL.test(inner)) found.push({ text: inner, isUrl: true });
    else if (DATED.test(inner) || SOURCE_LABEL.test(inner)) found.push({ text: inner, isUrl: false });
  }
  return found;
}

/**
 * Whether a parenthesis opening at `offset` can hold a citation. Right after `]` it is a
 * Markdown link or image target: on a real README, `[sqlite](https://www.npmjs.com/…)` in
 * a table cell and lines of `[package](url)` links became passages' attributions ("—
 * https://www.npmjs.com/…"). On a line that starts with `|` it is in a table row.
 */
function canCite(text: string, offset: number): boolean {
  if (text[offset - 1] === ']') return false;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return !TABLE_ROW.test(text.slice(lineStart, offset));
}

/**
 * Attributes each sentence of one paragraph: its own last citation; otherwise the
 * dated citation that closes the next sentence (news style cites once after a
 * two-sentence passage); otherwise `inherited` (e.g. a list item takes the
 * citation of the sentence that introduces the list); otherwise null.
 */
export function attributeSentences(text: string, sentences: Span[], inherited: string | null = null): (string | null)[] {
  const citations = sentences.map((span) => findCitations(text, span));
  return sentences.map((_, i) => {
    const own = citations[i]!.at(-1);
    if (own) return own.text;
    const next = citations[i + 1]?.find((citation) => !citation.isUrl);
    if (next) return next.text;
    return inherited;
  });
}

/** The sentence without its in-text citations: what it says, not whom it cites. */
export function stripCitations(sentence: string): string {
  return sentence.replace(PARENTHETICAL, (whole, inner: string, offset: number) => {
    if (!canCite(sentence, offset)) return whole;
    const trimmed = inner.trim();
    return URL.test(trimmed) || DATED.test(trimmed) || SOURCE_LABEL.test(trimmed) ? ' ' : whole;
  });
}

/** The distinct attributions of some sentences, in order, joined with "; " (null when none). */
export function joinAttributions(sentences: readonly Sentence[]): string | null {
  const distinct = [...new Set(sentences.map((s) => s.attribution).filter((a): a is string => a !== null))];
  return distinct.length > 0 ? distinct.join('; ') : null;
}
