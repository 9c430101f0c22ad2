import { describe, expect, it } from 'vitest';
import type { Chunk } from '../../src/domain.js';
import { type PassageLayout, StoredPassages } from '../../src/store/passage-store.js';

/** Passages of documents with these chunk counts, decoded by a function that counts its calls. */
function passagesOf(counts: readonly number[]): { passages: StoredPassages; decodedDocuments: number[] } {
  const layout = { packs: [], slots: new Uint32Array(0), documents: counts.map((chunks, index) => ({ pack: 0, index, chunks, textBytes: 0, textHash: new Uint8Array(32) })) } as unknown as PassageLayout;
  const decodedDocuments: number[] = [];
  const decode = (position: number): Chunk[] => {
    decodedDocuments.push(position);
    return Array.from({ length: counts[position]! }, (_, i) => ({ id: `d${position}#p${i + 1}` }) as Chunk);
  };
  return { passages: new StoredPassages(layout, decode), decodedDocuments };
}

describe('StoredPassages', () => {
  const counts = [3, 1, 4, 1, 5];
  const ids = counts.flatMap((count, d) => Array.from({ length: count }, (_, i) => `d${d}#p${i + 1}`));

  it('decodes every document once, in order, for all()', () => {
    const { passages, decodedDocuments } = passagesOf(counts);
    expect(passages.chunkCount).toBe(14);
    expect(passages.all().map((chunk) => chunk.id)).toEqual(ids);
    expect(passages.all()).toBe(passages.all());
    expect(decodedDocuments).toEqual([0, 1, 2, 3, 4]);
  });

  it('decodes in slices, at least one document each, and all() goes on from where the slices stopped', () => {
    const { passages, decodedDocuments } = passagesOf(counts);
    const past = performance.now() - 1;
    expect(passages.decodeUntil(past)).toBe(true);
    expect(decodedDocuments).toEqual([0]);
    expect(passages.decodeUntil(past)).toBe(true);
    expect(decodedDocuments).toEqual([0, 1]);
    expect(passages.all().map((chunk) => chunk.id)).toEqual(ids);
    expect(decodedDocuments).toEqual([0, 1, 2, 3, 4]);
    expect(passages.decodeUntil(past)).toBe(false);
    expect(decodedDocuments).toHaveLength(5);
  });

  it('says when the last slice has decoded everything, with a deadline far off or none left', () => {
    const { passages, decodedDocuments } = passagesOf(counts);
    expect(passages.decodeUntil(performance.now() + 60_000)).toBe(false);
    expect(decodedDocuments).toEqual([0, 1, 2, 3, 4]);
    expect(passages.all().map((chunk) => chunk.id)).toEqual(ids);
    const empty = passagesOf([]);
    expect(empty.passages.decodeUntil(performance.now() + 60_000)).toBe(false);
    expect(empty.passages.all()).toEqual([]);
  });
});
