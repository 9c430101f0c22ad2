/**
 * Whether a PDF's text layer is worth indexing. A scanned PDF has (almost) no text; a PDF
 * whose fonts have no Unicode map yields characters that are not the words on the page —
 * replacement and private-use characters, control codes, punctuation soup, or letters in
 * an order no language uses. Either is skipped with a reason rather than indexed as noise.
 */

export type TextLayerVerdict = { usable: true } | { usable: false; problem: 'sparse' | 'garbage'; detail: string };

/**
 * Fewer visible characters than this per page, on average, is no text layer: a scanned
 * page may carry a page number or a stamp, a page of text carries a thousand characters
 * or more, a slide a few dozen.
 */
const MIN_CHARS_PER_PAGE = 20;
/** Share of replacement, private-use, control or unassigned characters past which the text is garbage. */
const MAX_BAD_SHARE = 0.1;
/** Letters and digits make at least this share of real text's visible characters (English prose: ~95%). */
const MIN_ALPHANUMERIC_SHARE = 0.5;
/** Words looked at before judging them, and the share of letters that must sit in word-like words. */
const MIN_WORDS_JUDGED = 100;
const MIN_WORDLIKE_SHARE = 0.5;
/**
 * With this many Latin-script words, real text in a European language has common function
 * words among them (English prose: ~40%, a reference manual: ~20%); text decoded through
 * a wrong font map has next to none.
 */
const MIN_WORDS_FOR_FUNCTION_WORDS = 200;
const MIN_FUNCTION_WORD_SHARE = 0.01;
/**
 * The commonest short words of the languages written in Latin letters that Verbatim is
 * likely to meet (English, French, German, Spanish, Italian, Portuguese, Dutch, the
 * Scandinavian languages, Finnish, Polish, Czech, Romanian, Hungarian, Turkish,
 * Indonesian/Malay, Tagalog, Vietnamese). Each makes up several percent of running text.
 */
const FUNCTION_WORDS = new Set(
  (
    'the of and to in is a that for it as with was on be by are this or an at from not which have ' +
    'le la les de des du et un une est en que qui dans pour pas sur au par ' +
    'der die das und ist nicht ein eine zu den mit von sich auf für im dem ' +
    'el los las y es por con una para del se lo como ' +
    'il di che è per non gli della ' +
    'o os da do em um uma com não ' +
    'het een van dat op te met voor niet zijn ' +
    'och att det som är og er til ja ei ' +
    'i w z na się nie że jest v je ' +
    'și în cu pe nu az és hogy egy ve bir bu için ' +
    'dan yang ini itu untuk ang ng sa mga và của là có không một người những được trong'
  ).split(' '),
);

const VOWELS = /[aeiouyàáâãäåæèéêëìíîïòóôõöøœùúûüýÿ]/iu;
const CONSONANT_RUN = /[b-df-hj-np-tv-xz]{5,}/i;

/** Judges `text` (the whole document's, or a sample) read from `pageCount` pages. */
export function judgeTextLayer(text: string, pageCount: number): TextLayerVerdict {
  let visible = 0;
  let bad = 0;
  let alphanumeric = 0;
  for (const ch of text) {
    if (/\s/u.test(ch)) continue;
    visible++;
    if (/[\p{L}\p{N}]/u.test(ch)) alphanumeric++;
    else if (ch === '\uFFFD' || /[\p{Co}\p{Cc}\p{Cn}]/u.test(ch)) bad++;
  }
  if (visible < MIN_CHARS_PER_PAGE * Math.max(1, pageCount)) {
    return { usable: false, problem: 'sparse', detail: `${visible} characters on ${pageCount} page${pageCount === 1 ? '' : 's'}` };
  }
  if (bad / visible > MAX_BAD_SHARE) return { usable: false, problem: 'garbage', detail: `${Math.round((100 * bad) / visible)}% of its characters are unreadable codes` };
  if (alphanumeric / visible < MIN_ALPHANUMERIC_SHARE) return { usable: false, problem: 'garbage', detail: `only ${Math.round((100 * alphanumeric) / visible)}% of its characters are letters or digits` };

  const latinWords = (text.match(/\p{L}+/gu) ?? []).filter((word) => /^\p{Script=Latin}+$/u.test(word));
  if (latinWords.length >= MIN_WORDS_JUDGED) {
    let letters = 0;
    let wordLike = 0;
    let functionWords = 0;
    for (const word of latinWords) {
      letters += word.length;
      if (isWordLike(word)) wordLike += word.length;
      if (FUNCTION_WORDS.has(word.toLowerCase())) functionWords++;
    }
    if (wordLike / letters < MIN_WORDLIKE_SHARE) return { usable: false, problem: 'garbage', detail: `only ${Math.round((100 * wordLike) / letters)}% of its letters form word-like words` };
    if (latinWords.length >= MIN_WORDS_FOR_FUNCTION_WORDS && functionWords / latinWords.length < MIN_FUNCTION_WORD_SHARE) {
      return { usable: false, problem: 'garbage', detail: `its ${latinWords.length} words include almost no common words (${functionWords})` };
    }
  }
  return { usable: true };
}

/** A word that could be one: a vowel somewhere, no long consonant pile-up, no mid-word capitals soup. */
function isWordLike(word: string): boolean {
  if (word.length === 1) return true;
  if (!VOWELS.test(word) || CONSONANT_RUN.test(word)) return false;
  // "wHe", "aBcD": case changing back and forth inside a word is not how words are written.
  return (word.match(/\p{Ll}\p{Lu}/gu) ?? []).length <= 1;
}
