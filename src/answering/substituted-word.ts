import { findSimilarTerms } from '../store/similar-terms.js';
import { isStopWord } from '../text/terms.js';

/**
 * A question that changes one detail of what a sentence says: the sentence holds the
 * words either side of a question word, side by side, with another word between them —
 * "the *west* wing" where the text says "the east wing", "computational *simplicity*
 * theory" for "computational complexity theory", "the 15 *smallest* cities" for "the 15
 * largest cities". A question so worded asks about something the sentence does not say.
 * Read on the tokens of the question and of a sentence (`tokenize`).
 */

/** A content word of the question with the words either side of it. */
export interface WordSlot {
  word: string;
  before: string;
  after: string;
}

/** Every content word of the question that has a word either side, one of them a content word. */
export function findWordSlots(tokens: readonly string[]): WordSlot[] {
  const slots: WordSlot[] = [];
  for (let at = 1; at + 1 < tokens.length; at++) {
    const [before, word, after] = [tokens[at - 1]!, tokens[at]!, tokens[at + 1]!];
    if (isStopWord(word) || (isStopWord(before) && isStopWord(after))) continue;
    slots.push({ word, before, after });
  }
  return slots;
}

/** A question word and the word a sentence says in its place. */
export interface ChangedDetail {
  asked: string;
  says: string;
}

/**
 * The first slot whose two neighbours the sentence holds side by side around another
 * content word that contrasts with it — another number, an opposite or another thing of the same
 * kind (`contrasting`), or, where neither is a dictionary word, another name or code
 * ("arm64" for "amd64") — but not the same word misspelt ("Turning machines" for "Turing
 * machines": one edit in a word of four letters or more, two in one of eight or more;
 * numbers are never misspelt: "68th" for "67th" is another session).
 * Words a paraphrase puts in the same place ("What rating did Freedom House *give*
 * Kazakhstan?" · "Freedom House *ranked* Kazakhstan") do not contrast. `slots` should
 * hold only words the sentence does not hold in any form. Returns the word asked and the
 * word said in its place, or null.
 */
export function findSubstitution(slots: readonly WordSlot[], sentenceTokens: readonly string[], contrasting: (a: string, b: string) => boolean): ChangedDetail | null {
  for (const slot of slots) {
    for (let j = 1; j + 1 < sentenceTokens.length; j++) {
      const other = sentenceTokens[j]!;
      if (sentenceTokens[j - 1] !== slot.before || sentenceTokens[j + 1] !== slot.after || other === slot.word || isStopWord(other)) continue;
      // Another number is another detail however close its digits ("the 68th session" · "the 67th session").
      if ((NUMBER.test(slot.word) && NUMBER.test(other)) || (!misspelt(slot.word, other) && contrasting(slot.word, other))) return { asked: slot.word, says: other };
    }
  }
  return null;
}

/** A number or an ordinal, in figures or words. */
const NUMBER = /^(?:\d[\d.,]*(?:st|nd|rd|th)?|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|hundred|thousand|million|billion)$/;

function misspelt(a: string, b: string): boolean {
  const shorter = Math.min(a.length, b.length);
  const edits = shorter >= 8 ? 2 : shorter >= 4 ? 1 : 0;
  return edits > 0 && findSimilarTerms([b], a, edits, { transpositions: true }).length > 0;
}
