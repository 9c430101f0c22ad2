import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pageAt } from '../../../src/chunking/locate.js';
import { splitSentences } from '../../../src/chunking/split-sentences.js';
import { loadCorpus, readerLimits } from '../../../src/corpus/load-corpus.js';
import { readPdf } from '../../../src/corpus/readers/pdf.js';
import { isSkipped, type ExtractedText, type SkippedRead } from '../../../src/corpus/readers/reader-types.js';
import { ARTICLE_DIR, makeTempDir, PROJECT_ROOT, writeCorpus } from '../../helpers.js';

const FIXTURES = path.join(PROJECT_ROOT, 'test', 'fixtures', 'documents');
const ARTICLE_TEXT = readFileSync(path.join(ARTICLE_DIR, 'kazakhstan-un-human-rights-council.txt'), 'utf8');

function fixture(name: string): Buffer {
  return readFileSync(path.join(FIXTURES, name));
}

async function read(name: string, limits = readerLimits()): Promise<ExtractedText | SkippedRead> {
  return readPdf({ bytes: fixture(name), fileName: name, limits });
}

async function readText(name: string): Promise<ExtractedText> {
  const result = await read(name);
  if (isSkipped(result)) throw new Error(`test: ${name} was skipped: ${result.skip}`);
  return result;
}

const fold = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** Every sentence of the article (the chunker's own splitter), white space folded. */
function articleSentences(): string[] {
  return splitSentences(ARTICLE_TEXT, 0, ARTICLE_TEXT.length).map((span) => fold(ARTICLE_TEXT.slice(span.start, span.end)));
}

/** The 1-based page the first occurrence of `words` starts on. */
function pageOf(extracted: ExtractedText, words: string): number | null {
  const at = extracted.text.indexOf(words);
  expect(at, `"${words}" is in the text`).toBeGreaterThanOrEqual(0);
  return pageAt(extracted, at);
}

describe('readPdf on the article printed as a 6-page PDF with a running header and page footer', () => {
  let article: ExtractedText;
  beforeAll(async () => {
    article = await readText('article.pdf');
  });

  it('holds every sentence of the article, in order', () => {
    const text = fold(article.text);
    const missing = articleSentences().filter((sentence) => !text.includes(sentence));
    expect(missing).toEqual([]);
    let from = 0;
    for (const sentence of articleSentences()) {
      const at = text.indexOf(sentence, from);
      expect(at, sentence).toBeGreaterThanOrEqual(from);
      from = at + sentence.length;
    }
  });

  it('leaves the running header and the "Page N of M" footer out of the text and lists them as furniture', () => {
    expect(article.text).not.toContain('Jamestown Foundation');
    expect(article.text).not.toMatch(/Page \d+ of \d+/);
    expect(article.furniture).toEqual(['Eurasia Daily Monitor — The Jamestown Foundation', 'Page # of #']);
  });

  it('joins words hyphenated at a line end and keeps the hyphen of a compound broken at it', () => {
    // "inef‐" + "fective", "prog‐" + "ress", "can‐" + "didates" (Chromium's hyphen U+2010).
    expect(article.text).toContain('but their campaigns proved ineffective.');
    expect(article.text).toContain('recognition by the UN of the progress of Kazakhstan');
    expect(article.text).not.toMatch(/[\u2010\u00ad]/);
    // "inter-" ends page 1 with a real hyphen (U+002D): the compound stays whole.
    expect(article.text).toContain('the UN’s main inter-governmental body');
  });

  it('has six pages, each starting where its first words landed, a paragraph running over a break kept whole', () => {
    const starts = article.pageStarts!;
    expect(starts).toHaveLength(6);
    expect(starts[0]).toBe(0);
    for (let i = 1; i < starts.length; i++) expect(starts[i]!).toBeGreaterThan(starts[i - 1]!);
    // Page 2 begins inside the paragraph that page 1 ends ("…promoting international" / "human rights.").
    expect(article.text.slice(starts[1]!, starts[1]! + 40)).toBe('human rights. According to UN General As');
    expect(article.text.slice(starts[1]! - 25, starts[1]!)).toBe('devoted to promoting international '.slice(-25));
    // Page 4 begins mid-sentence after a capital: "…in its 2011/2012" / "Press Freedom Index".
    expect(article.text.slice(starts[3]! - 10, starts[3]! + 20)).toBe('2011/2012 Press Freedom Index ');
  });

  it('cites the page each sentence is printed on (as pdftotext -f N -l N shows it)', () => {
    expect(pageOf(article, 'Kazakhstan received the fifth highest vote total')).toBe(1);
    expect(pageOf(article, 'the Shanghai Cooperation Organization (SCO)')).toBe(2);
    expect(pageOf(article, 'Gender Equality Strategy for 2006–2016')).toBe(2);
    expect(pageOf(article, 'The last UN-mandated Universal Periodical Review')).toBe(3);
    expect(pageOf(article, 'Reporters Without Borders ranked Kazakhstan')).toBe(3);
    expect(pageOf(article, 'Freedom House ranked Kazakhstan')).toBe(4);
    expect(pageOf(article, 'Askar Shakirov')).toBe(4);
    expect(pageOf(article, 'These are admirable goals')).toBe(6);
  });

  it('takes the title from the document information and the headline as a heading', () => {
    expect(article.title).toBe('Kazakhstan Elected Member of UN Human Rights Council');
    expect(article.headings).toEqual([{ start: 0, end: 52, level: 1, title: 'Kazakhstan Elected Member of UN Human Rights Council' }]);
    expect(article.text.slice(0, 54)).toBe('Kazakhstan Elected Member of UN Human Rights Council\n\n');
  });

  it('keeps the list one item a line, as the chunker reads lists', () => {
    expect(article.text).toContain('stressing its plan to:\n\n• Enhance credibility and effectiveness of the Human Rights Council;\n• Promote observance of civil,');
  });
});

describe('readPdf on the article set in two columns', () => {
  it('reads the left column before the right one: every sentence whole and in order', async () => {
    const columns = await readText('article-two-columns.pdf');
    const text = fold(columns.text);
    const sentences = articleSentences();
    expect(sentences.filter((sentence) => !text.includes(sentence))).toEqual([]);
    const positions = sentences.map((sentence) => text.indexOf(sentence));
    expect(positions).toEqual([...positions].sort((p, q) => p - q));
    expect(columns.pageStarts).toHaveLength(2);
  });
});

describe('readPdf on a real manual (GNU GSS, 46 pages, pdfTeX with an outline)', () => {
  let manual: ExtractedText;
  beforeAll(async () => {
    manual = await readText('gss-manual.pdf');
  });

  it('counts every page and cites the page a sentence is printed on', () => {
    expect(manual.pageStarts).toHaveLength(46);
    expect(pageOf(manual, 'GSS is an implementation of the Generic Security Service')).toBe(5);
    expect(pageOf(manual, 'GSS does not need to be initialized')).toBe(11);
    expect(pageOf(manual, 'A credential handle is a caller-opaque atomic datum')).toBe(15);
    expect(pageOf(manual, 'Exported names may be re-')).toBe(17);
  });

  it('finds the headings of the outline with their levels', () => {
    const headings = manual.headings.map(({ level, title }) => `${level} ${title}`);
    expect(headings).toEqual(expect.arrayContaining(['1 1 Introduction', '2 1.1 Getting Started', '3 3.2.1 Credentials', '4 3.1.2.1 Opaque data types', '1 Appendix A Criticism of GSS']));
    expect(headings.length).toBeGreaterThanOrEqual(45);
    for (const heading of manual.headings) expect(manual.text.slice(heading.start, heading.end)).toBe(heading.title);
    expect(manual.title).toBe('GNU Generic Security Service Library');
  });

  it('leaves the running headers and page numbers out of every paragraph', () => {
    expect(manual.furniture).toEqual(expect.arrayContaining(['Chapter #: Standard GSS API #', 'Appendix B: Copying Information #']));
    const paragraphs = manual.text.split(/\n\n/);
    expect(paragraphs.filter((paragraph) => /Chapter \d+: [A-Z]/.test(paragraph))).toEqual([]);
    expect(paragraphs.filter((paragraph) => /^(?:\d+|[ivx]+)$/.test(paragraph.trim()))).toEqual([]);
  });

  it('joins words TeX hyphenated at line ends and keeps compounds whole', () => {
    // "crypto-" + "graphically", "indi-" + "cate", but "GSS-" + "API" (a capital follows).
    expect(manual.text).toContain('The token is a cryptographically protected octet-string');
    expect(manual.text).toContain('All principal identities asserted by a single GSS-API credential');
    // A hyphen in a chain is not a break: "alphaev67-unknown-" + "linux-gnu".
    expect(manual.text).toContain('alphaev67-unknown-linux-gnu');
  });

  it('keeps code set in a monospaced font line by line, with its indentation', () => {
    expect(manual.text).toContain('\n\n#include <gss.h>\n#include <locale.h>\n...\n  setlocale (LC_ALL, "");\n\n2.3 Version Check');
    expect(manual.text).toContain('  if (!gss_check_version (GSS_VERSION))\n    {\n      printf ("gss_check_version() failed:\\n"');
  });

  it('joins an identifier broken after an underscore', () => {
    expect(manual.text).toContain('The function is called gss_check_version() and');
  });
});

describe('readPdf on an old real manual without an outline (Camlidl, 26 pages, pdfTeX 2002)', () => {
  it('finds chapter headings by font size, the title on page 1, and pages', async () => {
    const manual = await readText('camlidl-manual.pdf');
    expect(manual.pageStarts).toHaveLength(26);
    expect(manual.title).toBe('Camlidl user’s manual Version 1.04');
    expect(manual.headings.map((heading) => heading.title)).toEqual(expect.arrayContaining(['1 Overview', '2 IDL syntax', '7 Release notes']));
    // Its numbered subsections are set in the body's font, and found by their numbers.
    expect(manual.headings.map(({ level, title }) => `${level} ${title}`)).toEqual(expect.arrayContaining(['3 4.1 Overview', '3 6.2 Sharing IDL files between MIDL and CamlIDL']));
    expect(pageOf(manual, 'IDL stands for Interface Description Language')).toBe(1);
    expect(pageOf(manual, 'Integer literals, character literals and string literals')).toBe(3);
    expect(pageOf(manual, 'The script camlidldll accepts')).toBe(20);
    // Page numbers at the top right are furniture, not words of the first paragraph.
    expect(manual.furniture).toEqual(['#']);
    expect(manual.text.split(/\n\n/).filter((paragraph) => /^\d+$/.test(paragraph.trim()))).toEqual([]);
  });
});

describe('readPdf skips what it cannot read, saying what to do', () => {
  it('an encrypted PDF: needs a password', async () => {
    expect(await read('encrypted.pdf')).toEqual({ skip: 'encrypted: the PDF needs a password; save an unprotected copy' });
  });

  it('a truncated PDF and a file that is not a PDF at all: damaged', async () => {
    const truncated = await read('damaged.pdf');
    expect(isSkipped(truncated) && truncated.skip).toMatch(/^damaged: not a readable PDF \(.+\); the file may be truncated/);
    const text = await readPdf({ bytes: Buffer.from('Meeting notes, not a PDF.\n'), fileName: 'notes.pdf', limits: readerLimits() });
    expect(isSkipped(text) && text.skip).toMatch(/^damaged: /);
  });

  it('a scanned PDF (pages as images): no text layer, run OCR', async () => {
    const scanned = await read('scanned.pdf');
    expect(isSkipped(scanned) && scanned.skip).toBe('no text layer: the PDF seems to be scanned images (0 characters on 2 pages); run OCR (e.g. ocrmypdf) and add the result');
  });

  it('a PDF with more pages than the limit: too large, with the count', async () => {
    const result = await read('article.pdf', { ...readerLimits(), maxPages: 5 });
    expect(isSkipped(result) && result.skip).toMatch(/^too large: 6 pages, over the limit of 5; split the PDF/);
  });
});

describe('loadCorpus with PDFs', () => {
  let cleanup = (): void => {};
  afterEach(() => cleanup());

  it('indexes a readable PDF and skips a damaged one beside it, naming why', async () => {
    const temp = makeTempDir();
    cleanup = temp.cleanup;
    const corpus = writeCorpus(temp.dir, { 'article.pdf': fixture('article.pdf'), 'broken.pdf': fixture('damaged.pdf') });
    const { documents, skipped } = await loadCorpus(corpus);
    expect(documents.map((document) => [document.source, document.format, document.verbatimFile, document.pageStarts?.length])).toEqual([['corpus/article.pdf', 'pdf', false, 6]]);
    expect(documents[0]!.title).toBe('Kazakhstan Elected Member of UN Human Rights Council');
    expect(skipped).toEqual([{ source: 'corpus/broken.pdf', format: 'pdf', reason: expect.stringMatching(/^damaged: /) }]);
  });
});
