import mammoth from 'mammoth';
import { DOMParser } from 'linkedom';
import { addHtmlBlocks } from './html-blocks.js';
import { parseHtmlDocument } from './parse-markup.js';
import { emptyExtraction, type ExtractedText, type ReaderInput, type SkippedRead } from './reader-types.js';
import { foldSpace, TextBuilder } from './text-builder.js';
import { formatBytes, openZip, ZipRefusal, type ZipArchive } from './zip-archive.js';

/**
 * Word documents (`.docx`): paragraphs, headings (Heading 1–6 and Title styles), lists and
 * tables in order, via mammoth's HTML and the shared block walker; footnotes and endnotes
 * at the end (they are words of the document), numbered as in the text. Comments, page
 * headers and footers are not read (notes about the document and page furniture).
 *
 * The file is checked before mammoth unpacks anything: a zip bomb or an encrypted entry
 * is refused by `openZip`, and every XML part is unpacked once under yauzl's size checks,
 * so mammoth (whose zip library trusts the sizes a file declares) only ever inflates parts
 * known to be what they claim. Images are never unpacked.
 */

/** The first bytes of an OLE compound file: a password-protected Word file, or an old `.doc`. */
const OLE_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/**
 * Word XML (document, notes, styles…) read from one file at most, as a share of
 * DOCUMENT_MAX_BYTES: a third, 8.3 MB by default. mammoth holds the parsed XML in memory:
 * reading 1.7 MB of document.xml raised peak memory by 146 MB (85×), so the default bounds
 * a file near 700 MB. A 300-page text document has 3–6 MB.
 */
const WORD_XML_SHARE_OF_MAX_BYTES = 1 / 3;

/** Word styles that are headings beyond mammoth's defaults (Heading 1–6 are already h1–h6). */
const STYLE_MAP = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => p:fresh"];

/** A Word document's text, headings and title. */
export async function readDocx(input: ReaderInput): Promise<ExtractedText | SkippedRead> {
  const { bytes } = input;
  if (bytes.subarray(0, OLE_SIGNATURE.length).equals(OLE_SIGNATURE)) {
    return { skip: 'encrypted or old Word format: the file is password-protected or a Word 97–2003 document renamed .docx; save it as an unprotected .docx' };
  }
  let zip: ZipArchive;
  let wordXmlBytes = 0;
  try {
    zip = await openZip(bytes, input.limits.maxUnpackedBytes);
    for (const name of zip.names) {
      if (!/\.(?:xml|rels)$/i.test(name)) continue;
      const part = await zip.read(name);
      if (name.startsWith('word/')) wordXmlBytes += part.length;
    }
  } catch (error) {
    if (error instanceof ZipRefusal) return { skip: error.message };
    throw error;
  }
  const maxWordXmlBytes = Math.floor(input.limits.maxBytes * WORD_XML_SHARE_OF_MAX_BYTES);
  if (wordXmlBytes > maxWordXmlBytes) {
    return { skip: `too large: its text unpacks to ${formatBytes(wordXmlBytes)} of Word XML, over the ${formatBytes(maxWordXmlBytes)} the Word reader takes (a third of DOCUMENT_MAX_BYTES; reading needs about 85 times that in memory); split the document, or save it as PDF or EPUB` };
  }
  if (!zip.has('word/document.xml') && !zip.has('_rels/.rels')) {
    return { skip: 'damaged: the file is a zip archive but not a Word document (it has no word/document.xml); if it is another kind of file, give it that extension' };
  }

  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: bytes },
      {
        styleMap: STYLE_MAP,
        // Images are not text: they are left packed (mammoth would base64 every one).
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
        externalFileAccess: false,
        ignoreEmptyParagraphs: true,
      },
    );
    html = result.value;
  } catch (error) {
    return { skip: `damaged: the Word document cannot be read (${(error as Error).message})` };
  }

  const document = parseHtmlDocument(html);
  // mammoth adds a "↑" link back from each note to its mark: not a word of the document.
  for (const backlink of document.querySelectorAll('a[href^="#footnote-ref-"], a[href^="#endnote-ref-"]')) backlink.remove();
  const builder = new TextBuilder();
  addHtmlBlocks(document.body, builder);
  const { text, headings } = builder.build();
  if (text === '') return { skip: 'empty: the Word document has no text' };
  return {
    ...emptyExtraction('docx'),
    text,
    title: (await readCoreTitle(zip)) ?? headings[0]?.title ?? null,
    headings,
  };
}

/** The title in the document's properties (`docProps/core.xml`, dc:title), when set. */
async function readCoreTitle(zip: ZipArchive): Promise<string | null> {
  if (!zip.has('docProps/core.xml')) return null;
  const xml = new DOMParser().parseFromString(await zip.readText('docProps/core.xml'), 'text/xml');
  const title = [...xml.querySelectorAll('*')].find((element) => /(?:^|:)title$/i.test(element.localName));
  return foldSpace(title?.textContent ?? '') || null;
}
