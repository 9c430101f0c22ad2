import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { chunkDocument } from '../../../src/chunking/chunk-document.js';
import { loadCorpus, type LoadedCorpus } from '../../../src/corpus/load-corpus.js';
import { createEngine } from '../../../src/engine.js';
import { makeTempDir, PROJECT_ROOT, testConfig, writeCorpus } from '../../helpers.js';

const FIXTURES = path.join(PROJECT_ROOT, 'test', 'fixtures', 'documents');
const SENTENCE = 'The “ministry” paid €5 for the café’s report. It was published in November.';

/**
 * Files people drop into a corpus that a reader must not choke on, each through loadCorpus:
 * every one gets an outcome, and the rest of the corpus is read.
 */
describe('hostile and odd files in a corpus', () => {
  let cleanup = (): void => {};
  afterEach(() => cleanup());

  function corpusOf(files: Record<string, string | Buffer>): string {
    const temp = makeTempDir();
    cleanup = temp.cleanup;
    return writeCorpus(temp.dir, files);
  }

  const outcome = (loaded: LoadedCorpus, source: string): string =>
    loaded.documents.some((document) => document.source === source) ? 'indexed' : (loaded.skipped.find((file) => file.source === source)?.reason ?? 'missing');

  it('skips files over DOCUMENT_MAX_BYTES and archives that would unpack past the limit, naming the limit, and reads the rest', async () => {
    const corpus = corpusOf({ 'small.txt': 'A short note.', 'big.txt': 'word '.repeat(4_000), 'bomb.odt': readFileSync(path.join(FIXTURES, 'zip-bomb.odt')) });
    // 16 KB: the bomb's 8 KB pass the file limit, its 8 MB of content.xml do not pass the unpacked one.
    const loaded = await loadCorpus(corpus, { maxBytes: 16 * 1024 });
    expect(outcome(loaded, 'corpus/small.txt')).toBe('indexed');
    expect(outcome(loaded, 'corpus/big.txt')).toMatch(/^too large: .* over the 16 KB limit \(DOCUMENT_MAX_BYTES\)/);
    expect(outcome(loaded, 'corpus/bomb.odt')).toMatch(/^too large: it would unpack to more than 128 KB \(a zip bomb/);
  });

  it('skips a zip bomb, a damaged, an encrypted and an empty ODT with their reasons', async () => {
    const article = readFileSync(path.join(FIXTURES, 'article.odt'));
    const corpus = corpusOf({
      'bomb.odt': readFileSync(path.join(FIXTURES, 'zip-bomb.odt')),
      'cut.odt': article.subarray(0, article.length - 200),
      'locked.odt': readFileSync(path.join(FIXTURES, 'encrypted.odt')),
      'empty.odt': readFileSync(path.join(FIXTURES, 'empty.odt')),
      'fine.odt': article,
    });
    const loaded = await loadCorpus(corpus);
    expect(outcome(loaded, 'corpus/bomb.odt')).toMatch(/^damaged or hostile: content\.xml unpacks \d+× its packed size \(a zip bomb\)$/);
    expect(outcome(loaded, 'corpus/cut.odt')).toMatch(/^damaged: not a readable zip archive/);
    expect(outcome(loaded, 'corpus/locked.odt')).toBe('encrypted: the document is password-protected; save an unprotected copy');
    expect(outcome(loaded, 'corpus/empty.odt')).toBe('empty: no text could be found in the ODT file');
    expect(outcome(loaded, 'corpus/fine.odt')).toBe('indexed');
  });

  it('decodes UTF-16 LE and BE with a BOM, BOM-less UTF-16 and Windows-1252, reporting each encoding', async () => {
    const text = `Report\n\n${SENTENCE}\n`;
    const corpus = corpusOf({
      'le.txt': Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]),
      'be.md': Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]),
      'bomless.txt': iconv.encode(text, 'utf-16le'),
      'legacy.txt': iconv.encode(text, 'windows-1252'),
    });
    const { documents, skipped } = await loadCorpus(corpus);
    expect(skipped).toEqual([]);
    const byName = Object.fromEntries(documents.map((document) => [path.basename(document.source), document]));
    expect(Object.fromEntries(Object.entries(byName).map(([name, document]) => [name, document.encoding]))).toEqual({
      'be.md': 'utf-16be',
      'bomless.txt': 'utf-16le',
      'le.txt': 'utf-16le',
      'legacy.txt': 'windows-1252',
    });
    for (const document of documents) {
      expect(document.text).toBe(text);
      expect(document.verbatimFile).toBe(false);
      expect(document.title).toBe('Report');
    }
  });

  it('keeps offsets into a UTF-8 file with a BOM, so every passage and sentence is a slice of the file', async () => {
    const corpus = corpusOf({ 'bom.txt': `\uFEFFCHAPTER I\n\nTHE REPORT\n\n${SENTENCE}\nIt runs over a second line.\n` });
    const [document] = (await loadCorpus(corpus)).documents;
    const file = readFileSync(path.join(corpus, 'bom.txt'), 'utf8');
    expect(document).toMatchObject({ encoding: 'utf-8 (BOM)', verbatimFile: true, title: 'CHAPTER I' });
    expect(document!.headings).toEqual([{ start: 1, end: 22, level: 1, title: 'CHAPTER I. THE REPORT' }]);
    for (const chunk of chunkDocument(document!)) {
      expect(file.slice(chunk.start, chunk.end)).toBe(chunk.text);
      for (const sentence of chunk.sentences) expect(file.slice(sentence.start, sentence.end)).not.toMatch(/^\s|\s$/);
    }
    expect(chunkDocument(document!).at(-1)!.section).toBe('CHAPTER I. THE REPORT');
  });

  it('answers from re-encoded texts with quotes that slice their text files', async () => {
    const temp = makeTempDir();
    cleanup = temp.cleanup;
    const corpus = path.join(temp.dir, 'corpus');
    writeCorpus(temp.dir, {
      'le.txt': Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(`Ministry report\n\n${SENTENCE}\n`, 'utf-16le')]),
      'legacy.txt': iconv.encode('Budget\n\nThe council’s budget for 2013 was “€40 million” in total.\n', 'windows-1252'),
    });
    cpSync(path.join(FIXTURES, 'article.odt'), path.join(corpus, 'article.odt'));
    writeFileSync(path.join(corpus, 'notes.odt'), 'not a zip');
    const engine = await createEngine({ config: testConfig(temp.dir), embedder: null, embedderWarning: 'lexical-only in this test' });
    expect(engine.listFiles().map(({ file, outcome }) => `${file} ${outcome}`)).toEqual(['corpus/article.odt indexed', 'corpus/le.txt indexed', 'corpus/legacy.txt indexed', 'corpus/notes.odt skipped']);
    for (const question of ['How much did the ministry pay for the report?', 'What was the council’s budget for 2013?']) {
      const answer = await engine.ask(question);
      expect(answer.quotes.length, question).toBeGreaterThan(0);
      for (const quote of [...answer.quotes, ...answer.related]) {
        expect(readFileSync(path.join(temp.dir, quote.textFile), 'utf8').slice(quote.start, quote.end)).toBe(quote.text);
      }
    }
  });
});
