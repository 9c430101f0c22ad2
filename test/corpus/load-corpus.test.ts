import { readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/load-corpus.js';
import { makeTempDir, writeCorpus } from '../helpers.js';

describe('loadCorpus', () => {
  let cleanup = (): void => {};
  afterEach(() => cleanup());

  it('reads .md and .txt files in nested folders, in a stable order, with exact text, and names every other file with why it was skipped', async () => {
    const temp = makeTempDir();
    cleanup = temp.cleanup;
    const corpus = writeCorpus(temp.dir, {
      'b.txt': 'Second file.\n',
      'nested/deeper/a.md': '# Heading\n\nBody.\n',
      'notes.pdf': 'not a corpus file',
      '.hidden.txt': 'hidden',
    });
    const { documents, skipped } = await loadCorpus(corpus);
    expect(documents.map((d) => d.source)).toEqual(['corpus/b.txt', 'corpus/nested/deeper/a.md']);
    expect(documents.map((d) => d.id)).toEqual(['b', 'nested-deeper-a']);
    // The PDF is not a PDF at all: skipped either way, with a reason.
    expect(skipped.map((file) => file.source)).toEqual(['corpus/.hidden.txt', 'corpus/notes.pdf']);
    expect(skipped.find((file) => file.source === 'corpus/.hidden.txt')?.reason).toMatch(/^hidden file/);
    for (const document of documents) expect(document.textFile).toBe(document.source);
    for (const document of documents) expect(document.text).toBe(readFileSync(document.path, 'utf8'));
  });

  it('skips empty and binary files with a reason naming each, reads legacy-encoded text as Windows-1252, and keeps the rest', async () => {
    const temp = makeTempDir();
    cleanup = temp.cleanup;
    const corpus = writeCorpus(temp.dir, {
      'good.txt': 'A readable file.',
      'empty.txt': '',
      'blank.md': '  \n\n ',
      'binary.txt': Buffer.from([0x48, 0x00, 0x49]),
      'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9]),
    });
    const { documents, skipped } = await loadCorpus(corpus);
    expect(documents.map((d) => d.id)).toEqual(['good', 'latin1']);
    expect(documents[1]).toMatchObject({ text: 'café', encoding: 'windows-1252', verbatimFile: false });
    expect(skipped.map(({ source, reason }) => ({ source, reason: reason.split(':')[0] }))).toEqual([
      { source: 'corpus/binary.txt', reason: 'binary' },
      { source: 'corpus/blank.md', reason: 'empty' },
      { source: 'corpus/empty.txt', reason: 'empty' },
    ]);
  });

  it('skips an unreadable file (a broken link) with the reason, and keeps the rest', async () => {
    const temp = makeTempDir();
    cleanup = temp.cleanup;
    const corpus = writeCorpus(temp.dir, { 'open.txt': 'visible' });
    symlinkSync(path.join(temp.dir, 'missing-target.txt'), path.join(corpus, 'broken.txt'));
    const { documents, skipped } = await loadCorpus(corpus);
    expect(documents.map((d) => d.id)).toEqual(['open']);
    expect(skipped).toEqual([{ format: 'txt', source: 'corpus/broken.txt', reason: 'unreadable (ENOENT)' }]);
  });

  it('keeps a byte-order mark in the text so offsets match readFileSync', async () => {
    const temp = makeTempDir();
    cleanup = temp.cleanup;
    const corpus = writeCorpus(temp.dir, { 'bom.txt': '\uFEFFHeadline\n\nBody sentence.' });
    const [document] = (await loadCorpus(corpus)).documents;
    expect(document!.text).toBe(readFileSync(path.join(corpus, 'bom.txt'), 'utf8'));
    expect(document!.text.charCodeAt(0)).toBe(0xfeff);
    expect(document!.title).toBe('Headline');
  });

  it('fails with a message naming the folder and CORPUS_DIR when the folder is missing', async () => {
    await expect(loadCorpus('/definitely/not/here')).rejects.toThrow(/corpus: cannot read the folder \/definitely\/not\/here.*CORPUS_DIR/);
  });
});
