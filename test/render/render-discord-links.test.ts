/**
 * A `.md` corpus file may hold Markdown links. Quoted verbatim into Discord, a link whose
 * text misleads (`[official record](https://evil.example)`) must show as written, never
 * as an active masked link: in the answer, the passage behind a citation and /search.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSource } from '../../src/answering/resolve-source.js';
import { createEngine } from '../../src/engine.js';
import type { Engine } from '../../src/engine-types.js';
import { type DiscordPayload, renderAnswerDiscord, renderPassageDiscord, renderSearchDiscord } from '../../src/render/render-discord.js';
import { makeTempDir, testConfig, writeCorpus } from '../helpers.js';

const NOTES = `---
title: Council notes
---
# Council notes

The council met in Geneva in November. Read the [official record](https://evil.example/record) and [the minutes](https://evil.example/minutes) before the vote on the budget.

Delegates said [the vote was fair. Observers from Norway agreed](https://evil.example/observers) with the delegates.
`;

/**
 * Every `[` Discord could read as the start of a masked link: one not escaped by a
 * backslash (an even run of backslashes escapes only itself) with `](` later on its line.
 */
function openLinkBrackets(markdown: string): string[] {
  return [...markdown.matchAll(/(?<!\\)(?:\\\\)*\[(?=[^\n]*\]\()[^\n]*/g)].map((match) => match[0]);
}

function markdownOf(payload: DiscordPayload): string {
  return [payload.content ?? '', ...payload.embeds.map((embed) => `${embed.description}\n${embed.footer?.text ?? ''}`)].join('\n');
}

describe('Markdown links in a .md corpus file', () => {
  let temp: { dir: string; cleanup: () => void };
  let engine: Engine;
  beforeAll(async () => {
    temp = makeTempDir();
    writeCorpus(temp.dir, { 'notes.md': NOTES });
    engine = await createEngine({ config: testConfig(temp.dir), embedder: null, embedderWarning: 'lexical-only in this test' });
  });
  afterAll(() => temp.cleanup());

  it('quotes two links on one line as text, in the answer, its passage and /search', async () => {
    const answer = await engine.ask('What should be read before the vote on the budget?');
    expect(answer.quotes[0]?.text).toContain('[official record](https://evil.example/record)');
    const rendered = markdownOf(renderAnswerDiscord(answer, 'id'));
    expect(rendered).toContain('\\[official record](https://evil.example/record)');
    expect(openLinkBrackets(rendered)).toEqual([]);
    expect(openLinkBrackets(markdownOf(renderPassageDiscord(resolveSource(engine, '1', answer))))).toEqual([]);
    expect(openLinkBrackets(markdownOf(renderSearchDiscord(await engine.search('official record minutes'))))).toEqual([]);
  });

  it('keeps a link inert when the quote starts inside it (the passage is escaped in pieces around the quote)', async () => {
    const answer = await engine.ask('Who agreed with the delegates?');
    expect(answer.quotes[0]?.text).toMatch(/^Observers from Norway agreed\]\(https:\/\/evil\.example/);
    const passage = markdownOf(renderPassageDiscord(resolveSource(engine, '1', answer)));
    expect(passage).toContain('Delegates said');
    expect(openLinkBrackets(passage)).toEqual([]);
  });

  it('escapes list markers, numbered lists, headings, block quotes and subtext at a line start', () => {
    const lines = ['- a bullet', '* a star', '1. a number', '# a heading', '> a quote', '-# small print'];
    const answer = { question: 'q?', resolvedQuestion: 'q?', abstained: false, confidence: 1, related: [], retrievedChunkIds: [], reason: null,
      quotes: [{ citation: 1, text: lines.join('\n'), source: 'corpus/notes.md', documentId: 'notes', documentTitle: 'Notes', chunkId: 'notes#p1', paragraph: 1, start: 0, end: 0, attribution: null, textFile: 'corpus/doc.txt', url: null, page: null, pageCount: null, section: null }] };
    const description = renderAnswerDiscord(answer, 'id').embeds[0]!.description;
    expect(description).toContain('> \\- a bullet\n> \\* a star\n> 1\\. a number\n> \\# a heading\n> \\> a quote\n> \\-# small print **[1]**');
  });
});
