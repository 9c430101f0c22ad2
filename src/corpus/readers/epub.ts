import path from 'node:path';
import { DOMParser } from 'linkedom';
import { addHtmlBlocks, readInlineText } from './html-blocks.js';
import { parseXhtmlDocument } from './parse-markup.js';
import { emptyExtraction, type ExtractedText, type ReaderInput, type SkippedRead } from './reader-types.js';
import { foldSpace, TextBuilder } from './text-builder.js';
import { openZip, ZipRefusal, type ZipArchive } from './zip-archive.js';

/**
 * EPUB books: the chapters of the spine, in order, each a section. A chapter's first
 * heading becomes a level-1 heading (its other headings keep their depth below it); a
 * chapter without a heading takes its title from the book's table of contents (nav
 * document, or NCX for EPUB 2). Chapters are read one at a time, so a book-length EPUB
 * holds one chapter's markup in memory at once. A book whose chapters are encrypted
 * (DRM) is skipped; font obfuscation (common in DRM-free books) is not encryption of text.
 */

/** Media types of spine items that hold text. */
const CHAPTER_TYPES = new Set(['application/xhtml+xml', 'text/html', 'application/xml', 'text/xml', 'application/x-dtbook+xml']);
/** Encryption algorithms that only obfuscate embedded fonts (IDPF and Adobe), leaving the text readable. */
const FONT_OBFUSCATION = new Set(['http://www.idpf.org/2008/embedding', 'http://ns.adobe.com/pdf/enc#RC']);
const FONT_FILE = /\.(?:otf|ttf|woff2?|eot)$/i;

interface ManifestItem {
  href: string;
  mediaType: string;
  properties: string;
}

/** An EPUB book's text, chapter by chapter, with its title. */
export async function readEpub(input: ReaderInput): Promise<ExtractedText | SkippedRead> {
  let zip: ZipArchive;
  try {
    zip = await openZip(input.bytes, input.limits.maxUnpackedBytes);
  } catch (error) {
    if (error instanceof ZipRefusal) return { skip: error.message };
    throw error;
  }
  try {
    return await readBook(zip);
  } catch (error) {
    if (error instanceof ZipRefusal) return { skip: error.message };
    throw error;
  }
}

async function readBook(zip: ZipArchive): Promise<ExtractedText | SkippedRead> {
  if (!zip.has('META-INF/container.xml')) {
    return { skip: 'damaged: not an EPUB book (it has no META-INF/container.xml); if it is another kind of file, give it that extension' };
  }
  const drm = await findEncryptedText(zip);
  if (drm) return { skip: `encrypted (DRM): ${drm} is encrypted, so the book's text cannot be read; use a DRM-free copy of the book` };

  const container = parseXml(await zip.readText('META-INF/container.xml'));
  const rootfile = elementsNamed(container, 'rootfile').find((element) => (element.getAttribute('media-type') ?? 'application/oebps-package+xml') === 'application/oebps-package+xml');
  const opfPath = decodeHref(rootfile?.getAttribute('full-path') ?? '');
  if (!opfPath || !zip.has(opfPath)) return { skip: `damaged: the book's package file${opfPath ? ` (${opfPath})` : ''} is missing` };

  const opf = parseXml(await zip.readText(opfPath));
  const opfFolder = path.posix.dirname(opfPath);
  const manifest = new Map<string, ManifestItem>();
  for (const item of elementsNamed(opf, 'item')) {
    const id = item.getAttribute('id');
    const href = item.getAttribute('href');
    if (id && href) manifest.set(id, { href: resolveHref(opfFolder, href), mediaType: (item.getAttribute('media-type') ?? '').toLowerCase(), properties: item.getAttribute('properties') ?? '' });
  }
  const spine = elementsNamed(opf, 'spine')[0];
  const chapters = elementsNamed(opf, 'itemref')
    .map((ref) => manifest.get(ref.getAttribute('idref') ?? ''))
    .filter((item): item is ManifestItem => item !== undefined && CHAPTER_TYPES.has(item.mediaType));
  if (chapters.length === 0) return { skip: 'damaged: the book lists no chapters in its spine' };

  const tocTitles = await readTocTitles(zip, manifest, spine?.getAttribute('toc') ?? null);
  const builder = new TextBuilder();
  const warnings: string[] = [];
  for (const chapter of chapters) {
    if (!zip.has(chapter.href)) {
      warnings.push(`the chapter ${chapter.href} listed in the book is missing; the rest was read`);
      continue;
    }
    addChapter(parseXhtmlDocument(await zip.readText(chapter.href)), builder, tocTitles.get(chapter.href) ?? null);
  }
  const { text, headings } = builder.build();
  if (text === '') return { skip: 'empty: the book has no text (only images, or chapters without words)' };
  const title = foldSpace(elementsNamed(opf, 'title')[0]?.textContent ?? '') || headings[0]?.title || null;
  return { ...emptyExtraction('epub'), text, title, headings, warnings };
}

/**
 * One chapter as a section: its first heading is made level 1 and the others keep their
 * depth relative to it; without a heading, the table of contents' title for the chapter
 * is added as its level-1 heading.
 */
function addChapter(document: Document, builder: TextBuilder, tocTitle: string | null): void {
  const body = document.querySelector('body') ?? document.documentElement;
  const firstHeading = [...body.querySelectorAll('h1, h2, h3, h4, h5, h6')].find((heading) => readInlineText(heading) !== '');
  if (!firstHeading && tocTitle) builder.addHeading(tocTitle, 1);
  const shift = firstHeading ? Number(firstHeading.localName.slice(1)) - 1 : 0;
  addHtmlBlocks(body, builder, { headingLevel: (level) => Math.max(1, level - shift) });
}

/**
 * Titles of the chapters from the book's table of contents (EPUB 3 nav document, else the
 * EPUB 2 NCX), by chapter path; the first title naming a chapter wins.
 */
async function readTocTitles(zip: ZipArchive, manifest: ReadonlyMap<string, ManifestItem>, ncxId: string | null): Promise<Map<string, string>> {
  const titles = new Map<string, string>();
  const remember = (href: string | null, title: string): void => {
    if (!href || !title) return;
    const target = href.split('#')[0]!;
    if (!titles.has(target)) titles.set(target, title);
  };
  const nav = [...manifest.values()].find((item) => item.properties.split(/\s+/).includes('nav'));
  if (nav && zip.has(nav.href)) {
    const document = parseXhtmlDocument(await zip.readText(nav.href));
    const navs = [...document.querySelectorAll('nav')];
    const toc = navs.find((element) => /(?:^|\s)toc(?:\s|$)/.test(element.getAttribute('epub:type') ?? element.getAttribute('role') ?? '')) ?? navs[0];
    for (const link of toc?.querySelectorAll('a[href]') ?? []) remember(resolveHref(path.posix.dirname(nav.href), link.getAttribute('href')!), readInlineText(link));
    if (titles.size > 0) return titles;
  }
  const ncx = (ncxId ? manifest.get(ncxId) : undefined) ?? [...manifest.values()].find((item) => item.mediaType === 'application/x-dtbncx+xml');
  if (ncx && zip.has(ncx.href)) {
    const document = parseXml(await zip.readText(ncx.href));
    for (const point of elementsNamed(document, 'navPoint')) {
      const label = elementsNamed(point, 'text')[0]?.textContent ?? '';
      const src = elementsNamed(point, 'content')[0]?.getAttribute('src') ?? null;
      remember(src ? resolveHref(path.posix.dirname(ncx.href), src) : null, foldSpace(label));
    }
  }
  return titles;
}

/**
 * The first content file encrypted with a real cipher, named for the message, or null.
 * `META-INF/encryption.xml` also lists obfuscated fonts in DRM-free books; those do not count.
 */
async function findEncryptedText(zip: ZipArchive): Promise<string | null> {
  if (!zip.has('META-INF/encryption.xml')) return null;
  const encryption = parseXml(await zip.readText('META-INF/encryption.xml'));
  for (const data of elementsNamed(encryption, 'EncryptedData')) {
    const algorithm = elementsNamed(data, 'EncryptionMethod')[0]?.getAttribute('Algorithm') ?? '';
    const uri = elementsNamed(data, 'CipherReference')[0]?.getAttribute('URI') ?? '';
    if (FONT_OBFUSCATION.has(algorithm) || FONT_FILE.test(uri)) continue;
    return uri ? decodeHref(uri) : 'its content';
  }
  return null;
}

function parseXml(xml: string): Document {
  return new DOMParser().parseFromString(xml, 'text/xml') as unknown as Document;
}

/** Elements with a local name, whatever their namespace prefix (`dc:title`, `opf:item`…). */
function elementsNamed(root: Document | Element, name: string): Element[] {
  const lower = name.toLowerCase();
  return [...root.querySelectorAll('*')].filter((element) => {
    const local = element.localName.toLowerCase();
    return local === lower || local.endsWith(`:${lower}`);
  });
}

/** A manifest or link href (relative, URL-encoded, maybe with a fragment) → the zip entry name. */
function resolveHref(folder: string, href: string): string {
  const [file, fragment] = href.split('#', 2) as [string, string | undefined];
  const joined = path.posix.normalize(path.posix.join(folder === '.' ? '' : folder, decodeHref(file)));
  return fragment === undefined ? joined : `${joined}#${fragment}`;
}

function decodeHref(href: string): string {
  try {
    return decodeURIComponent(href);
  } catch {
    return href;
  }
}
