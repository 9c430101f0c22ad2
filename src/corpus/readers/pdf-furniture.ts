import { rowText, type PageRows } from './pdf-layout.js';

/**
 * Running headers, footers and page numbers: the rows at the top and bottom of pages
 * that are the page's furniture rather than its text. Only a row set apart from the body
 * by a wider gap than lines have can be furniture; it is when it is a page number ("7",
 * "xii", "Page 3 of 12", "- 3 -"), when it repeats (digits aside) on several neighbouring
 * pages in a font no larger than the body's, or when it sits where such rows sit on other
 * pages and carries a page number ("Chapter 2: Preparation   7" in a manual whose chapter
 * names change).
 */

/** Rows this close to the top or bottom edge (share of the page height) may be furniture. */
const BAND_SHARE = 0.15;
/** Rows looked at from each edge of a page. */
const ROWS_PER_EDGE = 2;
/**
 * Furniture stands apart from the body: a gap wider than this (in font sizes) separates it
 * from the text (body lines sit 1.2–1.3 apart; the fixtures' headers and footers stand 3
 * to 6 sizes away). Body lines that merely happen to repeat at the top of pages (a form,
 * a repeated passage) are not set apart like that.
 */
const SEPARATION_EM = 1.5;
/** Baselines this close (in points) share a header or footer slot. */
const SLOT_TOLERANCE_PT = 1.5;
/**
 * A repeated line in a font larger than the body's that little of the text is set in is a
 * heading that happens to open several pages ("Exercises"), and stays; running headers
 * are set in a size the text uses too (a manual whose code is in 7 pt and prose in 9 pt
 * has its 9 pt headers).
 */
const HEADING_SIZE_RATIO = 1.1;
const HEADING_FONT_MAX_SHARE = 0.05;
/** A line repeated on this many pages (at least 2; 3 once a document has 10 pages or more) is running text. */
const MIN_REPEATS = 3;
const MIN_REPEATS_SHARE = 0.2;

/** A page number: arabic, or a well-formed roman numeral (i–mmmcmxcix). */
const NUMBER = String.raw`(?:\d{1,5}|(?=[ivxlcdm])m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3}))`;
/** A page label on its own: "7", "xii", "Page 3", "Page 3 of 12", "- 3 -", "[3]", "3 / 12". */
const PAGE_LABEL = new RegExp(String.raw`^(?:(?:page|p\.|pg\.?|seite|página|pagina)\s*)?[-–—([]?\s*${NUMBER}\s*[-–—)\]]?(?:\s*(?:of|/|de|von|sur|di)\s*\d{1,5})?$`, 'i');
/** A row starting or ending with a page number set apart from its words. */
const NUMBERED_AT_EDGE = new RegExp(String.raw`^${NUMBER}\s+\S|\S\s+${NUMBER}$`, 'i');
/** Dot leaders before a number: a table-of-contents entry, never a running header. */
const LEADERS = /(?:\.\s?){4,}\s*\S{1,6}$/;
const LONE_NUMBER = new RegExp(String.raw`(^|\s)${NUMBER}(?=\s|$)`, 'gi');

export interface Furniture {
  /** For each page, the indexes of its rows that are furniture. */
  rowsByPage: Map<number, Set<number>>;
  /** The distinct furniture lines, digits replaced by `#`. */
  lines: string[];
}

/** The furniture rows of a document's pages, whose body text is set in `bodySize`. */
export function findFurniture(pages: readonly PageRows[], bodySize: number): Furniture {
  const candidates: { page: number; index: number; rowCount: number; edge: 'top' | 'bottom'; y: number; size: number; text: string; key: string }[] = [];
  for (const page of pages) {
    const height = page.top - page.bottom;
    if (height <= 0 || page.rows.length === 0) continue;
    // Rows are ordered top to bottom; a page of one or two rows has no furniture to tell apart.
    if (page.rows.length <= 2) continue;
    const seen = new Set<number>();
    const rows = page.rows;
    const apart = (upper: number, lower: number): boolean => rows[upper]!.y - rows[lower]!.y > SEPARATION_EM * Math.max(rows[upper]!.size, rows[lower]!.size);
    for (let i = 0; i < Math.min(ROWS_PER_EDGE, page.rows.length); i++) {
      const row = page.rows[i]!;
      // Set apart from the body below it, directly or with the other header row.
      const separated = apart(i, i + 1) || (i + 1 < ROWS_PER_EDGE && i + 2 < rows.length && apart(i + 1, i + 2));
      if (page.top - row.y <= BAND_SHARE * height && separated && !seen.has(i)) {
        seen.add(i);
        candidates.push({ page: page.page, index: i, rowCount: rows.length, edge: 'top', y: row.y, size: row.size, text: rowText(row), key: keyOf(rowText(row)) });
      }
    }
    for (let i = page.rows.length - 1; i >= Math.max(0, page.rows.length - ROWS_PER_EDGE); i--) {
      const row = page.rows[i]!;
      const separated = apart(i - 1, i) || (i - 1 > rows.length - 1 - ROWS_PER_EDGE && i - 2 >= 0 && apart(i - 2, i - 1));
      if (row.y - page.bottom <= BAND_SHARE * height && separated && !seen.has(i)) {
        seen.add(i);
        candidates.push({ page: page.page, index: i, rowCount: rows.length, edge: 'bottom', y: row.y, size: row.size, text: rowText(row), key: keyOf(rowText(row)) });
      }
    }
  }
  const pagesByKey = new Map<string, Set<number>>();
  for (const candidate of candidates) {
    const pagesOfKey = pagesByKey.get(candidate.key) ?? new Set<number>();
    pagesOfKey.add(candidate.page);
    pagesByKey.set(candidate.key, pagesOfKey);
  }
  const minRepeats = Math.max(2, Math.min(MIN_REPEATS, Math.ceil(pages.length * MIN_REPEATS_SHARE)));
  const headingSized = headingSizeTest(pages, bodySize);
  const runningKeys = new Set([...pagesByKey].filter(([, onPages]) => onPages.size >= minRepeats && isRunning(onPages)).map(([key]) => key));
  const confirmed = candidates.filter((candidate) => PAGE_LABEL.test(candidate.text.trim()) || (!headingSized(candidate.size) && runningKeys.has(candidate.key)));
  // Slots: the places where confirmed furniture sits on at least two pages.
  const slots: { edge: string; y: number }[] = [];
  for (const candidate of confirmed) {
    const others = confirmed.filter((other) => other.edge === candidate.edge && other.page !== candidate.page && Math.abs(other.y - candidate.y) <= SLOT_TOLERANCE_PT);
    if (others.length > 0 && !slots.some((slot) => slot.edge === candidate.edge && Math.abs(slot.y - candidate.y) <= SLOT_TOLERANCE_PT)) slots.push({ edge: candidate.edge, y: candidate.y });
  }
  const furniture = new Set(confirmed);
  // Candidates are listed outermost first on each edge, so a row's outer neighbour is
  // settled before it is: a slotted row must be the outermost or sit next to furniture.
  for (const [i, candidate] of candidates.entries()) {
    if (furniture.has(candidate)) continue;
    const inSlot = slots.some((slot) => slot.edge === candidate.edge && Math.abs(slot.y - candidate.y) <= SLOT_TOLERANCE_PT);
    const outer = candidates[i - 1];
    const outermost = candidate.index === 0 || candidate.index === candidate.rowCount - 1;
    const besideFurniture = outer !== undefined && outer.page === candidate.page && outer.edge === candidate.edge && furniture.has(outer);
    const numbered = NUMBERED_AT_EDGE.test(candidate.text.trim()) && !LEADERS.test(candidate.text);
    if (inSlot && (outermost || besideFurniture) && numbered && !headingSized(candidate.size)) furniture.add(candidate);
  }
  const rowsByPage = new Map<number, Set<number>>();
  const lines = new Set<string>();
  for (const candidate of furniture) {
    const rows = rowsByPage.get(candidate.page) ?? new Set<number>();
    rows.add(candidate.index);
    rowsByPage.set(candidate.page, rows);
    lines.add(candidate.text.replace(/\d+/g, '#').replace(LONE_NUMBER, (match, space: string) => `${space}#`).replace(/\s+/g, ' ').trim());
  }
  return { rowsByPage, lines: [...lines].sort() };
}

/** Whether a font size is a heading's: larger than the body's, and rare in the text. */
function headingSizeTest(pages: readonly PageRows[], bodySize: number): (size: number) => boolean {
  const chars: { size: number; count: number }[] = [];
  let total = 0;
  for (const page of pages) {
    for (const row of page.rows) {
      for (const segment of row.segments) {
        chars.push({ size: segment.size, count: segment.text.length });
        total += segment.text.length;
      }
    }
  }
  const known = new Map<number, boolean>();
  return (size) => {
    if (size <= HEADING_SIZE_RATIO * bodySize) return false;
    const key = Math.round(size * 4) / 4;
    let rare = known.get(key);
    if (rare === undefined) {
      let atLeast = 0;
      for (const entry of chars) if (entry.size >= key - 0.25) atLeast += entry.count;
      rare = atLeast < HEADING_FONT_MAX_SHARE * total;
      known.set(key, rare);
    }
    return rare;
  };
}

/**
 * Whether a line's pages look like a running header's: on neighbouring pages (or every
 * other page, as a book's left and right headers), not only far apart as a passage that
 * recurs in the text.
 */
function isRunning(pagesOfKey: ReadonlySet<number>): boolean {
  for (const page of pagesOfKey) if (pagesOfKey.has(page + 1) || pagesOfKey.has(page + 2)) return true;
  return false;
}

/** A row's text compared across pages: case, spacing and numbers (arabic or roman, alone) aside. */
function keyOf(text: string): string {
  return text
    .toLowerCase()
    .replace(/\d+/g, '#')
    .replace(LONE_NUMBER, (match, space: string) => (match.trim() === '' ? match : `${space}#`))
    .replace(/\s+/g, ' ')
    .trim();
}
