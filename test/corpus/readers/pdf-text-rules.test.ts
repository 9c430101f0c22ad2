import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findFurniture } from '../../../src/corpus/readers/pdf-furniture.js';
import { findHeadings } from '../../../src/corpus/readers/pdf-headings.js';
import { layOutRows, rowText, type PageRows, type PdfLine, type PdfTextItem, type Row } from '../../../src/corpus/readers/pdf-layout.js';
import { joinLines } from '../../../src/corpus/readers/pdf-paragraphs.js';
import { judgeTextLayer } from '../../../src/corpus/readers/text-layer-quality.js';
import { ARTICLE_DIR } from '../../helpers.js';

const ARTICLE = readFileSync(path.join(ARTICLE_DIR, 'kazakhstan-un-human-rights-council.txt'), 'utf8');

describe('joinLines: how two lines of a paragraph meet', () => {
  const plain = { compounds: new Set<string>(), breakHyphen: null };
  const join = (first: string, second: string, stats: Parameters<typeof joinLines>[2] = plain): string => {
    const { before, separator } = joinLines(first, second, stats);
    return `${before}${separator}${second}`;
  };

  it('joins a word hyphenated at the line end, a soft hyphen too', () => {
    expect(join('promoting inter-', 'national human rights')).toBe('promoting international human rights');
    expect(join('hyphen\u00ad', 'ation')).toBe('hyphenation');
  });

  it('keeps the hyphen of a compound the document writes elsewhere, before a capital or digit, and in chains', () => {
    expect(join('a formal multi-', 'party system', { compounds: new Set(['multi-party']), breakHyphen: null })).toBe('a formal multi-party system');
    expect(join('a single GSS-', 'API credential')).toBe('a single GSS-API credential');
    expect(join('Resolution 60-', '251')).toBe('Resolution 60-251');
    expect(join('the state-of-the-', 'art method')).toBe('the state-of-the-art method');
    expect(join('alphaev67-unknown-', 'linux-gnu,')).toBe('alphaev67-unknown-linux-gnu,');
  });

  it('tells the typesetter’s break hyphen (U+2010) from a real one when the document uses both', () => {
    const chromium = { compounds: new Set<string>(), breakHyphen: '\u2010' };
    expect(join('the prog\u2010', 'ress of Kazakhstan', chromium)).toBe('the progress of Kazakhstan');
    expect(join('main inter-', 'governmental body', chromium)).toBe('main inter-governmental body');
  });

  it('sets dashes, identifiers and links broken at a line end solid, and otherwise puts a space', () => {
    expect(join('for the 2013–', '2015 term')).toBe('for the 2013–2015 term');
    expect(join('called gss_', 'check_version()')).toBe('called gss_check_version()');
    expect(join('see https://www.freedomhouse.org/', 'report-types/freedom-world')).toBe('see https://www.freedomhouse.org/report-types/freedom-world');
    expect(join('Kazakhstan received the', 'fifth highest vote')).toBe('Kazakhstan received the fifth highest vote');
    expect(join('as it says -', 'and so on')).toBe('as it says - and so on');
  });
});

describe('layOutRows: text items into rows', () => {
  const item = (str: string, transform: number[], width = str.length * 5): PdfTextItem => ({ str, transform, width, height: 10 });

  it('reads a page whose text is turned a quarter (a landscape table on a portrait page) and leaves out text at other angles', () => {
    const items = [
      item('Second line', [0, 10, -10, 0, 114, 100]),
      item('First line', [0, 10, -10, 0, 100, 100]),
      item('of turned text', [0, 10, -10, 0, 100, 155]),
      item('STAMP', [7.07, 7.07, -7.07, 7.07, 300, 300]),
    ];
    const page = layOutRows(0, items, [0, 0, 612, 792]);
    expect(page.rows.map(rowText)).toEqual(['First line of turned text', 'Second line']);
    expect(page.angledChars).toBe(5);
  });

  it('keeps a superscript on its line, drops a glyph printed over another, and cuts a row at a wide gap', () => {
    const items = [
      item('Copyright', [10, 0, 0, 10, 90, 700], 45),
      item('©', [10, 0, 0, 10, 138, 700], 10),
      item('c', [10, 0, 0, 10, 141, 700.4], 4),
      item('2022', [10, 0, 0, 10, 151, 700], 20),
      item('1', [7, 0, 0, 7, 172, 704], 4),
      item('11', [10, 0, 0, 10, 500, 700], 10),
    ];
    const [row] = layOutRows(0, items, [0, 0, 612, 792]).rows;
    expect(row!.segments.map((segment) => segment.text)).toEqual(['Copyright © 2022 1', '11']);
  });
});

describe('findFurniture: running headers, footers and page numbers', () => {
  const row = (y: number, text: string, size = 10): Row => ({ y, size, segments: [{ text, x0: 72, x1: 72 + 5 * text.length, size, firstWordWidth: 20, monoChars: 0 }] });
  const body = (from: number): Row[] => Array.from({ length: 30 }, (_, i) => row(from - 12 * i, `Body line ${i} of the text, set as running prose.`));

  it('takes out a repeated header and page numbers set apart from the body, not a repeated heading nor lines repeated far apart', () => {
    const pages: PageRows[] = Array.from({ length: 9 }, (_, page) => {
      const rows: Row[] = [row(760, `Annual Report ${2023} · Chapter ${page + 1}`)];
      // A heading in a larger font opens pages 3, 4, 7 and 8 (set apart like a header, but larger).
      if (page % 4 >= 2) rows.push(row(720, 'Exercises', 14));
      // A line set apart from the text that recurs at the top of pages 2, 5 and 8, three pages apart.
      rows.push(...(page % 3 === 1 && page % 4 < 2 ? [row(700, 'Name of the applicant and address'), ...body(680)] : body(page % 4 >= 2 ? 690 : 700)));
      rows.push(row(40, `${page + 1}`));
      return { page, rows, top: 792, bottom: 0, angledChars: 0 };
    });
    const furniture = findFurniture(pages, 10);
    expect(furniture.lines).toEqual(['#', 'Annual Report # · Chapter #']);
    for (const page of pages) {
      const taken = [...(furniture.rowsByPage.get(page.page) ?? [])].map((index) => rowText(page.rows[index]!));
      expect(taken).toEqual([`Annual Report 2023 · Chapter ${page.page + 1}`, `${page.page + 1}`]);
    }
  });
});

describe('findHeadings without an outline: by font size (not the text inside a drawing) and by number', () => {
  // One page: body text at 10 pt, headings and a graph's node labels at 12 pt.
  const page = (texts: readonly [string, number][]): PdfLine[] =>
    texts.map(([text, size], i) => ({ page: 0, text, x0: 72, x1: 72 + 5 * text.length, y: 700 - 30 * i, size, firstWordWidth: 20, column: 0, columnLeft: 72, columnRight: 540, columnLines: 40, mono: false }));
  const titles = (lines: PdfLine[]): string[] => findHeadings(lines, [], 10).map((heading) => lines[heading.line]!.text);

  it('takes node labels followed by more labels, the caption or short lines for figure text', () => {
    const lines = page([
      ['2 Drawing Attributes', 12],
      ['The main attributes that affect graph drawing are summarized in the appendices.', 10],
      ['a e', 12],
      ['b', 12],
      ['hello world d', 12],
      ['Figure 6: Drawing of polygonal node shapes', 10],
      ['plaintext', 12],
      ['point egg triangle plaintext', 10],
      ['3 Advanced Features', 12],
      ['A node port is a point where edges can attach to a node.', 10],
    ]);
    expect(titles(lines)).toEqual(['2 Drawing Attributes', '3 Advanced Features']);
  });

  it('keeps a lower-case heading followed by prose, and a capitalised one followed by a caption', () => {
    const lines = page([
      ['string', 12],
      ['Results in a free-form input field that the user can type any string into.', 10],
      ['Results', 12],
      ['Figure 2: Compression ratio by block size', 10],
    ]);
    expect(titles(lines)).toEqual(['string', 'Results']);
  });

  it('takes a numbered line in the body font for a subsection of a numbered heading, one level under it', () => {
    const lines = page([
      ['3 Advanced Features', 12],
      ['3.1 Node Ports', 10],
      ['A node port is a point where edges can attach to a node.', 10],
      ['3.1.2 Compass Points', 10],
      ['Ports can be named by compass points such as n or se.', 10],
      // The rest of a sentence that happens to open a line, and a number under no heading found.
      ['2.1 Million people were affected by the', 10],
      ['floods of that spring, the report says.', 10],
      ['7.4 Release Notes', 10],
      ['These are the notes.', 10],
    ]);
    const headings = findHeadings(lines, [], 10).map((heading) => `${heading.level} ${lines[heading.line]!.text}`);
    expect(headings).toEqual(['1 3 Advanced Features', '2 3.1 Node Ports', '3 3.1.2 Compass Points']);
  });
});

describe('judgeTextLayer: is the text worth indexing?', () => {
  it('takes real text, prose or a manual', () => {
    expect(judgeTextLayer(ARTICLE, 6)).toEqual({ usable: true });
  });

  it('calls (almost) no text on many pages a scan', () => {
    expect(judgeTextLayer('12 13', 2)).toMatchObject({ usable: false, problem: 'sparse' });
  });

  it('calls garbage what fonts without a Unicode map give: private-use codes, punctuation soup, shifted letters', () => {
    const privateUse = [...ARTICLE].map((ch) => (/\S/.test(ch) ? String.fromCharCode(0xe000 + (ch.charCodeAt(0) % 200)) : ch)).join('');
    const punctuation = ARTICLE.replace(/[a-z]/gi, (ch) => String.fromCharCode(33 + (ch.charCodeAt(0) % 14)));
    const shifted = (by: number): string => ARTICLE.replace(/[a-z]/gi, (ch) => {
      const base = ch <= 'Z' ? 65 : 97;
      return String.fromCharCode(((ch.charCodeAt(0) - base + by) % 26) + base);
    });
    expect(judgeTextLayer(privateUse, 6)).toMatchObject({ usable: false, problem: 'garbage', detail: expect.stringContaining('unreadable codes') });
    expect(judgeTextLayer(punctuation, 6)).toMatchObject({ usable: false, problem: 'garbage', detail: expect.stringContaining('letters or digits') });
    expect(judgeTextLayer(shifted(3), 6)).toMatchObject({ usable: false, problem: 'garbage' });
    expect(judgeTextLayer(shifted(13), 6)).toMatchObject({ usable: false, problem: 'garbage' });
  });
});
