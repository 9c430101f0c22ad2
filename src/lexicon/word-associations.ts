/**
 * Word associations beyond WordNet's relations: other sources of words a document may
 * use where a question says one word. They are looser than WordNet's synonyms, so they
 * are kept apart from them (a question term's `associations`, not its `alternatives`)
 * and reach answering only as optional signals the fitted model may weigh.
 */

/** The sources that can be tried, each an optional signal of the same name. */
export const ASSOCIATION_SOURCES = ['gloss', 'thesaurus'] as const;
export type AssociationSource = (typeof ASSOCIATION_SOURCES)[number];

/** One source of associated words. */
export interface WordAssociations {
  readonly source: AssociationSource;
  /**
   * Words and phrases (lower case, spaces between a phrase's words) associated with a
   * lower-case token, in no particular order; the token itself and its inflections left out.
   */
  associatedWords(token: string): readonly string[];
}
