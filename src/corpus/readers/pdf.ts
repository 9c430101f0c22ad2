import { createRequire } from 'node:module';
import path from 'node:path';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFDocumentProxy } from 'pdfjs-dist/types/src/display/api.js';
import { findFurniture } from './pdf-furniture.js';
import { findHeadings, type OutlineEntry } from './pdf-headings.js';
import { layOutRows, orderLines, type PageRows, type PdfLine, type PdfTextItem } from './pdf-layout.js';
import { assembleText } from './pdf-paragraphs.js';
import { emptyExtraction, type ExtractedText, type ReaderInput, type SkippedRead } from './reader-types.js';
import { judgeTextLayer } from './text-layer-quality.js';

/**
 * PDF files, through Mozilla's pdf.js: the text layer of every page in reading order,
 * lines joined into paragraphs, running headers, footers and page numbers left out (and
 * listed), headings from the outline or the font sizes, and where each page starts.
 * Pages are read one at a time and released, so memory stays bounded on long files.
 * Encrypted, damaged and image-only PDFs are skipped with what to do about them.
 */

// pdf.js loads the fonts it does not find embedded (the standard 14) and the CJK
// character maps from files shipped in its package; without them such text is lost.
const PDFJS_DIR = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const STANDARD_FONTS_DIR = `${path.join(PDFJS_DIR, 'standard_fonts')}${path.sep}`;
const CMAPS_DIR = `${path.join(PDFJS_DIR, 'cmaps')}${path.sep}`;

/** Outline entries followed at most (a book's bookmarks number in the hundreds). */
const MAX_OUTLINE_ENTRIES = 5_000;
/** A line in a font this much larger than the body's on page 1 can be the title. */
const TITLE_SIZE_RATIO = 1.15;

const SCANNED_ADVICE = 'run OCR (e.g. ocrmypdf) and add the result';

/** Reads a PDF's text, or says why it cannot be indexed. */
export async function readPdf(input: ReaderInput): Promise<ExtractedText | SkippedRead> {
  const task = pdfjs.getDocument({
    // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
    data: new Uint8Array(input.bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
    standardFontDataUrl: STANDARD_FONTS_DIR,
    cMapUrl: CMAPS_DIR,
    cMapPacked: true,
  });
  let document: PDFDocumentProxy;
  try {
    document = await task.promise;
  } catch (error) {
    await task.destroy().catch(() => {});
    return skipForOpenError(error);
  }
  try {
    return await extract(document, input);
  } finally {
    await document.destroy();
  }
}

function skipForOpenError(error: unknown): SkippedRead {
  const name = (error as Error | null)?.name;
  if (name === 'PasswordException') return { skip: 'encrypted: the PDF needs a password; save an unprotected copy' };
  const message = (error as Error | null)?.message ?? String(error);
  if (name === 'InvalidPDFException') return { skip: `damaged: not a readable PDF (${message.replace(/\.$/, '')}); the file may be truncated or not a PDF at all — download or export it again` };
  return { skip: `damaged: the PDF could not be opened (${message.replace(/\.$/, '')}); download or export it again` };
}

async function extract(document: PDFDocumentProxy, input: ReaderInput): Promise<ExtractedText | SkippedRead> {
  const pageCount = document.numPages;
  if (pageCount > input.limits.maxPages) return { skip: `too large: ${pageCount} pages, over the limit of ${input.limits.maxPages}; split the PDF (e.g. qpdf --split-pages=${input.limits.maxPages}) and add the parts` };
  if (pageCount === 0) return { skip: 'empty: the PDF has no pages' };

  const warnings: string[] = [];
  const pages: PageRows[] = [];
  const unreadable: number[] = [];
  let angledChars = 0;
  for (let index = 0; index < pageCount; index++) {
    try {
      const page = await document.getPage(index + 1);
      try {
        const content = await page.getTextContent();
        const items = content.items.filter((item): item is PdfTextItem & typeof item => 'str' in item);
        const monoFonts = new Set(Object.entries(content.styles).filter(([, style]) => style.fontFamily === 'monospace').map(([name]) => name));
        const rows = layOutRows(index, items, page.view, monoFonts);
        angledChars += rows.angledChars;
        pages.push(rows);
      } finally {
        page.cleanup();
      }
    } catch {
      unreadable.push(index + 1);
      pages.push({ page: index, rows: [], top: 0, bottom: 0, angledChars: 0 });
    }
  }
  if (unreadable.length === pageCount) return { skip: `damaged: none of its ${pageCount} pages could be read; download or export it again` };
  if (unreadable.length > 0) warnings.push(`${describePages(unreadable)} could not be read (damaged?) and ${unreadable.length === 1 ? 'is' : 'are'} missing from the text`);
  if (angledChars > 0) warnings.push(`${angledChars} characters of text set at an angle (margin notes, stamps) were left out`);

  const rawText = pages.map((page) => page.rows.map((row) => row.segments.map((segment) => segment.text).join(' ')).join('\n')).join('\n');
  const verdict = judgeTextLayer(rawText, pageCount - unreadable.length);
  if (!verdict.usable) {
    const why = verdict.problem === 'sparse' ? `no text layer: the PDF seems to be scanned images (${verdict.detail})` : `no text layer: its text is unreadable (${verdict.detail}); the PDF seems to be scanned images or its fonts have no Unicode map`;
    return { skip: `${why}; ${SCANNED_ADVICE}` };
  }
  const emptyPages = pages.filter((page) => page.rows.length === 0 && !unreadable.includes(page.page + 1)).map((page) => page.page + 1);
  if (emptyPages.length > 0 && emptyPages.length < pageCount) warnings.push(`${describePages(emptyPages)} ${emptyPages.length === 1 ? 'has' : 'have'} no text (blank or scanned?)`);

  // The body's size before and after taking the furniture out (headers are a small share of the text).
  const furniture = findFurniture(pages, bodyFontSize(pages, new Map()));
  const bodySize = bodyFontSize(pages, furniture.rowsByPage);
  const lines: PdfLine[] = [];
  for (const page of pages) {
    const skip = furniture.rowsByPage.get(page.page);
    const body = skip ? page.rows.filter((_, i) => !skip.has(i)) : page.rows;
    lines.push(...orderLines(page.page, body, bodySize));
  }
  const outline = await readOutline(document).catch(() => []);
  const headingLines = findHeadings(lines, outline, bodySize);
  const assembled = assembleText(lines, headingLines, pageCount, bodySize);
  const info = await document.getMetadata().then((metadata) => metadata.info as Record<string, unknown>).catch(() => ({}) as Record<string, unknown>);
  const title = meaningfulTitle(info['Title']) ?? titleFromFirstPage(lines, bodySize) ?? assembled.headings.find((heading) => heading.level === 1)?.title ?? null;
  return {
    ...emptyExtraction('pdf'),
    text: assembled.text,
    title,
    pageStarts: assembled.pageStarts,
    headings: assembled.headings,
    furniture: furniture.lines,
    warnings,
  };
}

/**
 * The font size most of the body text is set in (by characters), furniture aside, and
 * code too when there is prose: a reference manual's many code listings in 7 pt must not
 * make its 9 pt prose look like headings.
 */
function bodyFontSize(pages: readonly PageRows[], furniture: Map<number, Set<number>>): number {
  const prose = new Map<number, number>();
  const all = new Map<number, number>();
  const add = (weights: Map<number, number>, size: number, count: number): void => {
    weights.set(size, (weights.get(size) ?? 0) + count);
  };
  for (const page of pages) {
    const skip = furniture.get(page.page);
    page.rows.forEach((row, i) => {
      if (skip?.has(i)) return;
      for (const segment of row.segments) {
        const size = Math.round(segment.size * 2) / 2;
        add(all, size, segment.text.length);
        if (segment.monoChars < 0.5 * segment.text.length) add(prose, size, segment.text.length);
      }
    });
  }
  const proseChars = [...prose.values()].reduce((sum, count) => sum + count, 0);
  const allChars = [...all.values()].reduce((sum, count) => sum + count, 0);
  return mostCommon(proseChars >= 0.2 * allChars ? prose : all) ?? 10;
}

function mostCommon(weights: ReadonlyMap<number, number>): number | null {
  let best: number | null = null;
  let bestWeight = -1;
  for (const [value, weight] of weights) {
    if (weight > bestWeight) {
      best = value;
      bestWeight = weight;
    }
  }
  return best;
}

/** The outline (bookmarks) as entries with their depth and 0-based page, in order. */
async function readOutline(document: PDFDocumentProxy): Promise<OutlineEntry[]> {
  const outline = await document.getOutline();
  if (!outline) return [];
  const entries: OutlineEntry[] = [];
  const walk = async (items: typeof outline, level: number): Promise<void> => {
    for (const item of items) {
      if (entries.length >= MAX_OUTLINE_ENTRIES) return;
      const page = await pageOfDestination(document, item.dest).catch(() => null);
      if (page !== null && item.title.trim() !== '') entries.push({ title: item.title, level, page });
      if (item.items.length > 0) await walk(item.items, level + 1);
    }
  };
  await walk(outline, 1);
  return entries;
}

async function pageOfDestination(document: PDFDocumentProxy, dest: string | unknown[] | null): Promise<number | null> {
  const explicit = typeof dest === 'string' ? await document.getDestination(dest) : dest;
  if (!Array.isArray(explicit) || explicit.length === 0) return null;
  const target = explicit[0];
  if (typeof target === 'number') return target;
  if (target && typeof target === 'object' && 'num' in target) return document.getPageIndex(target as { num: number; gen: number });
  return null;
}

/** The document information's Title, unless it is a placeholder or a file name. */
export function meaningfulTitle(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const title = value.replace(/\s+/g, ' ').trim();
  if (title.length < 3 || !/\p{L}/u.test(title)) return null;
  if (/^(untitled|no title|title|document|microsoft word|slide \d+)\b/i.test(title)) return null;
  if (/^microsoft (word|powerpoint|excel) - /i.test(title)) return null;
  if (/\.(docx?|odt|rtf|pdf|html?|tex|dvi|ps|txt|md|pptx?|xlsx?|indd|qxd|pages)$/i.test(title)) return null;
  if (/^[A-Za-z]:\\|^\//.test(title)) return null;
  return title;
}

/** The largest text on the first page, when it stands out from the body. */
function titleFromFirstPage(lines: readonly PdfLine[], bodySize: number): string | null {
  const first = lines.filter((line) => line.page === lines[0]?.page && /\p{L}/u.test(line.text));
  if (first.length === 0) return null;
  const largest = Math.max(...first.map((line) => line.size));
  if (largest < TITLE_SIZE_RATIO * bodySize) return null;
  const start = first.findIndex((line) => line.size >= largest * 0.97);
  const parts = [first[start]!.text];
  for (let i = start + 1; i < first.length && parts.length < 3; i++) {
    const line = first[i]!;
    if (line.size < largest * 0.97 || first[i - 1]!.y - line.y > 2 * largest) break;
    parts.push(line.text);
  }
  const title = parts.join(' ').replace(/\s+/g, ' ').trim();
  return title.length > 0 && title.length <= 200 ? title : null;
}

/** "page 3", "pages 3, 5, 9", "pages 1, 2, 3, 4, 5 and 7 more", for messages. */
function describePages(pages: readonly number[]): string {
  if (pages.length === 1) return `page ${pages[0]}`;
  const shown = pages.slice(0, 5).join(', ');
  return pages.length > 5 ? `pages ${shown} and ${pages.length - 5} more` : `pages ${shown}`;
}
