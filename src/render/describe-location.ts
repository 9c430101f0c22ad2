import { pageAt, SECTION_SEPARATOR } from '../chunking/locate.js';
import type { Chunk, Document, Quote } from '../domain.js';

/**
 * Where a quote or passage stands in its document, as citations show it: the page (of
 * how many) for a PDF, the section path when the document has headings, else the
 * paragraph — "page 3 of 12 · Reactions › The ministry", "Reactions › The ministry ·
 * paragraph 8", "paragraph 8" — and the list item a quote starts, when it starts one
 * ("paragraph 598, item 10", "page 4 of 9 · item 3").
 */
export function describeLocation(place: { page: number | null; pageCount: number | null; section: string | null; paragraph: number; item?: string | null }, title?: string): string {
  const parts: string[] = [];
  if (place.page !== null) parts.push(place.pageCount ? `page ${place.page} of ${place.pageCount}` : `page ${place.page}`);
  const section = withoutTitle(place.section, title);
  if (section) parts.push(section);
  // Pages locate a PDF quote; elsewhere the paragraph number is the finest locator there is.
  const item = place.item ? `item ${place.item}` : null;
  if (place.page === null) parts.push(item ? `paragraph ${place.paragraph}, ${item}` : `paragraph ${place.paragraph}`);
  else if (item) parts.push(item);
  return parts.join(' · ');
}

/** The location of a quote (its document's title, already cited, is not repeated as a section). */
export function describeQuoteLocation(quote: Pick<Quote, 'page' | 'pageCount' | 'section' | 'paragraph' | 'item' | 'documentTitle'>): string {
  return describeLocation(quote, quote.documentTitle);
}

/** The location of a whole passage (its first character) in its document. */
export function describePassageLocation(chunk: Chunk, document: Pick<Document, 'pageStarts' | 'title'>): string {
  return describeLocation({ page: pageAt(document, chunk.start), pageCount: document.pageStarts?.length ?? null, section: chunk.section, paragraph: chunk.paragraph }, document.title);
}

/** A section path less a leading heading that is the document's title ("Handbook › Rules" in "Handbook" → "Rules"). */
function withoutTitle(section: string | null, title: string | undefined): string | null {
  if (!section || !title) return section;
  if (section === title) return null;
  return section.startsWith(`${title}${SECTION_SEPARATOR}`) ? section.slice(title.length + SECTION_SEPARATOR.length) : section;
}

/**
 * Folds the line breaks a hard-wrapped text file puts inside a sentence, for a person to
 * read: a break between a word (or comma) and a word that goes on is a wrap, not a line of
 * its own. Breaks after a sentence end, before list markers, headings or quotes, and blank
 * lines stay. The quote's `text` itself (JSON, offsets) stays verbatim.
 */
export function foldWrappedLines(text: string): string {
  return text.replace(/(?<=[\p{L}\p{N},;)\]’”'"-])[ \t]*\r?\n[ \t]*(?=[\p{L}\p{N}(“‘"'])(?!\d{1,3}[.)][ \t])/gu, ' ');
}
