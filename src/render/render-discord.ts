import { escapeMarkdown as escapeDiscordMarkdown } from '@discordjs/formatters';
import type { SourcePassage } from '../answering/resolve-source.js';
import { describeMatch, type SearchResult } from '../answering/explain-search.js';
import type { Answer, Quote } from '../domain.js';
import { formatUserMessage, type UserError } from '../errors.js';
import { cutAtCharacters } from '../text/cut-text.js';
import { joinAttributions } from '../chunking/attributions.js';
import { markQuotedPart } from './render-passage.js';
import { describePassageLocation, foldWrappedLines } from './describe-location.js';
import { describeChangedDetail, renderCitation } from './render-text.js';

/** Discord's limits, in characters. */
export const DISCORD_LIMITS = {
  content: 2_000,
  embedDescription: 4_096,
  embedTitle: 256,
  embedFooter: 2_048,
  embedTotal: 6_000,
  buttonLabel: 80,
} as const;

/** Colours: answered, abstained, informational. */
const COLOR = { answer: 0x2f855a, abstain: 0xb7791f, info: 0x4a5568 } as const;

/** A message payload in Discord API shape (discord.js accepts it as is). */
export interface DiscordPayload {
  content?: string;
  embeds: DiscordEmbed[];
  components: DiscordActionRow[];
  allowedMentions: { parse: [] };
}

export interface DiscordEmbed {
  title?: string;
  description: string;
  color?: number;
  footer?: { text: string };
}

export interface DiscordActionRow {
  type: 1;
  components: DiscordButton[];
}

export interface DiscordButton {
  type: 2;
  style: 1 | 2 | 3 | 4;
  label: string;
  custom_id: string;
  emoji?: { name: string };
}

/** Custom ids of the answer's buttons: `source:<answerId>:<n>` and `vote:<answerId>:up|down`. */
export const sourceButtonId = (answerId: string, citation: number): string => `source:${answerId}:${citation}`;
export const voteButtonId = (answerId: string, vote: 'up' | 'down'): string => `vote:${answerId}:${vote}`;

/**
 * Renders an Answer for Discord: quotes as block quotes with [n] markers and a sources
 * footer in one embed (cut at a sentence boundary to fit), a "Source n" button per
 * citation and 👍/👎 buttons. Mentions are never parsed.
 */
export function renderAnswerDiscord(answer: Answer, answerId: string): DiscordPayload {
  if (answer.reason === 'not-a-question') {
    return payload([{ description: "I only answer questions about the documents, and only with quotes from them — I can't write, translate or make things up.", color: COLOR.info }], []);
  }
  const quotes = answer.abstained ? answer.related : answer.quotes;
  const readAs = answer.readAs ? `*Read as “${escapeMarkdown(oneLine(answer.readAs))}”*\n\n` : '';
  // The closest sentence says the question with one detail changed: say which, so the user can check it.
  const changed = answer.changedDetail ? ` ${describeChangedDetail(answer.changedDetail, escapeMarkdown)}` : '';
  const intro = answer.abstained
    ? `${readAs}**The sources don't answer that.**${changed}${quotes.length > 0 ? '\nClosest passages (related, not an answer):' : ''}\n\n`
    : readAs;
  const sources = quotes.length > 0 ? `\n\n**Sources**\n${quotes.map((q) => `${escapeMarkdown(renderCitation(q))}${q.url ? ` — ${renderLink(q.url)}` : ''}`).join('\n')}` : '';
  const room = DISCORD_LIMITS.embedDescription - intro.length - sources.length;
  const body = fitQuotes(quotes, room).trimEnd();
  const embed: DiscordEmbed = {
    title: truncate(`❓ ${escapeMarkdown(oneLine(answer.question))}`, DISCORD_LIMITS.embedTitle),
    description: `${intro}${body}${sources}`.trim(),
    color: answer.abstained ? COLOR.abstain : COLOR.answer,
    footer: { text: answer.abstained ? `confidence ${answer.confidence.toFixed(2)} — ${answer.reason === 'off-target' ? 'the closest quote does not mention what you asked about' : 'below the answer threshold'}` : `confidence ${answer.confidence.toFixed(2)} · verbatim quotes only` },
  };
  const sourceButtons: DiscordButton[] = quotes.slice(0, 5).map((q) => ({
    type: 2,
    style: 2,
    label: `Source ${q.citation}`,
    custom_id: sourceButtonId(answerId, q.citation),
  }));
  const voteButtons: DiscordButton[] = [
    { type: 2, style: 2, label: 'Helpful', emoji: { name: '👍' }, custom_id: voteButtonId(answerId, 'up') },
    { type: 2, style: 2, label: 'Not helpful', emoji: { name: '👎' }, custom_id: voteButtonId(answerId, 'down') },
  ];
  const rows: DiscordActionRow[] = [];
  if (sourceButtons.length > 0) rows.push({ type: 1, components: sourceButtons });
  rows.push({ type: 1, components: voteButtons });
  return payload([embed], rows);
}

/** The full passage behind a citation, the cited quote in bold, for an ephemeral reply. */
export function renderPassageDiscord(passage: SourcePassage): DiscordPayload {
  const { chunk, document } = passage;
  const body = markQuotedPart(passage, (quoted) => `**${quoted}**`, escapeMarkdown);
  const attribution = joinAttributions(chunk.sentences);
  const details = [
    `**${escapeMarkdown(document.title)}** — ${escapeMarkdown(describePassageLocation(chunk, document))}`,
    attribution ? `Attribution: ${escapeMarkdown(attribution)}` : null,
    `Passage \`${chunk.id}\` · previous \`${passage.previousId ?? '—'}\` · next \`${passage.nextId ?? '—'}\``,
  ].filter((line): line is string => line !== null).join('\n');
  const room = DISCORD_LIMITS.embedDescription - details.length - 2;
  return payload([{ title: truncate(`📄 ${escapeMarkdown(document.title)}`, DISCORD_LIMITS.embedTitle), description: `${fitAtSentence(body, room)}\n\n${details}`, color: COLOR.info, footer: { text: `${chunk.source} [${chunk.start}:${chunk.end}]` } }], []);
}

/** Characters of a passage shown under each `/search` result: eight results fit one embed. */
const SEARCH_PREVIEW_CHARS = 240;

/**
 * `/search` results: what `/ask` would consider for these words, best first — each
 * passage's id, its ranks in BM25 and the dense index, the fused score, the question words
 * it holds (and through which alternative), and its opening words.
 */
export function renderSearchDiscord(result: SearchResult): DiscordPayload {
  const lines = result.hits.map((hit, i) => {
    const ranks = [hit.lexicalRank ? `BM25 #${hit.lexicalRank}` : null, hit.denseRank ? `dense #${hit.denseRank}` : null].filter(Boolean).join(', ');
    const matched = hit.matches.length > 0 ? `\nmatched: ${escapeMarkdown(hit.matches.map(describeMatch).join(' · '))}` : '';
    return `**${i + 1}.** \`${hit.chunk.id}\` — score ${hit.score.toFixed(4)} (${ranks})${matched}\n> ${escapeMarkdown(truncate(oneLine(hit.chunk.text), SEARCH_PREVIEW_CHARS))}`;
  });
  const corrected = result.corrections.map(({ typed, searched }) => `“${typed}” as “${searched}”`).join(', ');
  const intro = `What /ask considers for these words, best first${corrected ? `; searched ${escapeMarkdown(corrected)}` : ''}.`;
  const description = lines.length > 0 ? fitAtSentence(`${intro}\n\n${lines.join('\n\n')}`, DISCORD_LIMITS.embedDescription) : 'No passage matches that query.';
  return payload([{ title: truncate(`🔎 ${escapeMarkdown(oneLine(result.query))}`, DISCORD_LIMITS.embedTitle), description, color: COLOR.info }], []);
}

/** A plain informational or error message. */
export function renderNotice(text: string): DiscordPayload {
  return { content: fitAtSentence(text, DISCORD_LIMITS.content), embeds: [], components: [], allowedMentions: { parse: [] } };
}

/** A UserError as a notice, whatever the user typed in it (a ref, a question) escaped to show as written. */
export function renderUserErrorDiscord(error: UserError): DiscordPayload {
  return renderNotice(formatUserMessage(error.code, error.params, escapeInlineMarkdown));
}

/** An embed with a title and free text (help, reindex progress). */
export function renderInfo(title: string, text: string): DiscordPayload {
  return payload([{ title: truncate(title, DISCORD_LIMITS.embedTitle), description: fitAtSentence(text, DISCORD_LIMITS.embedDescription), color: COLOR.info }], []);
}

function payload(embeds: DiscordEmbed[], components: DiscordActionRow[]): DiscordPayload {
  return { embeds, components, allowedMentions: { parse: [] } };
}

/** Quotes as block quotes; those that do not fit are cut at a sentence boundary, or left out. */
function fitQuotes(quotes: readonly Quote[], room: number): string {
  let text = '';
  for (const quote of quotes) {
    const marker = ` **[${quote.citation}]**`;
    const block = (body: string): string => `${body.split(/\r?\n/).map((line) => `> ${line}`).join('\n')}${marker}\n\n`;
    const full = block(escapeMarkdown(foldWrappedLines(quote.text)));
    if (text.length + full.length <= room) {
      text += full;
      continue;
    }
    const left = room - text.length - (block('').length + 2);
    if (left > 80) text += block(fitAtSentence(escapeMarkdown(foldWrappedLines(quote.text)), left));
    break;
  }
  return text;
}

/**
 * Cuts text to at most `max` characters at the last sentence end that fits (else the
 * last space), marking the cut with "…". Text that fits is returned unchanged.
 */
export function fitAtSentence(text: string, max: number): string {
  if (text.length <= max) return text;
  const limit = max - 2;
  const head = text.slice(0, limit);
  let cut = -1;
  for (const match of head.matchAll(/[.!?…]["'”’)\]]*(?=\s)/g)) cut = match.index + match[0].length;
  if (cut < limit / 2) cut = head.lastIndexOf(' ');
  if (cut <= 0) cut = cutAtCharacters(head, limit).length;
  return `${text.slice(0, cut).trimEnd()} …`;
}

/**
 * A document's link as Discord shows it: `<https://…>`, a link that is never previewed.
 * Anything that is not a plain http(s) URL (or was shortened for display) is escaped text.
 */
export function renderLink(url: string, shortened = false): string {
  if (!shortened && /^https?:\/\/[^\s<>]+$/i.test(url)) return `<${url}>`;
  return escapeMarkdown(url);
}

/**
 * Backslash-escapes Markdown so a verbatim passage, or text a user typed, renders as
 * written: discord.js's own escaper with every option on (masked links, lists, headings
 * included), plus what it leaves active (checked with @discordjs/formatters 0.6): block
 * quotes and `-#` subtext at a line start, any other `[` — it escapes only the first
 * masked link on a line, and a passage escaped in pieces around its quote can split a link
 * between two pieces —, and mentions: `<@id>`, `<@&id>`, `<#id>` and `</command:id>` lose
 * their `<` to a backslash (Discord then shows them as typed), `@everyone` and `@here` get
 * a zero-width space after the `@`, as discord.js's `cleanContent` does (a backslash does
 * not stop Discord from highlighting them).
 */
export function escapeMarkdown(text: string): string {
  return escapeInlineMarkdown(escapeDiscordMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true }).replace(/^( *)(>|-#)/gm, '$1\\$2'), false);
}

/**
 * The same for a piece that stands inside a line (a file name, a host, a reason in a
 * sentence): line-start markers are not markup there, so "127.0.0.1" stays as written.
 */
export function escapeInlineMarkdown(text: string, markdown = true): string {
  return (markdown ? escapeDiscordMarkdown(text, { maskedLink: true }) : text)
    .replace(/(?<!\\)((?:\\\\)*)\[/g, '$1\\[')
    .replace(/(?<!\\)((?:\\\\)*)<(?=[@#/])/g, '$1\\<')
    .replace(/@(everyone|here)\b/g, '@\u200b$1');
}

/**
 * Cuts to at most `max` characters, marking the cut with "…": between whole characters
 * (never half an emoji), and never after a lone escaping backslash, which would escape
 * the "…" and leave a stray backslash.
 */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = cutAtCharacters(text, max - 1);
  const danglingEscape = /(?<!\\)(?:\\\\)*\\$/.test(head);
  return `${danglingEscape ? head.slice(0, -1) : head}…`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
