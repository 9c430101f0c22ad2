import type { Heading } from './reader-types.js';

/**
 * Builds a reader's text one block at a time, in the shape the chunker reads: paragraphs
 * separated by a blank line, headings as paragraphs of their own (recorded with their
 * level), list items one per line. White space inside a block is folded to single spaces
 * (line breaks inside a paragraph are layout, not words). Offsets it records index the
 * text `build()` returns.
 */
export class TextBuilder {
  private readonly parts: string[] = [];
  private length = 0;
  private readonly headings: Heading[] = [];
  private readonly pageStarts: number[] = [];
  private pendingPage = false;

  /** Adds a paragraph; returns its start offset, or -1 when it held no words. */
  addParagraph(text: string): number {
    return this.addBlock(foldSpace(text));
  }

  /** Adds a heading at `level` (1 = top); it is a paragraph of its own and a section boundary. */
  addHeading(text: string, level: number): number {
    const title = foldSpace(text);
    const start = this.addBlock(title);
    if (start >= 0) this.headings.push({ start, end: start + title.length, level: Math.max(1, Math.min(9, Math.round(level))), title });
    return start;
  }

  /**
   * Adds a list as one block, an item a line, each behind `•` (or `N.` when ordered). Items
   * of nested lists give their `depths` (0 = top): they are indented behind `◦`, and only
   * top-level items are numbered.
   */
  addList(items: readonly string[], ordered = false, depths: readonly number[] = []): number {
    const lines: string[] = [];
    let number = 0;
    items.forEach((raw, i) => {
      const item = foldSpace(raw);
      if (item === '') return;
      const depth = depths[i] ?? 0;
      if (depth > 0) lines.push(`${'  '.repeat(depth)}◦ ${item}`);
      else lines.push(`${ordered ? `${++number}.` : '•'} ${item}`);
    });
    if (lines.length === 0) return -1;
    return this.addBlock(lines.join('\n'));
  }

  /** Marks that the next block begins a new page (pages with no text still count). */
  startPage(): void {
    if (this.pendingPage) this.pageStarts.push(this.offset);
    this.pendingPage = true;
  }

  /** The offset the next block would start at (for readers that track positions themselves). */
  get offset(): number {
    return this.length === 0 ? 0 : this.length + 2;
  }

  build(): { text: string; headings: Heading[]; pageStarts: number[] } {
    if (this.pendingPage) this.pageStarts.push(this.length);
    this.pendingPage = false;
    return { text: this.parts.join(''), headings: [...this.headings], pageStarts: [...this.pageStarts] };
  }

  private addBlock(block: string): number {
    if (block === '') return -1;
    if (this.length > 0) this.push('\n\n');
    const start = this.length;
    if (this.pendingPage) {
      this.pageStarts.push(start);
      this.pendingPage = false;
    }
    this.push(block);
    return start;
  }

  private push(part: string): void {
    this.parts.push(part);
    this.length += part.length;
  }
}

/** Runs of white space (line breaks, tabs, no-break spaces kept as they are) folded to one space, trimmed. */
export function foldSpace(text: string): string {
  return text.replace(/[ \t\r\n\f\v\u2028\u2029]+/g, ' ').trim();
}
