import { foldSpace, type TextBuilder } from './text-builder.js';

/**
 * A DOM subtree → the blocks a reader of the page sees, in order, into a TextBuilder: the
 * one walker behind web pages, Word files (via mammoth's HTML) and EPUB chapters.
 *
 * - h1–h6 → headings with their level; p, div, blockquote, figcaption, dt, dd… → paragraphs
 *   (text directly inside a div is a paragraph too); ul/ol → lists, nested items flattened
 *   after their parent item; pre → paragraphs split at blank lines.
 * - Tables: a row whose cells hold only inline content is one paragraph, its non-empty
 *   cells joined by " · " (a row reads as one line, and no two cells' words run together);
 *   a layout table, whose cells hold paragraphs or other blocks, is read cell by cell as blocks.
 * - Inline elements are joined as written, so `Kazakh<span>stan</span>` stays one word,
 *   while `<br>`, cells and block boundaries always separate words (two `<br>` in a row
 *   end a paragraph, as they do on screen).
 * - Never read: script, style, template, noscript, svg, form controls, embedded objects,
 *   and hidden elements (`hidden`, `aria-hidden="true"`, `display:none`, screen-reader-only
 *   classes); permalink widgets (`<a href="#x">¶</a>`) next to headings.
 */

/** Elements whose content is never text a reader sees. */
const SKIPPED_ELEMENTS = new Set([
  'head', 'script', 'style', 'noscript', 'template', 'svg', 'math-annotation', 'iframe', 'object', 'embed', 'video', 'audio', 'canvas', 'map',
  'button', 'select', 'option', 'optgroup', 'datalist', 'textarea', 'input', 'img', 'picture', 'source', 'track', 'rp', 'rt', 'link', 'meta', 'base', 'title',
]);

/** Elements that start and end a block (CSS `display: block` and kin in a browser's default style sheet). */
const BLOCK_ELEMENTS = new Set([
  'html', 'body', 'address', 'article', 'aside', 'blockquote', 'center', 'dd', 'details', 'dialog', 'dir', 'div', 'dl', 'dt', 'fieldset', 'figcaption',
  'figure', 'footer', 'form', 'header', 'hgroup', 'hr', 'legend', 'li', 'main', 'menu', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'caption',
  'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'ul', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'frameset', 'frame', 'noframes', 'listing', 'plaintext', 'xmp',
]);

/** Class names that hide text from sighted readers (CSS frameworks' screen-reader-only text). */
const HIDDEN_CLASSES = new Set(['sr-only', 'screen-reader-text', 'visually-hidden', 'visuallyhidden', 'hidden', 'd-none']);
/** A link to an anchor on the same page whose only text is one of these is a permalink widget, not words. */
const PERMALINK_TEXT = new Set(['¶', '§', '#', '🔗', '']);
/**
 * Words in a link's target, class, id or role that make it a note's call: not
 * `reference` or `citation`, which Sphinx and others put on every cross-reference (the
 * reader of web pages keeps boxes marked with those: html.ts's `NOTE_WORDS`).
 */
const NOTE_CALL_WORDS = new Set(['footnote', 'footnotes', 'endnote', 'endnotes', 'fn', 'ftn', 'note', 'notes', 'noteref']);
/**
 * What a note's call in the running text shows: "[82]", "5", "[a]", "*" — as DocBook,
 * Wikipedia, Sphinx and Word (through mammoth) mark a footnote.
 */
const NOTE_CALL_TEXT = /^(?:\[\s*(?:\d{1,4}|[a-z]{1,2})\s*\]|\d{1,4}|[*†‡])$/i;
/** What separates the cells of a table row read as one line. */
export const CELL_SEPARATOR = ' · ';

const HEADING = /^h([1-6])$/;

export interface BlockOptions {
  /** Maps a heading's level (1–6) before it is recorded; an EPUB chapter shifts its own. */
  headingLevel?: (level: number) => number;
}

/**
 * Deepest nesting read. Browsers stop nesting elements at 512 levels (Blink's HTML parser
 * attaches deeper ones as siblings); only a hostile or broken file goes deeper, and the
 * walker's recursion would run out of stack long before a real page's depth could matter.
 */
export const MAX_NESTING_DEPTH = 512;

/** Adds the blocks of `root` (an element, itself included, or a whole document) to `builder`, in reading order. */
export function addHtmlBlocks(root: Node, builder: TextBuilder, options: BlockOptions = {}): void {
  const depth = measureNestingDepth(root);
  if (depth > MAX_NESTING_DEPTH) throw new Error(`html-blocks: elements are nested ${depth} deep, more than the ${MAX_NESTING_DEPTH} a browser shows (a broken or hostile file)`);
  const walker = new BlockWalker(builder, options);
  if (isElement(root)) walker.walk(root);
  else walker.walkChildren(root);
  walker.flush();
}

/** How deep elements nest under `root` (without recursion, so any depth can be measured). */
export function measureNestingDepth(from: Node): number {
  // A document's first child may be its doctype, which linkedom gives no next sibling.
  const root = from.nodeType === 9 ? ((from as Document).documentElement ?? from) : from;
  let deepest = 0;
  let depth = 0;
  let node: Node | null = root.firstChild;
  while (node) {
    if (node.nodeType === 1 && node.firstChild) {
      depth++;
      deepest = Math.max(deepest, depth);
      node = node.firstChild;
      continue;
    }
    while (node && !node.nextSibling && node !== root) {
      node = node.parentNode;
      depth--;
    }
    if (!node || node === root) break;
    node = node.nextSibling;
  }
  return deepest;
}

/** The text of an element as one line: inline content joined as written, blocks and `<br>` separated by spaces. */
export function readInlineText(node: Node): string {
  const parts: string[] = [];
  collectText(node, parts);
  return foldSpace(parts.join('').replace(/\u00ad/g, ''));
}

/** Whether an element is hidden from a reader of the rendered page. */
export function isHiddenElement(element: Element): boolean {
  if (element.hasAttribute('hidden')) return true;
  if (element.getAttribute('aria-hidden')?.trim().toLowerCase() === 'true') return true;
  const style = element.getAttribute('style');
  if (style && /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!important\s*)?(?:;|$)/i.test(style)) return true;
  const classes = element.getAttribute('class');
  if (classes && classes.split(/\s+/).some((name) => HIDDEN_CLASSES.has(name.toLowerCase()))) return true;
  if (nameOf(element) === 'dialog' && !element.hasAttribute('open')) return true;
  return false;
}

/** Whether the walker reads nothing inside this element. */
export function isSkippedElement(element: Element): boolean {
  return SKIPPED_ELEMENTS.has(nameOf(element)) || isHiddenElement(element) || isPermalink(element) || isNoteCall(element) || isNoteBacklink(element);
}

/** What a note's link back to its call shows (pandoc's "↩︎", Wikipedia's "^", "↑"). */
const BACKLINK_TEXT = /^(?:↩\uFE0E?|\^|↑)$/u;

/**
 * A note's link back to where it was called — pandoc's `↩︎` at the end of every EPUB and
 * HTML footnote (`role="doc-backlink"`, `class="footnote-back"`), Wikipedia's `^` — is
 * navigation, not the note's words: quoted, every note ended in "↩︎".
 */
function isNoteBacklink(element: Element): boolean {
  if (nameOf(element) !== 'a' || !(element.getAttribute('href') ?? '').startsWith('#')) return false;
  if (/\bdoc-backlink\b/.test(element.getAttribute('role') ?? '')) return true;
  if (/\b(?:footnote-back|footnote-backref|backref|backlink)\b/.test(element.getAttribute('class') ?? '')) return true;
  return BACKLINK_TEXT.test((element.textContent ?? '').trim());
}

/**
 * A footnote's call in the running text — a link to a note on the page, or a superscript
 * marked as a note, showing only a number or mark ("…half of the developers[1].") — is
 * no part of the sentence it interrupts: a quote would carry "[1]" with nothing to point
 * to. The note itself, with its own number, is read where it stands.
 */
function isNoteCall(element: Element): boolean {
  const name = nameOf(element);
  if (name !== 'a' && name !== 'sup') return false;
  if (!NOTE_CALL_TEXT.test((element.textContent ?? '').trim())) return false;
  const href = element.getAttribute('href') ?? '';
  if (name === 'a' && !href.startsWith('#')) return false;
  const labels = ['class', 'id', 'role', 'epub:type'].map((attribute) => element.getAttribute(attribute) ?? '');
  return splitWords([href, ...labels].join(' ')).some((word) => NOTE_CALL_WORDS.has(word));
}

function isPermalink(element: Element): boolean {
  if (nameOf(element) !== 'a') return false;
  const href = element.getAttribute('href');
  if (!href?.startsWith('#')) return false;
  if (/\bheaderlink\b/.test(element.getAttribute('class') ?? '')) return true;
  return PERMALINK_TEXT.has((element.textContent ?? '').trim()) && element.children.length === 0;
}

/**
 * A superscript number that is no note's call — an exponent ("2<sup>10</sup> bytes") or an
 * unmarked note number — is read after a "^": joined to what comes before, "2^10" would
 * read "210", and "developers<sup>3</sup>" would become the word "developers3". A
 * superscript of letters ("1<sup>st</sup>") stays joined.
 */
function isExponent(element: Element): boolean {
  return nameOf(element) === 'sup' && /^[-−+]?\d+(?:[.,]\d+)?$/.test((element.textContent ?? '').trim());
}

function nameOf(element: Element): string {
  return element.localName.toLowerCase();
}

function isElement(node: Node): node is Element {
  return node.nodeType === 1;
}

function isBlock(element: Element): boolean {
  return BLOCK_ELEMENTS.has(nameOf(element));
}

/** Blocks that make a table cell a column of a page rather than one value. */
const STRUCTURAL_BLOCKS = new Set(['table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'dl', 'pre', 'blockquote', 'section', 'article', 'nav', 'form']);

/**
 * Whether a table cell is a column of a layout table: it holds a heading, a list, a nested
 * table or the like, or several paragraphs. A cell holding one paragraph (every cell of a
 * Word table does) is one value.
 */
function isLayoutCell(cell: Element): boolean {
  let paragraphs = 0;
  const visit = (element: Element): boolean => {
    for (const child of element.children) {
      if (isSkippedElement(child)) continue;
      if (STRUCTURAL_BLOCKS.has(nameOf(child))) return true;
      if (visit(child)) return true;
      // Paragraphs are counted innermost, so <div><p>…</p></div> is one.
      if (isBlock(child) && ![...child.children].some(isBlock) && readInlineText(child) !== '' && ++paragraphs > 1) return true;
    }
    return false;
  };
  return visit(cell);
}

/**
 * Flattens a subtree into `parts` with spaces where blocks, cells and line breaks separate
 * words. Lists met on the way go to `lists` instead, when given (a list item's sublists).
 */
function collectText(node: Node, parts: string[], lists?: Element[]): void {
  for (const child of node.childNodes) {
    if (child.nodeType === 3) parts.push((child as Text).data);
    else if (isElement(child) && !isSkippedElement(child)) {
      const name = nameOf(child);
      if (name === 'br') {
        parts.push('\n');
        continue;
      }
      if (lists && (name === 'ul' || name === 'ol')) {
        lists.push(child);
        continue;
      }
      const block = isBlock(child);
      if (block) parts.push(' ');
      if (name === 'q') parts.push('“');
      if (isExponent(child)) parts.push('^');
      collectText(child, parts, lists);
      if (name === 'q') parts.push('”');
      if (block) parts.push(' ');
    }
  }
}

class BlockWalker {
  private inline: string[] = [];
  /** `<br>` seen since the last words: a second one ends the paragraph. */
  private breaks = 0;

  constructor(
    private readonly builder: TextBuilder,
    private readonly options: BlockOptions,
  ) {}

  walkChildren(node: Node): void {
    for (const child of node.childNodes) this.walk(child);
  }

  /** Ends the paragraph being gathered, if it has words. */
  flush(): void {
    if (this.inline.length > 0) this.builder.addParagraph(this.inline.join('').replace(/\u00ad/g, ''));
    this.inline = [];
    this.breaks = 0;
  }

  walk(node: Node): void {
    if (node.nodeType === 3) {
      const data = (node as Text).data;
      this.inline.push(data);
      if (/\S/.test(data)) this.breaks = 0;
      return;
    }
    if (!isElement(node) || isSkippedElement(node)) return;
    const name = nameOf(node);
    if (name === 'br') {
      if (++this.breaks >= 2) this.flush();
      else this.inline.push('\n');
      return;
    }
    const heading = HEADING.exec(name);
    if (heading) {
      this.flush();
      const level = Number(heading[1]);
      this.builder.addHeading(readInlineText(node), this.options.headingLevel?.(level) ?? level);
      return;
    }
    if (name === 'ul' || name === 'ol' || name === 'menu' || name === 'dir') {
      this.flush();
      const items: string[] = [];
      const depths: number[] = [];
      collectListItems(node, items, depths);
      this.builder.addList(items, name === 'ol', depths);
      return;
    }
    if (name === 'table') {
      this.flush();
      this.walkTable(node);
      return;
    }
    if (name === 'pre' || name === 'listing' || name === 'xmp' || name === 'plaintext') {
      this.flush();
      const parts: string[] = [];
      collectText(node, parts);
      for (const paragraph of parts.join('').split(/\n[ \t]*\n/)) this.builder.addParagraph(paragraph.replace(/\u00ad/g, ''));
      return;
    }
    if (isBlock(node)) {
      this.flush();
      this.walkChildren(node);
      this.flush();
      return;
    }
    if (name === 'q') this.inline.push('“');
    if (isExponent(node)) this.inline.push('^');
    this.walkChildren(node);
    if (name === 'q') this.inline.push('”');
  }

  private walkTable(table: Element): void {
    for (const part of table.children) {
      if (isSkippedElement(part)) continue;
      const name = nameOf(part);
      if (name === 'caption') {
        this.walkChildren(part);
        this.flush();
      } else if (name === 'thead' || name === 'tbody' || name === 'tfoot') {
        for (const row of part.children) if (nameOf(row) === 'tr' && !isSkippedElement(row)) this.walkRow(row);
      } else if (name === 'tr') this.walkRow(part);
    }
  }

  private walkRow(row: Element): void {
    const cells = [...row.children].filter((cell) => (nameOf(cell) === 'td' || nameOf(cell) === 'th') && !isSkippedElement(cell));
    if (cells.some(isLayoutCell)) {
      // A layout table: each cell is a column of the page, read as blocks.
      for (const cell of cells) {
        this.walkChildren(cell);
        this.flush();
      }
      return;
    }
    const texts = cells.map(readInlineText).filter((text) => text !== '');
    this.builder.addParagraph(texts.join(CELL_SEPARATOR));
  }
}

/** A list's items, one line each, with nested lists' items (one level deeper) following their parent item. */
function collectListItems(list: Element, items: string[], depths: number[], depth = 0): void {
  for (const child of list.childNodes) {
    if (child.nodeType === 3) {
      // Text straight inside a list (invalid, but shown) is an item of its own.
      if (/\S/.test((child as Text).data)) {
        items.push(foldSpace((child as Text).data));
        depths.push(depth);
      }
      continue;
    }
    if (!isElement(child) || isSkippedElement(child)) continue;
    const name = nameOf(child);
    if (name === 'ul' || name === 'ol') {
      collectListItems(child, items, depths, depth + 1);
      continue;
    }
    const parts: string[] = [];
    const sublists: Element[] = [];
    collectText(child, parts, sublists);
    items.push(foldSpace(parts.join('').replace(/\u00ad/g, '')));
    depths.push(depth);
    for (const sublist of sublists) collectListItems(sublist, items, depths, depth + 1);
  }
}

/** `cookie-notice shareBar` → cookie, notice, share, bar. */
export function splitWords(label: string): string[] {
  return label
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}
