import { beforeAll, describe, expect, it } from 'vitest';
import { buildMiniSearchBaseline, type MiniSearchBaseline } from '../../src/benchmark/minisearch-baseline.js';
import { chunkDocument } from '../../src/chunking/chunk-document.js';
import { documentFromText } from '../../src/corpus/load-corpus.js';
import type { Chunk } from '../../src/domain.js';
import {
  analyzePassage,
  buildLexicalIndex,
  countSentenceTerms,
  decodeLexicalIndex,
  encodeLexicalIndex,
  type LexicalIndex,
  renumberLexicalSlots,
  searchLexical,
  updateLexicalIndex,
} from '../../src/store/lexical-index.js';
import { loadProseChunks } from '../helpers.js';


const QUERIES = [
  'How did Reporters Without Borders rank Kazakhstan?',
  'kazakstan human rihgts councl election',
  'council council council Geneva',
  'approximate nearest neighbor search index with cosine space',
  'fuzzy prefix search boosting documents',
  '2013 183 193',
  'Which member states voted for the resolution?',
];

describe('the lexical index', () => {
  let chunks: Chunk[];
  let index: LexicalIndex;
  let reference: MiniSearchBaseline;
  beforeAll(async () => {
    chunks = await loadProseChunks();
    index = buildLexicalIndex(chunks);
    reference = buildMiniSearchBaseline(chunks);
  });

  it.each(QUERIES)('ranks and scores %j as MiniSearch did', (query) => {
    const ours = searchLexical(index, query, 10);
    const theirs = reference.search(query).slice(0, 10);
    expect(ours.length).toBe(theirs.length);
    expect(ours.length).toBeGreaterThan(0);
    ours.forEach((match, i) => {
      expect(match.score).toBeCloseTo(theirs[i]!.score, 9);
      // Equal scores may come in either order; distinct ones must not.
      if (theirs.filter((result) => Math.abs(result.score - match.score) < 1e-9).length === 1) expect(match.position).toBe(theirs[i]!.id);
    });
  });

  it('leaves nothing behind between searches: each query scores as it does first, on an index that never searched', () => {
    // The scratch arrays are shared by every search of an index and put back after each.
    const first = QUERIES.map((query) => searchLexical(index, query, 10));
    const again = [...QUERIES].reverse().map((query) => searchLexical(index, query, 10)).reverse();
    expect(again).toEqual(first);
    const fresh = buildLexicalIndex(chunks);
    expect(searchLexical(fresh, QUERIES[1]!, 10)).toEqual(first[1]);
  });

  it('finds nothing for stop words only, or for a limit of 0', () => {
    expect(searchLexical(index, 'what is the of and', 10)).toEqual([]);
    expect(searchLexical(index, 'Kazakhstan', 0)).toEqual([]);
  });

  it('scores weighted terms by their weight, counts a term given twice at its highest weight, and matches only full-weight terms fuzzily', () => {
    // "elect" is too short to be matched fuzzily, so only the weight differs.
    const full = searchLexical(index, [{ term: 'elect', weight: 1 }], 5);
    const half = searchLexical(index, [{ term: 'elect', weight: 0.5 }], 5);
    expect(full.length).toBeGreaterThan(0);
    expect(half.map((match) => match.position)).toEqual(full.map((match) => match.position));
    half.forEach((match, i) => expect(match.score).toBeCloseTo(full[i]!.score / 2, 9));
    expect(searchLexical(index, [{ term: 'elect', weight: 0.3 }, { term: 'elect', weight: 1 }], 5)).toEqual(full);
    // Terms are taken as given (already stemmed): "elected" is not re-stemmed to "elect".
    expect(searchLexical(index, [{ term: 'elected', weight: 1 }], 5)).toEqual([]);
    // A typo at full weight still finds the word; the same typo as a synonym (weight < 1) does not.
    expect(searchLexical(index, [{ term: 'kazakhstn', weight: 1 }], 5).length).toBeGreaterThan(0);
    expect(searchLexical(index, [{ term: 'kazakhstn', weight: 0.5 }], 5)).toEqual([]);
    // Weighted terms rank as MiniSearch's boostTerm (fuzzy for full-weight terms only) did.
    const weights = new Map([['kazakhstan', 0.5], ['elect', 1], ['council', 0.4]]);
    const theirs = reference
      .search([...weights.keys()].join(' '), {
        tokenize: (text) => text.split(' '),
        processTerm: (term) => term,
        boostTerm: (term) => weights.get(term) ?? 1,
        fuzzy: (term) => ((weights.get(term) ?? 0) >= 1 && term.length >= 6 ? 0.15 : false),
      })
      .slice(0, 5);
    const ours = searchLexical(index, [...weights].map(([term, weight]) => ({ term, weight })), 5);
    expect(ours.length).toBe(theirs.length);
    ours.forEach((match, i) => expect(match.score).toBeCloseTo(theirs[i]!.score, 9));
  });

  it('reads back from its file exactly, and refuses a file whose sections disagree', () => {
    const bytes = Buffer.concat(encodeLexicalIndex(index));
    const restored = decodeLexicalIndex(bytes, index.positions);
    for (const query of QUERIES) expect(searchLexical(restored, query, 10)).toEqual(searchLexical(index, query, 10));
    expect(restored.sentenceFrequencies).toEqual(index.sentenceFrequencies);
    expect(() => decodeLexicalIndex(bytes, new Int32Array(3))).toThrow(/does not fit together/);
    expect(() => decodeLexicalIndex(bytes.subarray(0, bytes.length >> 1), index.positions)).toThrow(/truncated/);
  });

  it('updated in place (passages removed and added) searches exactly like an index built from scratch', () => {
    // Drop the first README's passages, add the article's again as new passages under new slots.
    const dropped = chunks.filter((chunk) => chunk.source === 'readme/minisearch');
    const kept = chunks.filter((chunk) => chunk.source !== 'readme/minisearch');
    const added = kept.filter((chunk) => chunk.source.startsWith('corpus/')).map((chunk) => ({ ...chunk, documentId: 'copy', id: `copy-${chunk.id}` }));
    const final = [...kept, ...added];
    // Slots: kept passages keep theirs; new ones take slots after the last.
    const slots = [...kept.map((chunk) => chunks.indexOf(chunk)), ...added.map((_, i) => chunks.length + i)];
    const positions = new Int32Array(chunks.length + added.length).fill(-1);
    slots.forEach((slot, position) => (positions[slot] = position));
    const updated = updateLexicalIndex(index, {
      removed: dropped.map((chunk) => chunks.indexOf(chunk)),
      added: added.map((chunk, i) => ({ slot: chunks.length + i, terms: analyzePassage(chunk.text) })),
      addedSentences: countSentenceTerms(added),
      removedSentences: countSentenceTerms(dropped),
      positions,
    });
    const fresh = buildLexicalIndex(final);
    expect(updated.documentCount).toBe(fresh.documentCount);
    expect(updated.terms).toEqual(fresh.terms);
    expect(updated.sentenceFrequencies).toEqual(fresh.sentenceFrequencies);
    for (const query of QUERIES) {
      const ours = searchLexical(updated, query, 10);
      const expected = searchLexical(fresh, query, 10);
      expect(ours.map((match) => match.score)).toEqual(expected.map((match) => match.score));
      expect(new Set(ours.map((match) => final[match.position]!.text))).toEqual(new Set(expected.map((match) => final[match.position]!.text)));
    }

    // Renumbering the slots (compaction) changes nothing a search can see.
    const renumber = new Int32Array(positions.length).fill(-1);
    slots.forEach((slot, position) => (renumber[slot] = position));
    const compacted = renumberLexicalSlots(updated, renumber, Int32Array.from(final, (_, i) => i));
    expect(compacted.fieldLengths.length).toBe(final.length);
    for (const query of QUERIES) expect(searchLexical(compacted, query, 10)).toEqual(searchLexical(updated, query, 10));
  });

  it('leaves out exactly the removed slots from long and short postings lists alike', () => {
    // "common" is in every passage (a list far longer than those copied one by one), "rare" in every tenth.
    const many = Array.from({ length: 300 }, (_, i) => documentFromText({ id: `d${i}`, source: `corpus/d${i}.txt`, text: `A common word ${i % 10 === 0 ? 'and a rare one ' : ''}in note ${i}.` })).flatMap(chunkDocument);
    const before = buildLexicalIndex(many);
    const removed = [0, 1, 2, 150, 151, 299, 40];
    const positions = Int32Array.from(many, (_, slot) => (removed.includes(slot) ? -1 : slot));
    const updated = updateLexicalIndex(before, { removed, added: [], addedSentences: { sentences: 0, frequencies: new Map() }, removedSentences: countSentenceTerms(removed.map((slot) => many[slot]!)), positions });
    const postings = (index: LexicalIndex, term: string): number[] => {
      const at = index.terms.indexOf(term);
      return Array.from(index.postingSlots.subarray(index.postingStarts[at], index.postingStarts[at + 1]));
    };
    for (const term of ['common', 'rare', 'note']) expect(postings(updated, term)).toEqual(postings(before, term).filter((slot) => !removed.includes(slot)));
    expect(postings(before, 'common')).toHaveLength(300);
    expect(updated.documentCount).toBe(300 - removed.length);
  });

  it('refuses new passages in slots below the previous index\'s last', () => {
    const positions = Int32Array.from(chunks, (_, i) => i);
    expect(() =>
      updateLexicalIndex(index, {
        removed: [0],
        added: [{ slot: 0, terms: analyzePassage('reused slot') }],
        addedSentences: { sentences: 0, frequencies: new Map() },
        removedSentences: { sentences: 0, frequencies: new Map() },
        positions,
      }),
    ).toThrow(/must take slots from/);
  });
});
