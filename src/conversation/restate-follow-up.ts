import { contentTerms } from '../text/terms.js';

/**
 * A follow-up that only names something new, read as the earlier question asked of it:
 * "and a Senator?" after "How old must a Representative be?" is "How old must a Senator
 * be?"; "and in 2018?" after "What was the turnout in 2013?" is "What was the turnout in
 * 2018?". Null when the follow-up asks something of its own (a question word, an opening
 * verb) or names nothing the earlier question has a word of the same kind for.
 */
export function restateFollowUp(question: string, earlier: string): string | null {
  const replaced = kindsReplaced(question);
  return replaced.size > 0 ? standIn(question, earlier, replaced) : null;
}

/** What a continuation opens with, before the words it adds ("and", "what about"). */
const CONTINUATION_OPENING = /^\s*(?:(?:and|but|also|so|or|plus)\s+)?(?:(?:what|how)\s+about\b)?/i;
/** A question word, or an opening verb of a yes/no question: the question asks something of its own. */
const OWN_ASKING = /\b(?:what|which|who|whom|whose|when|where|why|how)\b|^\s*(?:is|was|were|are|does|did|do|has|have|had|can|could|will|would|should|may|must|shall)\b/i;


/** Kinds of words one may stand in for another of: a name, a rank, a number, a code identifier; any other word. */
type TermKind = 'name' | 'rank' | 'number' | 'code' | 'word';
const RANK = /^(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|next|previous|final|\d+(?:st|nd|rd|th))$/i;

/** A word's kind: code ("read.table"), a rank, a number, a name (capitalised, unless it opens the sentence), or a word. */
function kindOf(bare: string, opensSentence: boolean): TermKind {
  if (/[._]\p{L}/u.test(bare)) return 'code';
  if (RANK.test(bare)) return 'rank';
  if (/^\d+(?:[.,]\d+)*$/.test(bare)) return 'number';
  return !opensSentence && /^\p{Lu}/u.test(bare) ? 'name' : 'word';
}

const EDGE_PUNCTUATION = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u;
const ARTICLE = /^(?:a|an|the)$/i;

/**
 * `earlier` asked again of what `question` names, or null when `earlier` has no word of
 * the kinds it names. A follow-up opening with a preposition fills that preposition's
 * place (`restatePhrase`: "and about Radio Free Asia?"). Otherwise every earlier word of
 * a kind the follow-up names gives way to it, in the place of the first ("How old must a
 * Representative be?" + "and a Senator?" → "How old must a Senator be?"; "What was the
 * turnout in 2013?" + "and in 2018?" → "What was the turnout in 2018?"): which of several
 * earlier names a new one stands for cannot be told from the words, so none is kept ("How
 * did Reporters Without Borders rank Kazakhstan?" + "and Freedom House?" → "How did
 * Freedom House rank?").
 */
function standIn(question: string, earlier: string, replaced: ReadonlySet<TermKind>): string | null {
  const opening = CONTINUATION_OPENING.exec(question)![0];
  // What it names, without its question mark or quotation marks (the earlier word's stay).
  const named = question.slice(opening.length).trim().replace(/[?.!]+$/u, '').trim().replace(/^["“‘']+|["”’']+$/gu, '');
  const words = earlier.trim().split(/\s+/).map((word): EarlierWord => {
    const [, before = '', bare = '', after = ''] = EDGE_PUNCTUATION.exec(word)!;
    return { word, before, bare, after };
  });
  const ofKind = words.map(({ before, bare }, i) => {
    const opensSentence = i === 0 || /[([{]/u.test(before) || /[.?!:]$/u.test(words[i - 1]!.word);
    return bare !== '' && contentTerms(bare).length > 0 && replaced.has(kindOf(bare, opensSentence));
  });
  if (!ofKind.some(Boolean)) return null;
  return restatePhrase(named, words) ?? restateEveryWord(named, words, ofKind);
}

/** A word of an earlier question, with the punctuation around it. */
interface EarlierWord {
  word: string;
  before: string;
  bare: string;
  after: string;
}

const PREPOSITION = /^(?:about|for|with|in|on|at|by|from|to|of|under|during|after|before|since|regarding|against|between|among|into|over|through|without|within|near|per|via)$/i;
const DETERMINER = /^(?:a|an|the|its|his|her|their|our|my|your|this|that|these|those)$/i;
const NAME_CONNECTOR = /^(?:of|and|the|for|de|du|la|von|van)$/i;

/**
 * A follow-up that opens with a preposition names what fills that preposition's place:
 * "and about Radio Free Asia?" after "What did Hun Sen say about The Cambodia Daily at the
 * World Economic Forum?" → "What did Hun Sen say about Radio Free Asia at the World Economic
 * Forum?" (the other names stay); "and for the Blair-Lee House?" after "How much rent did the
 * Department pay each year for 522 Seventeenth Street?" → "…each year for the Blair-Lee
 * House?". The place is the last one in `earlier` where the same preposition is followed by
 * a name, number, rank or code (after any article); null when there is none.
 */
function restatePhrase(named: string, words: readonly EarlierWord[]): string | null {
  const namedWords = named.split(/\s+/);
  const leading = /^according$/i.test(namedWords[0]!) && /^to$/i.test(namedWords[1] ?? '') ? 2 : PREPOSITION.test(namedWords[0]!) ? 1 : 0;
  if (leading === 0 || namedWords.length <= leading) return null;
  const lead = namedWords.slice(0, leading).map((word) => word.toLowerCase());
  const isNamed = (word: EarlierWord): boolean => contentTerms(word.bare).length > 0 && kindOf(word.bare, false) !== 'word';
  for (let j = words.length - leading - 1; j >= 0; j--) {
    if (!lead.every((word, k) => words[j + k]!.bare.toLowerCase() === word && words[j + k]!.after === '')) continue;
    let end = j + leading;
    let holdsName = false;
    while (end < words.length) {
      const word = words[end]!;
      const connects = holdsName && NAME_CONNECTOR.test(word.bare) && word.after === '' && words[end + 1] !== undefined && isNamed(words[end + 1]!);
      if (!(isNamed(word) || DETERMINER.test(word.bare) || connects)) break;
      holdsName ||= isNamed(word);
      end += 1;
      if (word.after !== '') break;
    }
    if (!holdsName) continue;
    return [...words.slice(0, j).map((w) => w.word), `${named}${words[end - 1]!.after}`, ...words.slice(end).map((w) => w.word)].join(' ');
  }
  return null;
}

/**
 * Every earlier word of a kind the follow-up names gives way to it, in the place of the
 * first of them (see `standIn`).
 */
function restateEveryWord(named: string, words: readonly EarlierWord[], ofKind: readonly boolean[]): string {
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
function kindsByTerm(text: string, opensSentence = true): Map<string, TermKind> {
  const kinds = new Map<string, TermKind>();
  const words = text.split(/\s+/).filter(Boolean);
  words.forEach((word, i) => {
    const bare = word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (bare === '') return;
    const kind = kindOf(bare, i === 0 && opensSentence);
    for (const term of contentTerms(bare)) if (!kinds.has(term) || kind !== 'word') kinds.set(term, kind);
  });
  return kinds;
}

/**
 * The kinds (other than a plain word) a follow-up that only names something ("and a
 * Senator?", "what about Breaks?", "and the second?") names, and so replaces; none for a
 * question that asks something of its own.
 */
function kindsReplaced(question: string): Set<TermKind> {
  const opening = CONTINUATION_OPENING.exec(question)![0];
  const named = question.slice(opening.length);
  if (OWN_ASKING.test(named)) return new Set();
  return new Set([...kindsByTerm(named, opening.trim() === '').values()].filter((kind) => kind !== 'word'));
}
