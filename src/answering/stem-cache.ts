import { stripCitations } from '../chunking/attributions.js';
import type { Chunk, Document } from '../domain.js';
import { findWordForms } from '../lexicon/lexicon.js';
import { isStopWord, stemTerm, tokenize } from '../text/terms.js';
import { remember } from '../remember.js';

/** What a question is matched against in a text: its words' stems, and its words with their dictionary forms. */
export interface MatchableText {
  /** Porter stems of the content words (the question's own words are matched by stem). */
  stems: ReadonlySet<string>;
  /** Content words and the dictionary forms they inflect (WordNet's words are matched by form). */
  words: ReadonlySet<string>;
  /**
   * Those of `words` the text uses only inside names, capitalised after its first word
   * ("people" in "the Assembly of People of Kazakhstan"): a name does not mean what its
   * words mean, so another word's synonym or broader term found there is no match.
   */
  nameWords: ReadonlySet<string>;
}

/** A text's content stems and words, as sets, and its stems in reading order with token positions. */
export interface StemmedText extends MatchableText {
  stems: Set<string>;
  words: Set<string>;
  nameWords: Set<string>;
  sequence: { stem: string; position: number }[];
}

/** Content stems and word forms of a text, and which forms it uses only inside names. */
export function stemText(text: string): StemmedText {
  const stems = new Set<string>();
  const words = new Set<string>();
  const named = new Set<string>();
  const common = new Set<string>();
  const sequence: StemmedText['sequence'] = [];
  let position = 0;
  let first = true;
  // Word by word (white space separates tokens anyway), to know which are capitalised.
  for (const word of text.split(/\s+/)) {
    if (word.length === 0) continue;
    const inName = !first && CAPITALISED.test(word);
    first = false;
    for (const token of tokenize(word)) {
      const at = position++;
      if (isStopWord(token)) continue;
      const stem = stemTerm(token);
      stems.add(stem);
      for (const form of findWordForms(token)) {
        words.add(form);
        (inName ? named : common).add(form);
      }
      sequence.push({ stem, position: at });
    }
  }
  for (const form of common) named.delete(form);
  return { stems, words, nameWords: named, sequence };
}

/** A word that starts with a capital, after any opening quote or bracket. */
const CAPITALISED = /^["“(‘']?\p{Lu}/u;

/**
 * Stems of sentences, passages and titles, worked out once and kept while they are
 * asked for: a question's candidates are mostly the passages the previous questions
 * retrieved. Bounded, oldest out first, so a large corpus does not fill memory.
 */
export class StemCache {
  private readonly entries = new Map<string, StemmedText>();
  private readonly claims = new Map<string, { text: string; stemmed: StemmedText }>();

  constructor(
    private readonly documents: ReadonlyMap<string, Document>,
    /** Entries kept; a sentence, heading or title is one entry each (and a claim one more). */
    private readonly capacity = 20_000,
  ) {}

  sentence(chunk: Chunk, index: number): StemmedText {
    return this.cached(`s:${chunk.documentId}:${chunk.sentences[index]!.start}`, () => {
      const sentence = chunk.sentences[index]!;
      return stemText(chunk.text.slice(sentence.start - chunk.start, sentence.end - chunk.start));
    });
  }

  /**
   * A sentence without its in-text citations ("(Trend, November 12)"): what it says, not
   * whom it cites. The sentence itself when it cites nothing.
   */
  claim(chunk: Chunk, index: number): { text: string; stemmed: StemmedText } {
    const sentence = chunk.sentences[index]!;
    return remember(this.claims, `${chunk.documentId}:${sentence.start}`, this.capacity, () => {
      const whole = chunk.text.slice(sentence.start - chunk.start, sentence.end - chunk.start);
      const text = stripCitations(whole);
      // Most sentences cite nothing: their stems are the sentence's, worked out once.
      return { text, stemmed: text === whole ? this.sentence(chunk, index) : stemText(text) };
    });
  }

  /** A section's heading path ("Reactions › The ministry"): its stems. */
  heading(path: string): ReadonlySet<string> {
    return this.cached(`h:${path}`, () => stemText(path)).stems;
  }

  title(id: string): ReadonlySet<string> {
    return this.cached(`t:${id}`, () => stemText(this.documents.get(id)?.title ?? '')).stems;
  }

  private cached(key: string, compute: () => StemmedText): StemmedText {
    return remember(this.entries, key, this.capacity, compute);
  }
}
