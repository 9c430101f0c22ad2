/**
 * The broad kind of answer a question asks for (who, when, how many…), read from its
 * question word, and whether a sentence offers that kind of answer; finer forms (an age,
 * a place, a cause…) are in answer-forms.ts. Pure and language-agnostic beyond English
 * question words; it knows nothing about any particular corpus.
 */

import { isStopWord, stemTerm, tokenize } from '../text/terms.js';
import { remember } from '../remember.js';

export type QuestionForm = 'who' | 'when' | 'quantity' | 'where' | 'why' | 'which' | 'yes-no' | 'open';

const MONTH = /\b(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\b/;
const YEAR = /\b(?:1[6-9]|20)\d\d\b/;
// Two to five capitalised words in a row: a name.
const NAMES = /(?:\b\p{Lu}[\p{L}’'-]+\s+){1,4}\p{Lu}[\p{L}’'-]+/gu;

/** Imperative requests that no verbatim quote can fulfil. */
const REQUEST = /^\s*(?:please\s+)?(?:write|compose|generate|create|draw|sing|invent|imagine|pretend|roleplay|act as|translate|tell me a (?:joke|story)|ignore (?:all|previous|the)|give me a (?:poem|joke|story|recipe))\b/i;

/**
 * The answer model's feature for each broad form it weighs (answer-features.ts), 1 when the
 * question has that form; "open" has none. One list, read by the features, their values
 * and the signal that gates them.
 */
export const FORM_FEATURES = {
  asksWho: 'who',
  asksWhen: 'when',
  asksQuantity: 'quantity',
  asksWhere: 'where',
  asksWhy: 'why',
  asksWhich: 'which',
  asksYesNo: 'yes-no',
} as const satisfies Record<string, QuestionForm>;
export type FormFeature = keyof typeof FORM_FEATURES;
export const FORM_FEATURE_NAMES = Object.keys(FORM_FEATURES) as FormFeature[];

export function detectQuestionForm(question: string): QuestionForm {
  const q = question.trim().toLowerCase();
  if (/\bhow (?:many|much|often|long|old|large|big|high)\b|\bwhat (?:share|percentage|percent|proportion|number|score|rank|ranking|fraction)\b|\b(?:how|where) did .* rank\b|\bwhat .* (?:score|rank)\b/.test(q)) return 'quantity';
  if (/\bwhen\b|\bwhat (?:year|date|month|day|time)\b|\bwhich (?:year|date|month|day)\b/.test(q)) return 'when';
  if (/\bwho(?:m|se)?\b/.test(q)) return 'who';
  if (/\bwhere\b/.test(q)) return 'where';
  if (/\bwhy\b|\bwhat (?:reason|caused)\b/.test(q)) return 'why';
  if (/\bwhich\b|\bwhat\b/.test(q)) return 'which';
  if (/^(?:is|was|were|are|does|did|do|has|have|had|can|could|will|would|should)\b/.test(q)) return 'yes-no';
  return 'open';
}

/** True for "write me a poem"-style requests: not questions about the corpus. */
export function isRequestNotQuestion(question: string): boolean {
  return REQUEST.test(question);
}

const CAPITALISED_WORD = /(?<=\S\s+["“(]?)\p{Lu}[\p{L}’'-]*/gu;
const NUMBER_TOKEN = /\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen|half|percent)\b/gi;
/** A month only with its capital: "may" and "march" are mostly verbs. */
const DATE_TOKEN = new RegExp(`${MONTH.source}|${YEAR.source}|\\b(?:[Cc]entury|[Cc]enturies|[Dd]ecades?)\\b`, 'g');
/**
 * The numbers of a date — a day beside its month ("July 29", "4 April"), a year not priced
 * or a share ("the 2013 election", not "$2000" or "2000 percent") — which say when, not
 * how many.
 */
const DATE_NUMBERS = new RegExp(
  [
    `${MONTH.source}\\s+\\d{1,2}(?:st|nd|rd|th)?\\b`,
    `\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH.source}`,
    `(?<![$€£¥]\\s?)${YEAR.source}(?!\\s*(?:%|percent\\b|per\\s?cent\\b))`,
  ].join('|'),
  'g',
);

/**
 * Whether a sentence offers the specific kind of answer the form asks for — a date for
 * *when*, a number for *how many* (not a date's: "the July 29 vote" says no count), a name
 * for *who* or *where* — beyond what the question already says (a year the question names
 * is not the answer, nor is the name it asks about: "Human Rights Watch said…" offers no
 * one for "Who founded Human Rights Watch?"). Null for forms that do
 * not ask for a specific kind of thing. `questionStems` holds the question's stems.
 */
export function offersAnswerForm(form: QuestionForm, sentence: string, questionStems: ReadonlySet<string>): boolean | null {
  const offered = findOfferedAnswers(form, sentence);
  if (offered === null) return null;
  return offered.some((stem) => !questionStems.has(stem));
}

/** Sentences' dates, numbers and names by form, found once: the same passages come back question after question. */
const offeredCache = new Map<string, string[] | null>();
/** Sentences remembered (a few megabytes); past it the memory starts over. */
const OFFERED_CACHE_SIZE = 20_000;

/**
 * The stems of the dates, numbers or names a sentence offers for a form, or null. Names are
 * capitalised words after the sentence's first, and every word of a name of several
 * ("Human Rights Watch said…"), which may open it.
 */
function findOfferedAnswers(form: QuestionForm, sentence: string): string[] | null {
  const pattern = form === 'when' ? DATE_TOKEN : form === 'quantity' ? NUMBER_TOKEN : form === 'who' || form === 'where' ? CAPITALISED_WORD : null;
  if (!pattern) return null;
  return remember(offeredCache, `${form}\u0000${sentence}`, OFFERED_CACHE_SIZE, () => [
    ...[...(form === 'quantity' ? sentence.replace(DATE_NUMBERS, ' ') : sentence).matchAll(pattern)].map((match) => stemWord(match[0])),
    ...(pattern === CAPITALISED_WORD ? [...sentence.matchAll(NAMES)].flatMap((match) => tokenize(match[0]).map(stemTerm)) : []),
  ]);
}

/** The stem a single matched word has among the question's stems. */
function stemWord(word: string): string {
  const token = tokenize(word)[0];
  return token === undefined ? word.toLowerCase() : stemTerm(token);
}

/** Questions that ask for a title, a headline or a heading: a heading line may then be quoted. */
export function asksForTitle(question: string): boolean {
  return TITLE_WORD.test(question);
}

const TITLE_WORD = /\b(?:title|headline|heading|headlined|titled)\b/i;
/** A title that is someone's, not the document's ("what is his title?"). */
const PERSON_WORD = /\b(?:his|her|hers|their|whose|him|them|who)\b/i;
/** What a person may call the document whose title they ask for. */
const DOCUMENT_WORDS = new Set(
  ['title', 'headline', 'heading', 'headlined', 'titled', 'called', 'name', 'article', 'document', 'story', 'report', 'piece', 'page', 'text', 'file', 'source', 'post', 'paper', 'essay', 'book', 'handbook', 'manual', 'guide', 'analysis', 'news', 'full', 'exact', 'main'].map(stemTerm),
);

/**
 * Questions about the document's own title or headline ("What is the article's
 * headline?", "What is the title of the handbook?"), answered by quoting it: a title word,
 * and no other content word than ways of naming the document. "What was the title of
 * Bunyan's first book?" and "what is his title?" ask about something the document says.
 */
export function asksForDocumentTitle(question: string): boolean {
  if (!TITLE_WORD.test(question) || PERSON_WORD.test(question)) return false;
  return tokenize(question).every((token) => isStopWord(token) || DOCUMENT_WORDS.has(stemTerm(token)));
}
