import type { Document, Heading } from '../domain.js';

/**
 * Where an offset of a document stands: on which page, under which headings. Both are
 * found by binary search over what the reader recorded, so a quote anywhere in a
 * 300-page PDF is located in microseconds.
 */

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
