import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/engine.js';
import type { Engine } from '../../../src/engine-types.js';
import { evaluateQuestions } from '../../../src/evaluation/evaluate-questions.js';
import type { ExtractedText } from '../../../src/corpus/readers/reader-types.js';
import { makeTempDir, testConfig } from '../../helpers.js';
import { articleParagraphs, expectHeadingSpans, expectNoMarkup, expectWholeArticle, fold, readBytes, readFixture, readFixtureBytes, readSkip } from './reader-fixtures.js';

/** Reads a page given as text, and fails when it is skipped. */
async function readPage(html: string | Buffer, fileName = 'page.html'): Promise<ExtractedText> {
  const result = await readBytes(typeof html === 'string' ? Buffer.from(html) : html, fileName);
  if ('skip' in result) throw new Error(`test: page skipped: ${result.skip}`);
  return result;
}

/** Words of the saved article page that are not the article: navigation, sidebar, banners, footer, scripts. */
const ARTICLE_PAGE_FURNITURE = [
  'About Jamestown', 'Donate', 'Contact Us', 'China Brief', 'Terrorism Monitor', 'Our Analysts', 'Search icon', 'Home', '»', 'Volume 9',
  'Share on Facebook', 'Tweet this', 'Email a friend', 'Read also', 'Kyrgyzstan Seeks a Seat',
  'SCRIPT-REWROTE-THIS-PARAGRAPH', 'INJECTED-BY-DOCUMENT-WRITE', 'Please enable JavaScript', 'TEMPLATE-COMMENT-PLACEHOLDER',
  'Hidden promotion', 'Invisible tracking text', 'Decorative divider text',
  'Related Articles', 'OSCE Chairmanship in Review', 'Most Read', 'Caspian Pipeline', 'Newsletter', 'inbox every weekday', 'Subscribe',
  'All rights reserved', 'Privacy Policy', 'L Street NW', 'We use cookies', 'Accept all', 'Manage preferences',
  'dataLayer', 'gtag', 'jQuery', 'font:', 'Photograph of the Council chamber',
];

describe('readHtml on a saved news page (article.html)', () => {
  let page: ExtractedText;
  beforeAll(async () => {
    page = await readFixture('article.html');
  });

  it('keeps every paragraph of the article, in order, with entities decoded and words split by inline tags whole', () => {
    expectWholeArticle(page.text);
    expect(page.text).toContain('Critics & rankings');
    expect(page.text).toContain('for the 2013–2015 term');
    expect(page.text).toContain('Kazakhstan received the fifth highest');
    // The caption's <br> separates its words; nothing is glued across it.
    expect(page.text).toContain('UN Human Rights Council (Source: US Mission to UN)');
  });

  it('leaves out navigation, the cookie banner, share buttons, the sidebar, the footer, scripts, styles and hidden text', () => {
    for (const furniture of ARTICLE_PAGE_FURNITURE) expect(page.text, furniture).not.toContain(furniture);
  });

  it('has no markup or entity anywhere in the text', () => {
    expectNoMarkup(page.text);
  });

  it('records the headline and the section headings with their levels', () => {
    expect(page.headings.map(({ level, title }) => [level, title])).toEqual([
      [1, 'Kazakhstan Elected Member of UN Human Rights Council'],
      [2, 'The vote'],
      [2, 'Kazakhstan’s case'],
      [2, 'Critics & rankings'],
      [2, 'Reactions'],
      [2, 'Pledges'],
    ]);
    expectHeadingSpans(page);
  });

  it('takes the title from <title>, the link from <link rel=canonical>, the publication from og:site_name', () => {
    expect(page.title).toBe('Kazakhstan Elected Member of UN Human Rights Council | Jamestown');
    expect(page.url).toBe('https://jamestown.org/program/kazakhstan-elected-member-of-un-human-rights-council/');
    expect(page.publication).toBe('Jamestown');
    expect(page).toMatchObject({ format: 'html', encoding: 'utf-8', verbatimFile: false });
  });

  it('never runs the page\'s scripts or event handlers', async () => {
    const globals = globalThis as Record<string, unknown>;
    const hostile = `<!DOCTYPE html><html><head><title>t</title><script>globalThis.verbatimHeadScriptRan = true;</script></head>
      <body onload="globalThis.verbatimOnloadRan = true"><p>Quiet text.</p><img src="missing.png" onerror="globalThis.verbatimOnerrorRan = true">
      <script>globalThis.verbatimBodyScriptRan = true; document.body.innerHTML = '<p>REPLACED</p>';</script></body></html>`;
    const result = await readPage(hostile);
    expect(result.text).toBe('Quiet text.');
    for (const name of ['verbatimArticleScriptRan', 'verbatimHeadScriptRan', 'verbatimOnloadRan', 'verbatimOnerrorRan', 'verbatimBodyScriptRan']) expect(globals[name], name).toBeUndefined();
  });
});

describe('readHtml on the same page without landmarks (every <main>, <article>, <nav>, <aside>, <header>, <footer>, <form> a <div>, no roles or telling class names)', () => {
  const divSoup = (): string => {
    let html = readFixtureBytes('article.html').toString('utf8');
    html = html.replace(/<(\/?)(?:main|article|nav|aside|header|footer|form)\b/g, '<$1div');
    html = html.replace(/ role="[^"]*"| aria-label="[^"]*"/g, '');
    for (const [from, to] of [['cookie-notice', 'cn'], ['cookie-banner', 'notice-bar'], ['share-buttons', 'btns'], ['share-bottom', 'b2'], ['related-inline', 'pullout'], ['breadcrumbs', 'crumbs'], ['newsletter', 'w3'], ['main-nav', 'menu'], ['site-header', 'top'], ['site-footer', 'bottom']]) html = html.replaceAll(from!, to!);
    return html;
  };

  it('keeps the headline, headings and every body paragraph, and none of the furniture', async () => {
    const page = await readPage(divSoup());
    expect(page.text).not.toMatch(/<(?:main|article|nav|aside|header|footer|form)\b/);
    // Readability's pick starts at the body text; the headline before it is put back.
    const folded = fold(page.text);
    for (const paragraph of articleParagraphs().slice(2)) expect(folded).toContain(paragraph);
    expect(page.headings.map((heading) => heading.title)).toEqual(['Kazakhstan Elected Member of UN Human Rights Council', 'The vote', 'Kazakhstan’s case', 'Critics & rankings', 'Reactions', 'Pledges']);
    for (const furniture of ARTICLE_PAGE_FURNITURE) expect(page.text, furniture).not.toContain(furniture);
    expectNoMarkup(page.text);
  });
});

describe('readHtml on a real saved manual page (Debian New Maintainers\' Guide, chapter 9)', () => {
  let page: ExtractedText;
  beforeAll(async () => {
    page = await readFixture('maint-guide-upload.html');
  });

  it('keeps the chapter: its title, sections, paragraphs, commands and footnotes', () => {
    // DocBook writes "Chapter&#160;9.": the no-break spaces are kept as the page has them.
    expect(fold(page.title!)).toBe('Chapter 9. Uploading the package');
    expect(page.headings.map((heading) => fold(heading.title))).toEqual([
      'Chapter 9. Uploading the package',
      '9.1. Uploading to the Debian archive',
      '9.2. Including orig.tar.gz for upload',
      '9.3. Skipped uploads',
    ]);
    const text = fold(page.text);
    expect(text).toContain('Now that you have tested your new package thoroughly, you want to release it to a public archive to share it.');
    expect(text).toContain('You can read the dupload.conf(5) manual page to understand what each of these options means.');
    expect(text).toContain('$ dupload gentoo_0.9.12-1_i386.changes');
    expect(text).toContain('On the other hand, the -sd option will force the exclusion of the original orig.tar.gz source.');
    expect(text).toContain('[86] See ftp://ftp.upload.debian.org/pub/UploadQueue/README.');
    expectHeadingSpans(page);
  });

  it('leaves a footnote\'s call out of the sentence it interrupts, and keeps the note with its number', () => {
    const text = fold(page.text);
    expect(text).not.toMatch(/\w\[8[2-6]\]/);
    expect(text).toContain('[82] See Section 1.1');
  });

  it('drops the navigation header and footer and the chapter\'s table of contents', () => {
    for (const navigation of ['Prev', 'Next', 'Home', 'Chapter 8. Updating the package', 'Appendix A. Advanced packaging', 'Table of Contents']) {
      expect(page.text, navigation).not.toContain(navigation);
    }
    // The section titles appear once each, as headings, not again in a table of contents.
    expect(fold(page.text).split('9.3. Skipped uploads')).toHaveLength(2);
  });
});

describe('the block walker (through readHtml)', () => {
  it('separates words at <br>, cells and block boundaries, and joins a word split by inline tags', async () => {
    const { text } = await readPage('<body><p>one<br>two</p><div>three</div><div>four<span>teen</span> <b>five</b></div></body>');
    expect(text).toBe('one two\n\nthree\n\nfourteen five');
  });

  it('leaves out the calls of footnotes (DocBook, Wikipedia, Sphinx, EPUB 3, Word) but not a cross-reference that shows a number', async () => {
    const { text } = await readPage(
      '<body><p>Half of them voted<a href="#ftn.x1" class="footnote"><sup class="footnote">[1]</sup></a>.</p>' +
        '<p>It was elected<sup id="cite_ref-5" class="reference"><a href="#cite_note-5">[5]</a></sup> in 2012.</p>' +
        '<p>The option<a class="footnote-reference brackets" href="#id3" id="id1">2</a> is new.</p>' +
        '<p>A note call<a epub:type="noteref" href="#n1">3</a> here and a <sup><a href="#footnote-1" id="footnote-ref-1">[4]</a></sup> there.</p>' +
        '<p>See section <a class="reference internal" href="#s3">3</a>.</p></body>',
    );
    expect(text).toBe('Half of them voted.\n\nIt was elected in 2012.\n\nThe option is new.\n\nA note call here and a there.\n\nSee section 3.');
  });

  it('leaves out a note\'s link back to its call (pandoc, Wikipedia) but not a same-page link that shows words', async () => {
    const { text } = await readPage(
      '<body><ol><li id="fn1"><p>Internal databases are similar.<a href="#fnref1" class="footnote-back" role="doc-backlink">↩︎</a></p></li>' +
        '<li id="cite_note-2"><a href="#cite_ref-2">^</a> Kept in 1996.</li>' +
        '<li>Up: <a href="#top">back to the top</a></li></ol></body>',
    );
    expect(text).toBe('1. Internal databases are similar.\n2. Kept in 1996.\n3. Up: back to the top');
  });

  it('reads a superscript number after a "^" so it is not joined to the number or word before it, and keeps a superscript of letters joined', async () => {
    const { text } = await readPage('<body><p>A block holds 2<sup>10</sup> bytes, 10<sup>-3</sup> of a second.</p><p>Half the developers<sup>3</sup> voted on the 1<sup>st</sup> of May.</p></body>');
    expect(text).toBe('A block holds 2^10 bytes, 10^-3 of a second.\n\nHalf the developers^3 voted on the 1st of May.');
  });

  it('reads a table row as one line of cells and a layout table cell by cell', async () => {
    const data = await readPage('<body><table><caption>Votes</caption><tr><th>Country</th><th>Votes</th></tr><tr><td>Kazakhstan</td><td>183</td></tr><tr><td></td><td>x</td></tr></table></body>');
    expect(data.text).toBe('Votes\n\nCountry · Votes\n\nKazakhstan · 183\n\nx');
    const layout = await readPage('<body><table><tr><td><h2>Side</h2><p>Left column.</p></td><td><p>Right one.</p><p>Right two.</p></td></tr></table></body>');
    expect(layout.text).toBe('Side\n\nLeft column.\n\nRight one.\n\nRight two.');
  });

  it('reads lists an item a line, nested items indented under their parent and numbered lists counted at the top level', async () => {
    const { text } = await readPage('<body><ol><li>First<ul><li>inner <em>a</em></li></ul></li><li><p>Second</p></li></ol><ul><li>dot</li></ul></body>');
    expect(text).toBe('1. First\n  ◦ inner a\n2. Second\n\n• dot');
  });

  it('ends a paragraph at two <br> in a row and splits preformatted text at blank lines', async () => {
    const { text } = await readPage('<body><p>Line one<br>line two<br><br>Next paragraph</p><pre>$ make\n$ make install\n\n$ make check</pre></body>');
    expect(text).toBe('Line one line two\n\nNext paragraph\n\n$ make $ make install\n\n$ make check');
  });

  it('skips hidden elements, templates, noscript, svg, form controls and heading permalinks', async () => {
    const { text, headings } = await readPage(`<body><h2 id="s">Section<a class="headerlink" href="#s">¶</a></h2>
      <p>Seen<span hidden>hidden</span><span aria-hidden="true">aria</span><span style="color:red; display: none">styled</span><span class="sr-only">reader only</span>.</p>
      <template><p>template</p></template><noscript>noscript</noscript><svg><text>svg</text></svg><button>Click</button><select><option>Option</option></select><textarea>typed</textarea></body>`);
    expect(text).toBe('Section\n\nSeen.');
    expect(headings).toEqual([{ start: 0, end: 7, level: 2, title: 'Section' }]);
  });
});

describe('readHtml: main content without a Readability article', () => {
  it('reads the <main> of a short page, without its navigation, header and footer', async () => {
    const { text } = await readPage('<html><head><title>Short</title></head><body><header><a href="/">Site</a></header><nav><a href="/a">A</a></nav><main><h1>Notice</h1><p>The office is closed on Friday.</p></main><footer>Copyright</footer></body></html>');
    expect(text).toBe('Notice\n\nThe office is closed on Friday.');
  });

  it('reads the body of a page without landmarks, minus consent banners, sidebars, forms and menus', async () => {
    const { text } = await readPage(`<body><div id="gdpr-consent">We value your privacy</div><div class="menu"><a href="/1">One</a> <a href="/2">Two</a> <a href="/3">Three</a></div>
      <p>Opening hours are nine to five.</p><aside>Side note</aside><form><label>Email</label></form><div class="newsletterBox">Sign up</div></body>`);
    expect(text).toBe('Opening hours are nine to five.');
  });

  it('skips a page whose content only scripts would draw, saying how to save it', async () => {
    const skip = await readSkip('app.html', Buffer.from('<!DOCTYPE html><html><head><title>App</title></head><body><div id="root"></div><script src="app.js"></script></body></html>'));
    expect(skip).toMatch(/^empty: .*never runs them/);
  });

  it('skips a page nested deeper than a browser shows, and reads one just inside the limit', async () => {
    const nested = (depth: number) => Buffer.from(`<!DOCTYPE html><html><body>${'<div>'.repeat(depth)}<p>Deep text.</p>${'</div>'.repeat(depth)}</body></html>`);
    expect(await readSkip('deep.html', nested(5_000))).toMatch(/^damaged or hostile: elements are nested 500\d deep/);
    expect((await readPage(nested(400))).text).toBe('Deep text.');
  });

  it('skips a page that is only navigation, saying so', async () => {
    const links = Array.from({ length: 5 }, (_, i) => `<li><a href="ch${i}.html">Chapter ${i}</a></li>`).join('');
    expect(await readSkip('toc.html', Buffer.from(`<html><body><ul>${links}</ul></body></html>`))).toMatch(/^empty: the page holds only navigation/);
  });
});

describe('readHtml: titles and links', () => {
  it('falls back to og:title, then the first <h1>; keeps only an absolute http(s) canonical link, else og:url', async () => {
    const og = await readPage('<html><head><meta property="og:title" content="From OG"><link rel="canonical" href="/relative"><meta property="og:url" content="https://example.org/page"></head><body><h1>Heading</h1><p>Text.</p></body></html>');
    expect(og).toMatchObject({ title: 'From OG', url: 'https://example.org/page' });
    const h1 = await readPage('<html><head><link rel="canonical" href="javascript:alert(1)"></head><body><h1>Only <i>Heading</i></h1><p>Text.</p></body></html>');
    expect(h1).toMatchObject({ title: 'Only Heading', url: null });
  });
});

describe('readHtml: encodings', () => {
  const page = (meta: string, body: string) => `<html><head>${meta}<title>t</title></head><body><p>${body}</p></body></html>`;

  it('decodes a page that declares windows-1252 or Latin-1 as Windows-1252 (curly quotes and dashes survive)', async () => {
    const declared = await readPage(iconv.encode(page('<meta charset="windows-1252">', '“Quoted” – café'), 'windows-1252'));
    expect(declared).toMatchObject({ text: '“Quoted” – café', encoding: 'windows-1252' });
    const latin1 = await readPage(iconv.encode(page('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">', 'it’s'), 'windows-1252'));
    expect(latin1).toMatchObject({ text: 'it’s', encoding: 'windows-1252' });
  });

  it('reads undeclared bytes as UTF-8 when they are valid, else as Windows-1252', async () => {
    expect(await readPage(Buffer.from(page('', 'naïve – ok'), 'utf8'))).toMatchObject({ text: 'naïve – ok', encoding: 'utf-8' });
    expect(await readPage(iconv.encode(page('', 'naïve – ok'), 'windows-1252'))).toMatchObject({ text: 'naïve – ok', encoding: 'windows-1252' });
  });

  it('honours a byte-order mark, and falls back to Windows-1252 with a warning when a page declaring UTF-8 is not', async () => {
    expect(await readPage(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(page('', 'wide – text'), 'utf-16le')]))).toMatchObject({ text: 'wide – text', encoding: 'utf-16le' });
    expect(await readPage(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(page('', 'bom – text'))]))).toMatchObject({ text: 'bom – text', encoding: 'utf-8 (BOM)' });
    const wrong = await readPage(iconv.encode(page('<meta charset="utf-8">', 'café'), 'windows-1252'));
    expect(wrong).toMatchObject({ text: 'café', encoding: 'windows-1252' });
    expect(wrong.warnings[0]).toMatch(/declares UTF-8/);
  });
});

describe('readHtml: .htm and .xhtml', () => {
  it('reads .htm as a web page, and XHTML\'s self-closed elements as empty (an <iframe/> does not hide the text after it)', async () => {
    expect((await readPage('<body><p>Old extension.</p></body>', 'old.htm')).text).toBe('Old extension.');
    // An HTML parser reads <iframe …/> as an opening tag: the rest would be its (never read) fallback content.
    const xhtml = '<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title/></head><body><h1>Chapter</h1><iframe src="map.xhtml"/><p>Visible <span hidden="hidden"/>text.</p><div/><p>After.</p></body></html>';
    const read = await readPage(xhtml, 'page.xhtml');
    expect(read.text).toBe('Chapter\n\nVisible text.\n\nAfter.');
    expect(read.title).toBe('Chapter');
  });
});

describe('a corpus of the saved web page alone (end to end, lexical-only)', () => {
  let temp: { dir: string; cleanup: () => void };
  let engine: Engine;
  beforeAll(async () => {
    temp = makeTempDir();
    mkdirSync(path.join(temp.dir, 'corpus'));
    writeFileSync(path.join(temp.dir, 'corpus', 'article.html'), readFixtureBytes('article.html'));
    engine = await createEngine({ config: testConfig(temp.dir), embedder: null, embedderWarning: 'lexical-only in this test' });
  });
  afterAll(() => temp.cleanup());

  it('answers from the page with a quote that is an exact slice of the kept text, without markup', async () => {
    const answer = await engine.ask('How many member states voted for Kazakhstan?');
    expect(answer.abstained).toBe(false);
    const quote = answer.quotes[0]!;
    expect(quote.text).toContain('183');
    expectNoMarkup(quote.text);
    expect(quote.source).toBe('corpus/article.html');
    expect(quote.url).toBe('https://jamestown.org/program/kazakhstan-elected-member-of-un-human-rights-council/');
    expect(readFileSync(path.join(temp.dir, quote.textFile), 'utf8').slice(quote.start, quote.end)).toBe(quote.text);
    expect(engine.listFiles()).toMatchObject([{ file: 'corpus/article.html', outcome: 'indexed', format: 'html' }]);
  });

  it('is scored by the evaluation as faithful: quotes checked against the text they index, not the HTML', async () => {
    const report = await evaluateQuestions(engine, [{ id: 'votes', kind: 'answerable', question: 'How many member states voted for Kazakhstan?', answers: ['183'], evidence: '' }], temp.dir);
    expect(report.quotes).toMatchObject({ fidelity: 1 });
    expect(report.answerable.answerRecall).toBe(1);
  });
});
