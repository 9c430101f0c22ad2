import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeQuestion, MATCH_KINDS, TermMatcher } from '../../src/answering/analyze-question.js';
import { DocumentTerms } from '../../src/answering/document-terms.js';
import { stemText } from '../../src/answering/stem-cache.js';
import { TermStatistics } from '../../src/answering/term-statistics.js';
import { contextualize } from '../../src/conversation/contextualize.js';
import { Lexicon } from '../../src/lexicon/lexicon.js';
import { WordNet } from '../../src/lexicon/wordnet.js';
import { buildIndex } from '../../src/store/build-index.js';
import type { CorpusIndex } from '../../src/store/index-files.js';
import { makeTempDir, writeCorpus } from '../helpers.js';

/** Paragraphs long enough to make several passages, each with words of its own. */
function longDocument(topics: readonly string[]): string {
  return topics
    .map((topic, i) => Array.from({ length: 12 }, (_, j) => `The ${topic} report number ${i * 100 + j} describes ${topic} harvests and ${topic} markets in detail.`).join(' '))
    .join('\n\n');
}

/** For every document: each of its content stems is held, and no stem only other documents have. */
function expectHoldsExactlyItsStems(index: CorpusIndex): void {
  const terms = DocumentTerms.of(index);
  const stemsOf = new Map(index.documents.map((document) => [document.id, stemText(document.text).stems]));
  for (const document of index.documents) {
    const holds = terms.holderOf(document.id);
    const own = stemsOf.get(document.id)!;
    for (const stem of own) expect(holds(stem), `${document.id} holds "${stem}"`).toBe(true);
    for (const [other, stems] of stemsOf) {
      if (other === document.id) continue;
      for (const stem of stems) if (!own.has(stem)) expect(holds(stem), `${document.id} does not hold "${stem}" of ${other}`).toBe(false);
    }
  }
}

describe('which stems a document holds, read from the index', () => {
  let dir: string;
  let corpusDir: string;
  let cleanup = (): void => {};
  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    corpusDir = writeCorpus(dir, {
      'crops.txt': longDocument(['wheat', 'barley', 'sorghum', 'millet']),
      'notes.md': '# Notes\n\nThe ministry spokesperson criticised the lobbying campaign on Monday.\n',
    });
  });
  afterAll(() => cleanup());

  it('matches stemming the whole text, for words in any passage of a long document', async () => {
    const { index } = await buildIndex({ corpusDir, indexDir: path.join(dir, 'index'), embedder: null });
    expect(index.passages.chunksOf(0).length).toBeGreaterThan(2);
    expectHoldsExactlyItsStems(index);
    const terms = DocumentTerms.of(index);
    // A word of the last passage only, a word of no document, a document that does not exist.
    expect(terms.holderOf('crops')('millet')).toBe(true);
    expect(terms.holderOf('notes')('millet')).toBe(false);
    expect(terms.holderOf('crops')('zeppelin')).toBe(false);
    expect(terms.holderOf('missing')('millet')).toBe(false);
  });

  it('reads passages whose slots are not one run one by one: every other passage of a document holds exactly its own stems', async () => {
    const { index } = await buildIndex({ corpusDir, indexDir: path.join(dir, 'index-gaps'), embedder: null });
    const passages = index.chunks.map((chunk, position) => ({ chunk, slot: index.slots[position]! })).filter(({ chunk }) => chunk.documentId === 'crops');
    const kept = passages.filter((_, i) => i % 2 === 0);
    expect(kept.length).toBeGreaterThan(1);
    const terms = new DocumentTerms(index.lexical, () => Uint32Array.from(kept.map(({ slot }) => slot)));
    const holds = terms.holderOf('crops');
    const keptStems = new Set(kept.flatMap(({ chunk }) => [...stemText(chunk.text).stems]));
    const skippedStems = new Set(passages.filter((_, i) => i % 2 === 1).flatMap(({ chunk }) => [...stemText(chunk.text).stems]));
    for (const stem of keptStems) expect(holds(stem), stem).toBe(true);
    const onlySkipped = [...skippedStems].filter((stem) => !keptStems.has(stem));
    expect(onlySkipped.length).toBeGreaterThan(0);
    for (const stem of onlySkipped) expect(holds(stem), stem).toBe(false);
  });

  it('still matches after one document changed, one was added and one removed (slots reused, out of order)', async () => {
    const indexDir = path.join(dir, 'index');
    fs.writeFileSync(path.join(corpusDir, 'crops.txt'), longDocument(['rice', 'barley', 'cassava']));
    fs.writeFileSync(path.join(corpusDir, 'later.txt'), longDocument(['millet', 'quinoa']));
    fs.rmSync(path.join(corpusDir, 'notes.md'));
    const { index, summary } = await buildIndex({ corpusDir, indexDir, embedder: null });
    expect(summary.documents).toBe(2);
    expectHoldsExactlyItsStems(index);
    const terms = DocumentTerms.of(index);
    expect(terms.holderOf('crops')('wheat')).toBe(false);
    expect(terms.holderOf('crops')('cassava')).toBe(true);
    expect(terms.holderOf('later')('millet')).toBe(true);
    expect(terms.holderOf('crops')('millet')).toBe(false);
  });
});

describe('how a text known by its stems holds a question’s terms', () => {
  it('gives a WordNet alternative’s rank when the document has its stems, and the exact rank for the word itself', () => {
    const lexicon = new Lexicon(new WordNet(), { maxSenses: 3 });
    const statistics = new TermStatistics([]);
    const question = 'What did the spokesman say about the election?';
    const analysis = analyzeQuestion(question, contextualize(question, [], false), statistics, lexicon, []);
    const matcher = new TermMatcher(analysis.terms);
    const spokesman = analysis.terms.findIndex((term) => term.stem === 'spokesman');
    const election = analysis.terms.findIndex((term) => term.stem === 'elect');
    const ranksOf = (text: string): Uint8Array => {
      const stems = stemText(text).stems;
      return matcher.ranksWhere((stem) => stems.has(stem));
    };
    // "spokesperson" is WordNet's synonym of "spokesman": held, at the synonym's rank, as `ranks` gives for the same text.
    const text = 'The spokesperson spoke after the elections.';
    expect(ranksOf(text)[spokesman]).toBe(matcher.ranks(stemText(text))[spokesman]);
    expect(ranksOf(text)[spokesman]).toBeGreaterThan(0);
    expect(ranksOf(text)[election]).toBe(0);
    expect(ranksOf('Nobody spoke.')[spokesman]).toBe(MATCH_KINDS.length);
  });
});
