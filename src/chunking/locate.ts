import type { Document, Heading } from '../domain.js';

/**
 * Where an offset of a document stands: on which page, under which headings. Both are
 * found by binary search over what the reader recorded, so a quote anywhere in a
 * 300-page PDF is located in microseconds.
 */

/** A list item's marker at the start of a line: a bullet, or a number ("10.", "3)"), and the space after it. */
export const LIST_MARKER = /^[ \t\u00a0]*(?:[•◦▪‣●○∙*+\-–—]|\d{1,3}[.)])[ \t\u00a0]+/;

/** Separator of a section path, as citations show it: `Reactions › The ministry`. */
export const SECTION_SEPARATOR = ' › ';

/** 1-based page an offset falls on, or null for a document without pages. */
export function pageAt(document: Pick<Document, 'pageStarts'>, offset: number): number | null {
  const starts = document.pageStarts;
  if (!starts || starts.length === 0) return null;
  // The last page whose start is at or before the offset.
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return low + 1;
}

/** The heading path an offset stands under (the latest heading of each level above it), or null. */
export function sectionAt(document: Pick<Document, 'headings'>, offset: number): string | null {
  const path = headingPathAt(document.headings, offset);
  return path.length === 0 ? null : path.map((heading) => heading.title).join(SECTION_SEPARATOR);
}

/** The headings in force at an offset, outermost first. A heading's own text stands under itself. */
export function headingPathAt(headings: readonly Heading[], offset: number): Heading[] {
  // Headings starting at or before the offset.
  let low = 0;
  let high = headings.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (headings[middle]!.start <= offset) low = middle + 1;
    else high = middle;
  }
  const path: Heading[] = [];
  for (let i = low - 1; i >= 0; i--) {
    const heading = headings[i]!;
    if (path.length === 0 || heading.level < path[0]!.level) path.unshift(heading);
    if (heading.level <= 1) break;
  }
  return path;
}

/**
 * Which item of a list an offset starts, when it starts one (right after its marker, on a
 * line of a run of marked lines): the item's own number ("10" for "10. …"), or for a
 * bulleted list its place in the run ("3" for the third bullet). Null anywhere else. Two
 * quotes from one long list — a chapter's endnotes, read as one paragraph — are told
 * apart by it ("paragraph 598, item 10").
 */
export function listItemAt(text: string, offset: number): string | null {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const marker = LIST_MARKER.exec(text.slice(lineStart, offset + 1));
  if (!marker || lineStart + marker[0].length !== offset) return null;
  const number = /\d+/.exec(marker[0]);
  if (number) return number[0];
  let place = 1;
  for (let end = lineStart - 1; end > 0; ) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    if (!LIST_MARKER.test(text.slice(start, end))) break;
    place++;
    end = start - 1;
  }
  return String(place);
}
