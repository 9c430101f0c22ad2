import { describe, expect, it } from 'vitest';
import { findKindHead, offersKind } from '../../src/answering/answer-kind.js';
import { Lexicon } from '../../src/lexicon/lexicon.js';
import { WordNet } from '../../src/lexicon/wordnet.js';
import { stemTerm, tokenize } from '../../src/text/terms.js';

const lexicon = new Lexicon(new WordNet(), { maxSenses: 3 });

function stemsOf(question: string): Set<string> {
  return new Set(tokenize(question).map(stemTerm));
}

describe('the kind of thing a "which X" question asks for', () => {
  it.each([
    ['Which country hosted the talks?', 'country'],
    ['In what city is the council based?', 'city'],
    ['Which two countries signed the treaty?', 'countries'],
    ['What kind of disinfectant should be used?', 'disinfectant'],
    // The word after the head is a noun too: the head is the pair's last word…
    ['Which joint exercise did Cambodia suspend?', 'exercise'],
    // …unless it is a verb's form ("tells", "won") or has no kinds.
    ['Which book tells the story of his conversion?', 'book'],
    ['Which party won the election?', 'party'],
  ])('reads "%s" as asking for a kind of %s', (question, head) => {
    expect(findKindHead(question, lexicon)?.word).toBe(head);
  });

  it.each([
    'What is the capital?',
    'What year was it founded?',
    'What share of the vote did it get?',
    'Who chaired the commission?',
    'What kind of thing is it?',
    'What will happen to the seat?',
  ])('reads no kind in "%s" (no "which X", or one other features read)', (question) => {
    expect(findKindHead(question, lexicon)).toBeNull();
  });

  it('reads none without a lexicon', () => {
    expect(findKindHead('Which country hosted the talks?', null)).toBeNull();
  });
});

describe('whether a sentence names a kind of it', () => {
  const question = 'Which country hosted the talks?';
  const head = findKindHead(question, lexicon)!;

  it('finds a word WordNet files under the head, as an instance or a kind', () => {
    expect(offersKind(head, 'The talks were held in Geneva, Switzerland.', stemsOf(question), lexicon)).toBe(true);
    const language = 'What language do they speak?';
    expect(offersKind(findKindHead(language, lexicon)!, 'Most of them speak French at home.', stemsOf(language), lexicon)).toBe(true);
  });

  it('finds none where the sentence names no such thing, or only what the question says', () => {
    expect(offersKind(head, 'The talks were hosted by the United Nations.', stemsOf(question), lexicon)).toBe(false);
    const named = 'Which country did Kazakhstan defeat?';
    expect(offersKind(findKindHead(named, lexicon)!, 'Kazakhstan won the vote.', stemsOf(named), lexicon)).toBe(false);
  });
});
