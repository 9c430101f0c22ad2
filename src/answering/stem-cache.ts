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
  const stemmed: StemmedText = { stems: new Set(), words: new Set(), nameWords: new Set(), sequence: [] };
  const common = new Set<string>();
  if (ASCII.test(text)) stemAsciiText(text, stemmed, common);
  else stemWordByWord(text, stemmed, common);
  for (const form of common) stemmed.nameWords.delete(form);
  return stemmed;
}

/** One token: its stem and forms into the text's sets; `named` when its word is capitalised after the text's first. */
function addToken(token: string, position: number, named: boolean, stemmed: StemmedText, common: Set<string>): void {
  if (isStopWord(token)) return;
  const stem = stemTerm(token);
  stemmed.stems.add(stem);
  for (const form of findWordForms(token)) {
    stemmed.words.add(form);
    (named ? stemmed.nameWords : common).add(form);
  }
  stemmed.sequence.push({ stem, position });
}

/** Word by word (white space separates tokens anyway), to know which are capitalised. */
function stemWordByWord(text: string, stemmed: StemmedText, common: Set<string>): void {
  let position = 0;
  let first = true;
  for (const word of text.split(/\s+/)) {
    if (word.length === 0) continue;
    const inName = !first && CAPITALISED.test(word);
    first = false;
    for (const token of tokenize(word)) addToken(token, position++, inName, stemmed, common);
  }
}

/**
 * The same for plain ASCII, most text, in one pass over its characters, without splitting
 * it into words and each word into tokens (at 100,000 passages a question allocated 632 KB
 * with them, 536 KB without): a token is a run of letters and digits of the lower-cased
 * text, and a word starts after white space.
 */
function stemAsciiText(text: string, stemmed: StemmedText, common: Set<string>): void {
  const lower = text.toLowerCase();
  let position = 0;
  let seenWord = false;
  let inName = false;
  let tokenStart = -1;
  let previousSpace = true;
  for (let i = 0; i <= lower.length; i++) {
    const code = i < lower.length ? lower.charCodeAt(i) : SPACE;
    const space = code === SPACE || (code >= TAB && code <= CARRIAGE_RETURN);
    if (!space && previousSpace) {
      inName = seenWord && capitalisedAt(text, i);
      seenWord = true;
    }
    previousSpace = space;
    if ((code >= LOWER_A && code <= LOWER_Z) || (code >= DIGIT_0 && code <= DIGIT_9)) {
      if (tokenStart < 0) tokenStart = i;
    } else if (tokenStart >= 0) {
      addToken(lower.slice(tokenStart, i), position++, inName, stemmed, common);
      tokenStart = -1;
    }
  }
}

/** `CAPITALISED` at `i` in ASCII (the curly quotes are not ASCII): a capital, after at most one `"`, `(` or `'`. */
function capitalisedAt(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  const letter = code === DOUBLE_QUOTE || code === OPEN_BRACKET || code === APOSTROPHE ? text.charCodeAt(i + 1) : code;
  return letter >= UPPER_A && letter <= UPPER_Z;
}

const ASCII = /^[\x00-\x7f]*$/;
// Character codes (what `\s` matches in ASCII is tab to carriage return, and space).
const TAB = 9;
const CARRIAGE_RETURN = 13;
const SPACE = 32;
const DOUBLE_QUOTE = 34;
const APOSTROPHE = 39;
const OPEN_BRACKET = 40;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const UPPER_A = 65;
const UPPER_Z = 90;
const LOWER_A = 97;
const LOWER_Z = 122;

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
