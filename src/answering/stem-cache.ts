import type { Chunk, Document } from '../domain.js';
import { isStopWord, stemTerm, tokenize } from '../text/terms.js';

/** A text's content stems, as a set and in reading order with token positions. */
export interface StemmedText {
  stems: Set<string>;
  sequence: { stem: string; position: number }[];
}

/** Content stems of a text. */
export function stemText(text: string): StemmedText {
  const stems = new Set<string>();
  const sequence: StemmedText['sequence'] = [];
  tokenize(text).forEach((token, position) => {
    if (isStopWord(token)) return;
    const stem = stemTerm(token);
    stems.add(stem);
    sequence.push({ stem, position });
  });
  return { stems, sequence };
}

/**
 * Stems of sentences, passages and documents, worked out once and kept while they are
 * asked for: a question's candidates are mostly the passages the previous questions
 * retrieved. Bounded, oldest out first, so a large corpus does not fill memory.
 */
export class StemCache {
  private readonly entries = new Map<string, StemmedText>();

  constructor(
    private readonly documents: ReadonlyMap<string, Document>,
    /** Entries kept; a sentence, passage or document is one entry each. */
    private readonly capacity = 20_000,
  ) {}

  sentence(chunk: Chunk, index: number): StemmedText {
    return this.cached(`s:${chunk.documentId}:${chunk.sentences[index]!.start}`, () => {
      const sentence = chunk.sentences[index]!;
      return stemText(chunk.text.slice(sentence.start - chunk.start, sentence.end - chunk.start));
    });
  }

  /** A passage's stems: the union of its sentences'. */
  passage(chunk: Chunk): ReadonlySet<string> {
    return this.cached(`p:${chunk.id}`, () => {
      const stems = new Set<string>();
      chunk.sentences.forEach((_, i) => this.sentence(chunk, i).stems.forEach((stem) => stems.add(stem)));
      return { stems, sequence: [] };
    }).stems;
  }

  document(id: string): ReadonlySet<string> {
    return this.cached(`d:${id}`, () => ({ stems: stemText(this.documents.get(id)?.text ?? '').stems, sequence: [] })).stems;
  }

  title(id: string): ReadonlySet<string> {
    return this.cached(`t:${id}`, () => ({ stems: stemText(this.documents.get(id)?.title ?? '').stems, sequence: [] })).stems;
  }

  private cached(key: string, compute: () => StemmedText): StemmedText {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = compute();
      if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(key, entry);
    }
    return entry;
  }
}
