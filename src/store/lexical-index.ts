import { SECTION_SEPARATOR } from '../chunking/locate.js';
import type { Chunk } from '../domain.js';
import { lengthNorm, PASSAGE_BM25 } from '../text/bm25.js';
import type { WeightedTerm } from '../text/terms.js';
import { isStopWord, stemTerm, tokenize } from '../text/terms.js';
import { decodeSections, encodeSections, requireSection } from './binary-sections.js';
import { findSimilarTerms, findTerm } from './similar-terms.js';
import { remember } from '../remember.js';
import { lowerBound } from '../sorted-search.js';

/**
 * The BM25 index over passages, in flat typed arrays: a sorted vocabulary, and for each
 * term its postings (passage slot + term frequency). It loads by viewing the saved file's
 * bytes (no parsing), updates in place by merging a change into the arrays without
 * re-reading unchanged passages, and scores a question with one pass over the postings
 * of its words into a reusable score array.
 *
 * Scoring is MiniSearch's (the library this replaces, kept as the reference the tests and
 * the benchmark compare against): BM25+ with k = 1.2, b = 0.7, d = 0.5 (`PASSAGE_BM25`); a field length of
 * distinct raw tokens; words combined with OR, each passage's sum multiplied by how many
 * distinct query words it matched; words of 6+ letters also match terms within
 * round(0.15 × length) edits, weighted 0.4 × length / (length + distance).
 *
 * Each passage has a slot: a number that stays its own across reindexes while its text
 * does not change (the dense index uses the same number as its HNSW label). `positions`
 * maps a slot to the passage's position in the current chunk list (−1: a free slot).
 *
 * It also keeps, per term, in how many sentences of the corpus it occurs: the statistics
 * the answer scorer weighs question words by (`TermStatistics`), computed once at build.
 */
export interface LexicalIndex {
  /** Sorted by UTF-16 code units. */
  readonly terms: readonly string[];
  /** Postings of term i are `postingStarts[i] … postingStarts[i + 1] - 1`. */
  readonly postingStarts: Uint32Array;
  /** Slots, ascending within each term. */
  readonly postingSlots: Uint32Array;
  readonly postingFrequencies: Uint16Array;
  /** Distinct raw tokens per slot (BM25's field length); 0 for a free slot (and for a passage with no words). */
  readonly fieldLengths: Uint32Array;
  /** Live passages. */
  readonly documentCount: number;
  readonly totalFieldLength: number;
  /** Sentences (across the corpus) each term occurs in. */
  readonly sentenceFrequencies: Uint32Array;
  readonly sentenceCount: number;
  /** Slot → position in the chunk list, −1 for a free slot. */
  readonly positions: Int32Array;
}

export interface LexicalMatch {
  /** Position of the chunk in the index's chunk array. */
  position: number;
  score: number;
}

/** What one passage contributes: its terms with their frequencies, and its BM25 field length. */
export interface PassageTerms {
  fieldLength: number;
  terms: Map<string, number>;
}

/** Sentence counts of some documents: per term, the sentences it occurs in. */
export interface SentenceTerms {
  sentences: number;
  frequencies: Map<string, number>;
}

/** A change to apply: passages that are gone, passages that are new, and the sentence counts that moved. */
export interface LexicalChange {
  /** Slots whose passages are gone. */
  removed: Iterable<number>;
  /** New passages, each in a slot no live passage uses. */
  added: readonly { slot: number; terms: PassageTerms }[];
  /** Sentence counts of the documents that are new or changed… */
  addedSentences: SentenceTerms;
  /** …and of the documents they replace or that are gone. */
  removedSentences: SentenceTerms;
  /** Slot → position after the change. */
  positions: Int32Array;
}

/** MiniSearch's settings this project used: fuzzy matching from 6 letters at 0.15 edits per letter, weight 0.4. */
const FUZZY_MIN_LENGTH = 6;
const FUZZY_EDITS_PER_LETTER = 0.15;
const FUZZY_MAX_EDITS = 6;
const FUZZY_WEIGHT = 0.4;
/** Term frequencies are stored in 16 bits; a passage of 1,200 characters stays far below. */
const MAX_TERM_FREQUENCY = 0xffff;
const FORMAT = 'verbatim-lexical-1';

/** An index with no passages, the start of every build. */
export function createEmptyLexicalIndex(): LexicalIndex {
  return {
    terms: [],
    postingStarts: new Uint32Array(1),
    postingSlots: new Uint32Array(0),
    postingFrequencies: new Uint16Array(0),
    fieldLengths: new Uint32Array(0),
    documentCount: 0,
    totalFieldLength: 0,
    sentenceFrequencies: new Uint32Array(0),
    sentenceCount: 0,
    positions: new Int32Array(0),
  };
}

/** Builds the index of `chunks` from scratch; chunk i gets slot i. */
export function buildLexicalIndex(chunks: readonly Chunk[]): LexicalIndex {
  return updateLexicalIndex(createEmptyLexicalIndex(), {
    removed: [],
    added: chunks.map((chunk, slot) => ({ slot, terms: analyzePassage(passageSearchText(chunk)) })),
    addedSentences: countSentenceTerms(chunks),
    removedSentences: { sentences: 0, frequencies: new Map() },
    positions: Int32Array.from(chunks, (_, position) => position),
  });
}

/**
 * What BM25 indexes for a passage: its text, after the heading it stands under (the
 * innermost one), so that a question naming a section ("What are the ownership rules?")
 * finds the passages of that section even where they never repeat its title.
 */
export function passageSearchText(chunk: Pick<Chunk, 'text' | 'section'>): string {
  if (!chunk.section) return chunk.text;
  const cut = chunk.section.lastIndexOf(SECTION_SEPARATOR);
  const heading = cut === -1 ? chunk.section : chunk.section.slice(cut + SECTION_SEPARATOR.length);
  // A heading passage holds its own title already.
  return chunk.text.startsWith(heading) ? chunk.text : `${heading}\n${chunk.text}`;
}

/** The terms of one passage as the index counts them (stop words out, stemmed). */
export function analyzePassage(text: string): PassageTerms {
  const tokens = tokenize(text);
  const terms = new Map<string, number>();
  for (const token of tokens) {
    if (isStopWord(token)) continue;
    const term = stemTerm(token);
    terms.set(term, (terms.get(term) ?? 0) + 1);
  }
  return { fieldLength: new Set(tokens).size, terms };
}

/**
 * Per term, the sentences of these chunks it occurs in. A sentence repeated as the overlap
 * of a split passage counts once, so chunks of one document must be passed together.
 */
export function countSentenceTerms(chunks: readonly Chunk[]): SentenceTerms {
  const seen = new Set<string>();
  const frequencies = new Map<string, number>();
  let sentences = 0;
  for (const chunk of chunks) {
    for (const sentence of chunk.sentences) {
      const key = `${chunk.documentId}:${sentence.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      sentences++;
      const text = chunk.text.slice(sentence.start - chunk.start, sentence.end - chunk.start);
      const terms = new Set<string>();
      for (const token of tokenize(text)) if (!isStopWord(token)) terms.add(stemTerm(token));
      for (const term of terms) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
    }
  }
  return { sentences, frequencies };
}

/** Sorted terms and their postings: an index's, or some passages' grouped by term. */
export interface PostingLists {
  /** Sorted by UTF-16 code units. */
  readonly terms: readonly string[];
  /** Postings of term i are `postingStarts[i] … postingStarts[i + 1] - 1`, slots ascending. */
  readonly postingStarts: Uint32Array;
  readonly postingSlots: Uint32Array;
  readonly postingFrequencies: Uint16Array;
}

/** Slots whose postings are dropped: a flag per slot, and the same slots in order. */
export interface SlotRemoval {
  flags: Uint8Array;
  slots: Uint32Array;
}

/**
 * A new index: `previous` with the change applied. Slots of new passages must be above
 * those in `previous` (so postings stay sorted), or reuse none.
 */
export function updateLexicalIndex(previous: LexicalIndex, change: LexicalChange): LexicalIndex {
  const slotCount = change.positions.length;
  const maxPreviousSlot = previous.fieldLengths.length;
  const removal = findLiveSlots(change.removed, previous.positions, Math.max(maxPreviousSlot, slotCount));
  let removedLength = 0;
  for (const slot of removal.slots) removedLength += previous.fieldLengths[slot]!;
  const added = groupPostings(change.added, maxPreviousSlot);
  const merged = mergePostings(previous, removal, added, { before: previous.sentenceFrequencies, deltas: countSentenceDeltas(change) });

  const fieldLengths = new Uint32Array(slotCount);
  fieldLengths.set(previous.fieldLengths.subarray(0, Math.min(previous.fieldLengths.length, slotCount)));
  for (const slot of removal.slots) if (slot < slotCount) fieldLengths[slot] = 0;
  let addedLength = 0;
  for (const { slot, terms: passage } of change.added) {
    fieldLengths[slot] = passage.fieldLength;
    addedLength += passage.fieldLength;
  }
  return {
    ...merged.lists,
    fieldLengths,
    documentCount: previous.documentCount - removal.slots.length + change.added.length,
    totalFieldLength: previous.totalFieldLength - removedLength + addedLength,
    sentenceFrequencies: merged.sentenceFrequencies,
    sentenceCount: previous.sentenceCount + change.addedSentences.sentences - change.removedSentences.sentences,
    positions: change.positions,
  };
}

/** The live slots among `slots` (`positions` ≥ 0), each once, flagged in an array of `size`. */
export function findLiveSlots(slots: Iterable<number>, positions: Int32Array, size: number): SlotRemoval {
  const flags = new Uint8Array(size);
  const live: number[] = [];
  for (const slot of slots) {
    // A live slot, removed once (a passage with no words has field length 0 but still counts).
    if (slot < positions.length && flags[slot] === 0 && positions[slot]! >= 0) {
      flags[slot] = 1;
      live.push(slot);
    }
  }
  return { flags, slots: Uint32Array.from(live).sort() };
}

/** How a change moves each term's sentence count (terms it leaves as they were are left out). */
export function countSentenceDeltas(change: Pick<LexicalChange, 'addedSentences' | 'removedSentences'>): Map<string, number> {
  const deltas = new Map(change.addedSentences.frequencies);
  for (const [term, count] of change.removedSentences.frequencies) {
    const delta = (deltas.get(term) ?? 0) - count;
    if (delta === 0) deltas.delete(term);
    else deltas.set(term, delta);
  }
  return deltas;
}

/**
 * New passages' postings grouped by term, terms sorted and each term's slots ascending
 * (a counting sort). Every slot must be at least `minSlot`, so that the postings can be
 * appended to an index's without breaking their order.
 */
export function groupPostings(added: readonly { slot: number; terms: PassageTerms }[], minSlot = 0): PostingLists {
  const ordered = [...added].sort((a, b) => a.slot - b.slot);
  if (ordered.length > 0 && ordered[0]!.slot < minSlot) throw new Error(`store: new passages must take slots from ${minSlot} up (got ${ordered[0]!.slot})`);
  const ids = new Map<string, number>();
  let postings = 0;
  for (const { terms } of ordered) {
    for (const term of terms.terms.keys()) {
      if (!ids.has(term)) ids.set(term, ids.size);
      postings++;
    }
  }
  const byId = [...ids.keys()];
  const order = byId.map((_, id) => id).sort((a, b) => (byId[a]! < byId[b]! ? -1 : byId[a]! > byId[b]! ? 1 : 0));
  const rank = new Uint32Array(byId.length);
  order.forEach((id, at) => (rank[id] = at));
  const postingStarts = new Uint32Array(byId.length + 1);
  for (const { terms } of ordered) for (const term of terms.terms.keys()) postingStarts[rank[ids.get(term)!]! + 1]!++;
  for (let i = 0; i < byId.length; i++) postingStarts[i + 1]! += postingStarts[i]!;
  const fill = postingStarts.slice(0, byId.length);
  const postingSlots = new Uint32Array(postings);
  const postingFrequencies = new Uint16Array(postings);
  for (const { slot, terms } of ordered) {
    for (const [term, frequency] of terms.terms) {
      const at = fill[rank[ids.get(term)!]!]!++;
      postingSlots[at] = slot;
      postingFrequencies[at] = Math.min(frequency, MAX_TERM_FREQUENCY);
    }
  }
  return { terms: order.map((id) => byId[id]!), postingStarts, postingSlots, postingFrequencies };
}

/**
 * `previous`'s postings without the removed slots' and with `added` merged in (each term's
 * added slots after its previous ones: they must be higher), and, when `sentences.before`
 * is given, each term's sentence count moved by its delta. A term left with no postings
 * (and, when counted, no sentences) is dropped.
 *
 * The work is a copy of the previous arrays plus what the change touches: the postings of
 * untouched terms are copied in a few long stretches (not term by term: at 47,000 terms
 * the per-term copies and string comparisons were most of a one-document reindex's update),
 * and only the terms the change adds to, removes from or recounts are looked up (by binary
 * search) and rebuilt.
 */
export function mergePostings(
  previous: PostingLists,
  removal: SlotRemoval,
  added: PostingLists,
  sentences: { before: Uint32Array | null; deltas: ReadonlyMap<string, number> },
): { lists: PostingLists; sentenceFrequencies: Uint32Array } {
  // Where each changed term stands in the previous vocabulary: one of its terms, or a new term inserted before `at`.
  const touched = new Map<number, ChangedTerm>();
  const insertedByTerm = new Map<string, ChangedTerm>();
  const place = (term: string): ChangedTerm => {
    let entry = insertedByTerm.get(term);
    if (entry) return entry;
    const at = lowerBound(previous.terms, term);
    const existing = previous.terms[at] === term;
    entry = existing ? touched.get(at) : undefined;
    if (!entry) {
      entry = { term, addedId: -1, sentenceDelta: 0, at, removedPostings: 0 };
      if (existing) touched.set(at, entry);
      else insertedByTerm.set(term, entry);
    }
    return entry;
  };
  added.terms.forEach((term, id) => (place(term).addedId = id));
  if (sentences.before) for (const [term, delta] of sentences.deltas) place(term).sentenceDelta += delta;
  // The previous terms holding a removed passage: one pass over the slots (typed, no look-ups per term).
  let removedPostings = 0;
  if (removal.slots.length > 0) {
    const source = previous.postingSlots;
    const flags = removal.flags;
    for (let p = 0; p < source.length; p++) {
      if (flags[source[p]!] !== 1) continue;
      removedPostings++;
      const term = upperBound(previous.postingStarts, p) - 1;
      let entry = touched.get(term);
      if (!entry) touched.set(term, (entry = { term: previous.terms[term]!, addedId: -1, sentenceDelta: 0, at: term, removedPostings: 0 }));
      entry.removedPostings++;
    }
  }
  const inserted = [...insertedByTerm.values()].sort((a, b) => a.at - b.at || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  const touchedTerms = Int32Array.from(touched.keys()).sort();

  const capacity = previous.terms.length + inserted.length;
  const total = previous.postingSlots.length - removedPostings + added.postingSlots.length;
  const terms: string[] = [];
  const postingStarts = new Uint32Array(capacity + 1);
  const sentenceFrequencies = new Uint32Array(sentences.before ? capacity : 0);
  const slots = new Uint32Array(total);
  const frequencies = new Uint16Array(total);
  let written = 0;
  /** Previous postings up to here are in `slots`; those after it are copied in one stretch when the next touched term comes. */
  let copiedTo = 0;
  const copy = (from: number, to: number): void => {
    slots.set(previous.postingSlots.subarray(from, to), written);
    frequencies.set(previous.postingFrequencies.subarray(from, to), written);
    written += to - from;
  };
  const copyUntouched = (to: number): void => {
    if (to > copiedTo) copy(copiedTo, to);
    copiedTo = to;
  };
  const appendAdded = (entry: ChangedTerm): void => {
    if (entry.addedId === -1) return;
    const from = added.postingStarts[entry.addedId]!;
    const to = added.postingStarts[entry.addedId + 1]!;
    slots.set(added.postingSlots.subarray(from, to), written);
    frequencies.set(added.postingFrequencies.subarray(from, to), written);
    written += to - from;
  };
  /** Keeps a rebuilt term unless it was left with no postings and no sentences. */
  const keep = (term: string, before: number, sentenceFrequency: number): void => {
    if (written === before && sentenceFrequency <= 0) return;
    if (sentences.before) sentenceFrequencies[terms.length] = Math.max(0, sentenceFrequency);
    terms.push(term);
    postingStarts[terms.length] = written;
  };
  const insertNew = (entry: ChangedTerm): void => {
    copyUntouched(previous.postingStarts[entry.at]!);
    const before = written;
    appendAdded(entry);
    keep(entry.term, before, entry.sentenceDelta);
  };
  let nextInserted = 0;
  let nextTouched = 0;
  const before = sentences.before;
  for (let i = 0; i < previous.terms.length; i++) {
    while (nextInserted < inserted.length && inserted[nextInserted]!.at === i) insertNew(inserted[nextInserted++]!);
    if (touchedTerms[nextTouched] !== i) {
      // Untouched: its postings are in the stretch not yet copied, which lands at `written`.
      if (before) sentenceFrequencies[terms.length] = before[i]!;
      terms.push(previous.terms[i]!);
      postingStarts[terms.length] = previous.postingStarts[i + 1]! - copiedTo + written;
      continue;
    }
    nextTouched++;
    const entry = touched.get(i)!;
    const from = previous.postingStarts[i]!;
    const to = previous.postingStarts[i + 1]!;
    copyUntouched(from);
    const start = written;
    if (entry.removedPostings > 0) written = copyPostings(previous, from, to, removal.slots, removal.flags, slots, frequencies, written);
    else copy(from, to);
    copiedTo = to;
    appendAdded(entry);
    keep(entry.term, start, (before ? before[i]! : 0) + entry.sentenceDelta);
  }
  while (nextInserted < inserted.length) insertNew(inserted[nextInserted++]!);
  copyUntouched(previous.postingSlots.length);
  if (written !== total) throw new Error(`store: a lexical merge wrote ${written} postings for ${total} (a bug in mergePostings)`);
  const whole = terms.length === capacity;
  return {
    lists: { terms, postingStarts: whole ? postingStarts : postingStarts.slice(0, terms.length + 1), postingSlots: slots, postingFrequencies: frequencies },
    sentenceFrequencies: whole || !sentences.before ? sentenceFrequencies : sentenceFrequencies.slice(0, terms.length),
  };
}

/** A term a change adds postings to, removes postings from or recounts the sentences of. */
interface ChangedTerm {
  term: string;
  /** Its term among the added postings, or −1. */
  addedId: number;
  sentenceDelta: number;
  /** Its index in the previous vocabulary, or where it would be inserted. */
  at: number;
  /** How many of its previous postings belong to removed passages. */
  removedPostings: number;
}

/** The first index whose value is above `value` in an ascending array. */
function upperBound(values: Uint32Array, value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Postings lists at most this long are copied one by one; longer ones in stretches (see copyPostings). */
const SHORT_POSTINGS = 64;

/**
 * Copies postings `from`…`to` of the previous index (one term's, ascending by slot) into
 * `slots`/`frequencies` at `written`, leaving out the removed slots; returns the new end.
 * A long list is copied in stretches between the removed slots it holds, each found by
 * binary search: a one-document change removes a handful of slots, and checking every
 * posting of the common words for them was most of the time a reindex spent here.
 */
function copyPostings(
  previous: PostingLists,
  from: number,
  to: number,
  removedSlots: Uint32Array,
  removed: Uint8Array,
  slots: Uint32Array,
  frequencies: Uint16Array,
  written: number,
): number {
  const source = previous.postingSlots;
  if (to - from <= SHORT_POSTINGS) {
    for (let p = from; p < to; p++) {
      const slot = source[p]!;
      if (removedSlots.length > 0 && removed[slot]) continue;
      slots[written] = slot;
      frequencies[written++] = previous.postingFrequencies[p]!;
    }
    return written;
  }
  let cursor = from;
  for (const slot of removedSlots) {
    if (cursor >= to || slot > source[to - 1]!) break;
    if (slot < source[cursor]!) continue;
    let low = cursor;
    let high = to;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (source[middle]! < slot) low = middle + 1;
      else high = middle;
    }
    if (low < to && source[low] === slot) {
      written = copyStretch(previous, cursor, low, slots, frequencies, written);
      cursor = low + 1;
    }
  }
  return copyStretch(previous, cursor, to, slots, frequencies, written);
}

function copyStretch(previous: PostingLists, from: number, to: number, slots: Uint32Array, frequencies: Uint16Array, written: number): number {
  slots.set(previous.postingSlots.subarray(from, to), written);
  frequencies.set(previous.postingFrequencies.subarray(from, to), written);
  return written + to - from;
}

/**
 * The same index with its slots renumbered (`renumber[old]` = new slot, −1 = dropped; it
 * must keep the order of the slots it keeps), so the slots freed by deletions are reclaimed.
 */
export function renumberLexicalSlots(index: LexicalIndex, renumber: Int32Array, positions: Int32Array): LexicalIndex {
  const slots = new Uint32Array(index.postingSlots.length);
  const frequencies = new Uint16Array(index.postingSlots.length);
  const postingStarts = new Uint32Array(index.postingStarts.length);
  let written = 0;
  for (let term = 0; term < index.terms.length; term++) {
    for (let p = index.postingStarts[term]!; p < index.postingStarts[term + 1]!; p++) {
      const slot = renumber[index.postingSlots[p]!]!;
      if (slot < 0) continue;
      slots[written] = slot;
      frequencies[written++] = index.postingFrequencies[p]!;
    }
    postingStarts[term + 1] = written;
  }
  const fieldLengths = new Uint32Array(positions.length);
  for (let old = 0; old < renumber.length; old++) if (renumber[old]! >= 0) fieldLengths[renumber[old]!] = index.fieldLengths[old]!;
  return { ...index, postingStarts, postingSlots: slots.slice(0, written), postingFrequencies: frequencies.slice(0, written), fieldLengths, positions };
}

/** The same index pointing its slots at new chunk positions (documents moved, none changed). */
export function withLexicalPositions(index: LexicalIndex, positions: Int32Array): LexicalIndex {
  return { ...index, positions };
}

interface QueryTerm {
  term: string;
  boost: number;
  /** Whether near spellings match too (the user's own long words: typos; never a synonym). */
  fuzzy: boolean;
}

/** Per-index scratch arrays, reused by every search (searches are synchronous, so never shared mid-use). */
interface Scratch {
  /** Each slot's score and count of distinct query words matched: zero outside a search. */
  scores: Float64Array;
  matchedWords: Uint16Array;
  /** The stamp of the last query word that matched each slot (stamps only grow, so none is stale). */
  wordAt: Uint32Array;
  /** The slots a query touched, in the order it first touched them (`touchedCount` of them). */
  touched: Uint32Array;
  /** Each slot's BM25 `lengthNorm`, worked out once per index rather than once per posting. */
  lengthNorms: Float64Array;
  stamp: number;
}
const scratchOf = new WeakMap<LexicalIndex, Scratch>();

/**
 * BM25 matches for a query, best first. The query is either plain text (every word
 * counts fully) or weighted index terms (a term given twice counts at its highest weight).
 */
export function searchLexical(index: LexicalIndex, query: string | readonly WeightedTerm[], limit: number): LexicalMatch[] {
  const queryTerms = typeof query === 'string' ? termsOfText(query) : termsOfWeightedTerms(query);
  if (queryTerms.length === 0 || limit <= 0 || index.documentCount === 0) return [];
  const scratch = prepareScratch(index);
  let touchedCount = 0;
  const wordStamps = new Map<string, number>();
  const { postingStarts, postingSlots, postingFrequencies } = index;
  // Touched slots go in a typed array as long as the slot table: pushed on a plain array (13,000
  // a question at 100,000 passages), its growing and copying took over a third of the search.
  const { scores, matchedWords, wordAt, touched, lengthNorms } = scratch;
  // `scoreWithLengthNorm` written out: called once per posting, with its parameters read
  // each time, it made the search 45% slower (0.35 → 0.51 ms a query on the bench's questions).
  const { delta } = PASSAGE_BM25;
  const saturation = PASSAGE_BM25.k1 + 1;
  // Scores and word counts are zero between searches (the `finally` below puts back the
  // slots a search touched), so a slot is touched for the first time when it has no word yet.
  try {
    for (const { term, boost, fuzzy } of queryTerms) {
      let wordStamp = wordStamps.get(term);
      if (wordStamp === undefined) {
        wordStamp = ++scratch.stamp;
        wordStamps.set(term, wordStamp);
      }
      for (const { termIndex, weight } of matchingTerms(index, term, fuzzy)) {
        const start = postingStarts[termIndex]!;
        const end = postingStarts[termIndex + 1]!;
        const df = end - start;
        const idf = Math.log(1 + (index.documentCount - df + 0.5) / (df + 0.5));
        const factor = weight * boost * idf;
        for (let p = start; p < end; p++) {
          const slot = postingSlots[p]!;
          const tf = postingFrequencies[p]!;
          const score = factor * (delta + (tf * saturation) / (tf + lengthNorms[slot]!));
          if (matchedWords[slot] === 0) touched[touchedCount++] = slot;
          scores[slot]! += score;
          if (wordAt[slot] !== wordStamp) {
            wordAt[slot] = wordStamp;
            matchedWords[slot]!++;
          }
        }
      }
    }
    return selectTop(index, scratch, touched.subarray(0, touchedCount), limit);
  } finally {
    for (let i = 0; i < touchedCount; i++) {
      scores[touched[i]!] = 0;
      matchedWords[touched[i]!] = 0;
    }
  }
}

type TermMatch = { termIndex: number; weight: number };
/** Recent words' matching terms per index: questions share words, and a fuzzy lookup is the costliest step. */
const matchesOf = new WeakMap<LexicalIndex, Map<string, TermMatch[]>>();
const MAX_REMEMBERED_WORDS = 4_096;

/** The exact term (weight 1) and, when fuzzy, the vocabulary's near spellings of a long word (discounted). */
function matchingTerms(index: LexicalIndex, term: string, fuzzy: boolean): TermMatch[] {
  if (!fuzzy || term.length < FUZZY_MIN_LENGTH) {
    const exact = findTerm(index.terms, term);
    return exact === -1 ? [] : [{ termIndex: exact, weight: 1 }];
  }
  let remembered = matchesOf.get(index);
  if (!remembered) matchesOf.set(index, (remembered = new Map()));
  const matches = remember(remembered, term, MAX_REMEMBERED_WORDS, () => findMatchingTerms(index, term));
  return matches;
}

function findMatchingTerms(index: LexicalIndex, term: string): TermMatch[] {
  const matches: TermMatch[] = [];
  const exact = findTerm(index.terms, term);
  if (exact !== -1) matches.push({ termIndex: exact, weight: 1 });
  const maxEdits = Math.min(FUZZY_MAX_EDITS, Math.round(term.length * FUZZY_EDITS_PER_LETTER));
  for (const { index: termIndex, distance } of maxEdits > 0 ? findSimilarTerms(index.terms, term, maxEdits) : []) {
    if (distance === 0) continue;
    const length = index.terms[termIndex]!.length;
    matches.push({ termIndex, weight: (FUZZY_WEIGHT * length) / (length + distance) });
  }
  return matches;
}

function selectTop(index: LexicalIndex, scratch: Scratch, touched: Uint32Array, limit: number): LexicalMatch[] {
  // A min-heap of the best `limit` (score, then first touched wins a tie, as a stable sort would).
  const heapSlots: number[] = [];
  const heapScores: number[] = [];
  const heapOrder: number[] = [];
  const worse = (a: number, b: number): boolean => heapScores[a]! < heapScores[b]! || (heapScores[a] === heapScores[b] && heapOrder[a]! > heapOrder[b]!);
  const swap = (a: number, b: number): void => {
    [heapSlots[a], heapSlots[b]] = [heapSlots[b]!, heapSlots[a]!];
    [heapScores[a], heapScores[b]] = [heapScores[b]!, heapScores[a]!];
    [heapOrder[a], heapOrder[b]] = [heapOrder[b]!, heapOrder[a]!];
  };
  const siftDown = (from: number): void => {
    for (let at = from; ; ) {
      const left = 2 * at + 1;
      const right = left + 1;
      let smallest = at;
      if (left < heapSlots.length && worse(left, smallest)) smallest = left;
      if (right < heapSlots.length && worse(right, smallest)) smallest = right;
      if (smallest === at) return;
      swap(at, smallest);
      at = smallest;
    }
  };
  for (let order = 0; order < touched.length; order++) {
    const slot = touched[order]!;
    if (index.positions[slot]! < 0) continue;
    const score = scratch.scores[slot]! * scratch.matchedWords[slot]!;
    if (heapSlots.length < limit) {
      heapSlots.push(slot);
      heapScores.push(score);
      heapOrder.push(order);
      for (let at = heapSlots.length - 1; at > 0; ) {
        const parent = (at - 1) >> 1;
        if (!worse(at, parent)) break;
        swap(at, parent);
        at = parent;
      }
    } else if (score > heapScores[0]!) {
      heapSlots[0] = slot;
      heapScores[0] = score;
      heapOrder[0] = order;
      siftDown(0);
    }
  }
  const ranked = heapSlots.map((slot, i) => ({ slot, score: heapScores[i]!, order: heapOrder[i]! }));
  ranked.sort((a, b) => b.score - a.score || a.order - b.order);
  return ranked.map(({ slot, score }) => ({ position: index.positions[slot]!, score }));
}

function prepareScratch(index: LexicalIndex): Scratch {
  let scratch = scratchOf.get(index);
  const size = index.fieldLengths.length;
  if (!scratch || scratch.scores.length < size || scratch.stamp > 0xfffffff0) {
    const averageLength = index.totalFieldLength / index.documentCount;
    const lengthNorms = new Float64Array(size);
    for (let slot = 0; slot < size; slot++) lengthNorms[slot] = lengthNorm(index.fieldLengths[slot]!, averageLength, PASSAGE_BM25);
    scratch = { scores: new Float64Array(size), matchedWords: new Uint16Array(size), wordAt: new Uint32Array(size), touched: new Uint32Array(size), lengthNorms, stamp: 0 };
    scratchOf.set(index, scratch);
  }
  return scratch;
}

/** Every content word of the text, repeats included (a repeated word counts again, as in MiniSearch). */
function termsOfText(text: string): QueryTerm[] {
  return tokenize(text)
    .filter((token) => !isStopWord(token))
    .map((token) => ({ term: stemTerm(token), boost: 1, fuzzy: true }));
}

function termsOfWeightedTerms(terms: readonly WeightedTerm[]): QueryTerm[] {
  const boosts = new Map<string, number>();
  for (const { term, weight } of terms) {
    // Stemming is not idempotent ("commissioner" → "commission" → "commiss"): terms are used as given.
    if (term) boosts.set(term, Math.max(weight, boosts.get(term) ?? 0));
  }
  // Only the user's own words (weight 1) are matched fuzzily, for typos; a synonym is not typed.
  return [...boosts].map(([term, boost]) => ({ term, boost, fuzzy: boost >= 1 }));
}

interface LexicalMeta {
  format: string;
  documentCount: number;
  totalFieldLength: number;
  sentenceCount: number;
}

/** The index as buffers to write one after another (the vocabulary as UTF-8, the rest as typed arrays). */
export function encodeLexicalIndex(index: LexicalIndex): Buffer[] {
  const vocabulary = encodeTerms(index.terms);
  const meta: LexicalMeta = { format: FORMAT, documentCount: index.documentCount, totalFieldLength: index.totalFieldLength, sentenceCount: index.sentenceCount };
  return encodeSections(meta, {
    postingStarts: index.postingStarts,
    postingSlots: index.postingSlots,
    fieldLengths: index.fieldLengths,
    sentenceFrequencies: index.sentenceFrequencies,
    termEnds: vocabulary.ends,
    postingFrequencies: index.postingFrequencies,
    vocabulary: vocabulary.bytes,
  });
}

/** Reads a saved index; its slots point at `positions`. Throws on a malformed or inconsistent file. */
export function decodeLexicalIndex(buffer: Buffer, positions: Int32Array, label = 'the lexical index'): LexicalIndex {
  const index = decodeLexicalSections(buffer, label);
  if (index.fieldLengths.length !== positions.length) throw new Error(`store: ${label} does not fit together (it has ${index.fieldLengths.length} slots for ${positions.length})`);
  return { ...index, positions };
}

/** Reads a saved index without tying it to passages (a base its delta is applied to). Throws on a malformed or inconsistent file. */
export function decodeLexicalSections(buffer: Buffer, label = 'the lexical index'): Omit<LexicalIndex, 'positions'> {
  const { meta, sections } = decodeSections<LexicalMeta>(buffer, label);
  if (meta.format !== FORMAT) throw new Error(`store: ${label} is in format ${String(meta.format)}, not ${FORMAT}`);
  const postingStarts = requireSection(sections, 'postingStarts', Uint32Array, label);
  const postingSlots = requireSection(sections, 'postingSlots', Uint32Array, label);
  const postingFrequencies = requireSection(sections, 'postingFrequencies', Uint16Array, label);
  const fieldLengths = requireSection(sections, 'fieldLengths', Uint32Array, label);
  const sentenceFrequencies = requireSection(sections, 'sentenceFrequencies', Uint32Array, label);
  const termEnds = requireSection(sections, 'termEnds', Uint32Array, label);
  const vocabulary = requireSection(sections, 'vocabulary', Uint8Array, label);
  const terms = decodeTerms(Buffer.from(vocabulary.buffer, vocabulary.byteOffset, vocabulary.length), termEnds, label);
  const consistent =
    postingStarts.length === terms.length + 1 &&
    sentenceFrequencies.length === terms.length &&
    postingStarts[terms.length] === postingSlots.length &&
    postingFrequencies.length === postingSlots.length;
  if (!consistent) throw new Error(`store: ${label} does not fit together (its sections disagree)`);
  return { terms, postingStarts, postingSlots, postingFrequencies, fieldLengths, sentenceFrequencies, documentCount: meta.documentCount, totalFieldLength: meta.totalFieldLength, sentenceCount: meta.sentenceCount };
}

/** Terms as one UTF-8 block, '\n'-joined, and where each ends in it. */
export function encodeTerms(terms: readonly string[]): { bytes: Uint8Array; ends: Uint32Array } {
  const joined = Buffer.from(terms.join('\n'));
  const ends = new Uint32Array(terms.length);
  let end = 0;
  terms.forEach((term, i) => {
    end += Buffer.byteLength(term) + (i > 0 ? 1 : 0);
    ends[i] = end;
  });
  return { bytes: new Uint8Array(joined.buffer, joined.byteOffset, joined.length), ends };
}

/** Decodes a '\n'-joined vocabulary a few megabytes at a time, so no one string grows with the corpus. */
export function decodeTerms(bytes: Buffer, termEnds: Uint32Array, label = 'the lexical index'): string[] {
  const PIECE_BYTES = 4 * 1024 * 1024;
  const terms: string[] = [];
  let from = 0;
  let first = 0;
  while (first < termEnds.length) {
    let last = first;
    while (last + 1 < termEnds.length && termEnds[last + 1]! - from < PIECE_BYTES) last++;
    const piece = bytes.toString('utf8', from, termEnds[last]!);
    for (const term of piece.split('\n')) terms.push(term);
    from = termEnds[last]! + 1;
    first = last + 1;
  }
  if (terms.length !== termEnds.length) throw new Error(`store: the vocabulary of ${label} is damaged`);
  return terms;
}
