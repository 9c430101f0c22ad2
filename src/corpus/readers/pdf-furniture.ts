import { rowText, type PageRows } from './pdf-layout.js';

/**
 * Running headers, footers and page numbers: the rows at the top and bottom of pages
 * that are the page's furniture rather than its text. A row there is furniture when it
 * is a page number ("7", "xii", "Page 3 of 12", "- 3 -"), when it repeats (digits aside)
 * on several pages, or when it sits where such rows sit on other pages and carries a page
 * number ("Chapter 2: Preparation   7" in a manual whose chapter names change).
 */

/** Rows this close to the top or bottom edge (share of the page height) may be furniture. */
const BAND_SHARE = 0.15;
/** Rows looked at from each edge of a page. */
const ROWS_PER_EDGE = 2;
/** Baselines this close (in points) share a header or footer slot. */
const SLOT_TOLERANCE_PT = 1.5;
/** A line repeated on this many pages (at least 2; 3 once a document has 10 pages or more) is running text. */
const MIN_REPEATS = 3;
const MIN_REPEATS_SHARE = 0.2;

/** A page number: arabic, or a well-formed roman numeral (i–mmmcmxcix). */
const NUMBER = String.raw`(?:\d{1,5}|(?=[ivxlcdm])m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3}))`;
/** A page label on its own: "7", "xii", "Page 3", "Page 3 of 12", "- 3 -", "[3]", "3 / 12". */
const PAGE_LABEL = new RegExp(String.raw`^(?:(?:page|p\.|pg\.?|seite|página|pagina)\s*)?[-–—([]?\s*${NUMBER}\s*[-–—)\]]?(?:\s*(?:of|/|de|von|sur|di)\s*\d{1,5})?$`, 'i');
/** A row starting or ending with a page number set apart from its words. */
const NUMBERED_AT_EDGE = new RegExp(String.raw`^${NUMBER}\s+\S|\S\s+${NUMBER}$`, 'i');
const LONE_NUMBER = new RegExp(String.raw`(^|\s)${NUMBER}(?=\s|$)`, 'gi');

export interface Furniture {
  /** For each page, the indexes of its rows that are furniture. */
  rowsByPage: Map<number, Set<number>>;
  /** The distinct furniture lines, digits replaced by `#`. */
  lines: string[];
}

/** The furniture rows of a document's pages. */
export function findFurniture(pages: readonly PageRows[]): Furniture {
  const candidates: { page: number; index: number; edge: 'top' | 'bottom'; y: number; text: string; key: string }[] = [];
  for (const page of pages) {
    const height = page.top - page.bottom;
    if (height <= 0 || page.rows.length === 0) continue;
    // Rows are ordered top to bottom; a page of one or two rows has no furniture to tell apart.
    if (page.rows.length <= 2) continue;
    const seen = new Set<number>();
    for (let i = 0; i < Math.min(ROWS_PER_EDGE, page.rows.length); i++) {
      const row = page.rows[i]!;
      if (page.top - row.y <= BAND_SHARE * height && !seen.has(i)) {
        seen.add(i);
        candidates.push({ page: page.page, index: i, edge: 'top', y: row.y, text: rowText(row), key: keyOf(rowText(row)) });
      }
    }
    for (let i = page.rows.length - 1; i >= Math.max(0, page.rows.length - ROWS_PER_EDGE); i--) {
      const row = page.rows[i]!;
      if (row.y - page.bottom <= BAND_SHARE * height && !seen.has(i)) {
        seen.add(i);
        candidates.push({ page: page.page, index: i, edge: 'bottom', y: row.y, text: rowText(row), key: keyOf(rowText(row)) });
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
  const confirmed = candidates.filter((candidate) => PAGE_LABEL.test(candidate.text.trim()) || (pagesByKey.get(candidate.key)?.size ?? 0) >= minRepeats);
  // Slots: the places where confirmed furniture sits on at least two pages.
  const slots: { edge: string; y: number }[] = [];
  for (const candidate of confirmed) {
    const others = confirmed.filter((other) => other.edge === candidate.edge && other.page !== candidate.page && Math.abs(other.y - candidate.y) <= SLOT_TOLERANCE_PT);
    if (others.length > 0 && !slots.some((slot) => slot.edge === candidate.edge && Math.abs(slot.y - candidate.y) <= SLOT_TOLERANCE_PT)) slots.push({ edge: candidate.edge, y: candidate.y });
  }
  const furniture = new Set(confirmed);
  for (const candidate of candidates) {
    if (furniture.has(candidate)) continue;
    const inSlot = slots.some((slot) => slot.edge === candidate.edge && Math.abs(slot.y - candidate.y) <= SLOT_TOLERANCE_PT);
    if (inSlot && NUMBERED_AT_EDGE.test(candidate.text.trim())) furniture.add(candidate);
  }
  const rowsByPage = new Map<number, Set<number>>();
  const lines = new Set<string>();
  for (const candidate of furniture) {
    const rows = rowsByPage.get(candidate.page) ?? new Set<number>();
    rows.add(candidate.index);
    rowsByPage.set(candidate.page, rows);
    lines.add(candidate.text.replace(/\d+/g, '#').replace(/\s+/g, ' ').trim());
  }
  return { rowsByPage, lines: [...lines].sort() };
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
