import type { CorpusIndex } from '../store/index-files.js';
import type { LexicalIndex } from '../store/lexical-index.js';
import { findTerm } from '../store/similar-terms.js';
import { lowerBound } from '../sorted-search.js';

/**
 * Whether a document holds a stem anywhere, read from the BM25 postings: the slots of
 * the document's passages, looked for in the stem's posting list. Stemming the whole
 * document instead cost 1.5 ms a question at the median and 10 ms at p95 over 100,000
 * passages (each question reaches documents no earlier one did, and a manual page runs
 * to hundreds of kilobytes); this costs a few binary searches.
 *
 * The postings hold what BM25 indexes of each passage (its text after its innermost
 * heading), stop words out, Porter-stemmed: every content word of the document.
 */
export class DocumentTerms {
  /** Posting range of each stem looked for, by stem (−1: not in the corpus). */
  private readonly termIndices = new Map<string, number>();

  constructor(
    private readonly lexical: LexicalIndex,
    /** The slots of a document's passages (empty for an unknown document). */
    private readonly slotsOf: (documentId: string) => ArrayLike<number>,
  ) {}

  /** Over an index: a document's slots are those of its passages' positions. */
  static of(index: Pick<CorpusIndex, 'lexical' | 'documents' | 'slots' | 'passages'>): DocumentTerms {
    const positionOf = new Map(index.documents.map((document, position) => [document.id, position]));
    const { chunkStarts } = index.passages;
    return new DocumentTerms(index.lexical, (documentId) => {
      const position = positionOf.get(documentId);
      return position === undefined ? [] : index.slots.subarray(chunkStarts[position], chunkStarts[position + 1]);
    });
  }

  /** A predicate for one document, for `TermMatcher.ranksWhere`. */
  holderOf(documentId: string): (stem: string) => boolean {
    const slots = this.slotsOf(documentId);
    // A document's passages are indexed together, so their slots are most often one run
    // (ascending, no gaps): then one binary search per stem answers, not one per passage.
    let run = slots.length > 0;
    for (let i = 1; i < slots.length && run; i++) run = slots[i] === slots[i - 1]! + 1;
    return run ? (stem) => this.holdsInRun(slots[0]!, slots[slots.length - 1]!, stem) : (stem) => this.holds(slots, stem);
  }

  /** Whether the stem's posting list has a slot from `first` to `last`. */
  private holdsInRun(first: number, last: number, stem: string): boolean {
    const termIndex = this.termIndexOf(stem);
    if (termIndex === -1) return false;
    const end = this.lexical.postingStarts[termIndex + 1]!;
    const at = lowerBound(this.lexical.postingSlots, first, this.lexical.postingStarts[termIndex]!, end);
    return at < end && this.lexical.postingSlots[at]! <= last;
  }

  private termIndexOf(stem: string): number {
    let termIndex = this.termIndices.get(stem);
    if (termIndex === undefined) {
      termIndex = findTerm(this.lexical.terms, stem);
      // Stems looked for are the questions' and their alternatives': few, and repeated.
      if (this.termIndices.size >= MAX_REMEMBERED_STEMS) this.termIndices.clear();
      this.termIndices.set(stem, termIndex);
    }
    return termIndex;
  }

  private holds(slots: ArrayLike<number>, stem: string): boolean {
    const termIndex = this.termIndexOf(stem);
    if (termIndex === -1) return false;
    const start = this.lexical.postingStarts[termIndex]!;
    const end = this.lexical.postingStarts[termIndex + 1]!;
    const { postingSlots } = this.lexical;
    for (let i = 0; i < slots.length; i++) {
      const at = lowerBound(postingSlots, slots[i]!, start, end);
      if (at < end && postingSlots[at] === slots[i]) return true;
    }
    return false;
  }
}

const MAX_REMEMBERED_STEMS = 50_000;
