import type { Chunk, Document } from '../domain.js';
import { lowerBound } from '../sorted-search.js';

/**
 * Finding passages by id, by what a person types (an id prefix, a document name or title),
 * and a passage's neighbours by position. Built once per index, so a lookup is a binary
 * search and a handful of steps, whatever the corpus size: `/source` autocomplete runs on
 * every keystroke, on the event loop that must acknowledge every other interaction in time.
 *
 * Building it is cheap too (tens of milliseconds at 100,000 passages, against 180–250 ms
 * for sorting every id with a comparator and mapping every id to its position): ids are
 * `<document id>#p<n>`, and an index keeps each document's passages together, so the ids
 * are put in order one document at a time, and a position is found by binary search. The
 * knowledge base builds one for every index it answers from (its passages by id), so the
 * first keystroke after an open or a reindex finds it ready.
 */
export class PassageDirectory {
  /** Lower-case passage ids, sorted, each with its position in `chunks`… */
  private readonly byId: SortedKeys;
  /** …and the distinct parts after `#` (`p14`, `p14.2`), sorted, each with the positions holding it, for "#p14" typed without a document. */
  private readonly byLocalId: { keys: string[]; positions: number[][] };
  /** Each document's first passage position, by document id. */
  private readonly firstPassage: Map<string, number>;
  /** Lower-case "file name + title" of each document, for matching names. */
  private readonly documentNames: { id: string; name: string }[];

  /** The passages, in index order. */
  private readonly chunks: readonly Chunk[];

  private constructor(parts: DirectoryParts) {
    this.chunks = parts.chunks;
    this.byId = parts.byId;
    this.byLocalId = parts.byLocalId;
    this.firstPassage = parts.firstPassage;
    this.documentNames = parts.documentNames;
  }

  /** The directory of these passages, built at once. */
  static of(chunks: readonly Chunk[], documents: readonly Document[]): PassageDirectory {
    return PassageDirectory.builder(() => chunks, documents).get();
  }

  /**
   * The directory built a slice at a time (`buildUntil`), or at once when it is wanted
   * before it is done (`get`). At 100,000 passages building it is about 0.1 s of work; an
   * engine does it in slices between other work on the event loop.
   */
  static builder(chunks: () => readonly Chunk[], documents: readonly Document[]): DirectoryBuilder {
    return new DirectoryBuilder(
      (function* () {
        return new PassageDirectory(yield* buildParts(chunks, documents));
      })(),
    );
  }

  /** The passage with this id (exactly as written), if any. */
  get(chunkId: string): Chunk | undefined {
    const position = this.positionOf(chunkId);
    return position === undefined ? undefined : this.chunks[position];
  }

  /** A document's passages, in order (none for an unknown document). */
  passagesOf(documentId: string): Chunk[] {
    const first = this.firstPassage.get(documentId);
    const passages: Chunk[] = [];
    for (let position = first ?? this.chunks.length; position < this.chunks.length && this.chunks[position]!.documentId === documentId; position++) passages.push(this.chunks[position]!);
    return passages;
  }

  /** The passages before and after one, within its document (null at either end). */
  neighbours(chunkId: string): { previousId: string | null; nextId: string | null } {
    const position = this.positionOf(chunkId);
    if (position === undefined) return { previousId: null, nextId: null };
    const chunk = this.chunks[position]!;
    const previous = this.chunks[position - 1];
    const next = this.chunks[position + 1];
    return {
      previousId: previous?.documentId === chunk.documentId ? previous.id : null,
      nextId: next?.documentId === chunk.documentId ? next.id : null,
    };
  }

  /**
   * Up to `limit` passages for what was typed: ids starting with it first (in id order),
   * then the opening passage of each document whose file name or title contains it.
   * Nothing typed: the first passages of the corpus.
   */
  find(typed: string, limit: number): Chunk[] {
    const needle = typed.trim().toLowerCase();
    if (needle === '') return this.chunks.slice(0, limit);
    const found: Chunk[] = [];
    const seen = new Set<number>();
    const take = (position: number): void => {
      if (found.length < limit && !seen.has(position)) {
        seen.add(position);
        found.push(this.chunks[position]!);
      }
    };
    const { keys, positions } = this.byId;
    for (let i = lowerBound(keys, needle); i < keys.length && found.length < limit && keys[i]!.startsWith(needle); i++) take(positions[i]!);
    if (/^#?p\d/.test(needle)) {
      const local = needle.replace(/^#/, '');
      const { keys: localKeys, positions: holding } = this.byLocalId;
      for (let i = lowerBound(localKeys, local); i < localKeys.length && found.length < limit && localKeys[i]!.startsWith(local); i++) {
        for (const position of holding[i]!) take(position);
      }
    }
    // Scanning names costs one substring test per document, stopped as soon as the list is full.
    for (const document of this.documentNames) {
      if (found.length >= limit) break;
      const first = this.firstPassage.get(document.id);
      if (first !== undefined && document.name.includes(needle)) take(first);
    }
    return found;
  }

  /** Where a passage is in `chunks`: a binary search for its lower-case id, then its exact id among ids differing only in case. */
  private positionOf(chunkId: string): number | undefined {
    const { keys, positions } = this.byId;
    const key = chunkId.toLowerCase();
    for (let i = lowerBound(keys, key); i < keys.length && keys[i] === key; i++) {
      if (this.chunks[positions[i]!]!.id === chunkId) return positions[i];
    }
    return undefined;
  }
}

/** What a directory is made of (see its fields). */
interface DirectoryParts {
  chunks: readonly Chunk[];
  byId: SortedKeys;
  byLocalId: { keys: string[]; positions: number[][] };
  firstPassage: Map<string, number>;
  documentNames: { id: string; name: string }[];
}

/** Keys in sorted order with the position each came from. */
interface SortedKeys {
  keys: string[];
  positions: Int32Array;
}

/** Items a build step handles before it looks at the clock. */
const STEP_ITEMS = 4096;

/** Builds a directory step by step: a generator that yields every few thousand items (`buildParts`). */
export class DirectoryBuilder {
  private built: PassageDirectory | null = null;

  constructor(private readonly steps: Generator<void, PassageDirectory>) {}

  /** Builds until `deadline` (a `performance.now()` time) has passed; true while work is left. */
  buildUntil(deadline: number): boolean {
    while (!this.built) {
      const step = this.steps.next();
      if (step.done) this.built = step.value;
      else if (performance.now() >= deadline) break;
    }
    return this.built === null;
  }

  /** The directory, finishing its build first if need be. */
  get(): PassageDirectory {
    this.buildUntil(Infinity);
    return this.built!;
  }
}

/**
 * The directory's parts, a few thousand items a step. The lower-case ids are put in
 * order (ties by position) one document at a time: each document's passages are sorted
 * among themselves by the part after `#`, and the documents by their id. That is the
 * order of the whole ids when every id is its document's id, `#`, then the rest, with
 * each document's passages together. The result is checked in one pass; an index where
 * that does not hold is sorted the slow way.
 */
function* buildParts(chunksOf: () => readonly Chunk[], documents: readonly Document[]): Generator<void, DirectoryParts> {
  const chunks = chunksOf();
  const ids: string[] = [];
  const locals: string[] = [];
  for (const chunk of chunks) {
    const id = chunk.id.toLowerCase();
    ids.push(id);
    locals.push(id.slice(id.lastIndexOf('#') + 1));
    if (ids.length % STEP_ITEMS === 0) yield;
  }
  const runs: { prefix: string; start: number; end: number }[] = [];
  for (let start = 0; start < chunks.length; ) {
    let end = start + 1;
    while (end < chunks.length && chunks[end]!.documentId === chunks[start]!.documentId) end++;
    runs.push({ prefix: ids[start]!.slice(0, ids[start]!.length - locals[start]!.length), start, end });
    start = end;
    if (runs.length % STEP_ITEMS === 0) yield;
  }
  runs.sort((a, b) => compareKeys(a.prefix, b.prefix, a.start, b.start));
  yield;
  const order: number[] = [];
  let sinceYield = 0;
  for (const { start, end } of runs) {
    const run = Array.from({ length: end - start }, (_, i) => start + i).sort((a, b) => compareKeys(locals[a]!, locals[b]!, a, b));
    for (const position of run) order.push(position);
    sinceYield += end - start;
    if (sinceYield >= STEP_ITEMS) {
      sinceYield = 0;
      yield;
    }
  }
  let sorted = true;
  for (let i = 1; i < order.length && sorted; i++) {
    sorted = compareKeys(ids[order[i - 1]!]!, ids[order[i]!]!, order[i - 1]!, order[i]!) < 0;
    if (i % STEP_ITEMS === 0) yield;
  }
  if (!sorted) order.sort((a, b) => compareKeys(ids[a]!, ids[b]!, a, b));
  const keys: string[] = [];
  for (const position of order) {
    keys.push(ids[position]!);
    if (keys.length % STEP_ITEMS === 0) yield;
  }
  const holding = new Map<string, number[]>();
  const firstPassage = new Map<string, number>();
  for (let position = 0; position < chunks.length; position++) {
    const local = locals[position]!;
    const positions = holding.get(local);
    if (positions) positions.push(position);
    else holding.set(local, [position]);
    const { documentId } = chunks[position]!;
    if (!firstPassage.has(documentId)) firstPassage.set(documentId, position);
    if ((position + 1) % STEP_ITEMS === 0) yield;
  }
  const localKeys = [...holding.keys()].sort();
  yield;
  const documentNames = documents.map((document) => ({ id: document.id, name: `${document.source} ${document.title}`.toLowerCase() }));
  return {
    chunks,
    byId: { keys, positions: Int32Array.from(order) },
    byLocalId: { keys: localKeys, positions: localKeys.map((key) => holding.get(key)!) },
    firstPassage,
    documentNames,
  };
}

function compareKeys(a: string, b: string, positionA: number, positionB: number): number {
  return a < b ? -1 : a > b ? 1 : positionA - positionB;
}
