import { capitalsSayNothing, contentTerms } from '../text/terms.js';

/**
 * A follow-up that only names something new, read as the earlier question asked of it:
 * "and a Senator?" after "How old must a Representative be?" is "How old must a Senator
 * be?"; "and in 2018?" after "What was the turnout in 2013?" is "What was the turnout in
 * 2018?"; "and by aerosols?" after "Which organisms are spread by droplets?" is "Which
 * organisms are spread by aerosols?". Null when the follow-up asks something of its own (a
 * question word, an opening verb), or when the earlier question has no place for what it
 * names: no phrase opening with its preposition, no word of the same kind.
 */
export function restateFollowUp(question: string, earlier: string, isName: NameTest = () => false): string | null {
  const opening = CONTINUATION_OPENING.exec(question)![0];
  const rest = question.slice(opening.length);
  if (OWN_ASKING.test(rest)) return null;
  // What it names, without its question mark or quotation marks (the earlier word's stay).
  const named = rest.trim().replace(/[?.!]+$/u, '').trim().replace(/^["“‘']+|["”’']+$/gu, '');
  if (contentTerms(named).length === 0) return null;
  const words = splitWords(earlier);
  const earlierNames = namesOf(earlier, isName);
  const phrase = restatePhrase(named, words, earlierNames);
  if (phrase !== null) return phrase;
  const replaced = new Set<TermKind>([...kindsByTerm(rest, opening.trim() === '', namesOf(question, isName)).values()].filter((kind) => kind !== 'word'));
  if (replaced.size === 0) return null;
  const ofKind: boolean[] = [];
  words.forEach(({ before, bare }, i) => {
    const opensSentence = i === 0 || /[([{]/u.test(before) || /[.?!:]$/u.test(words[i - 1]!.word);
    // A letter or a Roman numeral right after a name is part of it ("Category B", "World War II").
    const endsName = i > 0 && ofKind[i - 1]! && words[i - 1]!.after === '' && before === '' && NAME_SUFFIX.test(bare);
    ofKind.push(bare !== '' && ((contentTerms(bare).length > 0 && replaced.has(kindOf(bare, opensSentence, earlierNames))) || endsName));
  });
  // Its place not found in the earlier question, the preposition it opens with goes: "and for
  // Category A?" stands for the earlier names, and "What for Category A number…" reads as nothing.
  const namedWords = named.split(/\s+/);
  const replacement = namedWords.slice(prepositionLead(namedWords)).join(' ');
  return ofKind.some(Boolean) && replacement !== '' ? restateEveryWord(replacement, words, ofKind) : null;
}

/** A capital letter or Roman numeral that ends a name. */
const NAME_SUFFIX = /^(?:\p{Lu}|[IVX]{2,})$/u;

/**
 * The topic a question names by opening with "what about X" or "how about X" (after an
 * "and", "but", "also"…): X, up to a comma or the end — "the heliophysics division" in
 * "what about the heliophysics division, who runs that?". Null when it opens otherwise.
 */
export function namedTopic(question: string): string | null {
  const opening = CONTINUATION_OPENING.exec(question)![0];
  if (!/about$/i.test(opening)) return null;
  const topic = /^[^,;?!]*/u.exec(question.slice(opening.length))![0].trim();
  return topic === '' ? null : topic;
}

/** What a continuation opens with, before the words it adds ("and", "what about"). */
const CONTINUATION_OPENING = /^\s*(?:(?:and|but|also|so|or|plus)\s+)?(?:(?:what|how)\s+about\b)?/i;
/** A question word, or an opening verb of a yes/no question: the question asks something of its own. */
const OWN_ASKING = /\b(?:what|which|who|whom|whose|when|where|why|how)\b|^\s*(?:is|was|were|are|does|did|do|has|have|had|can|could|will|would|should|may|must|shall)\b/i;


/** Whether a lower-case word is a name (WordNet's reading: `Lexicon.isName`). */
export type NameTest = (token: string) => boolean;

/**
 * How a text's names are told: by their capitals, or — in a text whose capitals say nothing
 * ("and russia?" after "how did freedom house rank kazakhstan?") — by `isName`.
 */
function namesOf(text: string, isName: NameTest): NameTest | null {
  return capitalsSayNothing(text) ? (bare) => isName(bare.toLowerCase()) : null;
}

/** Kinds of words one may stand in for another of: a name, a rank, a number, a code identifier; any other word. */
type TermKind = 'name' | 'rank' | 'number' | 'code' | 'word';
const RANK = /^(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|next|previous|final|\d+(?:st|nd|rd|th))$/i;

/**
 * A word's kind: code ("read.table"), a rank, a number, a name (capitalised, unless it
 * opens the sentence; in a text without capitals, what `names` takes for one), or a word.
 */
function kindOf(bare: string, opensSentence: boolean, names: NameTest | null = null): TermKind {
  if (/[._]\p{L}/u.test(bare)) return 'code';
  if (RANK.test(bare)) return 'rank';
  if (/^\d+(?:[.,]\d+)*$/.test(bare)) return 'number';
  if (names) return names(bare) ? 'name' : 'word';
  return !opensSentence && /^\p{Lu}/u.test(bare) ? 'name' : 'word';
}

const EDGE_PUNCTUATION = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u;
const ARTICLE = /^(?:a|an|the)$/i;

/** A word as written, with the punctuation before and after it apart. */
interface PunctuatedWord {
  word: string;
  before: string;
  bare: string;
  after: string;
}

function splitWords(text: string): PunctuatedWord[] {
  return text.trim().split(/\s+/).map((word) => {
    const [, before = '', bare = '', after = ''] = EDGE_PUNCTUATION.exec(word)!;
    return { word, before, bare, after };
  });
}

const PREPOSITION = /^(?:about|for|with|in|on|at|by|from|to|of|under|during|after|before|since|regarding|against|between|among|into|over|through|without|within|near|per|via)$/i;
const DETERMINER = /^(?:a|an|the|its|his|her|their|our|my|your|this|that|these|those)$/i;
const NAME_CONNECTOR = /^(?:of|and|the|for|de|du|la|von|van)$/i;

/**
 * A follow-up that opens with a preposition names what fills that preposition's place:
 * "and about Radio Free Asia?" after "What did Hun Sen say about The Cambodia Daily at the
 * World Economic Forum?" → "What did Hun Sen say about Radio Free Asia at the World Economic
 * Forum?" (the other names stay); "And for bitmap output?" after "What is the default
 * margin for printer output?" → "What is the default margin for bitmap output?". The place
 * is the last one in `earlier` where the same preposition opens a phrase: any article, then
 * the words up to the next small word ("at", "that") or punctuation — a name's "of" and
 * "and" ("Bank of England") belonging to it. Null when there is none.
 */
function restatePhrase(named: string, words: readonly PunctuatedWord[], names: NameTest | null): string | null {
  const namedWords = named.split(/\s+/);
  const leading = prepositionLead(namedWords);
  if (leading === 0 || namedWords.length <= leading) return null;
  const lead = namedWords.slice(0, leading).map((word) => word.toLowerCase());
  const isContent = (word: PunctuatedWord): boolean => contentTerms(word.bare).length > 0;
  const isNamed = (word: PunctuatedWord): boolean => isContent(word) && kindOf(word.bare, false, names) !== 'word';
  for (let j = words.length - leading - 1; j >= 0; j--) {
    if (!lead.every((word, k) => words[j + k]!.bare.toLowerCase() === word && words[j + k]!.after === '')) continue;
    let end = j + leading;
    let holdsContent = false;
    while (end < words.length) {
      const word = words[end]!;
      const connects = end > j + leading && isNamed(words[end - 1]!) && NAME_CONNECTOR.test(word.bare) && word.after === '' && words[end + 1] !== undefined && isNamed(words[end + 1]!);
      if (!(isContent(word) || (!holdsContent && DETERMINER.test(word.bare)) || connects)) break;
      holdsContent ||= isContent(word);
      end += 1;
      if (word.after !== '') break;
    }
    if (!holdsContent) continue;
    return [...words.slice(0, j).map((w) => w.word), `${named}${words[end - 1]!.after}`, ...words.slice(end).map((w) => w.word)].join(' ');
  }
  return null;
}

/** How many of the words a follow-up names open with a preposition: "according to" two, "for" one, none. */
function prepositionLead(namedWords: readonly string[]): number {
  if (/^according$/i.test(namedWords[0]!) && /^to$/i.test(namedWords[1] ?? '')) return 2;
  return PREPOSITION.test(namedWords[0]!) ? 1 : 0;
}

/**
 * Every earlier word of a kind the follow-up names gives way to it, in the place of the
 * first of them ("How old must a Representative be?" + "and a Senator?" → "How old must a
 * Senator be?"). Which of several earlier names a new one stands for cannot be told from
 * the words, so none is kept ("How did Reporters Without Borders rank Kazakhstan?" + "and
 * Freedom House?" → "How did Freedom House rank?").
 */
function restateEveryWord(named: string, words: readonly PunctuatedWord[], ofKind: readonly boolean[]): string {
  // A small word inside a name ("Reporters Without Borders", "Bank of England") goes with it.
  const inside = words.map(({ bare, before, after }, i) => i > 0 && ofKind[i - 1]! && ofKind[i + 1] === true && before + after === '' && words[i - 1]!.after === '' && (NAME_CONNECTOR.test(bare) || /^\p{Lu}/u.test(bare)));
  const out: string[] = [];
  let placed = false;
  words.forEach(({ word, before, after }, i) => {
    if (!ofKind[i] && !inside[i]) {
      out.push(word);
      return;
    }
    // The first word of the kind makes way for the new words; the others go, their punctuation stays.
    // …and so does an article left before one that goes ("about the Bank of China").
    if (placed && !ofKind[i - 1] && !inside[i - 1] && ARTICLE.test(out.at(-1) ?? '')) out.pop();
    if (!placed) out.push(`${before}${PLACEHOLDER}${after}`);
    else if (before + after !== '') out.push(`${before}${after}`);
    placed = true;
  });
  // "a Representative" + "the Senate" is "the Senate", not "a the Senate"; "in 2013" + "in 2018" is "in 2018".
  const at = out.findIndex((token) => token.includes(PLACEHOLDER));
  const head = named.split(/\s+/)[0]!.toLowerCase();
  const preceding = out[at - 1]?.toLowerCase() ?? '';
  if (named.includes(' ') && out[at]!.startsWith(PLACEHOLDER) && (head === preceding || (ARTICLE.test(head) && ARTICLE.test(preceding)))) out.splice(at - 1, 1);
  const filled = out.map((token) => token.replace(PLACEHOLDER, named));
  return filled.join(' ').replace(/\s+([?.!,;:)\]”])/gu, '$1').replace(/([([“])\s+/gu, '$1');
}

/** Where a follow-up's words go while the earlier question is rewritten around them. */
const PLACEHOLDER = '\u0000';

/**
 * Each content term of `text` with its kind: written capitalised (not as the first word
 * when `opensSentence`), a rank, a number ("2012", "3.5"), code ("read.table", "x_1").
 */
function kindsByTerm(text: string, opensSentence = true, names: NameTest | null = null): Map<string, TermKind> {
  const kinds = new Map<string, TermKind>();
  splitWords(text).forEach(({ bare }, i) => {
    if (bare === '') return;
    const kind = kindOf(bare, i === 0 && opensSentence, names);
    for (const term of contentTerms(bare)) if (!kinds.has(term) || kind !== 'word') kinds.set(term, kind);
  });
  return kinds;
}
