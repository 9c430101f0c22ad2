import { describe, expect, it } from 'vitest';
import type { LabelledDocument } from '../../src/training/labelled-data.js';
import { loadTrainingEmbedder } from '../../src/training/training-embedder.js';
import { makeTempDir } from '../helpers.js';

const TEXT = 'Kazakhstan was elected to the council.\n\nThe vote took place in New York.';
const DOCUMENT: LabelledDocument = {
  group: 'example',
  fileName: 'example.md',
  bytes: Buffer.from(TEXT),
  text: TEXT,
  questions: [],
};

describe('loadTrainingEmbedder', () => {
  it('collects lexical-only with none', async () => {
    const dense = await loadTrainingEmbedder('none', [DOCUMENT], '/dev/null/unused-cache');
    expect(dense.embedder).toBeNull();
  });

  it('builds the tiny control model from the documents and loads it through transformers.js', async () => {
    const temp = makeTempDir();
    const dense = await loadTrainingEmbedder('tiny', [DOCUMENT], temp.dir);
    try {
      expect(dense.description).toMatch(/^verbatim-tiny, 128 dimensions \(ready in [\d.]+ s; the process grew by -?\d+ MB RSS\)$/);
      const [known, unknown] = await dense.embedder!.embedDocuments(['The vote in New York', 'zyzzyva']);
      expect(known!.some((x) => x !== 0)).toBe(true);
      expect(unknown!.every((x) => x === 0)).toBe(true);
    } finally {
      await dense.dispose();
      temp.cleanup();
    }
  });
});
