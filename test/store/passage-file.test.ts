import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/chunking/chunk-document.js';
import { documentFromText, loadCorpus } from '../../src/corpus/load-corpus.js';
import type { Document } from '../../src/domain.js';
import { decodePassages, encodePassages } from '../../src/store/passage-file.js';
import { ARTICLE_DIR } from '../helpers.js';

describe('the passage file', () => {
  it('gives back the same documents and chunks (texts, offsets, sentences, attributions, kinds) and slots', async () => {
    const { documents } = await loadCorpus(ARTICLE_DIR);
    const awkward: Document = {
      ...documentFromText({ id: 'awkward', source: 'corpus/awkward.md', text: '' }),
      format: 'md',
      pageStarts: [0, 40],
      headings: [{ start: 33, end: 42, level: 1, title: 'Heading' }],
      id: 'awkward',
      source: 'corpus/awkward.md',
      path: '/elsewhere/corpus/awkward.md',
      text: '---\ntitle: "Émoji 🎉 and CRLF"\n---\r\n# Heading\r\n\r\n- one “quoted” item\r\n- two\r\n\r\nTabs\tand\u00a0spaces. A second sentence (Reuters, May 2).\r\n',
      title: 'Émoji 🎉 and CRLF',
      publication: null,
      date: null,
      url: 'https://example.org/a',
      bodyStart: 29,
    };
    const all = [...documents, awkward];
    const chunks = all.flatMap(chunkDocument);
    expect(new Set(chunks.map((chunk) => chunk.kind))).toEqual(new Set(['header', 'paragraph', 'list']));
    expect(chunks.some((chunk) => chunk.sentences.some((sentence) => sentence.attribution !== null))).toBe(true);
    const slots = Uint32Array.from(chunks, (_, i) => i * 3 + 1);

    const restored = decodePassages(Buffer.concat(encodePassages(all, chunks, slots)), '/elsewhere', 'passages.bin');
    expect(restored.documents).toEqual(all.map((document) => ({ ...document, path: `/elsewhere/${document.source}` })));
    expect(restored.chunks).toEqual(chunks);
    expect(restored.slots).toEqual(slots);
    for (const chunk of restored.chunks) expect(all.find((d) => d.id === chunk.documentId)!.text.slice(chunk.start, chunk.end)).toBe(chunk.text);
  });
});
