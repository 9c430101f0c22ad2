import { describe, expect, it } from 'vitest';
import { readerLimits } from '../../../src/corpus/load-corpus.js';
import { readDocument } from '../../../src/corpus/readers/read-document.js';
import { expectHeadingSpans, expectNoMarkup, expectWholeArticle, readFixture, readFixtureBytes, readSkip } from './reader-fixtures.js';

describe('readDocx on the article made with pandoc (article.docx)', () => {
  it('keeps every paragraph and list item of the article in order, without markup', async () => {
    const document = await readFixture('article.docx');
    expectWholeArticle(document.text);
    expectNoMarkup(document.text);
    expect(document.text).toContain('• Enhance credibility and effectiveness of the Human Rights Council;');
  });

  it('records Heading 1 and Heading 2 paragraphs as headings, and takes the title from the first one', async () => {
    const document = await readFixture('article.docx');
    expect(document.headings.map(({ level, title }) => [level, title])).toEqual([
      [1, 'Kazakhstan Elected Member of UN Human Rights Council'],
      [2, 'The vote'],
      [2, 'Kazakhstan’s case'],
      [2, 'Critics & rankings'],
      [2, 'Reactions'],
      [2, 'Pledges'],
    ]);
    expectHeadingSpans(document);
    expect(document).toMatchObject({ format: 'docx', title: 'Kazakhstan Elected Member of UN Human Rights Council', verbatimFile: false });
  });
});

describe('readDocx on a document with a title, a table, a nested list and footnotes (notes.docx)', () => {
  it('takes the title from the document properties and reads the Title paragraph as a heading', async () => {
    const document = await readFixture('notes.docx');
    expect(document.title).toBe('Election Notes');
    expect(document.headings.map(({ level, title }) => [level, title])).toEqual([
      [1, 'Election Notes'],
      [1, 'Background'],
      [2, 'Candidates'],
      [3, 'Pledges in brief'],
    ]);
  });

  it('reads a table a row a line, a nested list indented, and the footnotes at the end with their numbers', async () => {
    const { text } = await readFixture('notes.docx');
    // A note's call ("votes.[1]") is no part of the sentence a quote would take.
    expect(text).toContain('Kazakhstan won 183 of 193 votes. The Council has 47 seats.');
    expect(text).toContain('Country · Votes · Region\n\nKazakhstan · 183 · Asia-Pacific\n\nPakistan · 171 · Asia-Pacific');
    expect(text).toContain('1. Enhance credibility of the Council\n  ◦ through the Universal Periodic Review\n2. Expand outreach');
    expect(text).toContain('a split-upwordinside.');
    expect(text.endsWith('1. Figures from the General Assembly record of November 12, 2012.\n2. Members serve three-year terms.')).toBe(true);
    // mammoth's "↑" links from each note back to its mark are not words of the document.
    expect(text).not.toContain('↑');
    expectNoMarkup(text);
  });
});

describe('readDocx on hostile and damaged files', () => {
  it('refuses a part declaring 2 GB before unpacking anything', async () => {
    expect(await readSkip('bomb-declared-2gb.docx')).toMatch(/^too large: it would unpack to more than 200 MB \(a zip bomb/);
  });

  it('refuses a part that unpacks a thousand times its packed size', async () => {
    expect(await readSkip('bomb-ratio.docx')).toMatch(/^damaged or hostile: word\/bomb\.xml unpacks \d+× its packed size \(a zip bomb\)/);
  });

  it('refuses a part that unpacks to more than it declares, before mammoth reads it', async () => {
    expect(await readSkip('bomb-lying.docx')).toMatch(/^damaged: word\/document\.xml \(too many bytes/);
  });

  it('skips a truncated file as damaged', async () => {
    expect(await readSkip('damaged-truncated.docx')).toMatch(/^damaged: not a readable zip archive/);
  });

  it('skips a password-protected file (an OLE compound file) saying how to fix it', async () => {
    expect(await readSkip('encrypted.docx')).toBe('encrypted or old Word format: the file is password-protected or a Word 97–2003 document renamed .docx; save it as an unprotected .docx');
  });

  it('skips a file whose Word XML is over a third of DOCUMENT_MAX_BYTES (mammoth holds it all in memory)', async () => {
    // article.docx: 13 KB on disk, about 50 KB of Word XML; with a 30 KB limit the reader takes 10 KB of XML.
    const result = await readDocument({ bytes: readFixtureBytes('article.docx'), fileName: 'article.docx', limits: readerLimits(30_000) });
    expect(result).toEqual({ skip: expect.stringMatching(/^too large: its text unpacks to \d+ KB of Word XML, over the 10 KB the Word reader takes/) });
  });

  it('skips a zip archive that is not a Word document', async () => {
    expect(await readSkip('book.docx', readFixtureBytes('article.epub'))).toMatch(/^damaged: the file is a zip archive but not a Word document/);
  });
});
