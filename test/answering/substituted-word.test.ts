import { describe, expect, it } from 'vitest';
import { findSubstitution, findWordSlots } from '../../src/answering/substituted-word.js';
import { getLexicon } from '../../src/lexicon/lexicon.js';
import { tokenize } from '../../src/text/terms.js';

const lexicon = getLexicon({ maxSenses: 3 });
const contrasting = (a: string, b: string): boolean => lexicon.contrasting(a, b) || (lexicon.lemmas(a).length === 0 && lexicon.lemmas(b).length === 0);
const substitutes = (question: string, sentence: string): boolean => findSubstitution(findWordSlots(tokenize(question)), tokenize(sentence), contrasting) !== null;

describe('a question that changes one detail of a sentence', () => {
  it('is seen where the sentence holds the words either side of a question word around another word', () => {
    expect(substitutes('When was ground broken for the west wing?', 'Ground was broken for the east wing in 1871.')).toBe(true);
    expect(findSubstitution(findWordSlots(tokenize('When was ground broken for the west wing?')), tokenize('Ground was broken for the east wing.'), contrasting)).toEqual({ asked: 'west', says: 'east' });
    expect(substitutes('How many miles does the route between the 15 smallest cities cover?', 'The route between the 15 largest cities is long.')).toBe(true);
    expect(substitutes('Are Class III biological safety cabinets required?', 'Class II biological safety cabinets are required.')).toBe(true);
    expect(substitutes('How many packages are there for the arm64 architecture?', 'There are 900 packages for the amd64 architecture.')).toBe(true);
    expect(substitutes('How many rooms on the second floor went to the Navy?', 'Ten rooms on the first floor went to the Navy.')).toBe(true);
    expect(substitutes('When did the 68th session of the General Assembly meet?', 'On November 12, the 67th session of the General Assembly met.')).toBe(true);
  });

  it('is not seen where the other word is a paraphrase, not a contrast', () => {
    expect(substitutes('What rating did Freedom House give Kazakhstan?', 'Freedom House ranked Kazakhstan Not Free.')).toBe(false);
    expect(substitutes('What proportion of Cambodians are keen Facebook users?', 'Most Cambodians are avid Facebook users.')).toBe(false);
  });

  it('is not seen where the sentence says the word itself, or the same word misspelt', () => {
    expect(substitutes('When was ground broken for the east wing?', 'Ground was broken for the east wing in 1871.')).toBe(false);
    expect(substitutes('Who wrote later papers on problems solvable by Turning machines?', 'Problems solvable by Turing machines were studied.')).toBe(false);
    expect(substitutes('Who built the ocean colour instrument?', 'Goddard built the ocean color instrument.')).toBe(false);
  });

  it('needs a content word on one side at least: "of the X" around another word is no change of detail', () => {
    expect(findWordSlots(tokenize('What is the name of the lawyer?')).map((slot) => slot.word)).toEqual([]);
    expect(substitutes('What is the name of the lawyer?', 'He is the head of the party.')).toBe(false);
    expect(findWordSlots(tokenize('How many rooms on the second floor went to the Navy?')).map((slot) => slot.word)).toEqual(['second', 'floor', 'went']);
  });
});
