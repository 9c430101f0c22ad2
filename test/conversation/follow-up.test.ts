import { describe, expect, it } from 'vitest';
import { loadAnswerModel } from '../../src/answering/answer-model.js';
import { estimateFollowUp, isFollowUpQuestion } from '../../src/answering/follow-up-decision.js';
import { computeFollowUpFeatures, FOLLOW_UP_FEATURES, type FollowUpFeature } from '../../src/conversation/follow-up-features.js';

const feature = (question: string, name: FollowUpFeature): number => computeFollowUpFeatures(question)[FOLLOW_UP_FEATURES.indexOf(name)]!;

describe('the follow-up features', () => {
  it('tells a pronoun with nothing to stand for from one after a name the question gives', () => {
    expect(feature('What did he say?', 'unresolvedPronoun')).toBe(1);
    expect(feature('How did Kazakhstan describe its election?', 'unresolvedPronoun')).toBe(0);
    expect(feature('How did Kazakhstan describe its election?', 'resolvedPronoun')).toBe(1);
  });

  it('tells a pointing "that" from one that joins a clause', () => {
    expect(feature('In which index was that?', 'demonstrative')).toBe(1);
    expect(feature('Who actually built that place?', 'demonstrative')).toBe(1);
    expect(feature('What do critics say that the parties can do?', 'demonstrative')).toBe(0);
    expect(feature('What is the council that elected Kazakhstan?', 'demonstrative')).toBe(0);
  });

  it('tells "there" pointing at a place from "is there"', () => {
    expect(feature('How long was he kept there?', 'contextWord')).toBe(1);
    expect(feature('Is there a limit on terms?', 'contextWord')).toBe(0);
  });

  it('reads continuations, and how much subject a question has of its own', () => {
    expect(feature('And what about civil liberties?', 'continuation')).toBe(1);
    expect(feature('What about Freedom House?', 'continuation')).toBe(1);
    expect(feature('What did the spokesman say?', 'continuation')).toBe(0);
    expect(feature('Why?', 'noSubject')).toBe(1);
    expect(feature('What happened then?', 'noSubject')).toBe(1);
    expect(feature('What did the spokesman say?', 'noSubject')).toBe(0);
    // How much subject counts only for a question that points back.
    expect(feature('What did the spokesman say?', 'pointingContent')).toBe(0);
    expect(feature('What did he say about the vote?', 'pointingContent')).toBeCloseTo(Math.log(2));
    expect(feature('Which UN resolution sets out what members should consider?', 'ownName')).toBe(1);
  });
});

describe('the fitted follow-up model (answer-model.json)', () => {
  const model = loadAnswerModel().followUp;

  it.each(['What did he say?', 'In which index was that?', 'And what about civil liberties?', 'and georgia?', 'When did it come out?', 'Who actually built that place?', 'What about Freedom House?'])(
    'reads "%s" as a follow-up',
    (question) => {
      expect(isFollowUpQuestion(model, question), String(estimateFollowUp(model, question))).toBe(true);
    },
  );

  it.each([
    'What did the spokesman say?',
    'How many seats were available in the election?',
    "Who is the spokesperson for Kazakhstan's Ministry of Foreign Affairs?",
    'Which organizations has Kazakhstan recently chaired?',
    'How did Kazakhstan describe its election?',
  ])('reads "%s" as standing alone', (question) => {
    expect(isFollowUpQuestion(model, question), String(estimateFollowUp(model, question))).toBe(false);
  });
});
