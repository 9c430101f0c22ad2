import { contentTerms } from '../text/terms.js';

/**
 * What says a question follows up on the one before rather than standing alone: words
 * that point back with nothing in the question to point at ("What did *he* say?", "In
 * which index was *that*?"), an opening that continues ("*And* what about civil
 * liberties?"), and how little subject the question has of its own. A small fitted model
 * (answer-model.json's `followUp`) weighs them; a question it judges self-contained is
 * answered exactly as if asked fresh.
 */
export const FOLLOW_UP_FEATURES = [
  'bias',
  /** A third-person pronoun (he, it, they, his, its…) with no name before it in the question to stand for. */
  'unresolvedPronoun',
  /** A third-person pronoun after a name the question gives ("How did Kazakhstan describe its election?"). */
  'resolvedPronoun',
  /** this / these / those, or "that" pointing rather than joining a clause ("was that?", "that place"). */
  'demonstrative',
  /** Opens as a continuation: "and…", "but…", "also…", "what about…", "how about…", "what else…". */
  'continuation',
  /** A word that needs a context: there (not "is there"), then, else, same, former, latter, "which one". */
  'contextWord',
  /** No subject of its own: no content word but verbs any question may use ("Why?", "What happened?", "When was that?"). */
  'noSubject',
  /**
   * For a question with a pronoun, a pointing word or a context word: log(1 + its content
   * words). A long question carries its own subject even where it says "he"; a question
   * without such a word stands alone however short it is ("What did the spokesman say?").
   */
  'pointingContent',
  /** The question names its own subject: a capitalised word after the first, an acronym or a number. */
  'ownName',
] as const;

export type FollowUpFeature = (typeof FOLLOW_UP_FEATURES)[number];

const PRONOUNS = new Set(['he', 'she', 'it', 'they', 'him', 'her', 'his', 'hers', 'its', 'their', 'theirs', 'them', 'himself', 'herself', 'itself', 'themselves']);
const DEMONSTRATIVES = new Set(['this', 'these', 'those']);
const CONTINUATION = /^\s*(?:and|but|also|so|or|plus|then|what about|how about|what else|anything else|more on|same for)\b/i;
/** Words after which "that" starts a clause ("say that the…", "the council that elected…"). */
const CLAUSE_STARTS = new Set([
  'the', 'a', 'an', 'this', 'these', 'those', 'some', 'any', 'all', 'no', 'only', 'every', 'each', 'there', 'it', 'he', 'she', 'they', 'we', 'i', 'you',
  'his', 'her', 'its', 'their', 'our', 'my', 'your', 'is', 'was', 'are', 'were', 'has', 'have', 'had', 'will', 'would', 'can', 'could', 'did', 'does', 'do',
  'should', 'may', 'might', 'must', 'not',
]);
const EXISTENTIAL = new Set(['is', 'are', 'was', 'were', 'be', 'been']);
/**
 * Verbs that give a question no subject ("What happened?", "What did it mean?"): a question
 * whose content words are all among them asks about something said before. Stems, as
 * contentTerms gives them.
 */
const SUBJECTLESS_VERBS = new Set(['happen', 'mean', 'go', 'went', 'gone', 'come', 'came', 'get', 'got', 'make', 'made', 'take', 'took', 'taken', 'becom', 'becam', 'think', 'thought', 'know', 'knew', 'known', 'want', 'need', 'caus', 'result', 'respond', 'react', 'follow', 'next', 'els', 'later', 'actual', 'realli']);

/** Words of a question as written (letters, digits, apostrophes), with their case. */
function splitWords(question: string): string[] {
  return question.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
}

/** The follow-up features of a question, in FOLLOW_UP_FEATURES order. */
export function computeFollowUpFeatures(question: string): number[] {
  const written = splitWords(question);
  const words = written.map((word) => word.toLowerCase().replace(/[’']s$/, ''));
  let unresolvedPronoun = 0;
  let resolvedPronoun = 0;
  let demonstrative = 0;
  let contextWord = 0;
  words.forEach((word, i) => {
    const next = words[i + 1];
    const previous = words[i - 1];
    if (PRONOUNS.has(word)) {
      // A name before it is what a pronoun most often stands for inside one question.
      const antecedent = written.slice(1, i).some((before) => /^\p{Lu}/u.test(before) && before !== 'I');
      if (antecedent) resolvedPronoun = 1;
      else unresolvedPronoun = 1;
    }
    if (DEMONSTRATIVES.has(word) || (word === 'that' && (next === undefined || (!CLAUSE_STARTS.has(next) && !/ed$/.test(next) && !/^\p{Lu}/u.test(written[i + 1]!))))) demonstrative = 1;
    // "Is there a limit?" and "there were…" are existential; "Who was there?" points at a place.
    const existential = (previous !== undefined && EXISTENTIAL.has(previous) && next !== undefined) || (next !== undefined && EXISTENTIAL.has(next));
    if (word === 'there' && !existential) contextWord = 1;
    if (['then', 'else', 'same', 'former', 'latter'].includes(word)) contextWord = 1;
    if (word === 'one' && previous !== undefined && ['which', 'the', 'that', 'this', 'other'].includes(previous)) contextWord = 1;
  });
  const ownName = written.some((word, i) => (i > 0 && /^\p{Lu}/u.test(word) && word !== 'I') || /^\p{Lu}{2,}$/u.test(word) || /\d/.test(word)) ? 1 : 0;
  const values: Record<FollowUpFeature, number> = {
    bias: 1,
    unresolvedPronoun,
    resolvedPronoun,
    demonstrative,
    continuation: CONTINUATION.test(question) ? 1 : 0,
    contextWord,
    noSubject: contentTerms(question).every((stem) => SUBJECTLESS_VERBS.has(stem)) ? 1 : 0,
    pointingContent: unresolvedPronoun + resolvedPronoun + demonstrative + contextWord > 0 ? Math.log(1 + new Set(contentTerms(question)).size) : 0,
    ownName,
  };
  return FOLLOW_UP_FEATURES.map((name) => values[name]);
}
