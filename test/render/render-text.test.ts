import { describe, expect, it } from 'vitest';
import type { Answer, Quote } from '../../src/domain.js';
import { renderAnswerText } from '../../src/render/render-text.js';

const quote: Quote = { citation: 1, text: 'No Person shall be a Senator who shall not have attained to the Age of thirty Years.', source: 'corpus/c.txt', documentId: 'c', documentTitle: 'The Constitution', chunkId: 'c#p4', paragraph: 4, item: null, start: 0, end: 84, attribution: null, textFile: 'corpus/c.txt', url: null, page: null, pageCount: null, section: null };
const answer = (fields: Partial<Answer>): Answer => ({ question: 'and a Senator?', resolvedQuestion: 'and a Senator?', abstained: false, confidence: 0.6, quotes: [quote], related: [], retrievedChunkIds: [], reason: null, ...fields });

describe('renderAnswerText', () => {
  it('says how a restated follow-up was read before the quotes, and before a refusal', () => {
    expect(renderAnswerText(answer({ readAs: 'How old must a Senator be?' }))).toMatch(/^Read as: “How old must a Senator be\?”\n\n> No Person shall be a Senator .* \[1\]\n/);
    expect(renderAnswerText(answer({ readAs: 'How old must a Senator be?', abstained: true, quotes: [], related: [quote] }))).toMatch(/^Read as: “How old must a Senator be\?”\n\nThe sources don't answer that\./);
    // Refused because the closest quote is not about what was asked: it says so.
    expect(renderAnswerText(answer({ abstained: true, reason: 'off-target', quotes: [], related: [quote] }))).toMatch(/^The sources don't answer that\. The closest quote does not mention what you asked about\.\n/);
    expect(renderAnswerText(answer({ abstained: true, reason: 'not-in-sources', quotes: [], related: [quote] }))).toMatch(/^The sources don't answer that\.\n/);
    // Refused, and the closest sentence says the question with one detail changed: it says which.
    expect(renderAnswerText(answer({ abstained: true, reason: 'not-in-sources', quotes: [], related: [quote], changedDetail: { asked: 'sixth', says: 'fifth' } }))).toMatch(/^The sources don't answer that\. The closest passage says “fifth” where you asked “sixth”\.\n/);
  });

  it('starts with the quotes when the question was answered as typed', () => {
    expect(renderAnswerText(answer({}))).toMatch(/^> No Person shall be a Senator/);
  });
});
