import type { Answer, Quote } from '../../src/domain.js';

/** A real Answer value, as the engine returns one, for seeding the question log. */
export function makeAnswer(question: string, options: { abstained?: boolean; reason?: Answer['reason']; confidence?: number; chunkIds?: string[] } = {}): Answer {
  const abstained = options.abstained ?? false;
  const quotes: Quote[] = (options.chunkIds ?? (abstained ? [] : ['doc#p1'])).map((chunkId, i) => ({
    citation: i + 1,
    text: `Quoted sentence ${i + 1}.`,
    source: 'corpus/doc.txt',
    documentId: 'doc',
    documentTitle: 'Doc',
    chunkId,
    paragraph: i + 1,
    item: null,
    start: i * 100,
    end: i * 100 + 20,
    attribution: null,
    textFile: 'corpus/doc.txt',
    url: null,
    page: null,
    pageCount: null,
    section: null,
  }));
  return {
    question,
    resolvedQuestion: question,
    abstained,
    confidence: options.confidence ?? (abstained ? 0.2 : 0.8),
    quotes: abstained ? [] : quotes,
    related: abstained ? quotes : [],
    retrievedChunkIds: quotes.map((q) => q.chunkId),
    reason: abstained ? (options.reason ?? 'not-in-sources') : null,
  };
}
