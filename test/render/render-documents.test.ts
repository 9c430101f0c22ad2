import { describe, expect, it } from 'vitest';
import type { ListedDocument } from '../../src/documents/manage-corpus.js';
import type { FileOutcome } from '../../src/engine-types.js';
import { UserError } from '../../src/errors.js';
import { DISCORD_LIMITS } from '../../src/render/render-discord.js';
import { DOCUMENTS_PER_PAGE, renderChoices, renderDocumentListDiscord, renderUserErrorMarkdown } from '../../src/render/render-documents.js';

function listed(file: string, options: { skipped?: string; url?: string; addedBy?: string } = {}): ListedDocument {
  const outcome: FileOutcome = options.skipped
    ? { file: `corpus/${file}`, outcome: 'skipped', reason: options.skipped, format: null, encoding: null, pages: null, passages: 0, textFile: null }
    : { file: `corpus/${file}`, outcome: 'indexed', reason: null, format: 'pdf', encoding: null, pages: 12, passages: 40, textFile: `index/texts/${file}.txt` };
  const origin = options.addedBy ? { place: 'corpus' as const, name: file, corpusName: file, url: options.url ?? null, addedAt: Date.UTC(2025, 0, 2, 14, 3), addedBy: options.addedBy, addedVia: 'discord' as const, removedAt: null } : null;
  return { file, outcome, origin };
}

describe('the /documents list in Discord', () => {
  it('keeps the worst page — long names, long links, long skip reasons — inside the embed limit, with page buttons', () => {
    const documents = Array.from({ length: 20 }, (_, i) =>
      listed(`${String(i).padStart(2, '0')}-${'a very long document name '.repeat(8)}.pdf`, {
        addedBy: 'f'.repeat(32),
        url: `https://example.org/${'segment/'.repeat(300)}`,
        ...(i % 2 === 0 && { skipped: `no text layer: ${'the PDF has only scanned images of pages and no fonts with a Unicode map; '.repeat(10)}` }),
      }),
    );
    const first = renderDocumentListDiscord({ documents, originsReadable: true }, 2, 0, { userHash: null });
    const embed = first.embeds[0]!;
    expect(embed.description.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
    expect(embed.title!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
    expect(embed.title).toBe('Documents — 20 file(s): 10 indexed, 10 skipped · page 1 of 3');
    expect(embed.description.match(/^\*\*\d+\. /gm)).toHaveLength(DOCUMENTS_PER_PAGE);
    // The note comes last: the page was not cut to fit.
    expect(embed.description).toMatch(/2 removed file\(s\) kept aside — `\/documents restore` brings one back\.$/);
    expect(first.components[0]!.components.map((button) => [button.label, button.custom_id])).toEqual([['Next', 'documents:list:1']]);
    const last = renderDocumentListDiscord({ documents, originsReadable: true }, 0, 99, { userHash: null });
    expect(last.embeds[0]!.title).toMatch(/page 3 of 3$/);
    expect(last.components[0]!.components.map((button) => button.custom_id)).toEqual(['documents:list:1']);
    expect(last.allowedMentions).toEqual({ parse: [] });
  });

  it('escapes Markdown in names, says "by you" to whoever added a file, and links a link', () => {
    const page = renderDocumentListDiscord(
      { documents: [listed('**bold** _and_ `code` <@123>.md', { addedBy: 'a'.repeat(32), url: 'https://example.org/guide' }), listed('other.md', { addedBy: 'b'.repeat(32) })], originsReadable: true },
      0,
      0,
      { userHash: 'a'.repeat(32) },
    );
    const text = page.embeds[0]!.description;
    expect(text).toContain('**1. \\*\\*bold\\*\\* \\_and\\_ \\`code\\` \\<@123>.md** — indexed: 40 passages, 12 pages');
    expect(text).toContain(`added <t:${Date.UTC(2025, 0, 2, 14, 3) / 1000}:f> by you · from <https://example.org/guide>`);
    expect(text).toContain('by admin bbbbbbbb');
    expect(page.components).toEqual([]);
  });

  it('says when who added what cannot be read, and when there is nothing yet', () => {
    const text = renderDocumentListDiscord({ documents: [], originsReadable: false }, 0, 0, { userHash: null }).embeds[0]!.description;
    expect(text).toContain('The index has no files yet.');
    expect(text).toContain('Who added each file is unavailable');
  });
});

describe('refusals and choices in Discord', () => {
  it('escapes the user’s words in a refusal and shows a link as a link', () => {
    expect(renderUserErrorMarkdown(new UserError('document-refused', { name: '*evil*_name.exe', reason: 'unsupported type (.exe)' }))).toBe('Not added: \\*evil\\*\\_name.exe — unsupported type (.exe). Nothing was changed.');
    expect(renderUserErrorMarkdown(new UserError('document-download-failed', { url: 'https://example.org/a_b*c', detail: 'the server answered 404 Not Found' }))).toBe('Downloading <https://example.org/a_b*c> failed: the server answered 404 Not Found. Nothing was changed.');
    expect(renderUserErrorMarkdown(new UserError('document-url-invalid', { url: 'javascript:alert(1) **x**', detail: 'javascript links are not fetched' }))).toContain('javascript:alert(1) \\*\\*x\\*\\*');
  });

  it('offers at most 25 choices, each value short enough for Discord', () => {
    const choices = renderChoices([{ name: 'x'.repeat(150), value: 'y'.repeat(101) }, ...Array.from({ length: 30 }, (_, i) => ({ name: `${'n'.repeat(120)}${i}`, value: `v${i}` }))]);
    expect(choices).toHaveLength(25);
    expect(choices[0]!.value).toBe('v0');
    expect(choices.every((choice) => choice.name.length <= 100)).toBe(true);
  });
});
