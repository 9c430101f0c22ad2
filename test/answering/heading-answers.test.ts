import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/chunking/chunk-document.js';
import { loadCorpus } from '../../src/corpus/load-corpus.js';
import { sectionOpening } from '../../src/answering/select-quotes.js';
import { createEngine } from '../../src/engine.js';
import type { Engine } from '../../src/engine-types.js';
import { makeTempDir, testConfig } from '../helpers.js';

const HANDBOOK = `# Riverside Allotment Club handbook

The club manages forty plots on the east bank of the river. Members pay a yearly fee.

## Ownership rules

Plots remain the property of the town council. A member holds a plot on a one-year licence that renews each March unless the committee gives notice.

Members may not sublet a plot or transfer it to a relative without the committee's written consent.

## Water and tools

### Water

Water is available from the standpipes between April and October.

### Tools

The tool shed opens on Saturday mornings.

## Complaints procedure

A complaint is made in writing to the secretary, who answers within fourteen days. Appeals go to the annual general meeting.

## Contacts

## Appendix

The committee meets monthly.
`;

/** Headings name a topic; a question that matches one is answered from the text under it. */
describe('a question that names a section', () => {
  let temp: { dir: string; cleanup: () => void };
  let engine: Engine;
  const headingLines = HANDBOOK.split('\n').filter((line) => line.startsWith('#')).map((line) => line.replace(/^#+\s*/, ''));
  beforeAll(async () => {
    temp = makeTempDir();
    mkdirSync(path.join(temp.dir, 'corpus'));
    writeFileSync(path.join(temp.dir, 'corpus', 'handbook.md'), HANDBOOK);
    engine = await createEngine({ config: testConfig(temp.dir), embedder: null, embedderWarning: 'lexical-only in this test' });
  });
  afterAll(() => temp.cleanup());

  it.each([
    ['What are the ownership rules?', /^Plots remain the property of the town council\./],
    ['What is the complaints procedure?', /^A complaint is made in writing to the secretary/],
  ])('quotes the text under the heading for "%s", not the heading', async (question, opening) => {
    const answer = await engine.ask(question);
    expect(answer.abstained).toBe(false);
    expect(answer.quotes[0]!.text).toMatch(opening);
  });

  it('never quotes a heading line as an answer or beside one', async () => {
    for (const question of ['What are the ownership rules?', 'How do I complain?', 'What is the complaints procedure?', 'When is water available?', 'When does the tool shed open?']) {
      const answer = await engine.ask(question);
      for (const quote of [...answer.quotes]) expect(headingLines, question).not.toContain(quote.text.replace(/^#+\s*/, ''));
    }
  });

  it('still quotes the title when asked for it', async () => {
    const answer = await engine.ask('What is the title of the handbook?');
    expect(answer.quotes[0]?.text).toContain('Riverside Allotment Club handbook');
    expect(answer.confidence).toBe(1);
  });

  it('answers a question about some other title from the text, not with the document’s title', async () => {
    const answer = await engine.ask('What title does the person who answers complaints hold?');
    expect(answer.confidence).toBeLessThan(1);
    for (const quote of [...answer.quotes, ...answer.related]) expect(quote.text).not.toBe('# Riverside Allotment Club handbook');
    if (!answer.abstained) expect(answer.quotes[0]!.text).toContain('secretary');
  });
});

describe('sectionOpening', () => {
  const document = (() => {
    const temp = makeTempDir();
    const file = path.join(temp.dir, 'handbook.md');
    writeFileSync(file, HANDBOOK);
    return { file, temp };
  })();
  afterAll(() => document.temp.cleanup());

  async function passages() {
    const loaded = (await loadCorpus(path.dirname(document.file))).documents[0]!;
    const chunks = chunkDocument(loaded);
    return { chunks, lookup: { documents: new Map([[loaded.id, loaded]]), chunks: new Map(chunks.map((chunk) => [chunk.id, chunk])) } };
  }
  const heading = (chunks: Awaited<ReturnType<typeof passages>>['chunks'], title: string) => chunks.find((chunk) => chunk.kind === 'header' && chunk.text.endsWith(title))!;

  it('skips a subheading to reach the first text of the section', async () => {
    const { chunks, lookup } = await passages();
    expect(sectionOpening(heading(chunks, 'Water and tools'), lookup)?.text).toBe('Water is available from the standpipes between April and October.');
  });

  it('finds nothing when the section has no text of its own', async () => {
    const { chunks, lookup } = await passages();
    expect(sectionOpening(heading(chunks, 'Contacts'), lookup)).toBeNull();
  });
});
