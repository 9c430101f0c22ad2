import { describe, expect, it } from 'vitest';
import { asksForDocumentTitle, asksForTitle, offersAnswerForm } from '../../src/answering/question-form.js';
import { stemTerm, tokenize } from '../../src/text/terms.js';

describe('questions about a title', () => {
  it.each([
    "What is the article's headline?",
    'What is the title of the handbook?',
    'What is the headline?',
    'Title of this document?',
    'What is the full title of the report?',
  ])('reads %j as asking for the document’s own title', (question) => {
    expect(asksForDocumentTitle(question)).toBe(true);
  });

  it.each([
    "What was the title of Bunyan's first book against the Baptists?",
    'what is his title?',
    'Who has the title of Secretary?',
    'What is the heading of section 3?',
    'What did the committee decide?',
  ])('reads %j as asking about something the document says', (question) => {
    expect(asksForDocumentTitle(question)).toBe(false);
  });

  it('still lets a question that names a title or heading quote a heading line', () => {
    expect(asksForTitle('What is the heading of section 3?')).toBe(true);
    expect(asksForTitle('what is his title?')).toBe(true);
    expect(asksForTitle('What did the committee decide?')).toBe(false);
  });
});

describe('offersAnswerForm: does a sentence offer the kind of answer asked for', () => {
  const stems = (question: string) => new Set(tokenize(question).map(stemTerm));

  it('takes no count from a date: a day beside its month, or a year', () => {
    const question = stems("How many people turned up to Hun Sen's July 7 rally?");
    expect(offersAnswerForm('quantity', 'Hun Sen addressed a large rally of supporters ahead of the July 29 vote.', question)).toBe(false);
    expect(offersAnswerForm('quantity', 'The directive was issued on 4 April, before the 2013 election.', question)).toBe(false);
    expect(offersAnswerForm('quantity', 'Some 50,000 supporters came on July 7.', question)).toBe(true);
    expect(offersAnswerForm('quantity', 'In 2013 the party won 55 seats.', question)).toBe(true);
    expect(offersAnswerForm('quantity', 'It cost $2000 to print.', question)).toBe(true);
  });

  it('still reads dates for a question asking when, and leaves out what the question says', () => {
    const question = stems('When did the 2013 election take place?');
    expect(offersAnswerForm('when', 'The vote was held on July 28, 2013.', question)).toBe(true);
    expect(offersAnswerForm('when', 'The 2013 election was close.', question)).toBe(false);
    expect(offersAnswerForm('when', 'It began in the last decade of the century.', question)).toBe(true);
  });

  it('takes a month only with its capital: "may" and "march" are verbs', () => {
    const question = stems('When can Congress adjourn?');
    expect(offersAnswerForm('when', 'Neither House may adjourn for more than three days.', question)).toBe(false);
    expect(offersAnswerForm('when', 'The protesters march to the palace.', question)).toBe(false);
    expect(offersAnswerForm('when', 'Congress adjourned in May.', question)).toBe(true);
  });

  it('offers a name the question does not say, even one opening the sentence', () => {
    const question = stems('Who founded the group?');
    expect(offersAnswerForm('who', 'Human Rights Watch was founded in 1978.', question)).toBe(true);
    expect(offersAnswerForm('who', 'It was founded by Robert Bernstein.', question)).toBe(true);
    expect(offersAnswerForm('who', 'it was founded long ago.', question)).toBe(false);
  });

  it('offers no one when the only names are those the question names', () => {
    const question = stems('Who founded Human Rights Watch?');
    expect(offersAnswerForm('who', 'Human Rights Watch was founded in 1978.', question)).toBe(false);
    expect(offersAnswerForm('who', 'Human Rights Watch was founded by Robert Bernstein.', question)).toBe(true);
  });
});
