import { describe, expect, it } from 'vitest';
import { ANSWER_FORMS, definesSubject, detectAnswerForms, findCountedStem, findDefinitionSubject, givesCause, offersSpecificForm } from '../../src/answering/answer-forms.js';

const ALL = new Set<string>(ANSWER_FORMS);
const asks = (question: string) => detectAnswerForms(question, ALL);

describe('finer answer forms', () => {
  it('reads an age question, and finds an age said as "N-year-old", "aged N" or "the age of N"', () => {
    expect(asks('How old was the commissioner when he was appointed?')).toContain('age');
    expect(asks('What is the minimum age for a senator?')).toContain('age');
    expect(offersSpecificForm('age', 'Shakirov, a 61-year-old lawyer, took office.', null)).toBe(true);
    expect(offersSpecificForm('age', 'He died, aged 59, in London.', null)).toBe(true);
    expect(offersSpecificForm('age', 'No Person shall be a Senator who shall not have attained to the Age of thirty Years.', null)).toBe(true);
    expect(offersSpecificForm('age', 'He took office in 2010.', null)).toBe(false);
  });

  it('reads a place question, and finds where something is ("based in", "in CITY"), not a month', () => {
    expect(asks('Where is the agency headquartered?')).toContain('place');
    expect(asks('In which city did the vote take place?')).toContain('place');
    expect(asks('Where did Kazakhstan rank among the candidates?')).not.toContain('place');
    expect(offersSpecificForm('place', 'The agency is based in Vienna.', null)).toBe(true);
    expect(offersSpecificForm('place', 'The vote was held at the General Assembly in New York.', null)).toBe(true);
    expect(offersSpecificForm('place', 'The vote was held in November.', null)).toBe(false);
  });

  it('reads a founding question, and finds "created/established/founded … in YEAR"', () => {
    expect(asks('What year was the commission set up?')).toContain('founding');
    expect(asks('When was the Duchy of Normandy founded?')).toContain('founding');
    expect(offersSpecificForm('founding', 'The commission was created in 2002 by decree.', null)).toBe(true);
    expect(offersSpecificForm('founding', 'In 1998 the party was established.', null)).toBe(true);
    expect(offersSpecificForm('founding', 'The commission met in 2002.', null)).toBe(false);
  });

  it('reads a duration question, and finds "since YEAR", "for N years", "N-year term"', () => {
    expect(asks('How long has he ruled Cambodia?')).toContain('duration');
    expect(offersSpecificForm('duration', 'Hun Sen has ruled Cambodia for more than three decades.', null)).toBe(true);
    expect(offersSpecificForm('duration', 'He has led the party since 1998.', null)).toBe(true);
    expect(offersSpecificForm('duration', 'Members serve a 3-year term.', null)).toBe(true);
    expect(offersSpecificForm('duration', 'He leads the party.', null)).toBe(false);
  });

  it('reads a percentage question, and finds a percentage or a fraction', () => {
    expect(asks('What share of the recommendations were implemented?')).toContain('percentage');
    expect(offersSpecificForm('percentage', 'It has implemented 90 percent of these recommendations.', null)).toBe(true);
    expect(offersSpecificForm('percentage', 'Turnout was 83%.', null)).toBe(true);
    expect(offersSpecificForm('percentage', 'It has implemented many recommendations.', null)).toBe(false);
  });

  it('reads a quantity question, and finds a number with a unit or with the word counted', () => {
    expect(asks('How far is the village from Bedford?')).toContain('unit');
    expect(findCountedStem('How many seats were available?')).toBe('seat');
    expect(offersSpecificForm('unit', 'Elstow lies about 1 mile from Bedford.', null)).toBe(true);
    expect(offersSpecificForm('unit', 'Twenty candidates competed for the 18 available seats.', 'seat')).toBe(true);
    expect(offersSpecificForm('unit', 'Candidates competed for the seats in 2012.', 'seat')).toBe(false);
  });

  it('reads a yes/no question', () => {
    expect(asks('Did the lobbying against Kazakhstan succeed?')).toContain('yes-no');
    expect(asks('Who lobbied against Kazakhstan?')).not.toContain('yes-no');
  });

  it('reads a why question, and finds a cause or purpose', () => {
    expect(asks('Why did Human Rights Watch criticise Kazakhstan?')).toContain('cause');
    expect(asks('What was the reason for the boycott?')).toContain('cause');
    expect(givesCause('Human Rights Watch attacked Kazakhstan for opposing UN resolutions.')).toBe(true);
    expect(givesCause('The building went up in stages to avoid interfering with the departments.')).toBe(true);
    expect(givesCause('The building went up in 1875.')).toBe(false);
    expect(givesCause('It has grown since 1990.')).toBe(false);
  });

  it('reads a definition question, and finds "X is…", "X means…", "known as X"', () => {
    expect(asks('What is the Human Rights Council?')).toContain('definition');
    expect(asks('What is the name of the Norman castle?')).not.toContain('definition');
    expect(findDefinitionSubject('What does OSCE stand for?')).toBe('osce');
    expect(definesSubject('human rights council', 'The Human Rights Council is the UN’s main inter-governmental body.')).toBe(true);
    expect(definesSubject('bzip2', 'bzip2 compresses files using the Burrows-Wheeler block-sorting algorithm.')).toBe(false);
    expect(definesSubject('bzip2', 'The program known as bzip2 compresses files.')).toBe(true);
  });

  it.each([
    ['What does the Human Rights Council do?', 'human rights council'],
    ['What is the purpose of bzip2recover?', 'bzip2recover'],
    ['What are layers typically used for?', 'layers'],
    ['What was the role of the Senate?', 'senate'],
    ['What does the family court do?', 'family court'],
    ['What does the feed do?', 'feed'],
    ['What does the United Nations do?', 'united nations'],
    ['What is the shared folder for?', 'shared folder'],
  ])('reads "%s" as asking what a thing is for (subject "%s")', (question, subject) => {
    expect(asks(question)).toContain('definition');
    expect(findDefinitionSubject(question)).toBe(subject);
  });

  it.each([
    ['Who is Sok Ny?', 'sok ny'],
    ["What's Kang Savang's job?", 'kang savang'],
    ['What is Pov Meta’s role?', 'pov meta'],
    ['who was Rollo', 'rollo'],
  ])('reads "%s" as asking what a person is (subject "%s"), which an apposition says', (question, subject) => {
    expect(asks(question)).toContain('definition');
    expect(findDefinitionSubject(question)).toBe(subject);
    expect(definesSubject(subject, 'Sok Ny, a tuk-tuk driver, Kang Savang, a country coordinator, Pov Meta, the spokesman, and Rollo, the Viking leader, met.')).toBe(true);
  });

  it.each(['Who is the governor of Preah Sihanouk province?', 'Who is Cambodia’s foreign minister?', "Who is Kazakhstan's Human Rights Commissioner?", 'Who was King of England?'])(
    'does not read "%s" as asking what a person is',
    (question) => expect(findDefinitionSubject(question)).toBeNull(),
  );

  it('reads "what\'s his job?", which names no one, as before: what "his job" is', () => {
    expect(findDefinitionSubject("what's his job?")).toBe('his job');
  });

  it.each(['What did Bunyan do in prison?', 'What is he known for?', 'What is Kazakhstan criticized for?', 'What is Kazakhstan criticized by rights groups for?', 'What did the program that was canceled do?'])(
    'does not read "%s" as asking what a thing is for',
    (question) => expect(asks(question)).not.toContain('definition'),
  );

  it('detects only the forms enabled', () => {
    expect(detectAnswerForms('How old was he?', new Set(['place']))).toEqual([]);
  });
});
