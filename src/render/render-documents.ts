import type { DocumentChangeResult, ListedDocument, RemovedDocument } from '../documents/manage-corpus.js';
import { describeOutcome } from '../documents/manage-corpus.js';
import { formatUserMessage, type UserError } from '../errors.js';
import type { DocumentOrigin } from '../question-log/document-log.js';
import { type DiscordActionRow, type DiscordPayload, escapeInlineMarkdown, fitAtSentence, renderInfo, renderLink } from './render-discord.js';

/**
 * The corpus's documents and the outcome of a change to them, for Discord (an ephemeral
 * embed, paginated with buttons) and the terminal (plain text).
 */

/**
 * Documents per page of `/documents list`. An entry is at most about 530 characters (a
 * 90-character name escaped to twice its length, a 130-character outcome, a 140-character
 * link and the rest), so seven stay inside an embed's 4,096 with the notes under them.
 */
export const DOCUMENTS_PER_PAGE = 7;
/** Characters of a file name shown in a list entry (before escaping). */
const MAX_NAME_CHARS = 90;
/** Characters of a skip reason shown in a list entry. */
const MAX_DETAIL_CHARS = 130;
/** Characters of a link shown in a list entry. */
const MAX_LINK_CHARS = 140;
/** Custom id of a list page button: `documents:list:<page>` (0-based). */
export const documentsPageButtonId = (page: number): string => `documents:list:${page}`;

/** Who is reading: their hash as the log stores users, to say "you" for what they added. */
export interface ListViewer {
  userHash: string | null;
}

/** One page of `/documents list`, with Previous/Next buttons when there are other pages. */
export function renderDocumentListDiscord(listing: { documents: readonly ListedDocument[]; originsReadable: boolean }, removed: number, requestedPage: number, viewer: ListViewer): DiscordPayload {
  const { documents } = listing;
  const pages = Math.max(1, Math.ceil(documents.length / DOCUMENTS_PER_PAGE));
  const page = Math.min(Math.max(0, requestedPage), pages - 1);
  const shown = documents.slice(page * DOCUMENTS_PER_PAGE, (page + 1) * DOCUMENTS_PER_PAGE);
  const indexed = documents.filter((entry) => entry.outcome.outcome === 'indexed').length;
  const lines = shown.map((entry, i) => {
    const number = page * DOCUMENTS_PER_PAGE + i + 1;
    const outcome = escapeInlineMarkdown(cut(describeOutcome(entry.outcome), MAX_DETAIL_CHARS));
    const origin = describeOriginDiscord(entry.origin, viewer);
    return `**${number}. ${escapeInlineMarkdown(cut(entry.file, MAX_NAME_CHARS))}** — ${outcome}\n${origin}`;
  });
  const notes = [
    documents.length === 0 ? 'The index has no files yet.' : null,
    listing.originsReadable ? null : '_Who added each file is unavailable: the log cannot be read right now._',
    removed > 0 ? `${removed} removed file(s) kept aside — \`/documents restore\` brings one back.` : null,
  ].filter((note): note is string => note !== null);
  const title = `Documents — ${documents.length} file(s): ${indexed} indexed, ${documents.length - indexed} skipped${pages > 1 ? ` · page ${page + 1} of ${pages}` : ''}`;
  const payload = renderInfo(title, [...lines, ...(notes.length > 0 ? ['', ...notes] : [])].join('\n'));
  const buttons: DiscordActionRow['components'] = [];
  if (page > 0) buttons.push({ type: 2, style: 2, label: 'Previous', emoji: { name: '◀️' }, custom_id: documentsPageButtonId(page - 1) });
  if (page < pages - 1) buttons.push({ type: 2, style: 2, label: 'Next', emoji: { name: '▶️' }, custom_id: documentsPageButtonId(page + 1) });
  return { ...payload, components: buttons.length > 0 ? [{ type: 1, components: buttons }] : [] };
}

/** Every document as plain lines, for the terminal. */
export function renderDocumentListText(listing: { documents: readonly ListedDocument[]; originsReadable: boolean }, removed: readonly RemovedDocument[]): string {
  const lines = listing.documents.map((entry) => `${entry.file} — ${describeOutcome(entry.outcome)}\n   ${describeOriginText(entry.origin)}`);
  if (lines.length === 0) lines.push('The index has no files yet.');
  if (!listing.originsReadable) lines.push('(Who added each file is unavailable: the log cannot be read right now.)');
  if (removed.length > 0) {
    lines.push('', 'Removed, kept aside (/restore NAME):');
    for (const entry of removed) lines.push(`  ${entry.name} — was ${entry.corpusName}${entry.origin?.removedAt ? `, removed ${formatTime(entry.origin.removedAt)}` : ''}`);
  }
  return lines.join('\n');
}

/** What became of an add, remove or restore, as Discord Markdown (names escaped, links as links). */
export function renderDocumentChangeDiscord(result: DocumentChangeResult): { title: string; text: string } {
  const name = `**${escapeInlineMarkdown(result.file)}**`;
  const from = result.url ? `\nFrom ${renderLink(result.url)}.` : '';
  const renamed = result.requestedName ? `\nSent as “${escapeInlineMarkdown(cut(result.requestedName, 200))}”; saved under a safe, free name.` : '';
  const corpus = `\n\nThe index now holds ${result.summary.documents} document(s) in ${result.summary.chunks} passage(s).`;
  switch (result.action) {
    case 'add':
      return { title: 'Document added', text: `${name} is ${escapeInlineMarkdown(describeOutcome(result.outcome))}.${from}${renamed}${corpus}` };
    case 'remove':
      return {
        title: 'Document removed',
        text: `${name} was removed from the corpus: answers no longer come from it.\nIt is kept as ${escapeInlineMarkdown(result.keptAs ?? '')} in the bot's data folder; \`/documents restore\` brings it back.${corpus}`,
      };
    case 'restore':
      return { title: 'Document restored', text: `${name} is back in the corpus and ${escapeInlineMarkdown(describeOutcome(result.outcome))}.${from}${result.requestedName ? `\nIts old name “${escapeInlineMarkdown(result.requestedName)}” was taken, so it has a new one.` : ''}${corpus}` };
  }
}

/** The same as plain text, for the terminal. */
export function renderDocumentChangeText(result: DocumentChangeResult): string {
  const from = result.url ? ` (from ${result.url})` : '';
  const renamed = result.requestedName ? ` — sent as "${result.requestedName}", saved as ${result.file}` : '';
  const corpus = `The index now holds ${result.summary.documents} document(s) in ${result.summary.chunks} passage(s).`;
  switch (result.action) {
    case 'add':
      return `Added ${result.file}${from}: ${describeOutcome(result.outcome)}${renamed}.\n${corpus}`;
    case 'remove':
      return `Removed ${result.file}: answers no longer come from it. Kept as ${result.keptAs} in DATA_DIR; /restore brings it back.\n${corpus}`;
    case 'restore':
      return `Restored ${result.file}${from}: ${describeOutcome(result.outcome)}${result.requestedName ? ` (its old name ${result.requestedName} was taken)` : ''}.\n${corpus}`;
  }
}

/** A UserError's message with the user's own words in it (names, links) escaped for Discord. */
export function renderUserErrorMarkdown(error: UserError): string {
  const params = Object.fromEntries(Object.entries(error.params).map(([key, value]) => [key, typeof value === 'string' ? (key === 'url' ? renderLink(value) : escapeInlineMarkdown(value)) : value]));
  return formatUserMessage(error.code, params);
}

/** Autocomplete choices: Discord takes at most 25, names and values of at most 100 characters. */
export function renderChoices(entries: readonly { name: string; value: string }[]): { name: string; value: string }[] {
  return entries.filter((entry) => entry.value.length <= 100).slice(0, 25).map((entry) => ({ name: cut(entry.name, 100), value: entry.value }));
}

/** "added Jan 2, 14:03 by you · from <link>", or how else the file came to be there. */
function describeOriginDiscord(origin: DocumentOrigin | null, viewer: ListViewer): string {
  if (!origin || origin.addedAt === null) return '  placed in the corpus folder (not added through the bot)';
  const who = origin.addedVia === 'terminal' ? 'from the terminal' : origin.addedBy && origin.addedBy === viewer.userHash ? 'by you' : origin.addedBy ? `by admin ${origin.addedBy.slice(0, 8)}` : 'by an admin';
  const link = origin.url ? ` · from ${renderLink(cut(origin.url, MAX_LINK_CHARS), origin.url.length > MAX_LINK_CHARS)}` : '';
  return `  added <t:${Math.floor(origin.addedAt / 1000)}:f> ${who}${link}`;
}

function describeOriginText(origin: DocumentOrigin | null): string {
  if (!origin || origin.addedAt === null) return 'placed in the corpus folder (not added through the bot)';
  const who = origin.addedVia === 'terminal' ? 'from the terminal' : origin.addedBy ? `by Discord user ${origin.addedBy.slice(0, 8)}` : 'through Discord';
  return `added ${formatTime(origin.addedAt)} ${who}${origin.url ? ` from ${origin.url}` : ''}`;
}

/** "2025-01-02 14:03 UTC". */
function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * Escapes Markdown in a name or a reason shown inside a line: emphasis, code, spoilers and
 * links are escaped; rules that apply only at a line's start (headings, lists) are not, as
 * the text never starts one.
 */

function cut(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : fitAtSentence(line, max);
}
