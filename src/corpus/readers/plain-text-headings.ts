import type { Heading } from './reader-types.js';

/**
 * Headings in plain text that nobody marked up: a book or manual saved as `.txt`. Found
 * conservatively, so that an article's headline, a table of contents or a list of short
 * lines never becomes a section:
 *
 * - **Sure signs**, taken wherever they stand: a line underlined with `===`/`---` (levels as
 *   in Markdown), a Markdown `#` line, and a line naming a division with its number —
 *   `CHAPTER IV`, `PART TWO`, `BOOK I`, `Section 3`, `Chapter 1. Definitions` (a title on
 *   the next line alone, as novels print it, joins the heading).
 * - **Likely signs**, taken only when body text follows: a numbered title (`1.2. What is
 *   this?`, up to three lines), a Roman numeral alone (`IV.`), an all-capitals line, or a
 *   short line standing alone with no sentence-final punctuation. Short lines in a row are
 *   headings only when each is of a deeper kind than the one before (`INSTALLATION`, then
 *   `Requirements`); a run of alike short lines is a list, a contents page or an address.
 *
 * Levels follow the kinds found in the document, outermost first (a book with parts and
 * chapters gets parts at level 1 and chapters at 2; one with only chapters, chapters at 1).
 * Offsets index the text; a heading starts where the chunker's paragraph starts.
 */

/** Kinds of heading, outermost first: a document's levels are the order of the kinds it has. */
const KIND_ORDER = ['atx1', 'setext=', 'volume', 'book', 'part', 'chapter', 'appendix', 'roman', 'atx2', 'setext-', 'caps', 'num1', 'section', 'num2', 'atx3', 'num3', 'atx4', 'num4', 'line', 'atx5', 'num5', 'atx6', 'num6'] as const;
type Kind = (typeof KIND_ORDER)[number];

const DIVISIONS: ReadonlyMap<string, Kind> = new Map([
  ['volume', 'volume'],
  ['book', 'book'],
  ['part', 'part'],
  ['chapter', 'chapter'],
  ['appendix', 'appendix'],
  ['section', 'section'],
]);
const WORD_NUMBERS = new Set([
  'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen',
  'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth',
  'ninth', 'tenth', 'last', 'final',
]);
/** `Chapter 1. Title`, `PART TWO`, `Book IV: Title`: a division word, its number, an optional title. */
const DIVISION_LINE = /^(\p{Lu}\p{L}*)\s+(\d{1,4}(?:\.\d{1,3})*|[IVXLCDM]{1,8}|\p{L}+)\.?(?:\s*[:—–-]\s*|\s+|$)(.*)$/u;
const ROMAN_ALONE = /^[IVXLC]{1,7}\.?$/;
/** `1.2. Title`, `3 Title`: up to six levels of up to three digits (a year is not a section number). */
const NUMBERED = /^(\d{1,3}(?:\.\d{1,3}){0,5})\.?\s+(.+)$/su;
const ATX = /^(#{1,6})\s+(.+?)(?:\s+#+)?$/;
const UNDERLINE = /^(?:=+|-+)$/;
const BULLET = /^(?:[•◦▪‣●○∙*+\-–—]|\d{1,3}[.)])\s/;
/** How a title or a short line may not end: like a sentence, a clause or a label. */
const CLAUSE_END = /[.,;:…]$/;
const SENTENCE_END = /[.,;:!?…)"”’'\]]$/;
const LINK = /https?:\/\/|www\./;
/** Marks of code, addresses and markup, which short headings do not hold. */
const NOT_IN_TITLES = /[<>@{}[\]|\\]/;
/** An all-capitals line of words: letters, digits and the punctuation of titles. */
const CAPITALS_LINE = /^[\p{Lu}\p{N}][\p{Lu}\p{N}\p{M}\s'’&,!?\-–—]*$/u;
/** A sentence ending inside a line: two sentences are not a heading. */
const INNER_SENTENCE_END = /[.!?]\s/;
/** A body paragraph ends like a sentence (or runs over lines, or is long). */
const BODY_END = /[.!?:;"”’)\]…]$/;
/** The longest line taken for a short heading, in characters. */
const MAX_SHORT_LINE_CHARS = 80;
const MAX_SHORT_LINE_WORDS = 12;
/** The longest line taken for the title under a division (`CHAPTER IV`, then its title). */
const MAX_TITLE_LINE_CHARS = 120;
/** A numbered title may wrap over lines; longer than this it is a numbered paragraph. */
const MAX_NUMBERED_TITLE_CHARS = 200;
/** A likely heading whose words recur this often is a running header, not a section. */
const RUNNING_HEADER_REPEATS = 3;

interface Line {
  start: number;
  end: number;
}

interface Block {
  start: number;
  end: number;
  lines: Line[];
}

interface Candidate {
  kind: Kind;
  /** Sure signs stand alone; likely ones need body text after them. */
  sure: boolean;
  /** A division without a title of its own (`CHAPTER IV`): a title line may follow. */
  awaitsTitle: boolean;
  start: number;
  end: number;
  title: string;
}

/** Headings found in `text` from offset `from` (after any front matter), in order. */
export function findPlainTextHeadings(text: string, from = 0): Heading[] {
  const blocks = findBlocks(text, from);
  const candidates = blocks.map((block) => classifyBlock(text, block));
  const bodyIndent = findBodyIndent(text, blocks, candidates);
  const accepted: Candidate[] = [];
  let run: Candidate[] = [];
  // Likely headings need running text on both sides: after a short line that is not a
  // heading (a list entry, a date, a rule) they are one more entry of a list.
  let bodyBefore = true;
  let atStart = true;
  const endRun = (bodyAfter: boolean): void => {
    let likely = run.filter((candidate) => !candidate.sure);
    // A document may open with its title, byline or date before its first headings
    // ("User Guide", then "INSTALLATION", "Requirements"): those lines are left out.
    if (atStart && !isDeepening(likely)) {
      const from = likely.findIndex((_, i) => i < likely.length - 1 && isDeepening(likely.slice(i)));
      likely = from === -1 ? [] : likely.slice(from);
    }
    // A line indented exactly like the body text is part of it ("    Rather, do").
    const inFlow = likely.some((candidate) => bodyIndent > 0 && indentOf(text, candidate.start) === bodyIndent);
    const take = bodyBefore && bodyAfter && isDeepening(likely) && !inFlow;
    for (const candidate of run) if (candidate.sure || (take && likely.includes(candidate))) accepted.push(candidate);
    run = [];
    atStart = false;
  };
  for (let i = 0; i < blocks.length; i++) {
    let candidate = candidates[i];
    if (candidate?.awaitsTitle) {
      const next = blocks[i + 1];
      const title = next && next.lines.length === 1 ? text.slice(next.start, next.end) : null;
      if (title && title.length <= MAX_TITLE_LINE_CHARS && isTitleWords(title) && !candidates[i + 1]?.sure) {
        candidate = { ...candidate, end: next!.end, title: joinTitle(candidate.title, squash(title)), awaitsTitle: false };
        i++;
      }
    }
    if (candidate) {
      run.push(candidate);
      continue;
    }
    // Rules, ornaments and markers ("-----", "* * *", "^[4]") hold no words: they separate, they say nothing.
    if (blocks[i]!.lines.length <= 3 && !/\p{L}/u.test(text.slice(blocks[i]!.start, blocks[i]!.end))) continue;
    // In indented text, a short block indented like the body (a command, an example) is part of it.
    const body = isBody(text, blocks[i]!) || (bodyIndent > 0 && indentOf(text, blocks[i]!.start) >= bodyIndent);
    endRun(body);
    bodyBefore = body;
  }
  endRun(false);
  return assignLevels(dropRunningHeaders(accepted));
}

/** The indentation most body paragraphs start with (0 for text that is not indented). */
function findBodyIndent(text: string, blocks: readonly Block[], candidates: readonly (Candidate | null)[]): number {
  const counts = new Map<number, number>();
  blocks.forEach((block, i) => {
    if (!candidates[i] && isBody(text, block)) {
      const indent = indentOf(text, block.start);
      counts.set(indent, (counts.get(indent) ?? 0) + 1);
    }
  });
  let best = 0;
  for (const [indent, count] of counts) if (count > (counts.get(best) ?? 0)) best = indent;
  return best;
}

/** White space before `offset` on its line, in characters. */
function indentOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

function findBlocks(text: string, from: number): Block[] {
  const blocks: Block[] = [];
  let lines: Line[] = [];
  const flush = (): void => {
    if (lines.length > 0) blocks.push({ start: lines[0]!.start, end: lines.at(-1)!.end, lines });
    lines = [];
  };
  let lineStart = from;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    // Trimmed as the chunker trims (\s takes in no-break spaces and a BOM), so a heading
    // starts exactly where the chunker's paragraph does.
    let start = lineStart;
    let end = lineEnd;
    while (start < end && /\s/.test(text[start]!)) start++;
    while (end > start && /\s/.test(text[end - 1]!)) end--;
    if (end > start) lines.push({ start, end });
    else flush();
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  flush();
  return blocks;
}

function classifyBlock(text: string, block: Block): Candidate | null {
  // No kind of heading runs over more than three lines: most paragraphs stop here.
  if (block.lines.length > 3) return null;
  const lines = block.lines.map((line) => ({ ...line, text: text.slice(line.start, line.end) }));
  const first = lines[0]!.text;
  const at = (kind: Kind, sure: boolean, title: string, end = block.end, awaitsTitle = false): Candidate => ({ kind, sure, awaitsTitle, start: block.start, end, title: squash(title) });

  // Underlined (or over- and underlined) titles, as in Markdown and reStructuredText.
  const underline = lines.at(-1)!.text;
  if ((lines.length === 2 || (lines.length === 3 && lines[0]!.text[0] === underline[0] && UNDERLINE.test(first))) && underline.length >= 3 && UNDERLINE.test(underline)) {
    const title = lines.at(-2)!;
    if (title.text.length <= MAX_NUMBERED_TITLE_CHARS && !BULLET.test(title.text) && /\p{L}/u.test(title.text)) return at(underline[0] === '=' ? 'setext=' : 'setext-', true, title.text, title.end);
  }
  const atx = lines.length === 1 ? ATX.exec(first) : null;
  if (atx) return at(`atx${atx[1]!.length}` as Kind, true, atx[2]!);

  const joined = lines.map((line) => line.text).join(' ');
  const division = lines.length <= 2 ? matchDivision(first) : null;
  if (division && lines.length === 1) return at(division.kind, true, first, block.end, division.title === '');
  // A division with its title on the line under it, as novels print it ("CHAPTER II.", "The Ship").
  const second = lines[1]?.text;
  if (division && second !== undefined && division.title === '' && isTitleWords(second) && !matchDivision(second)) return at(division.kind, true, joinTitle(first, second));
  if (lines.length === 1 && ROMAN_ALONE.test(first)) return at('roman', false, first, block.end, true);

  const numbered = lines.length <= 3 ? NUMBERED.exec(joined) : null;
  // Below the top level a number is sign enough for a lower-case title ("8.1.1. dpkg").
  if (numbered && joined.length <= MAX_NUMBERED_TITLE_CHARS && isTitleWords(numbered[2]!, numbered[1]!.includes('.')) && (!SENTENCE_END.test(joined) || /[?!]$/.test(joined))) {
    const depth = Math.min(6, numbered[1]!.split('.').length);
    return at(`num${depth}` as Kind, false, joined);
  }

  if (lines.length !== 1 || first.length > MAX_SHORT_LINE_CHARS || BULLET.test(first) || LINK.test(first) || NOT_IN_TITLES.test(first)) return null;
  const letters = first.match(/\p{L}/gu)?.length ?? 0;
  if (letters >= 3 && CAPITALS_LINE.test(first) && !CLAUSE_END.test(first)) return at('caps', false, first);
  if (letters >= 3 && /^\p{Lu}/u.test(first) && !SENTENCE_END.test(first) && !INNER_SENTENCE_END.test(first) && !first.includes('(') && !/:\s/.test(first) && first.split(/\s+/).length <= MAX_SHORT_LINE_WORDS) {
    return at('line', false, first);
  }
  return null;
}

/** `Chapter 1. Title` → chapter, "Title"; null when the line does not name a division with its number. */
function matchDivision(line: string): { kind: Kind; title: string } | null {
  const match = DIVISION_LINE.exec(line);
  const kind = match ? DIVISIONS.get(match[1]!.toLowerCase()) : undefined;
  if (!match || !kind || !isDivisionNumber(match[2]!)) return null;
  const title = match[3]!.trim();
  return title === '' || isTitleWords(title) ? { kind, title } : null;
}

/** A division and its title on one line: `CHAPTER II. The Ship`. */
function joinTitle(division: string, title: string): string {
  return `${division}${/[.:]$/.test(division) ? ' ' : '. '}${title}`;
}

function isDivisionNumber(number: string): boolean {
  return /^\d/.test(number) || /^[IVXLCDM]+$/.test(number) || /^\p{Lu}$/u.test(number) || WORD_NUMBERS.has(number.toLowerCase());
}

/** A title after a number: it starts like a title and does not end like a clause. */
function isTitleWords(words: string, lowerCaseToo = false): boolean {
  return (lowerCaseToo ? /^[\p{L}\p{N}"“'‘(`]/u : /^[\p{Lu}\p{N}"“'‘(]/u).test(words) && !CLAUSE_END.test(words) && /\p{L}/u.test(words);
}

/** Running text: not a heading of any kind, and long, or over lines, or ending like a sentence. */
function isBody(text: string, block: Block): boolean {
  if (block.lines.length >= 2 || block.end - block.start >= MAX_SHORT_LINE_CHARS) return true;
  return BODY_END.test(text.slice(block.start, block.end));
}

/** Each heading of a deeper kind than the one before it (a run of alike lines is a list). */
function isDeepening(candidates: readonly Candidate[]): boolean {
  return candidates.every((candidate, i) => i === 0 || rank(candidate.kind) > rank(candidates[i - 1]!.kind));
}

function dropRunningHeaders(headings: Candidate[]): Candidate[] {
  const counts = new Map<string, number>();
  for (const heading of headings) if (!heading.sure) counts.set(heading.title, (counts.get(heading.title) ?? 0) + 1);
  return headings.filter((heading) => heading.sure || (counts.get(heading.title) ?? 0) < RUNNING_HEADER_REPEATS);
}

function assignLevels(headings: Candidate[]): Heading[] {
  const present = [...new Set(headings.map((heading) => heading.kind))].sort((a, b) => rank(a) - rank(b));
  return headings.map(({ start, end, kind, title }) => ({ start, end, level: Math.min(9, present.indexOf(kind) + 1), title }));
}

function rank(kind: Kind): number {
  return KIND_ORDER.indexOf(kind);
}

/** A title's words on one line: white space of any kind (no-break spaces too) as one space. */
function squash(title: string): string {
  return title.replace(/\s+/g, ' ').trim();
}
