import { DOMParser } from 'linkedom';
import { readTextFile } from './plain-text.js';
import type { ExtractedText, Heading, ReaderInput, SkippedRead } from './reader-types.js';

/**
 * Markdown (`.md`, `.markdown`) read as a document while staying verbatim: the text is
 * the file itself (decoded as plain text is), so every quote is a slice of the raw file,
 * markup included. What Markdown adds is structure: its headings — ATX (`## Title`) and
 * setext (a line underlined with `===` or `---`), plus a README's one-line HTML
 * `<h1>`…`<h6>` — recorded as sections, never inside fenced code or an HTML comment; and a
 * title that is the document's name, not its first line: front matter's `title`, else the
 * first level-1 heading, else the first line of text when it stands alone like a headline —
 * past badges, images, HTML and lines of links, which never name a document.
 */

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}(?:(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|(?:-[ \t]*){3,})$/;
/** Lines that start a block other than a paragraph, so no setext underline can make them a heading. */
const NOT_PARAGRAPH = /^(?: {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)| {0,3}>| {0,3}<| {0,3}\||\s{4})/;
const HTML_HEADING = /^ {0,3}<h([1-6])\b[^>]*>(.*?)<\/h\1>[ \t]*$/i;
const COMMENT_OPEN = /^ {0,3}<!--/;
/** Images (`![alt](src)`, `![alt][ref]`), which say nothing of what a document is called. */
const IMAGE = /!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])/g;
const LINK = /\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])/g;
/** A reference definition: `[label]: https://…`. */
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]]+\]:\s/;
/** What is left of a line of badges or links once they are taken out: separators at most. */
const SEPARATORS_ONLY = /^[\s|·•,–—-]*$/;

/** A Markdown file: its text verbatim, its headings, and its title. */
export async function readMarkdown(input: ReaderInput): Promise<ExtractedText | SkippedRead> {
  const file = readTextFile(input, 'md');
  if ('skip' in file) return file;
  const { extraction } = file;
  const headings = findMarkdownHeadings(extraction.text, extraction.bodyStart);
  return {
    ...extraction,
    headings,
    title: extraction.title ?? headings.find((heading) => heading.level === 1)?.title ?? guessMarkdownTitle(extraction.text, extraction.bodyStart),
  };
}

/**
 * The headings of a Markdown text from offset `from`, in order: each spans its line(s) as
 * written (a setext heading without its underline), with its words as `title`.
 */
export function findMarkdownHeadings(text: string, from = 0): Heading[] {
  const headings: Heading[] = [];
  let fence: { marker: string; length: number } | null = null;
  let inComment = false;
  // The block a line continues: a paragraph (which a setext underline makes a heading), or
  // another block (list, quote, table, HTML) that runs to the next blank line.
  let block: 'none' | 'paragraph' | 'other' = 'none';
  let paragraph: { start: number; end: number }[] = [];
  // A byte-order mark is not part of the first line's markup.
  for (const { start, end } of linesOf(text, text.charCodeAt(from) === 0xfeff ? from + 1 : from)) {
    const line = text.slice(start, end);
    if (fence) {
      const close = FENCE.exec(line);
      if (close && close[1]![0] === fence.marker && close[1]!.length >= fence.length && close[2]!.trim() === '') fence = null;
      continue;
    }
    if (inComment) {
      if (line.includes('-->')) inComment = false;
      continue;
    }
    const open = FENCE.exec(line);
    if (open && !(open[1]![0] === '`' && open[2]!.includes('`'))) {
      fence = { marker: open[1]![0]!, length: open[1]!.length };
      block = 'none';
      continue;
    }
    if (COMMENT_OPEN.test(line)) {
      inComment = !line.slice(line.indexOf('<!--') + 4).includes('-->');
      block = 'none';
      continue;
    }
    if (line.trim() === '') {
      block = 'none';
      continue;
    }
    const underline = SETEXT_UNDERLINE.exec(line);
    if (underline && block === 'paragraph') {
      const words = paragraph.map((part) => text.slice(part.start, part.end)).join(' ');
      addHeading(headings, text, paragraph[0]!.start, paragraph.at(-1)!.end, underline[1]![0] === '=' ? 1 : 2, words);
      block = 'none';
      continue;
    }
    const atx = ATX.exec(line);
    const html = atx ? null : HTML_HEADING.exec(line);
    if (atx || html) {
      addHeading(headings, text, start, end, atx ? atx[1]!.length : Number(html![1]), atx ? (atx[2] ?? '') : html![2]!);
      block = 'none';
      continue;
    }
    if (THEMATIC_BREAK.test(line)) block = 'none';
    else if (block === 'paragraph') paragraph.push({ start, end });
    else if (block === 'none') {
      block = NOT_PARAGRAPH.test(line) ? 'other' : 'paragraph';
      paragraph = [{ start, end }];
    }
  }
  return headings;
}

/**
 * The first line of text when it stands alone and reads like a headline (short, not ending
 * like a sentence), looking past badges, images, HTML, link-only lines and reference
 * definitions; null when the first text is a section heading or a paragraph.
 */
export function guessMarkdownTitle(text: string, from = 0): string | null {
  const lines = [...linesOf(text, from)];
  for (let i = 0; i < lines.length; i++) {
    const line = text.slice(lines[i]!.start, lines[i]!.end).trim();
    if (line === '' || isDecoration(line)) continue;
    // A heading below level 1 names a section ("## About"), not the document.
    if (/^#/.test(line) || FENCE.test(line)) return null;
    const next = lines[i + 1] ? text.slice(lines[i + 1]!.start, lines[i + 1]!.end).trim() : '';
    if (next !== '' || line.length > 200 || /[.!?:;,]$/.test(line)) return null;
    const words = plainWords(line);
    return words === '' ? null : words;
  }
  return null;
}

/** A line that decorates rather than says: HTML, badges and images, links alone, reference definitions. */
function isDecoration(line: string): boolean {
  if (line.startsWith('<') || REFERENCE_DEFINITION.test(line)) return true;
  return SEPARATORS_ONLY.test(line.replace(IMAGE, '').replace(LINK, ''));
}

/**
 * The words of a line of inline Markdown, as a reader of the rendered page sees them:
 * images dropped (a heading's badges), links as their text, code spans as their content,
 * emphasis marks, backslash escapes and HTML tags removed, entities decoded (by linkedom's
 * HTML parser), white space folded.
 */
export function plainWords(markdown: string): string {
  let html = markdown
    // Code spans and escaped characters are kept as written: as entities, which no later
    // rule matches and the HTML parser turns back into the characters.
    .replace(/(`+)(.+?)\1/g, (_whole, _ticks: string, code: string) => [...code.trim()].map((character) => `&#${character.codePointAt(0)};`).join(''))
    .replace(/\\([!-/:-@[-`{-~])/g, (_whole, character: string) => `&#${character.charCodeAt(0)};`)
    .replace(IMAGE, '')
    .replace(LINK, '$1')
    .replace(/<((?:https?|mailto):[^>\s]+)>/g, '$1')
    .replace(/(\*{1,3})(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/(?<![\p{L}\p{N}])(_{1,3})(?=\S)(.+?)(?<=\S)\1(?![\p{L}\p{N}])/gu, '$2')
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '$1');
  if (/[<&]/.test(html)) {
    const document = new DOMParser().parseFromString(`<!DOCTYPE html><html><body>${html}</body></html>`, 'text/html') as unknown as { body: { textContent: string | null } };
    html = document.body.textContent ?? '';
  }
  return html.replace(/\s+/g, ' ').trim();
}

function addHeading(headings: Heading[], text: string, start: number, end: number, level: number, markdown: string): void {
  const title = plainWords(markdown);
  if (title === '') return;
  // Spans start at the first character written, where the chunker's paragraph starts.
  let from = start;
  let to = end;
  while (from < to && /\s/.test(text[from]!)) from++;
  while (to > from && /\s/.test(text[to - 1]!)) to--;
  headings.push({ start: from, end: to, level, title });
}

/** The lines of `text` from `from`, without their line endings (`\r\n` too). */
function* linesOf(text: string, from: number): Generator<{ start: number; end: number }> {
  let start = from;
  while (start <= text.length) {
    const newline = text.indexOf('\n', start);
    const lineEnd = newline === -1 ? text.length : newline;
    yield { start, end: lineEnd > start && text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd };
    if (newline === -1) return;
    start = newline + 1;
  }
}
