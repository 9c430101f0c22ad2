import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Thesaurus } from '../../src/lexicon/thesaurus.js';

/** Lines in the Moby Thesaurus's format (`root,related,…`), cut short from its entries. */
const MOBY_LINES = [
  'begin,commence,embark,found,initiate,kick off,launch,set about,start',
  'commence,begin,embark,initiate,launch,open,start',
  'kick off,begin,commence,open',
  'tree,gallows,pedigree,sapling',
  'gallows,scaffold,hangman',
  'Pedigree,ancestry,tree',
];

describe('a thesaurus in the Moby Thesaurus’s format', () => {
  const thesaurus = new Thesaurus(MOBY_LINES.join('\r\n'));

  it('associates the words each of which lists the other, phrases included', () => {
    expect(new Set(thesaurus.associatedWords('begin'))).toEqual(new Set(['commence', 'kick off']));
    // "tree" lists "gallows", but "gallows" does not list "tree": a one-way link is too loose.
    expect(thesaurus.associatedWords('tree')).toEqual(['pedigree']);
  });

  it('finds an inflected word by its dictionary form, and gives nothing for a word it lacks', () => {
    expect(thesaurus.associatedWords('began')).toContain('commence');
    expect(thesaurus.associatedWords('commenced')).toContain('begin');
    expect(thesaurus.associatedWords('zyzzyva')).toEqual([]);
  });

  describe('read from a file', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'verbatim-thesaurus-'));
    afterAll(() => rmSync(folder, { recursive: true, force: true }));

    it('reads the file and counts its entries', () => {
      const file = path.join(folder, 'words.txt');
      writeFileSync(file, `${MOBY_LINES.join('\n')}\n`);
      expect(Thesaurus.fromFile(file).size).toBe(MOBY_LINES.length);
    });

    it('says which file it cannot read, and what shape it expected of one that is not a thesaurus', () => {
      expect(() => Thesaurus.fromFile(path.join(folder, 'missing.txt'))).toThrow(/lexicon: cannot read the thesaurus .*missing\.txt/);
      const prose = path.join(folder, 'prose.txt');
      writeFileSync(prose, 'Not a thesaurus\nat all\n');
      expect(() => Thesaurus.fromFile(prose)).toThrow(/prose\.txt holds no entry \(expected lines "word,related,related,…"/);
    });
  });
});
