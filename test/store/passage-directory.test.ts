import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/chunking/chunk-document.js';
import { documentFromText } from '../../src/corpus/load-corpus.js';
import { PassageDirectory } from '../../src/store/passage-directory.js';

const documents = [
  documentFromText({ id: 'alpha', source: 'corpus/alpha.txt', title: 'Annual Report', text: 'One.\n\nTwo.\n\nThree.\n' }),
  documentFromText({ id: 'beta', source: 'corpus/beta.md', title: 'Meeting Notes', text: 'Four.\n\nFive.\n' }),
];
const chunks = documents.flatMap(chunkDocument);
const directory = new PassageDirectory(chunks, documents);

describe('PassageDirectory', () => {
  it('finds passages by id prefix, case-insensitively, in id order', () => {
    expect(directory.find('ALPHA#p', 10).map((chunk) => chunk.id)).toEqual(['alpha#p1', 'alpha#p2', 'alpha#p3']);
    expect(directory.find('beta#p2', 10).map((chunk) => chunk.id)).toEqual(['beta#p2']);
  });

  it('finds "#p2" or "p2" typed without a document in every document', () => {
    expect(directory.find('#p2', 10).map((chunk) => chunk.id)).toEqual(['alpha#p2', 'beta#p2']);
    expect(directory.find('p3', 10).map((chunk) => chunk.id)).toEqual(['alpha#p3']);
  });

  it('finds a document by words of its title or file name, offering its first passage', () => {
    expect(directory.find('meeting', 10).map((chunk) => chunk.id)).toEqual(['beta#p1']);
    expect(directory.find('alpha.txt', 10).map((chunk) => chunk.id)).toEqual(['alpha#p1']);
  });

  it('keeps to the limit, offers the first passages when nothing is typed, and nothing for a miss', () => {
    expect(directory.find('a', 2)).toHaveLength(2);
    expect(directory.find('', 3).map((chunk) => chunk.id)).toEqual(['alpha#p1', 'alpha#p2', 'alpha#p3']);
    expect(directory.find('zzz', 5)).toEqual([]);
  });

  it('gives neighbours within a document only', () => {
    expect(directory.neighbours('alpha#p3')).toEqual({ previousId: 'alpha#p2', nextId: null });
    expect(directory.neighbours('beta#p1')).toEqual({ previousId: null, nextId: 'beta#p2' });
    expect(directory.neighbours('missing#p1')).toEqual({ previousId: null, nextId: null });
  });
});
