import { describe, expect, it } from 'vitest';
import { listCandidates } from '../../src/answering/answer-question.js';
import { MAX_QUOTE_CHARS, selectQuotes, selectRelated } from '../../src/answering/select-quotes.js';
import type { CandidateSentence } from '../../src/answering/sentence-features.js';
import { chunkDocument } from '../../src/chunking/chunk-document.js';
import { documentFromText } from '../../src/corpus/load-corpus.js';
import type { Chunk, Document, Hit } from '../../src/domain.js';
import { passageOf } from './passage-fixture.js';

/** One passage of sentences, each in the paragraph `paragraphs` gives (default: all the first). */
function passage(sentences: readonly string[], paragraphs?: readonly number[]): Chunk {
  return passageOf(sentences, { paragraphs });
}

/**
 * The quote, and its summed probability, when sentence `best` of the passage has
 * probability 0.8 and the others share the rest as `others` says (default evenly); no
 * other sentence reaches the extra-sentence bar (0.5).
 */
function quoteOf(chunk: Chunk, best: number, following: number | undefined, others?: readonly number[]): { text: string; probability: number } {
  const hit: Hit = { chunk, score: 1, lexicalRank: 1, lexicalScore: 1, denseRank: null, denseScore: null };
  const candidates = listCandidates([hit]);
  const probabilities = candidates.map((_, i) => (i === best ? 0.8 : (others?.[i] ?? 0.2 / (candidates.length - 1))));
  const order = candidates.map((_, i) => i).sort((a, b) => probabilities[b]! - probabilities[a]!);
  const documents = new Map([['doc', { id: 'doc', title: 'Doc', text: chunk.text } as Document]]);
  const selection = selectQuotes(candidates, { order, probabilities }, 0.5, { documents, chunks: { get: () => undefined } }, { followingSentenceProbability: following });
  return { text: selection.quotes.map((quote) => quote.text).join(' | '), probability: selection.probability };
}

describe('the sentence after a quote that refers back to it', () => {
  const restates = 'The complexity class P is often seen as a mathematical abstraction of efficient algorithms.';
  const refers = 'This hypothesis is called the Cobham–Edmonds thesis.';

  it('joins when the model gives it at least the bar, and its probability counts toward the quote', () => {
    const joined = quoteOf(passage([restates, refers, 'Other classes exist.']), 0, 0.05);
    expect(joined.text).toBe(`${restates} ${refers}`);
    expect(joined.probability).toBeCloseTo(0.9);
    expect(quoteOf(passage([restates, 'It is called the Cobham–Edmonds thesis.']), 0, 0.05).text).toBe(`${restates} It is called the Cobham–Edmonds thesis.`);
  });

  it('stays out under the bar, without a bar (an older model), or when it does not refer back', () => {
    expect(quoteOf(passage([restates, refers, 'Other classes exist.']), 0, 0.05, [0.8, 0.01, 0.19]).text).toBe(restates);
    expect(quoteOf(passage([restates, refers]), 0, undefined).text).toBe(restates);
    expect(quoteOf(passage([restates, 'The Cobham–Edmonds thesis names it.']), 0, 0.05).text).toBe(restates);
  });

  it('stays out in the next paragraph, or when the quote would grow too long', () => {
    expect(quoteOf(passage([restates, refers], [1, 2]), 0, 0.05).text).toBe(restates);
    const long = `This hypothesis ${'is called the Cobham–Edmonds thesis, '.repeat(Math.ceil(MAX_QUOTE_CHARS / 38))}in short.`;
    expect(quoteOf(passage([restates, long]), 0, 0.05).text).toBe(restates);
  });

  it('joins once, and a best sentence opening with "He" still takes the one before it', () => {
    const sentences = ['The Ombudsman spoke at the session.', 'He said membership means more responsibility.', 'It was his first speech.', 'This was noted.'];
    expect(quoteOf(passage(sentences), 1, 0.05).text).toBe(sentences.slice(0, 3).join(' '));
  });
});

describe('related passages offered when the answer abstains', () => {
  // One paragraph long enough to be split into passages that share a sentence (the overlap), and one more paragraph.
  const long = Array.from({ length: 12 }, (_, i) => `Sentence ${i + 1} of the long paragraph tells of the harbour and its ${'ships and cranes and sheds '.repeat(6)}in turn.`);
  const text = `${long.join(' ')}\n\nThe new pier opened in 2004.\n`;
  const document = documentFromText({ id: 'harbour', source: 'corpus/harbour.txt', path: '/tmp/harbour.txt', text, title: 'Harbour', bodyStart: 0 });
  const chunks = chunkDocument(document);
  const documents = new Map([['harbour', document]]);
  const hits: Hit[] = chunks.map((chunk, i) => ({ chunk, score: 1 / (i + 1), lexicalRank: i + 1, lexicalScore: 1, denseRank: null, denseScore: null }));
  const candidates = listCandidates(hits);
  // The sentence the first two parts share: the last of the first, the first of the second.
  const first = chunks[0]!.sentences.at(-1)!;
  const shared = text.slice(first.start, first.end);
  // The ranking of candidates listed best first, with these probabilities.
  const bestFirst = (probabilities: number[]) => ({ probabilities, order: probabilities.map((_, i) => i) });

  it('shows the passages holding most of the probability, each around its best sentence with the sentence either side, one quote a passage, as many as asked', () => {
    // Best: the shared sentence in the first part, the sentence after it in the second, then the pier.
    const ranked = [
      candidates.find((c) => c.hit.chunk.id === chunks[0]!.id && c.text === shared)!,
      candidates.find((c) => c.hit.chunk.id === chunks[0]!.id)!,
      candidates.find((c) => c.hit.chunk.id === chunks[1]!.id && c.index === 1)!,
      candidates.find((c) => c.text.includes('pier'))!,
    ];
    const probabilities = [0.4, 0.1, 0.3, 0.2];
    const related = selectRelated(ranked, bestFirst(probabilities), documents, 3);
    expect(related.map((quote) => quote.chunkId)).toEqual([chunks[0]!.id, chunks[1]!.id, chunks.at(-1)!.id]);
    expect(related.map((quote) => quote.citation)).toEqual([1, 2, 3]);
    const sentencesOf = (chunkIndex: number, from: number, to: number): string => {
      const { sentences } = chunks[chunkIndex]!;
      return text.slice(sentences[from]!.start, sentences[to]!.end);
    };
    const last = chunks[0]!.sentences.length - 1;
    expect(related[0]!.text).toBe(sentencesOf(0, last - 1, last));
    expect(related[1]!.text).toBe(sentencesOf(1, 0, 2));
    expect(related[2]!.text).toBe('The new pier opened in 2004.');
    for (const quote of related) expect(text.slice(quote.start, quote.end)).toBe(quote.text);
    expect(selectRelated(ranked, bestFirst(probabilities), documents, 1)).toHaveLength(1);
  });

  const at = (chunkIndex: number, index: number) => candidates.find((c) => c.hit.chunk.id === chunks[chunkIndex]!.id && c.index === index)!;
  const sentencesOf = (chunkIndex: number, from: number, to: number): string => {
    const { sentences } = chunks[chunkIndex]!;
    return text.slice(sentences[from]!.start, sentences[to]!.end);
  };

  it('puts a passage whose sentences together hold more probability before one with the single best sentence', () => {
    const ranked = [candidates.find((c) => c.text.includes('pier'))!, at(0, 1), at(0, 2)];
    const related = selectRelated(ranked, bestFirst([0.3, 0.25, 0.2]), documents, 2);
    expect(related.map((quote) => quote.chunkId)).toEqual([chunks[0]!.id, chunks.at(-1)!.id]);
  });

  it('quotes the three sentences running that hold most of the probability, not always those around the best', () => {
    expect(chunks[0]!.sentences.length).toBeGreaterThanOrEqual(5);
    // Best: sentence 4; but 2, 3 and 4 together (around 3) hold more than 3, 4 and 5 (around 4).
    const ranked = [at(0, 4), at(0, 2), at(0, 3), at(0, 0)];
    const [quote] = selectRelated(ranked, bestFirst([0.3, 0.25, 0.2, 0.1]), documents, 1);
    expect(quote!.text).toBe(sentencesOf(0, 2, 4));
  });

  it('puts first the passages with a sentence the caller prefers, quoted around that sentence', () => {
    const pier = candidates.find((c) => c.text.includes('pier'))!;
    const ranked = [at(0, 1), at(0, 3), pier];
    const related = selectRelated(ranked, bestFirst([0.5, 0.3, 0.2]), documents, 2, (candidate) => candidate.text.includes('pier') || candidate === at(0, 3));
    expect(related.map((quote) => quote.chunkId)).toEqual([chunks[0]!.id, chunks.at(-1)!.id]);
    expect(related[0]!.text).toBe(sentencesOf(0, 2, 4));
    expect(selectRelated([at(0, 1), pier], bestFirst([0.6, 0.4]), documents, 1, (candidate) => candidate === pier)[0]!.text).toBe('The new pier opened in 2004.');
  });
});
