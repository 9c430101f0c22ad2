import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { moveFileExclusive, resolveCorpusFile, writeNewFile } from '../../src/documents/corpus-files.js';
import { makeTempDir } from '../helpers.js';

let temp: { dir: string; cleanup: () => void };
beforeEach(() => {
  temp = makeTempDir('verbatim-corpus-files-');
});
afterEach(() => temp.cleanup());

async function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: NodeJS.ErrnoException) => error.code,
  );
}

/** A folder on another file system than the temporary folder, when the machine has one (tmpfs at /dev/shm). */
function otherFileSystem(): string | null {
  if (!existsSync('/dev/shm') || statSync('/dev/shm').dev === statSync(temp.dir).dev) return null;
  try {
    return mkdtempSync('/dev/shm/verbatim-');
  } catch {
    return null;
  }
}

describe('putting files in place', () => {
  it('writes a new file whole, leaves no staging behind, and never replaces a file of that name', async () => {
    await writeNewFile(temp.dir, 'notes.md', Buffer.from('first'));
    expect(readFileSync(path.join(temp.dir, 'notes.md'), 'utf8')).toBe('first');
    expect(await errorCode(writeNewFile(temp.dir, 'notes.md', Buffer.from('second')))).toBe('EEXIST');
    expect(readFileSync(path.join(temp.dir, 'notes.md'), 'utf8')).toBe('first');
    expect(readdirSync(temp.dir)).toEqual(['notes.md']);
  });

  it('moves a file only to a free name, keeping the one already there', async () => {
    writeFileSync(path.join(temp.dir, 'a.txt'), 'a');
    writeFileSync(path.join(temp.dir, 'b.txt'), 'b');
    expect(await errorCode(moveFileExclusive(path.join(temp.dir, 'a.txt'), path.join(temp.dir, 'b.txt')))).toBe('EEXIST');
    expect(readFileSync(path.join(temp.dir, 'a.txt'), 'utf8')).toBe('a');
    expect(readFileSync(path.join(temp.dir, 'b.txt'), 'utf8')).toBe('b');
    await moveFileExclusive(path.join(temp.dir, 'a.txt'), path.join(temp.dir, 'c.txt'));
    expect(readdirSync(temp.dir).sort()).toEqual(['b.txt', 'c.txt']);
  });

  it('moves across file systems (DATA_DIR and CORPUS_DIR on different disks) by an exclusive copy', async () => {
    const other = otherFileSystem();
    if (!other) return;
    try {
      writeFileSync(path.join(temp.dir, 'a.txt'), 'across');
      await moveFileExclusive(path.join(temp.dir, 'a.txt'), path.join(other, 'a.txt'));
      expect(readFileSync(path.join(other, 'a.txt'), 'utf8')).toBe('across');
      expect(existsSync(path.join(temp.dir, 'a.txt'))).toBe(false);
      writeFileSync(path.join(temp.dir, 'a.txt'), 'again');
      expect(await errorCode(moveFileExclusive(path.join(temp.dir, 'a.txt'), path.join(other, 'a.txt')))).toBe('EEXIST');
      expect(readFileSync(path.join(other, 'a.txt'), 'utf8')).toBe('across');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

describe('naming a corpus file', () => {
  it('accepts plain relative paths inside the corpus and nothing else', async () => {
    mkdirSync(path.join(temp.dir, 'news'));
    writeFileSync(path.join(temp.dir, 'news', 'a.txt'), 'a');
    writeFileSync(path.join(temp.dir, '.hidden.txt'), 'h');
    expect(await resolveCorpusFile(temp.dir, 'news/a.txt')).toBe('news/a.txt');
    expect(await resolveCorpusFile(temp.dir, 'news\\a.txt')).toBe('news/a.txt');
    expect(await resolveCorpusFile(temp.dir, '  news//a.txt ')).toBe('news/a.txt');
    for (const refused of ['news', '.hidden.txt', 'news/../news/a.txt', '../x', path.join(temp.dir, 'news', 'a.txt'), '', 'missing.txt']) {
      expect(await resolveCorpusFile(temp.dir, refused)).toBeNull();
    }
  });
});
