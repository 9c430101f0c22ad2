/**
 * British and American spellings of one word ("criticise" / "criticize", "colour" /
 * "color", "centre" / "center"). WordNet lists both as lemmas of the same synsets, so it
 * calls them synonyms; but they are the same word, and a question spelt one way must find
 * a document spelt the other way as surely as an inflection would. Porter stems do not
 * merge them ("criticis" / "critic"), so without this a question's own word went unmatched.
 *
 * Only words WordNet already puts in one synset are compared, so the rules below never
 * make two different words one ("four" and "for" share no synset).
 */

/** Each rule rewrites the British pattern to the American one; a pair is a variant when both spellings end up the same. */
const BRITISH_TO_AMERICAN: readonly [RegExp, string][] = [
  [/is(e|ed|es|ing|er|ers|ation|ations|able)$/, 'iz$1'], // organise, organisation
  [/ys(e|ed|es|ing)$/, 'yz$1'], // analyse
  [/(?<=[a-z]{3})our(s|ed|ing|ful|less|ite|ites|able)?$/, 'or$1'], // colour, labour, favourite (not four, hour, flour)
  [/(?<=[a-z]{3})our(?=[a-z]*$)/, 'or'], // colourful, behaviours
  [/tre(s|d)?$/, 'ter$1'], // centre, theatre, centred
  [/ogue(s)?$/, 'og$1'], // catalogue
  [/ence(s)?$/, 'ense$1'], // defence, licence
  [/mme(s)?$/, 'm$1'], // programme
  [/ll(ed|ing|er|ers)$/, 'l$1'], // travelled, labelled
  [/ae/, 'e'], // anaemia, archaeology
  [/oe(?=[a-z])/, 'e'], // oestrogen, manoeuvre
];

/** A word with every British pattern spelt the American way. */
function americanize(word: string): string {
  let spelled = word;
  for (const [pattern, replacement] of BRITISH_TO_AMERICAN) spelled = spelled.replace(pattern, replacement);
  return spelled;
}

/** Whether two different lower-case words are one word spelt the British and the American way. */
export function isSpellingVariant(a: string, b: string): boolean {
  if (a === b) return false;
  const spelledA = americanize(a);
  const spelledB = americanize(b);
  return spelledA === spelledB || spelledA === b || a === spelledB;
}
