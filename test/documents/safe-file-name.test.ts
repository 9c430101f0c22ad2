import { describe, expect, it } from 'vitest';
import { chooseFreeName, makeSafeFileName, MAX_FILE_NAME_BYTES } from '../../src/documents/safe-file-name.js';

describe('safe file names', () => {
  it('keeps only the last path component, whatever the separator', () => {
    expect(makeSafeFileName('../../etc/passwd')).toBe('passwd');
    expect(makeSafeFileName('..\\x')).toBe('x');
    expect(makeSafeFileName('..\\..\\Windows\\win.ini')).toBe('win.ini');
    expect(makeSafeFileName('/absolute/path/report.pdf')).toBe('report.pdf');
    expect(makeSafeFileName('C:\\Users\\me\\notes.md')).toBe('notes.md');
    expect(makeSafeFileName('..')).toBe('document');
    expect(makeSafeFileName('../')).toBe('document');
    expect(makeSafeFileName('', 'example.org')).toBe('example.org');
  });

  it('never makes a hidden name or one Windows reserves for a device', () => {
    expect(makeSafeFileName('.env')).toBe('env');
    expect(makeSafeFileName('...hidden.txt')).toBe('hidden.txt');
    expect(makeSafeFileName('CON.txt')).toBe('CON-file.txt');
    expect(makeSafeFileName('nul')).toBe('nul-file');
    expect(makeSafeFileName('com1.md')).toBe('com1-file.md');
    expect(makeSafeFileName('Lpt9.tar.md')).toBe('Lpt9.tar-file.md');
    expect(makeSafeFileName('console.txt')).toBe('console.txt');
    // Windows drops trailing dots and spaces: "a.txt. " would become a.txt behind our back.
    expect(makeSafeFileName('notes.txt. . ')).toBe('notes.txt');
  });

  it('removes control characters, characters Windows forbids, and Unicode controls that disguise an extension', () => {
    expect(makeSafeFileName('a\u0000b\nc\td.txt')).toBe('a-b-c-d.txt');
    expect(makeSafeFileName('what? <draft>: "v2" | final*.md')).toBe('what- -draft- -v2- - final-.md');
    // "report" + RIGHT-TO-LEFT OVERRIDE + "fdp.exe" displays as "reportexe.pdf".
    expect(makeSafeFileName('report\u202Efdp.exe')).toBe('report-fdp.exe');
    expect(makeSafeFileName('zero\u200Bwidth.txt')).toBe('zero-width.txt');
  });

  it('keeps letters of any script, normalised to NFC', () => {
    expect(makeSafeFileName('Доклад о правах человека.pdf')).toBe('Доклад о правах человека.pdf');
    expect(makeSafeFileName('人权理事会.html')).toBe('人权理事会.html');
    expect(makeSafeFileName('cafe\u0301.md')).toBe('caf\u00e9.md');
    expect(makeSafeFileName('emoji 📄 notes.txt')).toBe('emoji 📄 notes.txt');
  });

  it('shortens a very long name to the byte limit, keeping the extension and whole characters', () => {
    const long = makeSafeFileName(`${'a'.repeat(1_000)}.pdf`);
    expect(long.endsWith('.pdf')).toBe(true);
    expect(Buffer.byteLength(long)).toBe(MAX_FILE_NAME_BYTES);
    const wide = makeSafeFileName(`${'📄'.repeat(300)}.html`);
    expect(wide.endsWith('.html')).toBe(true);
    expect(Buffer.byteLength(wide)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
    expect(wide).not.toContain('\ufffd');
    expect([...wide.slice(0, -5)].every((character) => character === '📄')).toBe(true);
  });

  it('treats only a short run of letters and digits after the last dot as the extension', () => {
    expect(makeSafeFileName('v1.2 notes')).toBe('v1.2 notes');
    expect(makeSafeFileName('report.final-draft')).toBe('report.final-draft');
    expect(makeSafeFileName('page.HTML')).toBe('page.HTML');
  });
});

describe('choosing a free name', () => {
  it('numbers a clash name-2, name-3… and never returns a taken name', () => {
    const taken = new Set(['guide.html', 'guide-2.html']);
    expect(chooseFreeName('guide.html', (name) => taken.has(name))).toBe('guide-3.html');
    expect(chooseFreeName('new.md', (name) => taken.has(name))).toBe('new.md');
    expect(chooseFreeName('README', (name) => name === 'README')).toBe('README-2');
  });

  it('stays within the byte limit when a long name clashes', () => {
    const name = makeSafeFileName(`${'b'.repeat(500)}.txt`);
    const free = chooseFreeName(name, (candidate) => candidate === name);
    expect(free).toMatch(/b-2\.txt$/);
    expect(Buffer.byteLength(free)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
  });
});
