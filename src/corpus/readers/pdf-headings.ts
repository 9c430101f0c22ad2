import type { PdfLine } from './pdf-layout.js';

/**
 * Which lines of a PDF are headings. The document's outline (bookmarks) says so when it
 * has one: each entry is looked for on its page. Without a usable outline, short lines in
 * a clearly larger font than the body's are headings, ranked by size.
 */

/** An outline entry: its title, depth (1 = top) and the 0-based page it points to. */
export interface OutlineEntry {
  title: string;
  level: number;
  page: number;
}

/** A heading found among the lines: its first line, how many lines it spans, its level. */
export interface LineHeading {
  line: number;
  lineCount: number;
  level: number;
}

/** A font this much larger than the body's makes a short line a heading. */
const HEADING_SIZE_RATIO = 1.15;
/** Longest heading, in characters and words. */
const HEADING_MAX_CHARS = 150;
const HEADING_MAX_WORDS = 20;
/** Lines a heading may wrap over. */
const HEADING_MAX_LINES = 3;
/** Share of outline entries that must be found for the outline to be trusted. */
const OUTLINE_MIN_FOUND = 0.5;
/** Deepest heading level recorded. */
const MAX_LEVEL = 6;

/** The headings among `lines` (in reading order), by outline when it fits the text, else by font size. */
export function findHeadings(lines: readonly PdfLine[], outline: readonly OutlineEntry[], bodySize: number): LineHeading[] {
  if (outline.length > 0) {
    const found = matchOutline(lines, outline);
    if (found.length >= OUTLINE_MIN_FOUND * outline.length) return found;
  }
  return headingsBySize(lines, bodySize);
}

function matchOutline(lines: readonly PdfLine[], outline: readonly OutlineEntry[]): LineHeading[] {
  const firstLineOfPage = new Map<number, number>();
  lines.forEach((line, i) => {
    if (!firstLineOfPage.has(line.page)) firstLineOfPage.set(line.page, i);
  });
  const headings: LineHeading[] = [];
  const taken = new Set<number>();
  for (const entry of outline) {
    const key = keyOf(entry.title);
    const bare = keyOf(withoutNumber(entry.title));
    if (key === '') continue;
    const start = firstLineOfPage.get(entry.page);
    if (start === undefined) continue;
    search: for (let i = start; i < lines.length && lines[i]!.page === entry.page; i++) {
      if (taken.has(i)) continue;
      let joined = '';
      for (let count = 1; count <= HEADING_MAX_LINES && i + count - 1 < lines.length; count++) {
        const line = lines[i + count - 1]!;
        if (line.page !== entry.page || (count > 1 && Math.abs(line.size - lines[i]!.size) > 0.05 * line.size)) break;
        joined += ` ${line.text}`;
        const candidate = keyOf(joined);
        if (candidate === key || (bare.length > 1 && keyOf(withoutNumber(joined.trim())) === bare)) {
          headings.push({ line: i, lineCount: count, level: Math.min(MAX_LEVEL, entry.level) });
          for (let k = i; k < i + count; k++) taken.add(k);
          break search;
        }
        if (candidate.length >= key.length + 4) break;
      }
    }
  }
  return headings.sort((p, q) => p.line - q.line);
}

function headingsBySize(lines: readonly PdfLine[], bodySize: number): LineHeading[] {
  const groups: { line: number; lineCount: number; size: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!isHeadingCandidate(line, bodySize)) continue;
    let count = 1;
    let text = line.text;
    while (count < HEADING_MAX_LINES && i + count < lines.length) {
      const next = lines[i + count]!;
      const previous = lines[i + count - 1]!;
      const sameSize = Math.abs(next.size - line.size) <= 0.03 * line.size;
      const close = next.page === line.page && previous.y - next.y > 0 && previous.y - next.y <= 2 * line.size;
      if (!sameSize || !close || !isHeadingCandidate(next, bodySize)) break;
      text += ` ${next.text}`;
      count++;
    }
    if (text.length > HEADING_MAX_CHARS || text.split(/\s+/).length > HEADING_MAX_WORDS || (/\.$/.test(text) && !/\.\.\.$/.test(text))) continue;
    groups.push({ line: i, lineCount: count, size: line.size });
    i += count - 1;
  }
  const kept = groups.filter((group, g) => !isFigureText(lines, groups, g));
  // Level by size rank: the largest size is level 1. Sizes within half a point are one size.
  const sizes = [...new Set(kept.map((group) => Math.round(group.size * 2) / 2))].sort((p, q) => q - p);
  const bySize = kept.map((group) => ({ line: group.line, lineCount: group.lineCount, level: Math.min(MAX_LEVEL, sizes.indexOf(Math.round(group.size * 2) / 2) + 1) }));
  return [...bySize, ...numberedSubsections(lines, bySize)].sort((p, q) => p.line - q.line);
}

/** A numbered section's number and title: "3.1 Node Ports", "2 Drawing Attributes", "1.1 What is IDL?". */
const NUMBERED_TITLE = /^(\d+(?:\.\d+)*)\.?\s+\p{Lu}/u;
/** Longest numbered subsection title, in words. */
const SUBSECTION_MAX_WORDS = 10;

/**
 * Numbered subsections set in the body's own font ("3.1 Node Ports" under the larger "3
 * Advanced Features"): a short line numbered under a heading already found, before it in
 * reading order, and followed by a line that starts anew (not the rest of a sentence
 * such as "2.1 Million people were affected by the / floods…").
 */
function numberedSubsections(lines: readonly PdfLine[], headings: readonly LineHeading[]): LineHeading[] {
  const levels = new Map<string, number>();
  const headingAt = new Map(headings.map((heading) => [heading.line, heading]));
  const found: LineHeading[] = [];
  for (let i = 0; i < lines.length; i++) {
    const heading = headingAt.get(i);
    const text = lines[i]!.text.trim();
    const number = NUMBERED_TITLE.exec(text)?.[1];
    if (heading) {
      if (number) levels.set(number, heading.level);
      i += heading.lineCount - 1;
      continue;
    }
    if (!number || !number.includes('.')) continue;
    const parent = levels.get(number.slice(0, number.lastIndexOf('.')));
    const next = lines[i + 1]?.text.trim() ?? '';
    if (parent === undefined || text.split(/\s+/).length > SUBSECTION_MAX_WORDS || /[.,;:]$/.test(text) || !/^[\p{Lu}\d("“‘•–-]/u.test(next)) continue;
    const level = Math.min(MAX_LEVEL, parent + 1);
    levels.set(number, level);
    found.push({ line: i, lineCount: 1, level });
  }
  return found;
}

/** A figure's caption or a table's title ("Figure 6: …", "Fig. 2.", "Table 3 –"). */
const CAPTION = /^(?:Figure|Fig\.|Table|Listing|Plate)\s+[\dA-Z]+(?:[.\-–]\d+)*\s*[:.\-–—]/;
/** A line of prose: this long, or ending a sentence. */
const PROSE_MIN_CHARS = 40;

/**
 * Whether a heading candidate (by size) is text inside a drawing — node labels in a
 * graph, "hello world d", "n14 719" — rather than a heading. Such labels start lower
 * case and are followed by more labels, by the figure's caption or by other short lines,
 * never by prose. A lower-case heading followed by prose ("string" · "Results in a
 * free-form input field…") stays.
 */
function isFigureText(lines: readonly PdfLine[], groups: readonly { line: number; lineCount: number }[], g: number): boolean {
  const group = groups[g]!;
  const first = lines[group.line]!;
  if (!/^\p{Ll}/u.test(first.text.trim())) return false;
  const nextLine = group.line + group.lineCount;
  const next = lines[nextLine];
  if (!next || next.page !== first.page) return false;
  if (groups[g + 1]?.line === nextLine) return true;
  const text = next.text.trim();
  return CAPTION.test(text) || (text.length < PROSE_MIN_CHARS && !/[.:;!?]$/.test(text));
}

function isHeadingCandidate(line: PdfLine, bodySize: number): boolean {
  return line.size >= HEADING_SIZE_RATIO * bodySize && /\p{L}/u.test(line.text) && line.text.length <= HEADING_MAX_CHARS;
}

/** Letters and digits only, lower case: titles compare whatever their spacing and punctuation. */
function keyOf(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * A title without its number, so that an outline's "A Criticism of GSS" finds the line
 * "Appendix A Criticism of GSS" and "Credentials" finds "3.2.1 Credentials".
 */
function withoutNumber(title: string): string {
  return title.replace(/^(?:(?:[Cc]hapter|CHAPTER|[Aa]ppendix|APPENDIX|[Aa]nnex|[Pp]art|PART|[Ss]ection|[Cc]hapitre|[Kk]apitel|[Aa]nhang)\s+)?(?:\d+(?:\.\d+)*|[A-Z](?:\.\d+)*|[IVXLC]+)[.:]?\s+(?=\S)/, '');
}
