import type { Chunk } from '../../src/domain.js';

/**
 * A passage (`doc#p1` of document `doc`) made of the sentences given, separated by single
 * spaces; `paragraphs` gives each sentence's paragraph (default: all the first), `section`
 * its section heading path.
 */
export function passageOf(sentences: readonly string[], options: { paragraphs?: readonly number[]; section?: string | null } = {}): Chunk {
  const text = sentences.join(' ');
  let at = 0;
  return {
    id: 'doc#p1',
    documentId: 'doc',
    source: 'corpus/doc.txt',
    paragraph: 1,
    kind: 'paragraph',
    start: 0,
    end: text.length,
    text,
    sentences: sentences.map((sentence, i) => {
      const span = { start: at, end: at + sentence.length, paragraph: options.paragraphs?.[i] ?? 1, attribution: null };
      at += sentence.length + 1;
      return span;
    }),
    section: options.section ?? null,
    page: null,
  };
}
