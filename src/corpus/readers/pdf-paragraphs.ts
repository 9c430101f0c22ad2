import type { Heading } from './reader-types.js';
import { median, type PdfLine } from './pdf-layout.js';
import type { LineHeading } from './pdf-headings.js';

/**
 * A PDF's lines (in reading order, furniture already out) as the text a reader sees:
 * lines joined into paragraphs, a word broken by a line-end hyphen made whole again,
 * paragraphs that run over a page or column break joined, headings and list items as
 * blocks of their own. Records where each page's first character landed.
 */

export interface AssembledText {
  text: string;
  /** Offset of each page's first character (a page without text: the next text's offset). */
  pageStarts: number[];
  headings: Heading[];
}

/**
 * A vertical gap this many times the usual line spacing (or more) ends a paragraph. The
 * tightest paragraph spacing in the fixtures is Texinfo's, 1.27 line spacings (16.7 pt for
 * 13.15 pt lines); baselines inside a paragraph vary by under 5%.
 */
const PARAGRAPH_GAP_RATIO = 1.18;
/** Lines whose font sizes differ by more than this share belong to different blocks. */
const SIZE_CHANGE_SHARE = 0.12;
/** A first line set in by this many font sizes starts a paragraph (first-line indent: TeX's is 1.4, the fixtures' CSS 1.2). */
const INDENT_EM = 0.8;
/** Slack, in font sizes, when asking whether the next word would have fitted on a line. */
const FIT_SLACK_EM = 0.6;
/** A page or column with fewer body lines than this gives unreliable edges: the document's are used. */
const MIN_LINES_FOR_EDGES = 5;

/** Dot leaders running to a page number: a table-of-contents entry ends here. */
const LEADERS = /(?:\.\s?){4,}\s*[\divxlcdm]{1,6}$/i;
const BULLET = /^(?:[•◦▪‣●○∙·■□➢►▸–—*]|\d{1,3}[.)]|\([a-z0-9]{1,3}\))\s/u;
const SENTENCE_END = /[.!?…:;]["'”’»)\]]*$/u;
const LINE_END_HYPHEN = /(\p{L})([-\u2010\u00ad])$/u;
const COMPOUND = /\p{L}+(?:[-\u2010]\p{L}+)+/gu;

/**
 * `item`: a list item; `code`: lines set in a monospaced font in a document whose body is
 * not, kept line by line; `contents`: a table-of-contents entry (dot leaders and a page
 * number), one per line.
 */
type BlockKind = 'paragraph' | 'item' | 'heading' | 'code' | 'contents';

interface Block {
  kind: BlockKind;
  level: number;
  lines: PdfLine[];
}

/** Joins `lines` into the document's text, with headings at the given lines. */
export function assembleText(lines: readonly PdfLine[], headings: readonly LineHeading[], pageCount: number, bodySize: number): AssembledText {
  const stats = measureDocument(lines, bodySize);
  const blocks = groupBlocks(lines, headings, stats);
  return writeBlocks(blocks, pageCount, stats);
}

interface DocumentStats {
  /** Usual baseline-to-baseline distance, by font size rounded to half a point. */
  lineGapBySize: Map<number, number>;
  bodyLineGap: number;
  bodySize: number;
  /** Usual column edges by column (-1, 0, 1), for pages with too few lines to tell. */
  edges: Map<number, { left: number; right: number }>;
  /** Hyphenated compounds seen inside lines (lower case), e.g. `inter-governmental`. */
  compounds: Set<string>;
  /** The character the typesetter inserts where it breaks a word, when it differs from the real hyphen (e.g. U+2010). */
  breakHyphen: string | null;
}

function measureDocument(lines: readonly PdfLine[], bodySize: number): DocumentStats {
  const gaps = new Map<number, number[]>();
  for (let i = 1; i < lines.length; i++) {
    const a = lines[i - 1]!;
    const b = lines[i]!;
    if (a.page !== b.page || a.column !== b.column || Math.abs(a.size - b.size) > 0.05 * a.size) continue;
    const gap = a.y - b.y;
    if (gap <= 0.5 * a.size || gap > 2.5 * a.size) continue;
    const key = sizeKey(a.size);
    const list = gaps.get(key) ?? [];
    list.push(gap);
    gaps.set(key, list);
  }
  const lineGapBySize = new Map<number, number>();
  for (const [size, list] of gaps) if (list.length >= 3) lineGapBySize.set(size, median(list));
  const bodyLineGap = lineGapBySize.get(sizeKey(bodySize)) ?? 1.2 * bodySize;

  const edges = new Map<number, { left: number; right: number }>();
  for (const column of [-1, 0, 1]) {
    const reliable = lines.filter((line) => line.column === column && line.columnLines >= MIN_LINES_FOR_EDGES);
    if (reliable.length > 0) edges.set(column, { left: median(reliable.map((line) => line.columnLeft)), right: median(reliable.map((line) => line.columnRight)) });
  }

  // How this document hyphenates: compounds written inside lines, and whether the
  // typesetter's own breaks use a hyphen character that never appears inside a line.
  const compounds = new Set<string>();
  const inside = new Map<string, number>();
  const atEnd = new Map<string, number>();
  for (const line of lines) {
    const body = line.text.replace(LINE_END_HYPHEN, '$1');
    for (const match of body.matchAll(COMPOUND)) {
      compounds.add(match[0].toLowerCase().replace(/\u2010/g, '-'));
      for (const ch of match[0]) if (ch === '-' || ch === '\u2010') inside.set(ch, (inside.get(ch) ?? 0) + 1);
    }
    const end = LINE_END_HYPHEN.exec(line.text);
    if (end) atEnd.set(end[2]!, (atEnd.get(end[2]!) ?? 0) + 1);
  }
  let breakHyphen: string | null = null;
  if ((atEnd.get('\u2010') ?? 0) > 0 && (inside.get('\u2010') ?? 0) === 0 && (inside.get('-') ?? 0) > 0) breakHyphen = '\u2010';
  return { lineGapBySize, bodyLineGap, bodySize, edges, compounds, breakHyphen };
}

function sizeKey(size: number): number {
  return Math.round(size * 2) / 2;
}

function groupBlocks(lines: readonly PdfLine[], headings: readonly LineHeading[], stats: DocumentStats): Block[] {
  const headingAt = new Map(headings.map((heading) => [heading.line, heading]));
  // Monospaced lines are code only where the body is not itself monospaced (a printed text file).
  const monoChars = lines.reduce((sum, line) => sum + (line.mono ? line.text.length : 0), 0);
  const allChars = lines.reduce((sum, line) => sum + line.text.length, 0);
  const codeFont = monoChars < 0.5 * allChars;
  const blocks: Block[] = [];
  let current = null as Block | null;
  for (let i = 0; i < lines.length; i++) {
    const heading = headingAt.get(i);
    if (heading) {
      current = null;
      blocks.push({ kind: 'heading', level: heading.level, lines: lines.slice(i, i + heading.lineCount) });
      i += heading.lineCount - 1;
      continue;
    }
    const line = lines[i]!;
    // A line of only punctuation ("{", "...") goes with the code around it.
    const code: boolean = codeFont && (line.mono ?? current?.kind === 'code');
    if (current && (current.kind === 'code') === code && continuesBlock(current, line, lines[i + 1] ?? null, stats)) {
      current.lines.push(line);
      if (LEADERS.test(line.text) && current.kind === 'paragraph') {
        current.kind = 'contents';
        current = null;
      }
      continue;
    }
    const kind: BlockKind = code ? 'code' : LEADERS.test(line.text) ? 'contents' : BULLET.test(line.text) ? 'item' : 'paragraph';
    current = { kind, level: 0, lines: [line] };
    blocks.push(current);
    if (kind === 'contents') current = null;
  }
  return blocks;
}

/** Whether `line` goes on with `block` (whose last line is just above it, or before a page or column break). */
function continuesBlock(block: Block, line: PdfLine, next: PdfLine | null, stats: DocumentStats): boolean {
  const previous = block.lines.at(-1)!;
  if (block.kind === 'code') {
    // Code goes on line by line until a blank line or a break.
    const usual = stats.lineGapBySize.get(sizeKey(previous.size)) ?? stats.bodyLineGap * (previous.size / stats.bodySize);
    return previous.page === line.page && previous.column === line.column && line.y < previous.y && previous.y - line.y <= PARAGRAPH_GAP_RATIO * usual;
  }
  if (BULLET.test(line.text)) return false;
  if (Math.abs(previous.size - line.size) > SIZE_CHANGE_SHARE * Math.max(previous.size, line.size)) return false;
  const flowBreak = previous.page !== line.page || previous.column !== line.column || line.y >= previous.y;
  if (flowBreak) {
    // Across a page or column break a paragraph goes on when its sentence does: the next
    // line starts in lower case, or (a name, a number) the line before ran to the margin
    // and the next one is not indented.
    if (SENTENCE_END.test(previous.text)) return false;
    if (/^\p{Ll}/u.test(line.text)) return true;
    const before = edgesOf(previous, stats);
    const after = edgesOf(line, stats);
    const full = before.right - previous.x1 <= line.firstWordWidth + FIT_SLACK_EM * previous.size;
    return full && line.x0 - after.left < INDENT_EM * line.size;
  }
  const gap = previous.y - line.y;
  const usual = stats.lineGapBySize.get(sizeKey(previous.size)) ?? stats.bodyLineGap * (previous.size / stats.bodySize);
  if (gap > PARAGRAPH_GAP_RATIO * usual) return false;
  const em = line.size;
  const { left, right } = edgesOf(line, stats);
  // First-line indent: set in from the line above and from the line below.
  const lastOfColumn = next === null || next.page !== line.page || next.column !== line.column;
  const setIn = line.x0 - previous.x0 > INDENT_EM * em && (lastOfColumn || line.x0 - next.x0 > INDENT_EM * em || (line.x0 - left > INDENT_EM * em && previous.x0 - left < INDENT_EM * em));
  if (setIn && block.kind !== 'item') return false;
  // Set out again after a block's indented continuation lines (a hanging indent ends).
  if (block.lines.length > 1 && previous.x0 - line.x0 > INDENT_EM * em && block.kind !== 'item') return false;
  // The line above ended early although the first word of this one would have fitted: it ended a paragraph.
  const room = right - previous.x1;
  if (room > line.firstWordWidth + FIT_SLACK_EM * em) return false;
  return true;
}

function edgesOf(line: PdfLine, stats: DocumentStats): { left: number; right: number } {
  if (line.columnLines >= MIN_LINES_FOR_EDGES) return { left: line.columnLeft, right: line.columnRight };
  return stats.edges.get(line.column) ?? { left: line.columnLeft, right: line.columnRight };
}

function writeBlocks(blocks: readonly Block[], pageCount: number, stats: DocumentStats): AssembledText {
  // Parts, not one growing string: a line-end hyphen is taken off the last part, and
  // cutting the end off a long string would copy it (quadratic on a 300-page book).
  const parts: string[] = [];
  let length = 0;
  const push = (part: string): void => {
    parts.push(part);
    length += part.length;
  };
  const firstOffset = new Array<number>(pageCount).fill(-1);
  const headings: Heading[] = [];
  let previousKind: BlockKind | null = null;
  for (const block of blocks) {
    // List items and contents entries in a row are one block, a line each.
    const sameList = block.kind === previousKind && (block.kind === 'item' || block.kind === 'contents');
    if (length > 0) push(sameList ? '\n' : '\n\n');
    const start = length;
    const firstPart = parts.length;
    const indents = block.kind === 'code' ? codeIndents(block.lines) : null;
    for (const [i, line] of block.lines.entries()) {
      if (indents) {
        push(`${i > 0 ? '\n' : ''}${' '.repeat(indents[i]!)}`);
      } else if (i > 0) {
        const joined = joinLines(parts.at(-1)!, line.text, stats);
        length += joined.before.length - parts.at(-1)!.length;
        parts[parts.length - 1] = joined.before;
        push(joined.separator);
      }
      if (firstOffset[line.page] === -1) firstOffset[line.page] = length;
      push(line.text);
    }
    if (block.kind === 'heading') headings.push({ start, end: length, level: block.level, title: parts.slice(firstPart).join('') });
    previousKind = block.kind;
  }
  const text = parts.join('');
  // A page with no text of its own starts where the next text does.
  const pageStarts = new Array<number>(pageCount);
  let next = text.length;
  for (let page = pageCount - 1; page >= 0; page--) {
    if (firstOffset[page]! >= 0) next = firstOffset[page]!;
    pageStarts[page] = next;
  }
  // A page whose text was joined into the paragraph before it starts mid-paragraph; the
  // offsets still increase, but make sure of it (a page starts no earlier than the one before).
  for (let page = 1; page < pageCount; page++) pageStarts[page] = Math.max(pageStarts[page]!, pageStarts[page - 1]!);
  return { text, pageStarts, headings };
}

/** Spaces before each code line, from how far it is set in (in the font's character width). */
function codeIndents(lines: readonly PdfLine[]): number[] {
  const left = Math.min(...lines.map((line) => line.x0));
  const widths = lines.filter((line) => line.text.length >= 4).map((line) => (line.x1 - line.x0) / line.text.length);
  const charWidth = widths.length > 0 ? median(widths) : 0.6 * lines[0]!.size;
  return lines.map((line) => Math.max(0, Math.min(40, Math.round((line.x0 - left) / charWidth))));
}

/**
 * How two lines of one paragraph meet: `before` is the first line's text as it ends in the
 * paragraph (a hyphen that only broke a word removed), `separator` what goes between.
 */
export function joinLines(first: string, second: string, stats: Pick<DocumentStats, 'compounds' | 'breakHyphen'>): { before: string; separator: string } {
  const hyphen = LINE_END_HYPHEN.exec(first);
  if (hyphen) {
    const mark = hyphen[2]!;
    const withoutMark = first.slice(0, -1);
    if (mark === '\u00ad') return { before: withoutMark, separator: '' };
    // A capital or a digit after the break: a compound's own hyphen ("GSS-" + "API").
    if (!/^\p{Ll}/u.test(second)) return { before: first, separator: '' };
    if (stats.breakHyphen !== null) return mark === stats.breakHyphen ? { before: withoutMark, separator: '' } : { before: first, separator: '' };
    const head = /(\p{L}+)[-\u2010]$/u.exec(first)?.[1] ?? '';
    const tail = /^\p{L}+/u.exec(second)?.[0] ?? '';
    const compound = `${head}-${tail}`.toLowerCase();
    // The document writes this compound with its hyphen elsewhere, or the hyphen is one of
    // a chain ("state-of-the-" + "art", "i686-pc-" + "linux-gnu"): typesetters do not
    // break words that already hold a hyphen anywhere but at it.
    const headToken = /\S+$/u.exec(first.slice(0, -1))?.[0] ?? '';
    const tailToken = /^\S+/u.exec(second)?.[0] ?? '';
    if (stats.compounds.has(compound) || /[-\u2010]/.test(headToken) || /\p{L}[-\u2010]\p{L}/u.test(tailToken)) return { before: first, separator: '' };
    return { before: withoutMark, separator: '' };
  }
  // "2013–" + "2015", "2011-" + "2012", "well—" + "known": a dash set solid stays solid.
  if (/[\p{L}\p{N}][-\u2010–—]$/u.test(first) && /^[\p{L}\p{N}]/u.test(second)) return { before: first, separator: '' };
  // An identifier broken after an underscore ("gss_" + "check_version()") is one word.
  if (/[\p{L}\p{N}]_$/u.test(first) && /^[\p{L}\p{N}_]/u.test(second)) return { before: first, separator: '' };
  // A link broken after a slash or dot goes on without a space.
  if (/(?:^|\s)(?:https?:\/\/|www\.)\S*[/.\-_?&=#]$/.test(first) && /^[\w%~]/.test(second)) return { before: first, separator: '' };
  if (first.endsWith(' ') || second.startsWith(' ')) return { before: first, separator: '' };
  return { before: first, separator: ' ' };
}
