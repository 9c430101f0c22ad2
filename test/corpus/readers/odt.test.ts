import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { splitSentences } from '../../../src/chunking/split-sentences.js';
import { loadCorpus, readerLimits } from '../../../src/corpus/load-corpus.js';
import { extractOdtText, readOdt } from '../../../src/corpus/readers/odt.js';
import type { ExtractedText, SkippedRead } from '../../../src/corpus/readers/reader-types.js';
import { createEngine } from '../../../src/engine.js';
import { ARTICLE_DIR, makeTempDir, PROJECT_ROOT, testConfig } from '../../helpers.js';

const FIXTURES = path.join(PROJECT_ROOT, 'test', 'fixtures', 'documents');
const ARTICLE_TEXT = readFileSync(path.join(ARTICLE_DIR, 'kazakhstan-un-human-rights-council.txt'), 'utf8');

async function readFixture(name: string, bytes = readFileSync(path.join(FIXTURES, name))): Promise<ExtractedText | SkippedRead> {
  return readOdt({ bytes, fileName: name, limits: readerLimits() });
}

function expectRead(result: ExtractedText | SkippedRead): ExtractedText {
  if ('skip' in result) throw new Error(`expected text, got skip: ${result.skip}`);
  return result;
}

/** content.xml around a body, with prefixes chosen by the caller. */
function contentXml(body: string, { text = 'text', office = 'office', extra = '' } = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<${office}:document-content xmlns:${office}="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:${text}="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/">${extra}<${office}:body><${office}:text>${body}</${office}:text></${office}:body></${office}:document-content>`;
}

function extract(body: string, options?: Parameters<typeof contentXml>[1]): { text: string; headings: { level: number; title: string }[] } {
  const result = extractOdtText(contentXml(body, options), null);
  if ('skip' in result) throw new Error(result.skip);
  return result;
}

describe('readOdt on the article saved by LibreOffice', () => {
  it('keeps every sentence of the article, in order, and nothing of the XML', async () => {
    const read = expectRead(await readFixture('article.odt'));
    let from = 0;
    for (const span of splitSentences(ARTICLE_TEXT, 0, ARTICLE_TEXT.length)) {
      // The article's bullets are "•" plus no-break spaces; the reader writes "• ".
      for (const line of ARTICLE_TEXT.slice(span.start, span.end).split('\n')) {
        const sentence = line.replace(/^•[\s\u00a0]+/, '').trim();
        if (sentence === '') continue;
        const at = read.text.indexOf(sentence, from);
        expect(at, sentence).toBeGreaterThanOrEqual(0);
        from = at + sentence.length;
      }
    }
    expect(read.text).not.toMatch(/[<>]|&(?:amp|lt|gt|quot|apos|#\d+);/);
    expect(read).toMatchObject({ format: 'odt', verbatimFile: false, encoding: null, bodyStart: 0, pageStarts: null });
  });

  it('records the headings at their outline levels and takes the title from meta.xml', async () => {
    const read = expectRead(await readFixture('article.odt'));
    expect(read.headings.map(({ level, title }) => `${level} ${title}`)).toEqual([
      '2 The election',
      '2 The record',
      '2 Reactions',
      '3 The ministry',
      '3 The commissioner and the ombudsman',
      '2 Pledges',
    ]);
    for (const heading of read.headings) expect(read.text.slice(heading.start, heading.end)).toBe(heading.title);
    expect(read.title).toBe('Kazakhstan Elected Member of UN Human Rights Council');
  });

  it('leaves out the comment, the tracked deletion and the footnote marker, and keeps the footnote after its paragraph', async () => {
    const read = expectRead(await readFixture('article.odt'));
    expect(read.text).not.toContain('Check the vote count');
    expect(read.text).not.toContain('principal');
    expect(read.text).toContain('voting affirmatively. Various');
    const footnote = read.text.indexOf('The General Assembly had 193 member states in 2012.');
    const cited = read.text.indexOf('for this round.');
    expect(footnote).toBeGreaterThan(cited);
    expect(footnote).toBeLessThan(read.text.indexOf('The Ministry of Foreign Affairs of Kazakhstan stated'));
    expect(read.text.slice(cited, footnote)).toBe('for this round.\n\n');
  });

  it('lists the pledges one item per line', async () => {
    const read = expectRead(await readFixture('article.odt'));
    expect(read.text).toContain('stressing its plan to:\n\n• Enhance credibility and effectiveness of the Human Rights Council;\n• Promote observance');
  });
});

describe('readOdt on files it cannot read', () => {
  it('skips a password-protected document as encrypted, reading none of it', async () => {
    expect(await readFixture('encrypted.odt')).toEqual({ skip: 'encrypted: the document is password-protected; save an unprotected copy' });
  });

  it('refuses a zip bomb before unpacking it', async () => {
    const result = await readFixture('zip-bomb.odt');
    expect('skip' in result && result.skip).toMatch(/zip bomb/);
  });

  it('skips a truncated file and a file that is not a zip as damaged', async () => {
    const article = readFileSync(path.join(FIXTURES, 'article.odt'));
    expect(await readFixture('cut.odt', article.subarray(0, article.length >> 1))).toMatchObject({ skip: expect.stringMatching(/^damaged: /) });
    expect(await readFixture('text.odt', Buffer.from('This is plain text with an .odt name.'))).toMatchObject({ skip: expect.stringMatching(/^damaged: not a readable zip archive/) });
  });
});

describe('extractOdtText', () => {
  it('resolves namespaces, so prefixes other than text: and office: read the same', () => {
    const body = '<t:h t:outline-level="1">Intro</t:h><t:p>First<t:s t:c="3"/>words<t:tab/>then<t:line-break/>more.</t:p>';
    expect(extract(body, { text: 't', office: 'o' })).toEqual({
      text: 'Intro\n\nFirst words then more.',
      headings: [{ start: 0, end: 5, level: 1, title: 'Intro' }],
    });
  });

  it('reads a hostile space count as white space without allocating it', () => {
    expect(extract('<text:p>a<text:s text:c="999999999"/>b</text:p>').text).toBe('a b');
  });

  it('does not take an element for ODF text when its prefix is bound to another namespace', () => {
    const body = '<text:p>Kept.</text:p><x:p xmlns:x="urn:example:other">Foreign words.</x:p>';
    // x:p is not text:p: outside ODF's text elements there are no paragraphs to read.
    expect(extract(body).text).toBe('Kept.');
  });

  it('reads tables cell by cell in row order, nested lists flattened, numbered lists numbered', () => {
    const styles = '<office:automatic-styles><text:list-style style:name="N1"><text:list-level-style-number text:level="1" style:num-format="1"/></text:list-style></office:automatic-styles>';
    const body = `<table:table><table:table-columns><table:table-column/></table:table-columns>
      <table:table-row><table:table-cell><text:p>Name</text:p></table:table-cell><table:table-cell><text:p>Role</text:p></table:table-cell></table:table-row>
      <table:table-row><table:table-cell><text:p>Askar Shakirov</text:p></table:table-cell><table:table-cell><text:p>Commissioner</text:p></table:table-cell></table:table-row></table:table>
      <text:list><text:list-item><text:p>One</text:p><text:list><text:list-item><text:p>One a</text:p></text:list-item></text:list></text:list-item><text:list-item><text:p>Two</text:p></text:list-item></text:list>
      <text:list text:style-name="N1"><text:list-item><text:p>First</text:p></text:list-item><text:list-item><text:p>Second</text:p></text:list-item></text:list>`;
    expect(extractOdtText(contentXml(body, { extra: styles }), null)).toMatchObject({
      text: 'Name\n\nRole\n\nAskar Shakirov\n\nCommissioner\n\n• One\n• One a\n• Two\n\n1. First\n2. Second',
    });
  });

  it('puts endnotes at the end, text boxes after their paragraph, and leaves out indexes, alt text and annotations', () => {
    const body = `<text:table-of-content><text:index-body><text:p>Reactions 3</text:p></text:index-body></text:table-of-content>
      <text:h text:outline-level="2">Reactions</text:h>
      <text:p>Said so.<text:note text:note-class="endnote"><text:note-citation>i</text:note-citation><text:note-body><text:p>An endnote.</text:p></text:note-body></text:note> Then<office:annotation><dc:creator>A</dc:creator><text:p>A remark.</text:p></office:annotation> more.<draw:frame><svg:title>Alt text</svg:title><draw:text-box><text:p>A caption.</text:p></draw:text-box></draw:frame></text:p>
      <text:p>Last paragraph.</text:p>`;
    expect(extract(body)).toMatchObject({
      text: 'Reactions\n\nSaid so. Then more.\n\nA caption.\n\nLast paragraph.\n\nAn endnote.',
      headings: [{ level: 2, title: 'Reactions' }],
    });
  });

  it('skips an OpenDocument spreadsheet renamed .odt, naming what it is', () => {
    const xml = contentXml('').replace(/office:text/g, 'office:spreadsheet');
    expect(extractOdtText(xml, null)).toEqual({ skip: 'unsupported type: this OpenDocument file is a spreadsheet (.ods), not a text document' });
  });
});

describe('an ODT-only corpus', () => {
  let cleanup = (): void => {};
  afterEach(() => cleanup());

  it('answers from the ODT with a quote that is a slice of its text file and carries its section', async () => {
    const temp = makeTempDir();
    cleanup = temp.cleanup;
    cpSync(path.join(FIXTURES, 'article.odt'), path.join(temp.dir, 'corpus', 'article.odt'));
    const engine = await createEngine({ config: testConfig(temp.dir), embedder: null, embedderWarning: 'lexical-only in this test' });
    const answer = await engine.ask('Who is the Human Rights Commissioner of Kazakhstan?');
    expect(answer.abstained).toBe(false);
    const quote = answer.quotes[0]!;
    expect(quote.text).toContain('Askar Shakirov');
    expect(quote.source).toBe('corpus/article.odt');
    expect(quote.textFile).not.toBe(quote.source);
    expect(readFileSync(path.join(temp.dir, quote.textFile), 'utf8').slice(quote.start, quote.end)).toBe(quote.text);
    expect(quote.section).toBe('Reactions › The commissioner and the ombudsman');
    expect(quote.documentTitle).toBe('Kazakhstan Elected Member of UN Human Rights Council');
  });

  it('lists the article indexed and the unreadable ODT files skipped with their reasons', async () => {
    const temp = makeTempDir();
    cleanup = temp.cleanup;
    const corpus = path.join(temp.dir, 'corpus');
    for (const name of ['article.odt', 'empty.odt', 'encrypted.odt', 'zip-bomb.odt']) cpSync(path.join(FIXTURES, name), path.join(corpus, name));
    const { documents, skipped } = await loadCorpus(corpus);
    expect(documents.map((document) => [document.source, document.format])).toEqual([['corpus/article.odt', 'odt']]);
    expect(skipped.map(({ source, reason }) => [source, reason.split(':')[0]])).toEqual([
      ['corpus/empty.odt', 'empty'],
      ['corpus/encrypted.odt', 'encrypted'],
      ['corpus/zip-bomb.odt', 'damaged or hostile'],
    ]);
  });
});
