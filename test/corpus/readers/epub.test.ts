import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../../src/corpus/load-corpus.js';
import type { ExtractedText } from '../../../src/corpus/readers/reader-types.js';
import { makeTempDir, writeCorpus } from '../../helpers.js';
import { DOCUMENTS_DIR, expectHeadingSpans, expectNoMarkup, expectWholeArticle, fold, readFixture, readFixtureBytes, readSkip } from './reader-fixtures.js';

function levelOneTitles(book: ExtractedText): string[] {
  return book.headings.filter((heading) => heading.level === 1).map((heading) => heading.title);
}

describe('readEpub on the article made with pandoc (article.epub, a chapter per section)', () => {
  it('keeps every paragraph and list item of the article in order, without markup', async () => {
    const book = await readFixture('article.epub');
    expectWholeArticle(book.text);
    expectNoMarkup(book.text);
  });

  it('makes every chapter a level-1 section, its first heading raised to level 1, in spine order', async () => {
    const book = await readFixture('article.epub');
    // The title page, then the chapters: pandoc split the article at its ## headings.
    expect(levelOneTitles(book)).toEqual([
      'Kazakhstan Elected Member of UN Human Rights Council',
      'Kazakhstan Elected Member of UN Human Rights Council',
      'The vote',
      'Kazakhstan’s case',
      'Critics & rankings',
      'Reactions',
      'Pledges',
    ]);
    expect(book.headings.every((heading) => heading.level === 1)).toBe(true);
    expectHeadingSpans(book);
    expect(book).toMatchObject({ format: 'epub', title: 'Kazakhstan Elected Member of UN Human Rights Council' });
  });

  it('titles a chapter without a heading from the book\'s table of contents', async () => {
    const book = await readFixture('headingless-chapter.epub');
    expect(levelOneTitles(book)).toContain('The vote');
    const heading = book.headings.find((candidate) => candidate.title === 'The vote')!;
    expect(book.text.slice(heading.end).trimStart().startsWith('On November 12, the 67th session')).toBe(true);
  });
});

describe('readEpub on a book (the Debian Policy Manual, 24 chapters, 430 KB of text)', () => {
  it('reads every chapter as a level-1 section in spine order', async () => {
    const book = await readFixture('debian-policy.epub');
    expect(Buffer.byteLength(book.text)).toBeGreaterThan(300_000);
    expect(book.title).toBe('Debian Policy Manual');
    expect(levelOneTitles(book)).toEqual([
      'Debian Policy Manual',
      'About this manual',
      'The Debian Archive',
      'Binary packages',
      'Source packages',
      'Control files and their fields',
      'Package maintainer scripts and installation procedure',
      'Declaring relationships between packages',
      'Shared libraries',
      'The Operating System',
      'Files',
      'Customized programs',
      'Documentation',
      'Introduction and scope of these appendices',
      'Binary packages (from old Packaging Manual)',
      'Source packages (from old Packaging Manual)',
      'Control files and their fields (from old Packaging Manual)',
      'Configuration file handling (from old Packaging Manual)',
      'Alternative versions of an interface - update-alternatives (from old Packaging Manual)',
      "Diversions - overriding a package's version of a file (from old Packaging Manual)",
      'Debian Policy changes process',
      'Maintainer script flowcharts',
      'Upgrading checklist',
      'License',
    ]);
    // Sections inside a chapter keep their depth below it.
    const scope = book.headings.find((heading) => heading.title === 'Scope')!;
    expect(scope.level).toBe(2);
    const text = fold(book.text);
    const sharedLibraries = text.indexOf('Shared libraries');
    expect(text.indexOf('Packages containing shared libraries must be constructed with a little care')).toBeGreaterThan(sharedLibraries);
    expectHeadingSpans(book);
  });
});

describe('readEpub on encrypted and damaged books', () => {
  it('skips a book whose chapters are encrypted (DRM), naming the encrypted file', async () => {
    expect(await readSkip('drm.epub')).toBe('encrypted (DRM): EPUB/text/ch002.xhtml is encrypted, so the book\'s text cannot be read; use a DRM-free copy of the book');
  });

  it('reads a DRM-free book whose only encryption is font obfuscation', async () => {
    const book = await readFixture('font-obfuscated.epub');
    expectWholeArticle(book.text);
  });

  it('skips a truncated book as damaged, and a zip without a container as not an EPUB', async () => {
    expect(await readSkip('cut.epub', readFixtureBytes('article.epub').subarray(0, 4000))).toMatch(/^damaged: not a readable zip archive/);
    expect(await readSkip('word.epub', readFixtureBytes('article.docx'))).toMatch(/^damaged: not an EPUB book \(it has no META-INF\/container\.xml\)/);
  });
});

describe('a corpus holding every web, Word and EPUB fixture', () => {
  it('indexes the readable files and skips each hostile or damaged one with its reason, one bad file stopping none', async () => {
    const temp = makeTempDir();
    try {
      const names = readdirSync(DOCUMENTS_DIR).filter((name) => /\.(?:html|docx|epub)$/.test(name));
      const corpus = writeCorpus(temp.dir, Object.fromEntries(names.map((name) => [name, readFixtureBytes(name)])));
      const { documents, skipped } = await loadCorpus(corpus);
      expect(documents.map((document) => [document.source, document.format])).toEqual([
        ['corpus/article.docx', 'docx'],
        ['corpus/article.epub', 'epub'],
        ['corpus/article.html', 'html'],
        ['corpus/debian-policy.epub', 'epub'],
        ['corpus/font-obfuscated.epub', 'epub'],
        ['corpus/headingless-chapter.epub', 'epub'],
        ['corpus/maint-guide-upload.html', 'html'],
        ['corpus/notes.docx', 'docx'],
      ]);
      expect(skipped.map(({ source, reason }) => [source, reason.split(':')[0]])).toEqual([
        ['corpus/bomb-declared-2gb.docx', 'too large'],
        ['corpus/bomb-lying.docx', 'damaged'],
        ['corpus/bomb-ratio.docx', 'damaged or hostile'],
        ['corpus/damaged-truncated.docx', 'damaged'],
        ['corpus/drm.epub', 'encrypted (DRM)'],
        ['corpus/encrypted.docx', 'encrypted or old Word format'],
      ]);
      for (const document of documents) expect(document.verbatimFile).toBe(false);
    } finally {
      temp.cleanup();
    }
  });
});
