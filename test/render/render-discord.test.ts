import { describe, expect, it } from 'vitest';
import type { Answer, Chunk, Document, Quote } from '../../src/domain.js';
import { DISCORD_LIMITS, escapeMarkdown, fitAtSentence, renderAnswerDiscord, renderNotice, renderPassageDiscord, type DiscordPayload } from '../../src/render/render-discord.js';

const sentence = (n: number): string => `Sentence ${n} says something *important* about the_topic at length.`;
const longText = Array.from({ length: 120 }, (_, i) => sentence(i)).join(' ');

function quote(citation: number, text: string): Quote {
  return { citation, text, source: 'corpus/doc.txt', documentId: 'doc', documentTitle: 'A Document', chunkId: `doc#p${citation}`, paragraph: citation, item: null, start: 0, end: text.length, attribution: 'Wire, May 1', textFile: 'corpus/doc.txt', url: null, page: null, pageCount: null, section: null };
}

function answerWith(quotes: Quote[], abstained = false): Answer {
  return { question: 'q?', resolvedQuestion: 'q?', abstained, confidence: 0.8, quotes: abstained ? [] : quotes, related: abstained ? quotes : [], retrievedChunkIds: [], reason: abstained ? 'not-in-sources' : null };
}

function embedTotal(payload: DiscordPayload): number {
  return payload.embeds.reduce((sum, e) => sum + (e.title?.length ?? 0) + e.description.length + (e.footer?.text.length ?? 0), 0);
}

describe('renderAnswerDiscord', () => {
  it('keeps a very long answer inside the embed limits, cut at a sentence boundary', () => {
    const payload = renderAnswerDiscord(answerWith([quote(1, longText), quote(2, longText), quote(3, longText)]), 'abc');
    const [embed] = payload.embeds;
    expect(embed!.description.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
    expect(embedTotal(payload)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    expect(embed!.description).toMatch(/length\. …/);
    expect(embed!.description).toContain('**Sources**');
    expect(payload.allowedMentions).toEqual({ parse: [] });
  });

  it('renders quotes as block quotes with markers, and a Source button per citation plus votes', () => {
    const payload = renderAnswerDiscord(answerWith([quote(1, 'First line.\nSecond line.'), quote(2, 'Other.')]), 'xyz');
    expect(payload.embeds[0]!.description).toContain('> First line.\n> Second line. **[1]**');
    expect(payload.embeds[0]!.description).toContain('[1] A Document, paragraph 1 — Wire, May 1');
    const ids = payload.components.flatMap((row) => row.components.map((b) => b.custom_id));
    expect(ids).toEqual(['source:xyz:1', 'source:xyz:2', 'vote:xyz:up', 'vote:xyz:down']);
  });

  it('says how a restated follow-up was read, above the quotes or the refusal', () => {
    const restated = { ...answerWith([quote(1, 'Thirty Years.')]), question: 'and a Senator?', readAs: 'How old must a *Senator* be?' };
    expect(renderAnswerDiscord(restated, 'r').embeds[0]!.description).toMatch(/^\*Read as “How old must a \\\*Senator\\\* be\?”\*\n\n> Thirty Years\./);
    const refused = { ...answerWith([quote(1, 'Nearby.')], true), readAs: 'How old must a Senator be?' };
    expect(renderAnswerDiscord(refused, 'r').embeds[0]!.description).toMatch(/^\*Read as “How old must a Senator be\?”\*\n\n\*\*The sources don't answer that\.\*\*/);
    expect(renderAnswerDiscord(answerWith([quote(1, 'Text.')]), 'r').embeds[0]!.description).not.toContain('Read as');
  });

  it('says why it refused a restated follow-up it had a confident quote for', () => {
    const offTarget = { ...answerWith([quote(1, 'Nearby.')], true), reason: 'off-target' as const, confidence: 0.89, readAs: 'What score did Human Rights Watch give?' };
    expect(renderAnswerDiscord(offTarget, 'r').embeds[0]!.footer!.text).toBe('confidence 0.89 — the closest quote does not mention what you asked about');
    expect(renderAnswerDiscord(answerWith([quote(1, 'Nearby.')], true), 'r').embeds[0]!.footer!.text).toBe('confidence 0.80 — below the answer threshold');
  });

  it('says plainly when the sources do not answer, offering related passages', () => {
    const payload = renderAnswerDiscord(answerWith([quote(1, 'Nearby text.')], true), 'n');
    expect(payload.embeds[0]!.description).toMatch(/^\*\*The sources don't answer that\.\*\*/);
    expect(payload.embeds[0]!.description).toContain('related, not an answer');
    const changed = renderAnswerDiscord({ ...answerWith([quote(1, 'Nearby text.')], true), changedDetail: { asked: 'west_wing', says: 'east' } }, 'c');
    expect(changed.embeds[0]!.description).toMatch(/^\*\*The sources don't answer that\.\*\* The closest passage says “east” where you asked “west\\_wing”\.\nClosest passages/);
  });
});

describe('renderPassageDiscord', () => {
  it('bolds the cited quote inside the full passage and stays within limits', () => {
    const text = `Intro sentence. The cited part. ${longText}`;
    const chunk: Chunk = { id: 'doc#p2', documentId: 'doc', source: 'corpus/doc.txt', paragraph: 2, kind: 'paragraph', start: 100, end: 100 + text.length, text, sentences: [], section: null, page: null };
    const document = { id: 'doc', title: 'A Document', publication: null } as Document;
    const cited = { ...quote(1, 'The cited part.'), start: 116, end: 131 };
    const payload = renderPassageDiscord({ chunk, document, quote: cited, previousId: 'doc#p1', nextId: null });
    const description = payload.embeds[0]!.description;
    expect(description).toContain('Intro sentence. **The cited part.**');
    expect(description.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
    expect(description).toContain('previous `doc#p1` · next `—`');
  });
});

describe('text helpers', () => {
  it('cuts at the last sentence end that fits', () => {
    expect(fitAtSentence('One two. Three four. Five six seven.', 25)).toBe('One two. Three four. …');
    expect(fitAtSentence('short', 25)).toBe('short');
  });

  it('escapes Markdown so verbatim text renders as written', () => {
    expect(escapeMarkdown('a *b* _c_ `d` ~~e~~ ||f|| \\g')).toBe('a \\*b\\* \\_c\\_ \\`d\\` \\~\\~e\\~\\~ \\|\\|f\\|\\| \\\\g');
    expect(escapeMarkdown('> not a quote\n# not a heading')).toBe('\\> not a quote\n\\# not a heading');
  });

  it('keeps notices within a message and never parses mentions', () => {
    const notice = renderNotice('x. '.repeat(2_000));
    expect(notice.content!.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
    expect(notice.allowedMentions).toEqual({ parse: [] });
  });
});
