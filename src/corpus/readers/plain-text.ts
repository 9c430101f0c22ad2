import chardet from 'chardet';
import iconv from 'iconv-lite';
import { parseFrontMatter } from '../front-matter.js';
import { findPlainTextHeadings } from './plain-text-headings.js';
import { emptyExtraction, type ExtractedText, type ReaderInput, type SkippedRead } from './reader-types.js';

/**
 * `.txt` files, and the decoding Markdown shares with them, in the encodings people save
 * text in: UTF-8 (with or without a BOM), UTF-16 LE/BE with a BOM (Notepad's "Unicode"),
 * and legacy single-byte text. A UTF-8 file is used as it is, so quotes index the corpus
 * file itself; any other encoding is decoded to UTF-8 (iconv-lite, with chardet's guess
 * among single-byte encodings) and the text saved with the index. The encoding assumed is
 * reported.
 */

// fatal: invalid UTF-8 is detected, not replaced; ignoreBOM keeps a BOM in the text so
// offsets match readFileSync(path, 'utf8'), which keeps it too.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** Single-byte encodings chardet may report that are worth trusting over the Windows-1252 default. */
const SINGLE_BYTE = new Set(['windows-1250', 'windows-1251', 'windows-1253', 'windows-1254', 'windows-1255', 'windows-1256', 'iso-8859-2', 'iso-8859-5', 'iso-8859-7', 'iso-8859-8', 'koi8-r']);
/**
 * A first line this long with text right under it is the start of a hard-wrapped paragraph
 * (text is wrapped at 65–80 columns), not a headline.
 */
const WRAPPED_LINE_CHARS = 60;
/** Share of NUL bytes in odd (or even) positions that marks BOM-less UTF-16. */
const UTF16_NUL_SHARE = 0.3;

export interface DecodedText {
  text: string;
  encoding: string;
  /** The text is the bytes as UTF-8 (offsets index the file itself). */
  verbatim: boolean;
}

/** The file's text and the encoding assumed, or why it cannot be text. */
export function decodeText(bytes: Buffer): DecodedText | SkippedRead {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: iconv.decode(bytes.subarray(2), 'utf-16le'), encoding: 'utf-16le', verbatim: false };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: iconv.decode(bytes.subarray(2), 'utf-16be'), encoding: 'utf-16be', verbatim: false };
  const bomless16 = detectBomlessUtf16(bytes);
  if (bomless16) return { text: iconv.decode(bytes, bomless16), encoding: bomless16, verbatim: false };
  if (bytes.includes(0)) return { skip: 'binary: the file holds NUL bytes and is not UTF-16 text; if it is a document in another format, give it that format\'s extension' };
  try {
    const text = strictUtf8.decode(bytes);
    return { text, encoding: text.startsWith('\uFEFF') ? 'utf-8 (BOM)' : 'utf-8', verbatim: true };
  } catch {
    // Not UTF-8: a legacy single-byte encoding. Windows-1252 (a superset of Latin-1 in
    // every printable position) unless chardet is confident of another one.
    const guess = chardet.analyse(bytes).find((match) => match.confidence >= 50);
    const name = guess?.name.toLowerCase();
    const encoding = name && SINGLE_BYTE.has(name) ? name : 'windows-1252';
    // iconv-lite, not TextDecoder: Node's TextDecoder decodes windows-1252 as Latin-1,
    // turning curly quotes and dashes (0x80–0x9F) into control characters.
    return { text: iconv.decode(bytes, encoding), encoding, verbatim: false };
  }
}

/** UTF-16 written without a BOM: NULs in one byte position and almost none in the other. */
function detectBomlessUtf16(bytes: Buffer): 'utf-16le' | 'utf-16be' | null {
  const sample = bytes.subarray(0, 4096 - (Math.min(bytes.length, 4096) % 2));
  if (sample.length < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) i % 2 === 0 ? evenNul++ : oddNul++;
  const pairs = sample.length / 2;
  if (oddNul / pairs > UTF16_NUL_SHARE && evenNul / pairs < 0.01) return 'utf-16le';
  if (evenNul / pairs > UTF16_NUL_SHARE && oddNul / pairs < 0.01) return 'utf-16be';
  return null;
}

/**
 * A text file decoded, with its front matter read: what the plain-text and Markdown
 * readers share. `extraction.title` is the front matter's title (null without one).
 */
export interface DecodedTextFile {
  extraction: ExtractedText;
  /** The text after the front matter. */
  body: string;
}

/** Decodes a `.txt` or `.md` file and reads its front matter, or says why it is not text. */
export function readTextFile(input: ReaderInput, format: 'txt' | 'md'): DecodedTextFile | SkippedRead {
  if (input.bytes.length === 0) return { skip: 'empty: the file has no text' };
  const decoded = decodeText(input.bytes);
  if ('skip' in decoded) return decoded;
  const { text } = decoded;
  const { meta, bodyStart, warning } = parseFrontMatter(text);
  const body = text.slice(bodyStart);
  if (body.trim() === '') return { skip: 'empty: the file has no text' };
  const extraction: ExtractedText = {
    ...emptyExtraction(format),
    text,
    verbatimFile: decoded.verbatim,
    encoding: decoded.encoding,
    title: meta.title,
    url: meta.url,
    publication: meta.publication ?? guessPublication(body),
    date: meta.date,
    bodyStart,
    warnings: warning ? [warning] : [],
  };
  return { extraction, body };
}

/**
 * A plain-text file: its text as it is (quotes index the file itself when it is UTF-8),
 * front matter, the encoding assumed, and the headings a book or manual saved as text has
 * without markup (see plain-text-headings.ts).
 */
export async function readPlainText(input: ReaderInput): Promise<ExtractedText | SkippedRead> {
  const file = readTextFile(input, 'txt');
  if ('skip' in file) return file;
  const { extraction, body } = file;
  return {
    ...extraction,
    title: extraction.title ?? guessTitle(body),
    headings: findPlainTextHeadings(extraction.text, extraction.bodyStart),
  };
}

/**
 * The first line, when it reads like a headline: short, no sentence-final period, and not
 * the first line of a hard-wrapped paragraph (a long line with more of the paragraph under it).
 */
export function guessTitle(body: string): string | null {
  const lines = body.replace(/^\uFEFF/, '').split(/\r?\n/);
  const at = lines.findIndex((line) => line.trim() !== '');
  const first = lines[at]?.trim();
  if (!first || first.length > 200 || /[.!?]$/.test(first)) return null;
  if (first.length >= WRAPPED_LINE_CHARS && (lines[at + 1] ?? '').trim() !== '') return null;
  return first;
}

function guessPublication(body: string): string | null {
  const line = /^[ \t]*Publication:[ \t]*(.+?)[ \t]*$/im.exec(body.slice(0, 2_000));
  return line ? line[1]! : null;
}
