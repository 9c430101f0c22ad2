/**
 * A `.md` corpus file may hold Markdown links. Quoted verbatim into Discord, a link whose
 * text misleads (`[official record](https://evil.example)`) must show as written, never
 * as an active masked link: in the answer, the passage behind a citation and /search.
 * The same holds for what users type and documents are titled, wherever a reply repeats
 * it: embed titles, notices (masked links, mentions, @everyone).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSource } from '../../src/answering/resolve-source.js';
import type { Answer } from '../../src/domain.js';
import { createEngine } from '../../src/engine.js';
import type { Engine } from '../../src/engine-types.js';
import { UserError } from '../../src/errors.js';
import { DISCORD_LIMITS, type DiscordPayload, renderAnswerDiscord, renderPassageDiscord, renderSearchDiscord, renderUserErrorDiscord } from '../../src/render/render-discord.js';
import { findLiveMarkup, HOSTILE_MARKUP } from '../discord-markup.js';
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

/** Half of a surrogate pair: what a cut between UTF-16 units can leave of an emoji. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Every title, description, footer and the content: all of it Discord renders as Markdown. */
function allTextOf(payload: DiscordPayload): string {
  return [payload.content ?? '', ...payload.embeds.map((embed) => `${embed.title ?? ''}\n${embed.description}\n${embed.footer?.text ?? ''}`)].join('\n');
}

/** An answer as the engine gives it, for a question and quotes from a document titled `title`. */
function answerTo(question: string, title = 'Notes'): Answer {
  return { question, resolvedQuestion: question, abstained: false, confidence: 1, related: [], retrievedChunkIds: [], reason: null,
    quotes: [{ citation: 1, text: 'A quoted sentence.', source: 'corpus/notes.md', documentId: 'notes', documentTitle: title, chunkId: 'notes#p1', paragraph: 1, item: null, start: 0, end: 0, attribution: null, textFile: 'corpus/notes.md', url: null, page: null, pageCount: null, section: null }] };
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
      quotes: [{ citation: 1, text: lines.join('\n'), source: 'corpus/notes.md', documentId: 'notes', documentTitle: 'Notes', chunkId: 'notes#p1', paragraph: 1, item: null, start: 0, end: 0, attribution: null, textFile: 'corpus/doc.txt', url: null, page: null, pageCount: null, section: null }] };
    const description = renderAnswerDiscord(answer, 'id').embeds[0]!.description;
    expect(description).toContain('> \\- a bullet\n> \\* a star\n> 1\\. a number\n> \\# a heading\n> \\> a quote\n> \\-# small print **[1]**');
  });
});

describe('user text and document titles in what the bot sends', () => {
  it('escapes the question in the answer\'s embed title, and the query in /search\'s', () => {
    const answer = renderAnswerDiscord(answerTo(`${HOSTILE_MARKUP} **bold**?`), 'id');
    expect(answer.embeds[0]!.title).toContain('\\[click](https://evil.example/phish)');
    expect(answer.embeds[0]!.title).toContain('\\*\\*bold\\*\\*');
    expect(findLiveMarkup(allTextOf(answer))).toEqual([]);
    const search = renderSearchDiscord({ query: HOSTILE_MARKUP, corrections: [], hits: [] });
    expect(search.embeds[0]!.title).toContain('\\<@123456789012345678>');
    expect(findLiveMarkup(allTextOf(search))).toEqual([]);
  });

  it('escapes a document title, in the passage embed\'s title and details and in the sources list', async () => {
    const temp = makeTempDir();
    try {
      writeCorpus(temp.dir, { 'notes.md': `---\ntitle: "${HOSTILE_MARKUP.replace(/"/g, '\\"')}"\n---\nThe council met in Geneva in November.\n` });
      const engine = await createEngine({ config: testConfig(temp.dir), embedder: null, embedderWarning: 'lexical-only in this test' });
      const passage = renderPassageDiscord(resolveSource(engine, engine.listChunks()[0]!.id, null));
      expect(passage.embeds[0]!.title).toContain('\\[click]');
      expect(findLiveMarkup(allTextOf(passage))).toEqual([]);
      expect(findLiveMarkup(allTextOf(renderAnswerDiscord(answerTo('Where did the council meet?', HOSTILE_MARKUP), 'id')))).toEqual([]);
    } finally {
      temp.cleanup();
    }
  });

  it('cuts a long title between characters, never inside an emoji, within Discord\'s 256', () => {
    // "❓ " and 252 letters put the cut between the two halves of the first emoji.
    const title = renderAnswerDiscord(answerTo(`${'a'.repeat(252)}😀😀?`), 'id').embeds[0]!.title!;
    expect(title.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
    expect(title).not.toMatch(LONE_SURROGATE);
    expect(title.endsWith('a…')).toBe(true);
    // A family emoji is one character of seven code points: kept whole or left out.
    const family = renderSearchDiscord({ query: `${'b'.repeat(250)}👨‍👩‍👧‍👦 and more`, corrections: [], hits: [] }).embeds[0]!.title!;
    expect(family.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
    expect(family.endsWith('b…')).toBe(true);
  });

  it('repeats a user\'s text in a refusal as written, not as markup: every catalogue message with user text', () => {
    const errors = [
      new UserError('unknown-source', { ref: HOSTILE_MARKUP, example: 'notes#p1' }),
      new UserError('no-previous-answer', { ref: HOSTILE_MARKUP }),
      new UserError('corpus-empty', { dir: HOSTILE_MARKUP, skipped: ` ${HOSTILE_MARKUP}` }),
      new UserError('index-build-failed', { detail: HOSTILE_MARKUP }),
    ];
    for (const error of errors) {
      const notice = renderUserErrorDiscord(error);
      expect(findLiveMarkup(allTextOf(notice)), error.code).toEqual([]);
      expect(notice.content).toContain('https://evil.example/phish');
      expect(notice.allowedMentions).toEqual({ parse: [] });
    }
    expect(renderUserErrorDiscord(errors[0]!).content).toContain('`notes#p1`');
    // The terminal shows the text as typed: only Discord reads Markdown.
    expect(errors[0]!.message).toContain(`"${HOSTILE_MARKUP}"`);
  });
});
