import { describe, expect, it } from 'vitest';
import { analyzeQuestion } from '../../src/answering/analyze-question.js';
import { TermStatistics } from '../../src/answering/term-statistics.js';
import { quoteHoldsTypedWords } from '../../src/answering/typed-words.js';
import { contextualize } from '../../src/conversation/contextualize.js';
import type { Chunk } from '../../src/domain.js';
import { Lexicon } from '../../src/lexicon/lexicon.js';
import { WordNet } from '../../src/lexicon/wordnet.js';

const lexicon = new Lexicon(new WordNet(), { maxSenses: 3 });
const TEXT = 'Freedom House gave a score of 6 (https://www.freedomhouse.org/freedom-world). Senators serve six Years.';
const statistics = new TermStatistics([{ id: 'd#p1', documentId: 'd', text: TEXT, start: 0, end: TEXT.length, sentences: [{ start: 0, end: TEXT.length }] } as unknown as Chunk]);

/** The analysis of `typed` asked after `earlier`, as the bot reads it, and whether `quote` holds what was typed. */
function holds(earlier: string, typed: string, quote: string, corpus = statistics): boolean {
  const context = contextualize(typed, [{ question: earlier, resolvedQuestion: earlier, quoted: [], at: 0 }], true);
  return quoteHoldsTypedWords(analyzeQuestion(context.question, context, corpus, lexicon), typed, [quote]);
}

describe('quoteHoldsTypedWords', () => {
  it('finds what the user typed as written or in another inflection', () => {
    expect(holds('How old must a Representative be?', 'and a Senator?', 'Senators serve six Years.')).toBe(true);
    expect(holds('Which organisms are spread by droplets?', 'and by aerosol?', 'Aerosols carry measles.')).toBe(true);
  });

  it('does not count a synonym or broader term of a name’s words ("world" for "human")', () => {
    const quote = 'Freedom House gave a score of 6 (https://www.freedomhouse.org/freedom-world).';
    expect(holds('What score did Freedom House give?', 'what about Human Rights Watch?', quote)).toBe(false);
    expect(holds('What score did Freedom House give?', 'what about Human Rights Watch?', `${quote} Human Rights Watch attacked it.`)).toBe(true);
  });

  it('looks for the rarest word of what was typed: "Human Rights Watch" is not mentioned by "the Human Rights Council"', () => {
    const texts = ['The Human Rights Council met.', 'Human rights groups criticised the vote.', 'Human Rights Watch called it a disgrace.', 'Freedom House gave a score of 6.'];
    const corpus = new TermStatistics(texts.map((text, i) => ({ id: `d#p${i + 1}`, documentId: 'd', text, start: 0, end: text.length, sentences: [{ start: 0, end: text.length }] }) as unknown as Chunk));
    expect(holds('What score did Freedom House give?', 'what about Human Rights Watch?', texts[0]!, corpus)).toBe(false);
    expect(holds('What score did Freedom House give?', 'what about Human Rights Watch?', texts[2]!, corpus)).toBe(true);
    expect(holds('What score did Human Rights Watch give?', 'and Freedom House?', texts[3]!, corpus)).toBe(true);
  });
});
