import { decodeSections, encodeSections, requireSection } from './binary-sections.js';
import {
  countSentenceDeltas,
  decodeLexicalSections,
  decodeTerms,
  encodeTerms,
  findLiveSlots,
  groupPostings,
  type LexicalChange,
  type LexicalIndex,
  mergePostings,
  type PostingLists,
} from './lexical-index.js';

/**
 * What changed in the BM25 index since its base file was written: the base slots removed
 * since, the postings of the passages added since, how the sentence counts moved, and
 * every slot's field length now. A generation keeps the base file it shares with the
 * generations before it (linked, never written again) and a small delta of its own, so a
 * one-document reindex writes a few hundred kilobytes instead of the whole index (9.4 MB
 * at 100,000 passages), and `npm run reindex` need not read the base at all: the delta is
 * all it updates. Opening applies the delta to the base (`applyLexicalDelta`), giving the
 * same flat index a build from scratch gives. Once the delta outgrows `MAX_DELTA_SHARE` of
 * the base, the next build writes a new base and an empty delta (`isLexicalDeltaLarge`).
 */
export interface LexicalDelta {
  /** Slots the base covers (its field lengths' count). */
  readonly baseSlots: number;
  /** Postings in the base, for the size check. */
  readonly basePostings: number;
  /** Base slots whose passages were removed since, ascending. */
  readonly removedSlots: Uint32Array;
  /** Postings of the passages added since (slots from `baseSlots` up) that are still live. */
  readonly added: PostingLists;
  /** How each term's sentence count moved since the base (terms that did not move are left out)… */
  readonly sentenceDeltas: ReadonlyMap<string, number>;
  /** …and the number of sentences. */
  readonly sentenceCountDelta: number;
  /** Every slot's field length now (0 for a free slot). */
  readonly fieldLengths: Uint32Array;
  readonly documentCount: number;
  readonly totalFieldLength: number;
}

/**
 * The delta's postings beyond this share of the base's (or its removed slots beyond this
 * share of the base's slots) make the next build write a new base. Applying a delta costs
 * the same copy of the base's arrays whatever its size; a larger one costs a little more to
 * read, merge and write at every reindex and open. At an eighth, a corpus changed a document
 * at a time (20 passages, ~600 postings) writes the base about once every 300 changes.
 */
export const MAX_DELTA_SHARE = 1 / 8;

const FORMAT = 'verbatim-lexical-delta-1';
const EMPTY_LISTS: PostingLists = { terms: [], postingStarts: new Uint32Array(1), postingSlots: new Uint32Array(0), postingFrequencies: new Uint16Array(0) };

/** No change since `base` (a build that wrote a whole index writes this beside it). */
export function emptyLexicalDelta(base: LexicalIndex): LexicalDelta {
  return {
    baseSlots: base.fieldLengths.length,
    basePostings: base.postingSlots.length,
    removedSlots: new Uint32Array(0),
    added: EMPTY_LISTS,
    sentenceDeltas: new Map(),
    sentenceCountDelta: 0,
    fieldLengths: base.fieldLengths,
    documentCount: base.documentCount,
    totalFieldLength: base.totalFieldLength,
  };
}

/**
 * The delta after one more change, computed from the delta alone (the base is not needed).
 * `previousPositions` tells which slots were live before the change.
 */
export function composeLexicalDelta(delta: LexicalDelta, change: LexicalChange, previousPositions: Int32Array): LexicalDelta {
  const slotCount = change.positions.length;
  const removal = findLiveSlots(change.removed, previousPositions, Math.max(delta.fieldLengths.length, slotCount));
  const removedBase: number[] = [];
  let removedLength = 0;
  for (const slot of removal.slots) {
    removedLength += delta.fieldLengths[slot]!;
    if (slot < delta.baseSlots) removedBase.push(slot);
  }
  // The removed passages added since the base leave the delta's postings; those of the base are listed.
  const added = mergePostings(delta.added, removal, groupPostings(change.added, delta.fieldLengths.length), { before: null, deltas: new Map() }).lists;
  const removedSlots = new Uint32Array(delta.removedSlots.length + removedBase.length);
  removedSlots.set(delta.removedSlots);
  removedSlots.set(removedBase, delta.removedSlots.length);
  removedSlots.sort();

  const sentenceDeltas = new Map(delta.sentenceDeltas);
  for (const [term, moved] of countSentenceDeltas(change)) {
    const total = (sentenceDeltas.get(term) ?? 0) + moved;
    if (total === 0) sentenceDeltas.delete(term);
    else sentenceDeltas.set(term, total);
  }
  const fieldLengths = new Uint32Array(slotCount);
  fieldLengths.set(delta.fieldLengths.subarray(0, Math.min(delta.fieldLengths.length, slotCount)));
  for (const slot of removal.slots) if (slot < slotCount) fieldLengths[slot] = 0;
  let addedLength = 0;
  for (const { slot, terms } of change.added) {
    fieldLengths[slot] = terms.fieldLength;
    addedLength += terms.fieldLength;
  }
  return {
    baseSlots: delta.baseSlots,
    basePostings: delta.basePostings,
    removedSlots,
    added,
    sentenceDeltas,
    sentenceCountDelta: delta.sentenceCountDelta + change.addedSentences.sentences - change.removedSentences.sentences,
    fieldLengths,
    documentCount: delta.documentCount - removal.slots.length + change.added.length,
    totalFieldLength: delta.totalFieldLength - removedLength + addedLength,
  };
}

/** The index a delta describes: `base` with it applied, its slots pointing at `positions`. Throws when the two do not belong together. */
export function applyLexicalDelta(base: Omit<LexicalIndex, 'positions'>, delta: LexicalDelta, positions: Int32Array, label = 'the lexical delta'): LexicalIndex {
  if (base.fieldLengths.length !== delta.baseSlots || base.postingSlots.length !== delta.basePostings) {
    throw new Error(`store: ${label} was made for a base of ${delta.baseSlots} slots and ${delta.basePostings} postings, not ${base.fieldLengths.length} and ${base.postingSlots.length}`);
  }
  if (delta.fieldLengths.length !== positions.length) throw new Error(`store: ${label} has ${delta.fieldLengths.length} slots for ${positions.length}`);
  const flags = new Uint8Array(Math.max(delta.baseSlots, 1));
  for (const slot of delta.removedSlots) {
    if (slot >= delta.baseSlots) throw new Error(`store: ${label} removes slot ${slot}, beyond its base`);
    flags[slot] = 1;
  }
  const merged = mergePostings(base, { flags, slots: delta.removedSlots }, delta.added, { before: base.sentenceFrequencies, deltas: delta.sentenceDeltas });
  return {
    ...merged.lists,
    fieldLengths: delta.fieldLengths,
    documentCount: delta.documentCount,
    totalFieldLength: delta.totalFieldLength,
    sentenceFrequencies: merged.sentenceFrequencies,
    sentenceCount: base.sentenceCount + delta.sentenceCountDelta,
    positions,
  };
}

/** Whether the delta has grown past `MAX_DELTA_SHARE` of its base, so the next build should write a new base. */
export function isLexicalDeltaLarge(delta: LexicalDelta): boolean {
  return delta.added.postingSlots.length > delta.basePostings * MAX_DELTA_SHARE || delta.removedSlots.length > delta.baseSlots * MAX_DELTA_SHARE;
}

interface DeltaMeta {
  format: string;
  baseSlots: number;
  basePostings: number;
  sentenceCountDelta: number;
  documentCount: number;
  totalFieldLength: number;
}

/** The delta as buffers to write one after another. */
export function encodeLexicalDelta(delta: LexicalDelta): Buffer[] {
  const added = encodeTerms(delta.added.terms);
  const sentenceTerms = [...delta.sentenceDeltas.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const sentences = encodeTerms(sentenceTerms);
  const meta: DeltaMeta = {
    format: FORMAT,
    baseSlots: delta.baseSlots,
    basePostings: delta.basePostings,
    sentenceCountDelta: delta.sentenceCountDelta,
    documentCount: delta.documentCount,
    totalFieldLength: delta.totalFieldLength,
  };
  return encodeSections(meta, {
    fieldLengths: delta.fieldLengths,
    removedSlots: delta.removedSlots,
    postingStarts: delta.added.postingStarts,
    postingSlots: delta.added.postingSlots,
    termEnds: added.ends,
    sentenceDeltas: Int32Array.from(sentenceTerms, (term) => delta.sentenceDeltas.get(term)!),
    sentenceTermEnds: sentences.ends,
    postingFrequencies: delta.added.postingFrequencies,
    vocabulary: added.bytes,
    sentenceVocabulary: sentences.bytes,
  });
}

/** Reads a saved delta; throws, naming `label`, on a malformed or inconsistent file. */
export function decodeLexicalDelta(buffer: Buffer, label = 'the lexical delta'): LexicalDelta {
  const { meta, sections } = decodeSections<DeltaMeta>(buffer, label);
  if (meta.format !== FORMAT) throw new Error(`store: ${label} is in format ${String(meta.format)}, not ${FORMAT}`);
  const termsOf = (ends: string, bytes: string): string[] => {
    const vocabulary = requireSection(sections, bytes, Uint8Array, label);
    return decodeTerms(Buffer.from(vocabulary.buffer, vocabulary.byteOffset, vocabulary.length), requireSection(sections, ends, Uint32Array, label), label);
  };
  const terms = termsOf('termEnds', 'vocabulary');
  const postingStarts = requireSection(sections, 'postingStarts', Uint32Array, label);
  const postingSlots = requireSection(sections, 'postingSlots', Uint32Array, label);
  const postingFrequencies = requireSection(sections, 'postingFrequencies', Uint16Array, label);
  const sentenceTerms = termsOf('sentenceTermEnds', 'sentenceVocabulary');
  const deltas = requireSection(sections, 'sentenceDeltas', Int32Array, label);
  const fieldLengths = requireSection(sections, 'fieldLengths', Uint32Array, label);
  const removedSlots = requireSection(sections, 'removedSlots', Uint32Array, label);
  const consistent =
    postingStarts.length === terms.length + 1 &&
    postingStarts[terms.length] === postingSlots.length &&
    postingFrequencies.length === postingSlots.length &&
    deltas.length === sentenceTerms.length &&
    meta.baseSlots <= fieldLengths.length &&
    postingSlots.every((slot) => slot >= meta.baseSlots && slot < fieldLengths.length);
  if (!consistent) throw new Error(`store: ${label} does not fit together`);
  return {
    baseSlots: meta.baseSlots,
    basePostings: meta.basePostings,
    removedSlots,
    added: { terms, postingStarts, postingSlots, postingFrequencies },
    sentenceDeltas: new Map(sentenceTerms.map((term, i) => [term, deltas[i]!])),
    sentenceCountDelta: meta.sentenceCountDelta,
    fieldLengths,
    documentCount: meta.documentCount,
    totalFieldLength: meta.totalFieldLength,
  };
}

/** A base file and its delta, read back as one index (see `applyLexicalDelta`). */
export function decodeLexicalFiles(base: Buffer, delta: Buffer, positions: Int32Array, labels: { base: string; delta: string }): { index: LexicalIndex; delta: LexicalDelta } {
  const decodedDelta = decodeLexicalDelta(delta, labels.delta);
  return { index: applyLexicalDelta(decodeLexicalSections(base, labels.base), decodedDelta, positions, labels.delta), delta: decodedDelta };
}
