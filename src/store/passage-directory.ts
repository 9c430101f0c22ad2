import type { Chunk, Document } from '../domain.js';

/**
 * Finding passages by what a person types: by id prefix, and by document name or title,
 * and a passage's neighbours by position. Built once per index (ids sorted, positions
 * mapped), so a lookup is a binary search and a handful of steps, whatever the corpus
 * size: `/source` autocomplete runs on every keystroke, on the event loop that must
 * acknowledge every other interaction in time.
 */
export class PassageDirectory {
  /** Lower-case passage ids, sorted, each with its position in `chunks`… */
  private readonly byId: SortedKeys;
  /** …and the part after `#` (`p14`, `p14.2`), for "#p14" typed without a document. */
  private readonly byLocalId: SortedKeys;
  private readonly positionOf: Map<string, number>;
  /** Each document's first passage position, by document id. */
  private readonly firstPassage = new Map<string, number>();
  /** Lower-case "file name + title" of each document, for matching names. */
  private readonly documentNames: { id: string; name: string }[];

  constructor(
    private readonly chunks: readonly Chunk[],
    documents: readonly Document[],
  ) {
    this.positionOf = new Map(chunks.map((chunk, position) => [chunk.id, position]));
    this.byId = sortKeys(chunks.map((chunk) => chunk.id.toLowerCase()));
    this.byLocalId = sortKeys(chunks.map((chunk) => chunk.id.slice(chunk.id.lastIndexOf('#') + 1).toLowerCase()));
    chunks.forEach((chunk, position) => {
      if (!this.firstPassage.has(chunk.documentId)) this.firstPassage.set(chunk.documentId, position);
    });
    this.documentNames = documents.map((document) => ({ id: document.id, name: `${document.source} ${document.title}`.toLowerCase() }));
  }

  /** The passages before and after one, within its document (null at either end). */
  neighbours(chunkId: string): { previousId: string | null; nextId: string | null } {
    const position = this.positionOf.get(chunkId);
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
    for (const position of matchPrefix(this.byId, needle, limit)) take(position);
    if (/^#?p\d/.test(needle)) for (const position of matchPrefix(this.byLocalId, needle.replace(/^#/, ''), limit)) take(position);
    // Scanning names costs one substring test per document, stopped as soon as the list is full.
    for (const document of this.documentNames) {
      if (found.length >= limit) break;
      const first = this.firstPassage.get(document.id);
      if (first !== undefined && document.name.includes(needle)) take(first);
    }
    return found;
  }
}

/** Keys in sorted order with the position each came from. */
interface SortedKeys {
  keys: string[];
  positions: Int32Array;
}

function sortKeys(keys: readonly string[]): SortedKeys {
  const order = Array.from(keys, (_, position) => position).sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));
  return { keys: order.map((position) => keys[position]!), positions: Int32Array.from(order) };
}

/** Positions of the first `limit` keys starting with `prefix` (binary search, then a walk). */
function matchPrefix(sorted: SortedKeys, prefix: string, limit: number): number[] {
  let low = 0;
  let high = sorted.keys.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted.keys[middle]! < prefix) low = middle + 1;
    else high = middle;
  }
  const positions: number[] = [];
  for (let i = low; i < sorted.keys.length && positions.length < limit && sorted.keys[i]!.startsWith(prefix); i++) positions.push(sorted.positions[i]!);
  return positions;
}
