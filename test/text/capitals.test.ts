import { describe, expect, it } from 'vitest';
import { capitalsSayNothing } from '../../src/text/terms.js';

describe('capitalsSayNothing', () => {
  it('is true of a text typed without capitals, or with one on every word', () => {
    expect(capitalsSayNothing('how much debt does cambodia owe japan?')).toBe(true);
    expect(capitalsSayNothing('How Much Debt Does Cambodia Owe Japan?')).toBe(true);
    expect(capitalsSayNothing('HOW MUCH DEBT DOES CAMBODIA OWE JAPAN?')).toBe(true);
    expect(capitalsSayNothing('“How Much Debt Does Cambodia Owe Now?”')).toBe(true);
  });

  it('is false of a text whose capitals can mark names', () => {
    expect(capitalsSayNothing('How much debt does Cambodia owe Japan?')).toBe(false);
    expect(capitalsSayNothing('How much debt does it owe?')).toBe(false);
    // A short text's capitals may be a sentence's and a name's.
    expect(capitalsSayNothing('And Freedom House?')).toBe(false);
    expect(capitalsSayNothing('And Radio Free Asia?')).toBe(false);
    expect(capitalsSayNothing('What About The Cambodia Daily?')).toBe(false);
    expect(capitalsSayNothing('AND RUSSIA?')).toBe(false);
  });
});
