import { beforeAll, describe, expect, it } from 'vitest';
import type { Chunk } from '../../src/domain.js';
import { createSeededRandom } from '../../src/seeded-random.js';
import {
  applyLexicalDelta,
  composeLexicalDelta,
  decodeLexicalDelta,
  decodeLexicalFiles,
  emptyLexicalDelta,
  encodeLexicalDelta,
  isLexicalDeltaLarge,
  type LexicalDelta,
} from '../../src/store/lexical-delta.js';
import {
  analyzePassage,
  buildLexicalIndex,
  countSentenceTerms,
  decodeLexicalSections,
  encodeLexicalIndex,
  type LexicalChange,
  type LexicalIndex,
  passageSearchText,
  searchLexical,
  updateLexicalIndex,
} from '../../src/store/lexical-index.js';
import { loadProseChunks } from '../helpers.js';


const QUERIES = ['Kazakhstan human rights council election', 'fuzzy search documents boosting', 'nearest neighbour index cosine', 'websocket client server', 'test runner snapshot'];

/** Every array and count two indexes over the same slots hold. */
function expectSameIndex(actual: LexicalIndex, expected: LexicalIndex): void {
  expect(actual.terms).toEqual(expected.terms);
  expect(Array.from(actual.postingStarts)).toEqual(Array.from(expected.postingStarts));
  expect(Array.from(actual.postingSlots)).toEqual(Array.from(expected.postingSlots));
  expect(Array.from(actual.postingFrequencies)).toEqual(Array.from(expected.postingFrequencies));
  expect(Array.from(actual.fieldLengths)).toEqual(Array.from(expected.fieldLengths));
  expect(Array.from(actual.sentenceFrequencies)).toEqual(Array.from(expected.sentenceFrequencies));
  expect([actual.documentCount, actual.totalFieldLength, actual.sentenceCount]).toEqual([expected.documentCount, expected.totalFieldLength, expected.sentenceCount]);
}

describe('the lexical delta', () => {
  let pool: Chunk[];
  beforeAll(async () => {
    pool = await loadProseChunks(12_000);
  });

  it('over random changes (documents removed, added, changed) gives, applied to its base, the index updated in place, and searches like a fresh build', () => {
    const random = createSeededRandom(17);
    const documents = [...new Set(pool.map((chunk) => chunk.documentId))];
    const chunksOf = (id: string): Chunk[] => pool.filter((chunk) => chunk.documentId === id);
    // Live passages by slot; the first three documents to start with.
    const live = new Map<number, Chunk>();
    let nextSlot = 0;
    for (const id of documents.slice(0, 3)) for (const chunk of chunksOf(id)) live.set(nextSlot++, chunk);
    const positionsOf = (): Int32Array => {
      const positions = new Int32Array(nextSlot).fill(-1);
      [...live.keys()].forEach((slot, position) => (positions[slot] = position));
      return positions;
    };
    const base = buildLexicalIndex([...live.values()]);
    const baseBytes = Buffer.concat(encodeLexicalIndex(base));
    let inPlace: LexicalIndex = base;
    let delta: LexicalDelta = emptyLexicalDelta(base);

    for (let step = 0; step < 12; step++) {
      const previousPositions = positionsOf();
      // Remove the passages of one document present (its chunks leave together, as a document's do)…
      const present = [...new Set([...live.values()].map((chunk) => chunk.documentId))];
      const gone = step % 4 === 3 ? null : present[Math.floor(random() * present.length)]!;
      const removedSlots = [...live].filter(([, chunk]) => chunk.documentId === gone).map(([slot]) => slot);
      const removedChunks = removedSlots.map((slot) => live.get(slot)!);
      for (const slot of removedSlots) live.delete(slot);
      // …and add one document (again, under new slots), or a part of one (a changed document).
      const incoming = chunksOf(documents[Math.floor(random() * documents.length)]!).filter(() => step % 3 !== 1 || random() < 0.5);
      const added = incoming.map((chunk) => ({ slot: nextSlot++, chunk: { ...chunk, documentId: `${chunk.documentId}@${step}` } }));
      for (const { slot, chunk } of added) live.set(slot, chunk);
      const change: LexicalChange = {
        removed: removedSlots,
        added: added.map(({ slot, chunk }) => ({ slot, terms: analyzePassage(passageSearchText(chunk)) })),
        addedSentences: countSentenceTerms(added.map(({ chunk }) => chunk)),
        removedSentences: countSentenceTerms(removedChunks),
        positions: positionsOf(),
      };
      inPlace = updateLexicalIndex(inPlace, change);
      delta = composeLexicalDelta(delta, change, previousPositions);
      // Through the files, as a generation saves and opens them.
      const reread = decodeLexicalDelta(Buffer.concat(encodeLexicalDelta(delta)));
      const applied = applyLexicalDelta(decodeLexicalSections(baseBytes), reread, change.positions);
      expectSameIndex(applied, inPlace);

      const chunks = [...live.values()];
      const fresh = buildLexicalIndex(chunks);
      expect(applied.terms).toEqual(fresh.terms);
      expect(Array.from(applied.sentenceFrequencies)).toEqual(Array.from(fresh.sentenceFrequencies));
      expect([applied.documentCount, applied.totalFieldLength, applied.sentenceCount]).toEqual([fresh.documentCount, fresh.totalFieldLength, fresh.sentenceCount]);
      for (const query of QUERIES) {
        const ours = searchLexical(applied, query, 10);
        const theirs = searchLexical(fresh, query, 10);
        expect(ours.map((match) => match.score)).toEqual(theirs.map((match) => match.score));
        expect(ours.map((match) => chunks[match.position]!.text)).toEqual(theirs.map((match) => chunks[match.position]!.text));
      }
    }
    // The removed base slots and the added postings accumulated; none of the removed are left in the delta's postings.
    expect(delta.removedSlots.length).toBeGreaterThan(0);
    expect(Array.from(delta.added.postingSlots).every((slot) => live.has(slot))).toBe(true);
  });

  it('is empty over a fresh base and grows large once it holds more than an eighth of the base', () => {
    const base = buildLexicalIndex(pool);
    const empty = emptyLexicalDelta(base);
    const positions = Int32Array.from(pool, (_, i) => i);
    expectSameIndex(applyLexicalDelta(base, empty, positions), { ...base, positions });
    expect(isLexicalDeltaLarge(empty)).toBe(false);
    const copies = pool.slice(0, Math.ceil(pool.length / 6));
    const grown = composeLexicalDelta(
      empty,
      {
        removed: [],
        added: copies.map((chunk, i) => ({ slot: pool.length + i, terms: analyzePassage(chunk.text) })),
        addedSentences: countSentenceTerms(copies),
        removedSentences: { sentences: 0, frequencies: new Map() },
        positions: Int32Array.from({ length: pool.length + copies.length }, (_, i) => i),
      },
      positions,
    );
    expect(isLexicalDeltaLarge(grown)).toBe(true);
  });

  it('refuses a delta made for another base, and a damaged delta file', () => {
    const base = buildLexicalIndex(pool);
    const other = buildLexicalIndex(pool.slice(1));
    const positions = Int32Array.from(pool, (_, i) => i);
    const bytes = Buffer.concat(encodeLexicalDelta(emptyLexicalDelta(other)));
    expect(() => decodeLexicalFiles(Buffer.concat(encodeLexicalIndex(base)), bytes, positions.subarray(1), { base: 'lexical.bin', delta: 'lexical-delta.bin' })).toThrow(/lexical-delta.bin was made for a base of/);
    expect(() => decodeLexicalDelta(bytes.subarray(0, bytes.length - 8))).toThrow(/truncated/);
  });
});
