import { describe, expect, it } from 'vitest';
import { asksForDocumentTitle, asksForTitle } from '../../src/answering/question-form.js';

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
