import { TextBuilder } from './text-builder.js';
import { emptyExtraction, type ExtractedText, type Heading, type ReaderInput, type SkippedRead } from './reader-types.js';
import { attributeOf, CDATA_SECTION_NODE, childElements, ELEMENT_NODE, expandedName, findElement, findElements, nameElement, parseXml, TEXT_NODE, textOf, type NamedElement, type NamespaceScope, type XmlNode } from './xml-names.js';
import { openZip, ZipRefusal, type ZipArchive } from './zip-archive.js';

/**
 * OpenDocument text (`.odt`, LibreOffice's and Google Docs' export format): the zip is
 * opened within the unpacking limits, `content.xml` parsed with its namespaces, and its body
 * read in document order — headings (`text:h`, at their outline level), paragraphs, lists,
 * table cells (each cell's paragraphs in row order), sections and text boxes.
 *
 * What a reader of the printed document does not see as the document's words is left out:
 * comments (`office:annotation`), tracked deletions (`text:tracked-changes`; tracked
 * insertions are shown, as in the document's own view), footnote and endnote markers
 * (`text:note-citation`), generated indexes (a table of contents repeats the headings with
 * page numbers) and images' alternative text. Footnote bodies are kept as paragraphs of
 * their own right after the paragraph that cites them: a footnote sits at the foot of the
 * page its reference is on, so this is its place in reading order, it keeps the section of
 * the words it annotates, and it never splits the cited sentence. Endnotes, printed at the
 * end of the document, come last.
 */

const NS = {
  office: 'urn:oasis:names:tc:opendocument:xmlns:office:1.0',
  text: 'urn:oasis:names:tc:opendocument:xmlns:text:1.0',
  table: 'urn:oasis:names:tc:opendocument:xmlns:table:1.0',
  draw: 'urn:oasis:names:tc:opendocument:xmlns:drawing:1.0',
  style: 'urn:oasis:names:tc:opendocument:xmlns:style:1.0',
  svg: 'urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0',
  dc: 'http://purl.org/dc/elements/1.1/',
  manifest: 'urn:oasis:names:tc:opendocument:xmlns:manifest:1.0',
} as const;

const textName = (local: string): string => expandedName(NS.text, local);
const officeName = (local: string): string => expandedName(NS.office, local);

const HEADING = textName('h');
const PARAGRAPH = textName('p');
const LIST = textName('list');
const LIST_ITEMS = new Set([textName('list-item'), textName('list-header')]);
const NOTE = textName('note');
const NOTE_BODY = textName('note-body');
const SPACE = textName('s');
/** Inline elements that stand for white space. */
const BREAKS = new Set([textName('tab'), textName('line-break')]);
/**
 * Elements whose content is not the document's words as a reader sees them: comments,
 * tracked deletions, declarations, forms, generated indexes (they repeat headings and
 * captions with page numbers), note markers, ruby annotations, alternative text.
 */
const SKIPPED = new Set([
  officeName('annotation'),
  officeName('annotation-end'),
  officeName('forms'),
  textName('tracked-changes'),
  textName('sequence-decls'),
  textName('variable-decls'),
  textName('user-field-decls'),
  textName('dde-connection-decls'),
  textName('table-of-content'),
  textName('illustration-index'),
  textName('table-index'),
  textName('object-index'),
  textName('user-index'),
  textName('alphabetical-index'),
  textName('bibliography'),
  textName('note-citation'),
  textName('ruby-text'),
  expandedName(NS.table, 'table-columns'),
  expandedName(NS.table, 'table-column'),
  expandedName(NS.svg, 'title'),
  expandedName(NS.svg, 'desc'),
]);
/** Where list styles are defined: a document's own (automatic) styles and its named ones. */
const STYLE_PARTS = new Set([officeName('automatic-styles'), officeName('styles')]);
/** Body elements of the OpenDocument kinds that are not text documents, with their extension. */
const OTHER_KINDS: ReadonlyMap<string, string> = new Map([
  [officeName('spreadsheet'), 'a spreadsheet (.ods)'],
  [officeName('presentation'), 'a presentation (.odp)'],
  [officeName('drawing'), 'a drawing (.odg)'],
  [officeName('chart'), 'a chart (.odc)'],
  [officeName('image'), 'an image (.odi)'],
]);

/** An ODT file's text, headings and title, or why it cannot be read. */
export async function readOdt(input: ReaderInput): Promise<ExtractedText | SkippedRead> {
  try {
    const archive = await openZip(input.bytes, input.limits.maxUnpackedBytes);
    // An encrypted ODT is a readable zip whose parts are ciphertext; only the manifest says so.
    if (await isPasswordProtected(archive)) return { skip: 'encrypted: the document is password-protected; save an unprotected copy' };
    if (!archive.has('content.xml')) return { skip: 'damaged: the file has no content.xml, so it is not an OpenDocument text; save it again from a word processor' };
    const body = extractOdtText(await archive.readText('content.xml'), archive.has('styles.xml') ? await archive.readText('styles.xml') : null);
    if ('skip' in body) return body;
    return {
      ...emptyExtraction('odt'),
      text: body.text,
      headings: body.headings,
      title: (await readMetaTitle(archive)) ?? body.headings[0]?.title ?? null,
    };
  } catch (error) {
    if (error instanceof ZipRefusal) return { skip: error.message };
    throw error;
  }
}

/**
 * The text and headings of an ODT's `content.xml` (with `styles.xml`, where list styles
 * may be defined), or why there are none.
 */
export function extractOdtText(contentXml: string, stylesXml: string | null): { text: string; headings: Heading[] } | SkippedRead {
  const content = parseXml(contentXml, 'content.xml');
  const parts = [...childElements(content)];
  const body = parts.find((part) => part.name === officeName('body'));
  const kind = body ? [...childElements(body)][0] : undefined;
  if (!kind) return { skip: 'damaged: content.xml has no document body; save it again from a word processor' };
  const other = OTHER_KINDS.get(kind.name);
  if (other) return { skip: `unsupported type: this OpenDocument file is ${other}, not a text document` };
  const styleParts = [...parts, ...(stylesXml === null ? [] : childElements(parseXml(stylesXml, 'styles.xml')))];
  const walker = new OdtWalker(findOrderedListStyles(styleParts.filter((part) => STYLE_PARTS.has(part.name))));
  walker.readBody(kind);
  const { text, headings } = walker.finish();
  return { text, headings };
}

/** Whether the manifest declares encrypted parts (ODF encrypts each part, not the zip). */
async function isPasswordProtected(archive: ZipArchive): Promise<boolean> {
  if (!archive.has('META-INF/manifest.xml')) return false;
  const manifest = parseXml(await archive.readText('META-INF/manifest.xml'), 'META-INF/manifest.xml');
  return findElement(manifest, expandedName(NS.manifest, 'encryption-data')) !== null;
}

/** `dc:title` from meta.xml, when set. */
async function readMetaTitle(archive: ZipArchive): Promise<string | null> {
  if (!archive.has('meta.xml')) return null;
  const meta = parseXml(await archive.readText('meta.xml'), 'meta.xml');
  const title = findElement(meta, expandedName(NS.dc, 'title'));
  const words = title ? textOf(title).replace(/\s+/g, ' ').trim() : '';
  return words === '' ? null : words;
}

/**
 * Names of list styles whose first level is numbered, from content.xml's automatic styles
 * and styles.xml's named ones: their items are written `1.`, `2.`… instead of `•`.
 */
function findOrderedListStyles(parts: readonly NamedElement[]): Set<string> {
  const ordered = new Set<string>();
  for (const part of parts) {
    for (const style of findElements(part, textName('list-style'))) {
      const name = attributeOf(style, NS.style, 'name');
      const first = [...childElements(style)].find((level) => attributeOf(level, NS.text, 'level') === '1');
      if (name && first?.name === textName('list-level-style-number') && (attributeOf(first, NS.style, 'num-format') ?? '') !== '') ordered.add(name);
    }
  }
  return ordered;
}

/** Walks an ODT body in document order, writing blocks into a TextBuilder. */
class OdtWalker {
  private readonly builder = new TextBuilder();
  /** Footnotes and text boxes met inside the block being read: they follow it. */
  private pending: NamedElement[] = [];
  private readonly endnotes: NamedElement[] = [];

  constructor(private readonly orderedListStyles: ReadonlySet<string>) {}

  readBody(body: NamedElement): void {
    this.readBlocks(body);
  }

  finish(): ReturnType<TextBuilder['build']> {
    for (let i = 0; i < this.endnotes.length; i++) this.readBlocks(this.endnotes[i]!);
    return this.builder.build();
  }

  private readBlocks(parent: NamedElement): void {
    for (const child of childElements(parent)) this.readBlock(child);
  }

  private readBlock(element: NamedElement): void {
    if (SKIPPED.has(element.name)) return;
    if (element.name === HEADING) {
      const level = Number(attributeOf(element, NS.text, 'outline-level') ?? '1');
      this.builder.addHeading(this.readInline(element), Number.isFinite(level) && level >= 1 ? level : 1);
      this.flushPending();
    } else if (element.name === PARAGRAPH) {
      this.builder.addParagraph(this.readInline(element));
      this.flushPending();
    } else if (element.name === LIST) {
      const items: string[] = [];
      this.readList(element, items);
      this.flushList(items, this.isOrdered(element));
    } else {
      // Sections, tables (rows, cells), text boxes and anything unknown: their words, in order.
      this.readBlocks(element);
    }
  }

  /**
   * Collects a list's items, nested lists flattened in order, one item per list item (its
   * paragraphs joined). A heading or a table inside a list ends the list block there.
   */
  private readList(list: NamedElement, items: string[]): void {
    const ordered = this.isOrdered(list);
    for (const item of childElements(list)) {
      if (!LIST_ITEMS.has(item.name)) continue;
      let words: string[] = [];
      const endItem = (): void => {
        const joined = words.join(' ').trim();
        if (joined !== '') items.push(joined);
        words = [];
      };
      for (const child of childElements(item)) {
        if (SKIPPED.has(child.name)) continue;
        if (child.name === PARAGRAPH) words.push(this.readInline(child));
        else if (child.name === LIST) {
          endItem();
          this.readList(child, items);
        } else {
          endItem();
          this.flushList(items, ordered);
          this.readBlock(child);
        }
      }
      endItem();
    }
  }

  private flushList(items: string[], ordered: boolean): void {
    if (items.length > 0) this.builder.addList(items, ordered);
    items.length = 0;
    this.flushPending();
  }

  private isOrdered(list: NamedElement): boolean {
    const style = attributeOf(list, NS.text, 'style-name');
    return style !== null && this.orderedListStyles.has(style);
  }

  /** Footnotes and text boxes of the block just written, as blocks of their own. */
  private flushPending(): void {
    while (this.pending.length > 0) {
      const next = this.pending.shift()!;
      this.readBlocks(next);
    }
  }

  /** The words of a paragraph or heading; notes and frames inside it are set aside. */
  private readInline(element: NamedElement): string {
    let words = '';
    const visit = (node: XmlNode, scope: NamespaceScope): void => {
      for (let child = node.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === TEXT_NODE || child.nodeType === CDATA_SECTION_NODE) {
          words += child.nodeValue ?? '';
          continue;
        }
        if (child.nodeType !== ELEMENT_NODE) continue;
        const named = nameElement(child, scope);
        if (SKIPPED.has(named.name)) continue;
        // `text:s text:c="n"` is n spaces; one is written, since the builder folds runs of
        // white space anyway and a hostile count (a billion) must not be allocated.
        if (named.name === SPACE || BREAKS.has(named.name)) words += ' ';
        else if (named.name === NOTE) this.setNoteAside(named);
        else if (named.name.startsWith(`{${NS.draw}}`)) this.pending.push(named);
        else visit(child, named.scope);
      }
    };
    visit(element.node, element.scope);
    return words;
  }

  private setNoteAside(note: NamedElement): void {
    const body = [...childElements(note)].find((part) => part.name === NOTE_BODY);
    if (!body) return;
    if (attributeOf(note, NS.text, 'note-class') === 'endnote') this.endnotes.push(body);
    else this.pending.push(body);
  }
}
