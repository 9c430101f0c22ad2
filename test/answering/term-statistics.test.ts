import { beforeAll, describe, expect, it } from 'vitest';
import { TermStatistics } from '../../src/answering/term-statistics.js';
import { chunkDocument } from '../../src/chunking/chunk-document.js';
import { loadCorpus } from '../../src/corpus/load-corpus.js';
import type { Chunk } from '../../src/domain.js';
import { buildLexicalIndex } from '../../src/store/lexical-index.js';
import { contentTerms } from '../../src/text/terms.js';
import { ARTICLE_DIR } from '../helpers.js';

describe('TermStatistics', () => {
  let chunks: Chunk[];
  let counted: TermStatistics;
  let stored: TermStatistics;
  beforeAll(async () => {
    chunks = (await loadCorpus(ARTICLE_DIR)).documents.flatMap(chunkDocument);
    counted = new TermStatistics(chunks);
    stored = new TermStatistics(buildLexicalIndex(chunks));
  });

  it('reads the same frequencies from the index as it counts from the chunks', () => {
    const terms = new Set(chunks.flatMap((chunk) => contentTerms(chunk.text)));
    expect(terms.size).toBeGreaterThan(100);
    for (const term of [...terms, 'absentword', 'zzz']) {
      expect(stored.has(term)).toBe(counted.has(term));
      expect(stored.weigh(term)).toBe(counted.weigh(term));
    }
  });

  it('weighs a rare word above a common one, and an unknown word below the rarest', () => {
    expect(stored.weigh('ombudsman')).toBeGreaterThan(stored.weigh('kazakhstan'));
    expect(stored.weigh('zzzunknown')).toBeLessThan(stored.weigh('ombudsman'));
  });

  it('corrects a misspelt word to the nearest corpus word, the most frequent on a tie, and leaves short, numeric and unknown words alone', () => {
    expect(stored.correct('kazakstan')).toBe('kazakhstan');
    expect(stored.correct('kazakhtsan')).toBe('kazakhstan');
    expect(stored.correct('kazakhstan')).toBe('kazakhstan');
    expect(stored.correct('rigth')).toBe('right');
    expect(stored.correct('elcted')).toBe(counted.correct('elcted'));
    expect(stored.correct('cat')).toBe('cat');
    expect(stored.correct('2o13x')).toBe('2o13x');
    expect(stored.correct('xylophone')).toBe('xylophone');
    // Two corpus words one edit away: the one in more sentences wins.
    const tie = new TermStatistics({ terms: ['house', 'mouse'], sentenceFrequencies: Uint32Array.from([1, 5]), sentenceCount: 6 });
    expect(tie.correct('rouse')).toBe('mouse');
  });
});
