import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkDocument, MAX_CHUNK_CHARS } from '../../src/chunking/chunk-document.js';
import { splitLongSpans, splitSentences } from '../../src/chunking/split-sentences.js';
import { parseFrontMatter } from '../../src/corpus/front-matter.js';
import { documentFromText } from '../../src/corpus/load-corpus.js';
import type { Chunk, Document } from '../../src/domain.js';
import { ARTICLE_DIR } from '../helpers.js';

const ARTICLE_FILE = path.join(ARTICLE_DIR, 'kazakhstan-un-human-rights-council.txt');

function documentOf(text: string, id = 'doc'): Document {
  const { meta, bodyStart } = parseFrontMatter(text);
  return documentFromText({ id, source: `corpus/${id}.txt`, path: `/tmp/${id}.txt`, text, title: meta.title ?? id, bodyStart });
}

function expectExactOffsets(document: Document, chunks: Chunk[]): void {
  for (const chunk of chunks) {
    expect(document.text.slice(chunk.start, chunk.end)).toBe(chunk.text);
    for (const sentence of chunk.sentences) {
      expect(sentence.start).toBeGreaterThanOrEqual(chunk.start);
      expect(sentence.end).toBeLessThanOrEqual(chunk.end);
      const text = document.text.slice(sentence.start, sentence.end);
      expect(text).toBe(text.trim());
      expect(text.length).toBeGreaterThan(0);
    }
  }
}

const sentencesOf = (text: string): string[] => splitSentences(text, 0, text.length).map((s) => text.slice(s.start, s.end));

describe('chunkDocument on the article', () => {
  const text = readFileSync(ARTICLE_FILE, 'utf8');
  const document = documentOf(text, 'kazakhstan-un-human-rights-council');
  const chunks = chunkDocument(document);

  it('gives every chunk and sentence offsets that slice the file to its text', () => {
    expect(chunks.length).toBeGreaterThan(10);
    expectExactOffsets(document, chunks);
  });

  it('gives readable, unique ids made of the document slug and paragraph number', () => {
    const ids = chunks.map((chunk) => chunk.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toBe('kazakhstan-un-human-rights-council#p1');
    for (const id of ids) expect(id).toMatch(/^kazakhstan-un-human-rights-council#p\d+(\.\d+)?$/);
  });

  it('makes the headline and publication line quotable header chunks', () => {
    expect(chunks[0]).toMatchObject({ kind: 'header', text: 'Kazakhstan Elected Member of UN Human Rights Council', paragraph: 1 });
    expect(chunks[1]).toMatchObject({ kind: 'header', text: 'Publication: Eurasia Daily Monitor Volume: 9 Issue: 211' });
  });

  it('keeps the bulleted pledges with the sentence that introduces them, one sentence per item', () => {
    const list = chunks.find((chunk) => chunk.kind === 'list')!;
    expect(list.text.startsWith('In July 2012, the government of Kazakhstan pledged')).toBe(true);
    expect(list.text.endsWith('as a member of the Human Rights Council.')).toBe(true);
    const items = list.sentences.slice(1).map((s) => text.slice(s.start, s.end));
    expect(items).toHaveLength(7);
    expect(items[3]).toBe('Actively promote the effectiveness of the Universal Periodic Review;');
    expect(items.every((item) => !item.startsWith('•'))).toBe(true);
  });

  it("records the article's own attribution for each sentence", () => {
    const attributionOf = (start: string): string | null => {
      for (const chunk of chunks) {
        for (const s of chunk.sentences) if (text.slice(s.start, s.end).startsWith(start)) return s.attribution;
      }
      throw new Error(`no sentence starts with ${start}`);
    };
    expect(attributionOf('The Human Rights Commissioner of Kazakhstan')).toBe('Kazinform, November 13');
    // The citation closing the next sentence covers the sentence before it.
    expect(attributionOf('The National Ombudsman')).toBe('Kazinform, November 13');
    expect(attributionOf('Actively promote')).toBe('Aide-memoire, July 3');
    expect(attributionOf('Reporters Without Borders')).toBe('https://en.rsf.org/press-freedom-index-2011-2012,1043.html');
    expect(attributionOf('Critics claim')).toBeNull();
    expect(attributionOf('On November 12')).toBeNull();
  });

  it('keeps a quotation that spans sentences inside the sentence that introduces it', () => {
    const spokesperson = chunks.find((chunk) => chunk.text.includes('Altay Abibullayev'))!;
    expect(spokesperson.sentences).toHaveLength(1);
  });
});

describe('chunkDocument on awkward input', () => {
  it('keeps exact offsets with CRLF, curly quotes, non-ASCII, emoji, tabs and non-breaking spaces', () => {
    const text = [
      'Ünïcödé Headline 🚀',
      '',
      'Café owners said “it’s fine.” Then\tthey left 😀 early. Prices rose\u00a03%.',
      '\u00a0',
      'Second paragraph — with an em dash. And a final sentence!',
    ].join('\r\n');
    const document = documentOf(text);
    const chunks = chunkDocument(document);
    expectExactOffsets(document, chunks);
    expect(chunks.map((c) => c.kind)).toEqual(['header', 'paragraph', 'paragraph']);
    expect(chunks[1]!.sentences.map((s) => text.slice(s.start, s.end))).toEqual([
      'Café owners said “it’s fine.”',
      'Then\tthey left 😀 early.',
      'Prices rose\u00a03%.',
    ]);
    expect(chunks.every((c) => !c.text.includes('\r'))).toBe(true);
  });

  it('does not split at abbreviations, initials or dotted acronyms', () => {
    expect(sentencesOf('The U.S. delegation met on Nov. 12 with Dr. Smith. J. K. Rowling was not there. It ended.')).toEqual([
      'The U.S. delegation met on Nov. 12 with Dr. Smith.',
      'J. K. Rowling was not there.',
      'It ended.',
    ]);
    expect(sentencesOf('Officials from the U.N. and e.g. the OSCE came. Nobody else did.')).toEqual([
      'Officials from the U.N. and e.g. the OSCE came.',
      'Nobody else did.',
    ]);
  });

  it('keeps who said a quotation with it when the quotation ends with its own punctuation', () => {
    expect(sentencesOf('“Are they monitoring it? And will they judge it?” Kang Savang said. Nobody answered.')).toEqual([
      '“Are they monitoring it? And will they judge it?” Kang Savang said.',
      'Nobody answered.',
    ]);
    expect(sentencesOf('"We will win!" He told reporters so. "It is done." Prime Minister Hun Sen added on Monday.')).toEqual([
      '"We will win!" He told reporters so.',
      '"It is done." Prime Minister Hun Sen added on Monday.',
    ]);
    // Not an attribution: a new sentence after a quotation that the sentence introduced, or after no quotation.
    expect(sentencesOf('He asked “why not?” The Council said nothing. “Enough.” The End came. It ended. Kang Savang said so.')).toEqual([
      'He asked “why not?”',
      'The Council said nothing.',
      '“Enough.”',
      'The End came.',
      'It ended.',
      'Kang Savang said so.',
    ]);
  });

  it('cuts a table with no sentence punctuation into passages no longer than the cap, at its line breaks', () => {
    // A manual page's table: one paragraph of 300 rows, no full stop anywhere (one "sentence" of 12 KB).
    const rows = Array.from({ length: 300 }, (_, i) => `  key_${i}    kf${i}    shifted key number ${i}`);
    const text = `Capabilities\n\n${rows.join('\n')}\n\nThe end of the table is here.`;
    const document = documentOf(text);
    const chunks = chunkDocument(document);
    expectExactOffsets(document, chunks);
    const table = chunks.filter((chunk) => chunk.text.includes('key_'));
    expect(table.length).toBeGreaterThan(10);
    for (const chunk of table) {
      expect(chunk.text.length).toBeLessThanOrEqual(MAX_CHUNK_CHARS);
      // Every piece ends with a whole row.
      for (const sentence of chunk.sentences) expect(text.slice(sentence.start, sentence.end)).toMatch(/shifted key number \d+$/);
    }
    // Nothing of the table is lost: every row is in some passage, whole.
    for (const row of rows) expect(table.some((chunk) => chunk.text.includes(row.trim()))).toBe(true);
  });


  it('ends a sentence at a rule line and leaves the rule out of every sentence', () => {
    // As pdftotext gives a manual's table: header row, rule, rows (gss-manual.pdf, §3.5).
    const table = 'Routine Function\n------- --------\ngss_acquire_cred Assume a global identity; Obtain\n   a GSS-API credential handle.\ngss_add_cred Construct credentials\n   incrementally.';
    const ascii = '+------+-------+\n| Name | Value |\n|------+-------|\n| bzip | 9 |\n+------+-------+';
    const markdown = '| Year | Event |\n|:-----|------:|\n| 1993 | Debian founded |';
    const text = `Intro.\n\n${table}\n\n${ascii}\n\n* * *\n\n${markdown}\n\nSetext Title\n============\n\nAfter the break.`;
    const document = documentOf(text);
    const chunks = chunkDocument(document);
    expectExactOffsets(document, chunks);
    const sentences = chunks.flatMap((chunk) => chunk.sentences.map((s) => text.slice(s.start, s.end)));
    expect(sentences).toEqual([
      'Intro.',
      'Routine Function',
      // (A lower-case word after a full stop starts no sentence, rule or not.)
      'gss_acquire_cred Assume a global identity; Obtain\n   a GSS-API credential handle.\ngss_add_cred Construct credentials\n   incrementally.',
      '| Name | Value |',
      '| bzip | 9 |',
      '| Year | Event |',
      '| 1993 | Debian founded |',
      'Setext Title',
      'After the break.',
    ]);
    // The break between the tables is no passage of its own; the tables' passages keep their rules.
    expect(chunks.map((chunk) => chunk.text)).not.toContain('* * *');
    expect(chunks.some((chunk) => chunk.text === ascii)).toBe(true);
    // Text that only looks ruled is left alone.
    expect(sentencesOf('From 1990--2000 it grew.')).toEqual(['From 1990--2000 it grew.']);
  });
  it('cuts an over-long span at a line break, else a semicolon, a comma, a space, else at the cap, never inside a surrogate pair', () => {
    const piecesOf = (text: string, max: number): string[] => splitLongSpans(text, [{ start: 0, end: text.length }], max).map((span) => text.slice(span.start, span.end));
    expect(piecesOf('aaaa bbbb; cccc, dddd\neeee ffff', 24)).toEqual(['aaaa bbbb; cccc, dddd', 'eeee ffff']);
    expect(piecesOf('aaaa bbbb cccc; dddd, eeee ffff', 24)).toEqual(['aaaa bbbb cccc;', 'dddd, eeee ffff']);
    // Only boundaries in the second half of the room count: a piece is never cut short to a few words.
    expect(piecesOf('aaaa; bbbb cccc dddd eeee ffff', 24)).toEqual(['aaaa; bbbb cccc dddd', 'eeee ffff']);
    expect(piecesOf('aaaa bbbb cccc, dddd eeee ffff', 24)).toEqual(['aaaa bbbb cccc,', 'dddd eeee ffff']);
    expect(piecesOf('aaaa bbbb cccc dddd eeee ffff', 24)).toEqual(['aaaa bbbb cccc dddd', 'eeee ffff']);
    expect(piecesOf('x'.repeat(50), 20)).toEqual(['x'.repeat(20), 'x'.repeat(20), 'x'.repeat(10)]);
    // "😀" is two UTF-16 units: a cut at 20 would fall between them.
    const emoji = `${'x'.repeat(19)}😀${'y'.repeat(10)}`;
    expect(piecesOf(emoji, 20)).toEqual(['x'.repeat(19), `😀${'y'.repeat(10)}`]);
    // Spans within the cap are left as they are.
    expect(splitLongSpans('short one', [{ start: 0, end: 5 }], 20)).toEqual([{ start: 0, end: 5 }]);
  });

  it('splits a long paragraph at sentence boundaries with one sentence of overlap', () => {
    const sentence = (n: number): string => `Sentence number ${n} talks about a topic at some considerable length to fill space.`;
    const text = Array.from({ length: 40 }, (_, i) => sentence(i + 1)).join(' ');
    const document = documentOf(text);
    const chunks = chunkDocument(document);
    expectExactOffsets(document, chunks);
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.map((c) => c.id)).toEqual(chunks.map((_, i) => `doc#p1.${i + 1}`));
    for (const chunk of chunks) expect(chunk.text.length).toBeLessThanOrEqual(MAX_CHUNK_CHARS);
    for (let i = 1; i < chunks.length; i++) {
      const previousLast = chunks[i - 1]!.sentences.at(-1)!;
      expect(chunks[i]!.sentences[0]!.start).toBe(previousLast.start);
    }
    const covered = new Set(chunks.flatMap((c) => c.sentences.map((s) => s.start)));
    expect(covered.size).toBe(40);
  });

  it('starts offsets after YAML front matter and takes the title from it', () => {
    const text = '---\ntitle: "A Title"\nurl: https://example.org/a\n---\nBody text here. More text.\n';
    const { meta, bodyStart } = parseFrontMatter(text);
    expect(meta).toMatchObject({ title: 'A Title', url: 'https://example.org/a' });
    const document = documentOf(text);
    const chunks = chunkDocument(document);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.start).toBe(bodyStart);
    expectExactOffsets(document, chunks);
  });
});
