import path from 'node:path';
import { Readability } from '@mozilla/readability';
import iconv from 'iconv-lite';
import { addHtmlBlocks, MAX_NESTING_DEPTH, measureNestingDepth, readInlineText, splitWords } from './html-blocks.js';
import { parseHtmlDocument, parseXhtmlDocument } from './parse-markup.js';
import { emptyExtraction, type ExtractedText, type ReaderInput, type SkippedRead } from './reader-types.js';
import { foldSpace, TextBuilder } from './text-builder.js';

/**
 * Web pages (`.html`, `.htm`, `.xhtml`) as a reader sees them: the page's main content, in
 * order, without navigation, sidebars, footers, cookie banners, forms or anything scripts
 * would draw. Nothing in the page is ever run: linkedom parses it, and scripts, styles and
 * hidden elements are never read.
 *
 * Bytes are decoded as a browser would (BOM, then `<meta charset>` / `http-equiv`, then
 * UTF-8 when valid, else Windows-1252, via iconv-lite). Mozilla's Readability finds where
 * the article is; the text is then read from the page itself, from the article's
 * `<article>`/`<main>` container when it sits in one, with boilerplate removed: Readability's
 * own output dropped the headline, the byline line and the caption of the article fixture,
 * and every heading and footnote of a Debian manual chapter. Without an article Readability
 * accepts, the `<article>`, `<main>`, `[role=main]` or `<body>` is read, boilerplate removed.
 */

/** Bytes scanned for a `<meta charset>` declaration (the HTML standard's prescan reads 1,024; pages often put scripts first). */
const CHARSET_PRESCAN_BYTES = 4_096;
/**
 * Characters Readability's article must reach to be taken as the page's main content: its
 * own default `charThreshold` (500), below which it reports failure to find an article.
 */
const MIN_ARTICLE_CHARS = 500;
/**
 * Readability's pick is widened to the container it sits in when the container (with
 * boilerplate removed) holds at most this many times its words: the pick then only lacks
 * the headline, captions or footnotes around it. Measured: 1.00–1.02 on the 25 pages with
 * a container (the article page, Debian Policy pages); the limit leaves room for longer
 * captions and notes, and keeps a page-wide `<main>` full of teasers out.
 */
const MAX_CONTAINER_GROWTH = 2;
/**
 * A pick with fewer than this share of the words of the body (boilerplate removed) is
 * taken for a fragment of a page that is all content, and the body is read instead.
 * Measured on 33 pages without a container: 0.77–1.00, and 0.28 on one (Debian Reference
 * chapter 11, where Readability kept one section of the chapter).
 */
const MIN_PICK_SHARE = 0.5;
/**
 * Pages with more elements than this are not handed to Readability, and the fallback reads
 * them: Readability on linkedom took 0.2–0.4 ms an element here (5,600 elements: 1–2 s), so
 * this bounds it near 4 s. News pages have a few thousand elements; long manuals, which
 * have more, are mostly content anyway.
 */
const MAX_READABILITY_ELEMENTS = 10_000;
/**
 * Pages nested deeper than this are not handed to Readability either: its time grows with
 * the cube of the depth (nested divs: 100 deep 1.2 s, 300 deep 0.8–2.5 s, 600 deep 5.6 s on
 * this loaded machine). The fixtures and 50 Debian manual pages nest 8–18 deep; busy news
 * sites reach 30–40.
 */
const MAX_READABILITY_DEPTH = 64;

/**
 * Elements that are never main content, whatever the page: site navigation, banners,
 * sidebars, forms. `header` is here only outside an article (an article's own header holds
 * its headline and byline).
 */
const BOILERPLATE_SELECTOR = [
  'nav', 'aside', 'form', 'footer', 'dialog',
  '[role=navigation]', '[role=banner]', '[role=contentinfo]', '[role=complementary]', '[role=search]', '[role=dialog]', '[role=alertdialog]',
].join(', ');
/**
 * Words in an element's id, class or aria-label that mark boilerplate: consent and cookie
 * banners, newsletter and subscription boxes, share bars, breadcrumbs, comment threads,
 * related-links boxes, and DocBook/Sphinx navigation bars (`navheader`, `navfooter`,
 * `related`, `toc`). The attribute is split into words (`cookie-notice`, `shareBar` →
 * cookie, notice, share, bar), so `shared-libraries` or `commentary` do not match.
 */
const BOILERPLATE_WORDS = new Set([
  'cookie', 'cookies', 'consent', 'gdpr', 'banner', 'newsletter', 'subscribe', 'subscription', 'share', 'sharing', 'sharedaddy', 'social', 'breadcrumb',
  'breadcrumbs', 'comment', 'comments', 'related', 'nav', 'navbar', 'navigation', 'navheader', 'navfooter', 'toc', 'skip', 'advert', 'advertisement', 'ad',
  'ads', 'promo', 'sponsor', 'sponsored', 'paywall', 'popup', 'modal',
]);
/**
 * A list or box whose text is at least this share links (and holds several) is a menu, a
 * tag cloud or a list of other pages: boilerplate. Article paragraphs with a few links sit
 * far below it (the article fixture's densest paragraph: 0.25).
 */
const MAX_LINK_DENSITY = 0.75;
const MIN_LINKS_FOR_DENSITY = 3;
/**
 * Inside the article, a box Readability cleaned out is removed when at least this share of
 * its text (headings aside) is links to other pages. The article fixture's "Read also" box:
 * 1.0; footnotes of the Debian New Maintainers' Guide that are one cross-reference
 * ("[82] See Section 1.1, “Social dynamics of Debian”."): 0.8–0.85, kept.
 */
const DROPPED_LINK_DENSITY = 0.9;
/** Words in an id or class that mark notes (DocBook's `footnote`, `ftn.x`; Sphinx's `footnote`): the document's words, whatever their links. */
const NOTE_WORDS = new Set(['footnote', 'footnotes', 'endnote', 'endnotes', 'fn', 'ftn', 'note', 'notes', 'citation', 'reference', 'references']);
const LINK_LIST_ELEMENTS = new Set(['ul', 'ol', 'dl', 'menu', 'div', 'section', 'table']);

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A web page's main content as text, with its title, canonical URL and headings. */
export async function readHtml(input: ReaderInput): Promise<ExtractedText | SkippedRead> {
  if (input.bytes.length === 0) return { skip: 'empty: the file has no text' };
  const decoded = decodeHtmlBytes(input.bytes);
  if ('skip' in decoded) return decoded;
  const parse = path.extname(input.fileName).toLowerCase() === '.xhtml' ? parseXhtmlDocument : parseHtmlDocument;
  const document = parse(decoded.text);
  const depth = measureNestingDepth(document);
  if (depth > MAX_NESTING_DEPTH) {
    return { skip: `damaged or hostile: elements are nested ${depth} deep, more than the ${MAX_NESTING_DEPTH} a browser shows; if the page is real, save it again from a browser` };
  }

  const title = findTitle(document);
  const url = findCanonicalUrl(document);
  const publication = readMeta(document, 'og:site_name');
  const date = readMeta(document, 'article:published_time');

  const builder = new TextBuilder();
  for (const root of findMainContent(document, () => parse(decoded.text)).elements) addHtmlBlocks(root, builder);
  const { text, headings } = builder.build();
  if (text === '') {
    const page = parse(decoded.text);
    if (readInlineText(page.body ?? page.documentElement) !== '') {
      return { skip: 'empty: the page holds only navigation (menus, links to other pages, a table of contents), no text of its own to quote' };
    }
    return { skip: 'empty: the page has no readable text (pages drawn by scripts are empty until a browser runs them, and Verbatim never runs them: save the page from a browser with "Save as… Web Page, Complete", or print it to PDF)' };
  }
  return {
    ...emptyExtraction('html'),
    text,
    encoding: decoded.encoding,
    title: title ?? headings.find((heading) => heading.level === 1)?.title ?? null,
    url,
    publication,
    date,
    headings,
    warnings: decoded.warning ? [decoded.warning] : [],
  };
}

/** A page's bytes as text, decoded as a browser would, and the encoding assumed. */
export function decodeHtmlBytes(bytes: Buffer): { text: string; encoding: string; warning?: string } | SkippedRead {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: iconv.decode(bytes.subarray(3), 'utf-8'), encoding: 'utf-8 (BOM)' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: iconv.decode(bytes.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: iconv.decode(bytes.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  if (bytes.subarray(0, CHARSET_PRESCAN_BYTES).includes(0)) {
    return { skip: 'binary: the file holds NUL bytes and is not a web page; if it is a document in another format, give it that format\'s extension' };
  }
  const declared = findDeclaredCharset(bytes);
  if (declared && declared !== 'utf-8') return { text: iconv.decode(bytes, declared), encoding: declared };
  try {
    return { text: strictUtf8.decode(bytes), encoding: 'utf-8' };
  } catch {
    // iconv-lite, not TextDecoder: Node's TextDecoder reads windows-1252 as Latin-1 and
    // turns curly quotes and dashes (0x80–0x9F) into control characters.
    const warning = declared ? 'the page declares UTF-8 but is not valid UTF-8; it was read as Windows-1252' : undefined;
    return { text: iconv.decode(bytes, 'windows-1252'), encoding: 'windows-1252', ...(warning ? { warning } : {}) };
  }
}

/**
 * The encoding a page declares in its first bytes (`<meta charset>`, `<meta http-equiv=
 * "Content-Type" content="…; charset=…">`, or an XML declaration), mapped as the Encoding
 * standard maps labels: Latin-1 and ASCII mean Windows-1252, UTF-16 cannot be declared
 * from inside ASCII-readable bytes (so means UTF-8). Unknown labels count as none.
 */
function findDeclaredCharset(bytes: Buffer): string | null {
  const head = bytes.subarray(0, CHARSET_PRESCAN_BYTES).toString('latin1');
  const label =
    /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([\w:.-]+)/i.exec(head)?.[1] ??
    /<\?xml\b[^>]*\bencoding\s*=\s*["']([\w:.-]+)["']/i.exec(head)?.[1];
  if (!label) return null;
  const name = label.toLowerCase();
  if (/^(?:utf-?8|unicode-1-1-utf-8|utf-?16(?:le|be)?|unicode)$/.test(name)) return 'utf-8';
  if (/^(?:iso-?8859-1|latin-?1|l1|us-ascii|ascii|iso_8859-1|cp819|ibm819|iso-ir-100|cp1252|x-cp1252)$/.test(name)) return 'windows-1252';
  return iconv.encodingExists(name) ? name : null;
}

/** The page's title: `<title>`, else `og:title`, else its first `<h1>`. */
function findTitle(document: Document): string | null {
  const candidates = [
    document.querySelector('title')?.textContent ?? '',
    readMeta(document, 'og:title') ?? '',
    (() => {
      const h1 = document.querySelector('h1');
      return h1 ? readInlineText(h1) : '';
    })(),
  ];
  return candidates.map(foldSpace).find((title) => title !== '') ?? null;
}

/** `<link rel="canonical">`, else `og:url`, when it is an absolute http(s) URL. */
function findCanonicalUrl(document: Document): string | null {
  const links = [...document.querySelectorAll('link[rel]')].filter((link) => /(?:^|\s)canonical(?:\s|$)/i.test(link.getAttribute('rel') ?? ''));
  for (const href of [...links.map((link) => link.getAttribute('href')), readMeta(document, 'og:url')]) {
    const url = absoluteHttpUrl(href);
    if (url) return url;
  }
  return null;
}

function absoluteHttpUrl(href: string | null | undefined): string | null {
  if (!href) return null;
  try {
    const url = new URL(href.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function readMeta(document: Document, property: string): string | null {
  for (const meta of document.querySelectorAll('meta')) {
    if ((meta.getAttribute('property') ?? meta.getAttribute('name'))?.toLowerCase() === property) {
      const content = foldSpace(meta.getAttribute('content') ?? '');
      if (content) return content;
    }
  }
  return null;
}

/** How the main content was found (for tests and measurements). */
export type MainContentSource = 'readability' | 'readability-container' | 'body' | 'article' | 'main';

/**
 * The elements holding the page's main content, in order (usually one), and how they were
 * found. Readability runs on a clone of the page to find where its article is; the text is
 * read from the page itself, widened to the `<article>`/`<main>` around it, with
 * boilerplate removed.
 */
export function findMainContent(document: Document, parseCopy: () => Document): { elements: Element[]; source: MainContentSource } {
  const body = document.body ?? document.documentElement;
  const article = pickArticle(document, parseCopy);
  const picked = article?.picked ?? null;
  removeBoilerplate(document, picked ?? []);
  if (article) removeDroppedLinkBoxes(article.dropped);

  if (picked) {
    const container = findSemanticContainer(picked);
    const pickedWords = countWords(picked);
    if (container) {
      // Readability's pick lacks the headline, captions or footnotes around it: read the whole article.
      if (countWords([container]) <= MAX_CONTAINER_GROWTH * pickedWords) return { elements: [container], source: 'readability-container' };
      return { elements: withHeadline(document, picked), source: 'readability' };
    }
    // A pick that is a small part of a page that is all content (a manual's chapter) dropped too much.
    if (pickedWords >= MIN_PICK_SHARE * countWords([body])) return { elements: withHeadline(document, picked), source: 'readability' };
    return { elements: [body], source: 'body' };
  }
  const largest = largestArticle(document);
  if (largest) return { elements: [largest], source: 'article' };
  const main = document.querySelector('main, [role=main]');
  if (main) return { elements: [main], source: 'main' };
  return { elements: [body], source: 'body' };
}

/**
 * Where Readability finds the article: the page's own elements it kept. Readability changes
 * the document it reads, so it reads a second parse of the page (parsing again is faster
 * than linkedom's cloneNode) whose elements are numbered in document order, the same order
 * as the page's. Null when it finds no article of MIN_ARTICLE_CHARS, fails, or the page
 * has more than MAX_READABILITY_ELEMENTS elements.
 */
function pickArticle(document: Document, parseCopy: () => Document): { picked: Element[]; dropped: Element[] } | null {
  const elements = document.querySelectorAll('body *');
  if (elements.length === 0 || elements.length > MAX_READABILITY_ELEMENTS) return null;
  if (measureNestingDepth(document.body ?? document.documentElement) > MAX_READABILITY_DEPTH) return null;
  const copy = parseCopy();
  const copied = copy.querySelectorAll('body *');
  if (copied.length !== elements.length) return null;
  // Each element is numbered twice: by identity (exact while Readability moves it), and by
  // an attribute, which survives when Readability replaces an element by a copy (renaming a
  // <div> to <p>) but which it also copies onto the only child of a wrapper it removes.
  const numbers = new WeakMap<Element, number>();
  copied.forEach((element, i) => {
    numbers.set(element, i);
    element.setAttribute('data-verbatim-node', String(i));
  });
  let article;
  try {
    article = new Readability(copy, { serializer: (node: Node) => node, charThreshold: MIN_ARTICLE_CHARS }).parse();
  } catch {
    return null;
  }
  const content = article?.content as Element | null | undefined;
  if (!content || foldSpace(article?.textContent ?? '').length < MIN_ARTICLE_CHARS) return null;
  const picked: Element[] = [];
  const resolve = (node: Element): void => {
    const number = numbers.get(node) ?? node.getAttribute('data-verbatim-node');
    const original = number === null ? undefined : elements[Number(number)];
    if (original) picked.push(original);
    // An element Readability made (a wrapper, a paragraph around loose text): its parts are the page's.
    else for (const child of node.children) resolve(child);
  };
  // Readability wraps its result in a page <div> or two of its own.
  let top: Element = content;
  while (top.children.length === 1 && !top.hasAttribute('data-verbatim-node') && /^readability-/.test(top.firstElementChild?.getAttribute('id') ?? '')) top = top.firstElementChild!;
  for (const child of top.children) resolve(child);
  const distinct = picked.filter((element) => !picked.some((other) => other !== element && other.contains(element)));
  if (distinct.length === 0) return null;
  // What Readability cleaned out of its pick: the page's elements inside it that its output lacks.
  const kept = new Set<number>();
  for (const element of content.querySelectorAll('*')) {
    const number = numbers.get(element) ?? element.getAttribute('data-verbatim-node');
    if (number !== null) kept.add(Number(number));
  }
  const dropped: Element[] = [];
  elements.forEach((element, i) => {
    if (!kept.has(i) && distinct.some((root) => root !== element && root.contains(element))) dropped.push(element);
  });
  return { picked: distinct, dropped };
}

/**
 * Removes what Readability cleaned out of its pick when its words, headings aside, are
 * links to other pages: a "Read also" box, a share bar. The rest of what it cleaned out
 * stays, being the article's own words: headings, captions, footnotes (Readability drops
 * those too, and a footnote may be little more than a cross-reference).
 */
function removeDroppedLinkBoxes(dropped: readonly Element[]): void {
  const droppedSet = new Set(dropped);
  for (const element of dropped) {
    // Readability removes whole boxes: each is judged as a whole, notes kept.
    if (element.parentElement && droppedSet.has(element.parentElement)) continue;
    if (!element.isConnected || /^h[1-6]$/.test(element.localName.toLowerCase())) continue;
    if (splitWords(`${element.getAttribute('id') ?? ''} ${element.getAttribute('class') ?? ''}`).some((word) => NOTE_WORDS.has(word))) continue;
    const outward = [...element.querySelectorAll('a[href]')].filter((link) => !link.getAttribute('href')!.startsWith('#'));
    if (outward.length === 0) continue;
    let total = countChars(readInlineText(element));
    for (const heading of element.querySelectorAll('h1, h2, h3, h4, h5, h6')) total -= countChars(readInlineText(heading));
    let linked = 0;
    for (const link of outward) linked += countChars(readInlineText(link));
    if (total > 0 && linked / total >= DROPPED_LINK_DENSITY) element.remove();
  }
}

function countChars(text: string): number {
  return text.replace(/\s+/g, '').length;
}

/**
 * The picked elements, led by the page's headline (its first `<h1>`) when Readability left
 * it out (it drops a heading that repeats the title) and it comes before them.
 */
function withHeadline(document: Document, picked: Element[]): Element[] {
  if (picked.some((element) => element.localName.toLowerCase() === 'h1' || element.querySelector('h1'))) return picked;
  const headline = document.querySelector('h1');
  if (!headline || readInlineText(headline) === '') return picked;
  return precedes(headline, picked[0]!) ? [headline, ...picked] : picked;
}

/** Whether `a` comes before `b` in document order (linkedom's compareDocumentPosition compares depths only). */
function precedes(a: Node, b: Node): boolean {
  const lineage = (node: Node): Node[] => {
    const chain: Node[] = [];
    for (let current: Node | null = node; current; current = current.parentNode) chain.unshift(current);
    return chain;
  };
  const [left, right] = [lineage(a), lineage(b)];
  let shared = 0;
  while (shared < left.length && shared < right.length && left[shared] === right[shared]) shared++;
  if (shared === 0) return false;
  if (shared === left.length || shared === right.length) return shared === left.length;
  const siblings = [...left[shared - 1]!.childNodes];
  return siblings.indexOf(left[shared] as ChildNode) < siblings.indexOf(right[shared] as ChildNode);
}

/** The `<article>`, `<main>` or `[role=main]` holding every picked element (the nearest). */
function findSemanticContainer(picked: Element[]): Element | null {
  for (let element: Element | null = picked[0]!; element; element = element.parentElement) {
    const name = element.localName.toLowerCase();
    if ((name === 'article' || name === 'main' || element.getAttribute('role') === 'main') && picked.every((other) => element!.contains(other))) return element;
  }
  return null;
}

/** The page's `<article>` with the most text, when it has any. */
function largestArticle(document: Document): Element | null {
  let best: Element | null = null;
  let bestLength = 0;
  for (const article of document.querySelectorAll('article')) {
    const length = (article.textContent ?? '').length;
    if (length > bestLength) [best, bestLength] = [article, length];
  }
  return best;
}

/**
 * Removes navigation, banners, sidebars, forms, consent boxes, share bars and link lists
 * from the page, except the elements holding its main content (`keep` and their ancestors).
 */
function removeBoilerplate(document: Document, keep: readonly Element[]): void {
  const removable = (element: Element): boolean => {
    const name = element.localName.toLowerCase();
    if (name === 'html' || name === 'body' || name === 'main' || name === 'article') return false;
    return !keep.some((kept) => element.contains(kept));
  };
  const remove = (element: Element): void => {
    if (element.isConnected && removable(element)) element.remove();
  };
  for (const element of document.querySelectorAll(BOILERPLATE_SELECTOR)) remove(element);
  for (const header of document.querySelectorAll('header, [role=banner]')) {
    if (!header.parentElement?.closest('article, main, [role=main]')) remove(header);
  }
  for (const element of document.querySelectorAll('[id], [class], [aria-label]')) {
    const label = [element.getAttribute('id'), element.getAttribute('class'), element.getAttribute('aria-label')].join(' ');
    if (splitWords(label).some((word) => BOILERPLATE_WORDS.has(word))) remove(element);
  }
  removeLinkLists(document.body ?? document.documentElement, keep);
}

/**
 * Removes lists and boxes whose text is mostly links (menus, tag clouds, lists of other
 * pages), measured in one pass from the leaves up. Those inside the article Readability
 * picked are its content (a manual's table of contents page) and stay.
 */
function removeLinkLists(root: Element, keep: readonly Element[]): void {
  const found: Element[] = [];
  const measure = (element: Element): { text: number; linked: number; links: number } => {
    let text = 0;
    let linked = 0;
    let links = 0;
    for (let child = element.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) text += (child as Text).data.replace(/\s+/g, '').length;
      else if (child.nodeType === 1) {
        const inner = measure(child as Element);
        text += inner.text;
        linked += inner.linked;
        links += inner.links;
      }
    }
    const name = element.localName.toLowerCase();
    if (name === 'a' && element.hasAttribute('href')) {
      linked = text;
      links++;
    }
    if (LINK_LIST_ELEMENTS.has(name) && links >= MIN_LINKS_FOR_DENSITY && text > 0 && linked / text >= MAX_LINK_DENSITY) found.push(element);
    return { text, linked, links };
  };
  measure(root);
  for (const element of found) {
    if (element.isConnected && !keep.some((kept) => kept.contains(element) || element.contains(kept))) element.remove();
  }
}

/** Words a reader sees in the elements (scripts, styles and hidden parts left out). */
function countWords(elements: readonly Element[]): number {
  let words = 0;
  for (const element of elements) words += readInlineText(element).match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
  return words;
}
