import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/chunking/chunk-document.js';
import { documentFromText } from '../../src/corpus/load-corpus.js';
import { PassageDirectory } from '../../src/store/passage-directory.js';

const documents = [
  documentFromText({ id: 'alpha', source: 'corpus/alpha.txt', title: 'Annual Report', text: 'One.\n\nTwo.\n\nThree.\n' }),
  documentFromText({ id: 'beta', source: 'corpus/beta.md', title: 'Meeting Notes', text: 'Four.\n\nFive.\n' }),
];
const chunks = documents.flatMap(chunkDocument);
const directory = PassageDirectory.of(chunks, documents);

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

  it('finds by id exactly as written, among ids differing only in case', () => {
    const mixed = [
      documentFromText({ id: 'Report', source: 'Report.txt', text: 'One.\n\nTwo.\n' }),
      documentFromText({ id: 'report', source: 'report.txt', text: 'Three.\n' }),
    ];
    const byId = PassageDirectory.of(mixed.flatMap(chunkDocument), mixed);
    expect(byId.get('Report#p2')?.text).toBe('Two.');
    expect(byId.get('report#p1')?.text).toBe('Three.');
    expect(byId.get('REPORT#p1')).toBeUndefined();
    expect(byId.neighbours('Report#p1')).toEqual({ previousId: null, nextId: 'Report#p2' });
  });

  it('lists ids in the order of a full sort, whatever the document ids hold', () => {
    // "a#b" holds the separator, "a!" sorts before "a#", "A" and "a" differ in case only: the order built a document at a time must still be the full one.
    const names = ['a', 'a-b', 'a!', 'A', 'a#b', 'b', 'ab', 'a.b'];
    const docs = names.map((id) => documentFromText({ id, source: `${id}.txt`, text: Array.from({ length: 12 }, (_, i) => `Paragraph ${i}.`).join('\n\n') }));
    const all = docs.flatMap(chunkDocument);
    const lookup = PassageDirectory.of(all, docs);
    const fullOrder = all
      .map((chunk, position) => ({ key: chunk.id.toLowerCase(), position }))
      .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : x.position - y.position))
      .map(({ position }) => all[position]!.id);
    for (const typed of ['a', 'a#', 'a#p1', 'a#b', 'a-', 'A!', 'ab#p1', 'b#p1']) {
      const expected = fullOrder.filter((id) => id.toLowerCase().startsWith(typed.toLowerCase())).slice(0, 100);
      expect(lookup.find(typed, 100).map((chunk) => chunk.id).slice(0, expected.length), typed).toEqual(expected);
    }
    for (const chunk of all) expect(lookup.get(chunk.id)).toBe(chunk);
  });
});

describe('PassageDirectory built in slices', () => {
  // Enough passages that every loop of the build stops part-way at least once.
  const many = ['gamma', 'alpha', 'beta'].map((id) =>
    documentFromText({ id, source: `corpus/${id}.txt`, title: `The ${id} file`, text: Array.from({ length: 3000 }, (_, i) => `Paragraph ${i} of ${id}.`).join('\n\n') }),
  );
  const all = many.flatMap(chunkDocument);
  const atOnce = PassageDirectory.of(all, many);
  const probes = ['alpha#p1', 'beta#p29', 'gamma#p3000', 'p12', '#p2999', 'beta', 'gamma.txt', ''];

  it('finds exactly what the directory built at once finds, a step per slice', () => {
    expect(all.length).toBeGreaterThan(3 * 4096 / 2);
    const builder = PassageDirectory.builder(() => all, many);
    let slices = 0;
    while (builder.buildUntil(0)) slices++;
    expect(slices).toBeGreaterThan(10);
    const sliced = builder.get();
    for (const typed of probes) expect(sliced.find(typed, 25).map((chunk) => chunk.id)).toEqual(atOnce.find(typed, 25).map((chunk) => chunk.id));
    for (const id of ['alpha#p1', 'beta#p1500', 'gamma#p3000']) expect(sliced.neighbours(id)).toEqual(atOnce.neighbours(id));
    expect(builder.buildUntil(0)).toBe(false);
  });

  it('finishes at once when it is wanted part-way through', () => {
    const builder = PassageDirectory.builder(() => all, many);
    expect(builder.buildUntil(0)).toBe(true);
    expect(builder.buildUntil(0)).toBe(true);
    expect(builder.get().find('beta#p2', 3).map((chunk) => chunk.id)).toEqual(atOnce.find('beta#p2', 3).map((chunk) => chunk.id));
    expect(builder.get().get('gamma#p7')?.id).toBe('gamma#p7');
  });
});
