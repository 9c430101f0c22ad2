import { describe, expect, it } from 'vitest';
import { namedTopic, restateFollowUp } from '../../src/conversation/restate-follow-up.js';
import { Lexicon } from '../../src/lexicon/lexicon.js';
import { WordNet } from '../../src/lexicon/wordnet.js';

const restate = (question: string, before: string): string | null => restateFollowUp(question, before);

describe('restateFollowUp', () => {
  it('reads names from WordNet in a text typed without capitals, and from capitals otherwise', () => {
    const lexicon = new Lexicon(new WordNet(), { maxSenses: 3 });
    const isName = (token: string): boolean => lexicon.isName(token);
    expect(restateFollowUp('and russia?', 'how did reporters without borders rank kazakhstan?', isName)).toBe('how did reporters without borders rank russia?');
    expect(restateFollowUp('and russia?', 'How did Freedom House rank Kazakhstan?', isName)).toBe('How did russia rank?');
    expect(restateFollowUp('and russia?', 'HOW DID REPORTERS WITHOUT BORDERS RANK KAZAKHSTAN?', isName)).toBe('HOW DID REPORTERS WITHOUT BORDERS RANK russia?');
    expect(restateFollowUp('And Freedom House?', 'How did Reporters Without Borders rank Kazakhstan?', isName)).toBe('How did Freedom House rank?');
    expect(restateFollowUp('and in 2018?', 'what was the turnout in 2013?', isName)).toBe('what was the turnout in 2018?');
    // Without a name to stand in for, nothing is restated, as before.
    expect(restateFollowUp('and russia?', 'how did reporters without borders rank kazakhstan?')).toBeNull();
    expect(restateFollowUp('and the senate?', 'how old must a representative be?', isName)).toBeNull();
  });

  it('asks the earlier question again of what a follow-up that only names something new names', () => {
    // A name for a name, a rank for a rank, a number for a number.
    expect(restate('and a Senator?', 'How old must a Representative be?')).toBe('How old must a Senator be?');
    expect(restate('what about Breaks?', 'What does the Recommends field declare?')).toBe('What does the Breaks field declare?');
    expect(restate('and the second?', 'What is the first stage of the boot process?')).toBe('What is the second stage of the boot process?');
    expect(restate('and in 2018?', 'What was the turnout in 2013?')).toBe('What was the turnout in 2018?');
    expect(restate('And Radio Free Asia?', 'When did the Voice of America close its office?')).toBe('When did the Radio Free Asia close its office?');
    // A follow-up opening with a preposition fills that preposition's place; the other names stay.
    expect(restate('and about Radio Free Asia?', 'What did Hun Sen say about The Cambodia Daily at the World Economic Forum?')).toBe(
      'What did Hun Sen say about Radio Free Asia at the World Economic Forum?',
    );
    expect(restate('and for the Blair-Lee House?', 'How much rent did the Department pay each year for 522 Seventeenth Street?')).toBe(
      'How much rent did the Department pay each year for the Blair-Lee House?',
    );
    expect(restate("and according to the NEC's figures?", 'What share of ballots were invalid according to the CPP?')).toBe("What share of ballots were invalid according to the NEC's figures?");
    expect(restate('And "Breaks"?', 'What does the "Recommends" field declare?')).toBe('What does the "Breaks" field declare?');
    // …whatever words fill it, up to the next small word or punctuation.
    expect(restate('and by aerosols?', 'Which organisms are spread by droplets?')).toBe('Which organisms are spread by aerosols?');
    expect(restate('And for bitmap output?', 'What is the default margin for printer output?')).toBe('What is the default margin for bitmap output?');
    expect(restate('and for consumers?', 'What did the reforms do for refugees that fled?')).toBe('What did the reforms do for consumers that fled?');
    expect(restate('and about the Bank of Japan?', 'What did he say about the Bank of England at the summit?')).toBe('What did he say about the Bank of Japan at the summit?');
    // Otherwise which of several earlier names the new one stands for the words cannot tell: none stays.
    expect(restate('and Freedom House?', 'How did Reporters Without Borders rank Kazakhstan?')).toBe('How did Freedom House rank?');
    expect(restate('and Thailand?', 'What did Hun Sen say about the Bank of China?')).toBe('What did Thailand say about?');
    // A preposition with no place of its own in the earlier question goes with the words it stood for.
    expect(restate('and for Category A?', 'What UN number goes on packages of Category B biological substances?')).toBe(
      'What Category A number goes on packages of biological substances?',
    );
    expect(restate('and for a Senator?', 'How old must a Representative be?')).toBe('How old must a Senator be?');
    expect(restate('and in 2017?', 'How much did Cambodia get between 1994 and 2014?')).toBe('How much did Cambodia get between 2017?');
    // A letter or Roman numeral ends the name before it.
    expect(restate('and World War I?', 'When did World War II end?')).toBe('When did World War I end?');
    // A question word opening the earlier question, or its context in brackets, is no name.
    expect(restate('and Bunyan?', 'what did he say? (Who was Milton?)')).toBe('what did he say? (Who was Bunyan?)');
  });

  it('restates nothing when the follow-up asks something of its own, or the earlier question has nothing of the kind', () => {
    expect(restate('And when did Senator Smith arrive?', 'How old must a Representative be?')).toBeNull();
    expect(restate('what about the house?', 'How old must a senator be?')).toBeNull();
    expect(restate('and for consumers?', 'How old must a senator be?')).toBeNull();
    expect(restate('and for?', 'What did the reforms do for refugees?')).toBeNull();
    expect(restate('And with read.table?', 'How long did scan take under Linux?')).toBeNull();
    expect(restate('and @everyone?', 'What did Kazakhstan say?')).toBeNull();
  });
});

describe('namedTopic', () => {
  it('is what a question opening with "what about" or "how about" names, up to a comma', () => {
    expect(namedTopic('what about the heliophysics division, who runs that?')).toBe('the heliophysics division');
    expect(namedTopic('And what about civil liberties?')).toBe('civil liberties');
    expect(namedTopic('but how about Perl')).toBe('Perl');
    // Any opening a continuation has: "also", "or", "plus" as well as "and", "but", "so".
    expect(namedTopic('also what about the appendix?')).toBe('the appendix');
  });

  it('is null for any other question', () => {
    expect(namedTopic('What did the spokesman say about it?')).toBeNull();
    expect(namedTopic('and for raw vectors?')).toBeNull();
    expect(namedTopic('Who wrote about the Council?')).toBeNull();
    expect(namedTopic('what about?')).toBeNull();
  });
});
