import { parseHTML } from 'linkedom';

/**
 * Markup text → a linkedom Document the block walker can read, for web pages, Word files
 * (mammoth's HTML) and EPUB chapters. linkedom parses without running anything (no
 * scripts, no network, no layout); these helpers cover the two places its parser is not
 * a browser's: documents without a `<body>` tag, and XHTML's self-closed elements.
 */

/** Elements that never have content, so `<br/>` and `<br>` mean the same. */
const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
/** An XML empty-element tag: `<a id="x"/>` (attribute values may hold `>` or `/`). */
const SELF_CLOSED_TAG = /<([A-Za-z][\w:.-]*)((?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>]+))?)*)\s*\/>/g;

/**
 * Parses an HTML page or fragment. linkedom builds a proper `<html><head><body>` tree
 * only when the text has `<html>` and `<body>` tags; a page without them (valid HTML, and
 * every fragment) would leave its content outside the body, so such text is wrapped in them.
 */
export function parseHtmlDocument(html: string): Document {
  const wrapped = /<html[\s>]/i.test(html) && /<body[\s>]/i.test(html) ? html : `<!DOCTYPE html><html><head></head><body>${html}</body></html>`;
  return parseHTML(wrapped).document;
}

/**
 * Parses XHTML (an EPUB chapter, a `.xhtml` page) with the HTML parser, which decodes
 * HTML's named entities (`&nbsp;`, `&rsquo;`, common in EPUB 2 books) where an XML parser
 * would leave them as text. XML's empty-element tags are written out first: the HTML
 * parser would read `<div/>` or `<iframe src="…"/>` as an opening tag, and the rest of the
 * chapter would become that element's content (never read, for an iframe or a hidden span).
 */
export function parseXhtmlDocument(xhtml: string): Document {
  const expanded = xhtml.replace(SELF_CLOSED_TAG, (tag: string, name: string, attributes: string) =>
    VOID_ELEMENTS.has(name.toLowerCase()) ? tag : `<${name}${attributes}></${name}>`,
  );
  return parseHtmlDocument(expanded);
}
