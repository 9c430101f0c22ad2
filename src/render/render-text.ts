import type { Answer, Quote } from '../domain.js';
import { describeQuoteLocation, foldWrappedLines } from './describe-location.js';

/**
 * Renders an Answer as plain text for a person (terminal, JSON `text`): each quote
 * verbatim as a block quote with its [n] marker, then the numbered sources.
 */
export function renderAnswerText(answer: Answer): string {
  if (answer.reason === 'not-a-question') {
    return "I only answer questions about the documents, and only with quotes from them — I can't write, translate or make things up.";
  }
  const readAs = answer.readAs ? [`Read as: “${answer.readAs}”`, ''] : [];
  if (answer.abstained) {
    const why = answer.reason === 'off-target' ? ' The closest quote does not mention what you asked about.' : answer.changedDetail ? ` ${describeChangedDetail(answer.changedDetail)}` : '';
    const lines = [...readAs, `The sources don't answer that.${why}`];
    if (answer.related.length > 0) {
      lines.push('', 'Closest passages (related, not an answer):', '', ...answer.related.flatMap(renderQuoteLines), 'Sources:', ...answer.related.map(renderSourceLine));
    }
    return lines.join('\n');
  }
  return [...readAs, ...answer.quotes.flatMap(renderQuoteLines), 'Sources:', ...answer.quotes.map(renderSourceLine)].join('\n');
}

/**
 * What the closest sentence says in place of a word asked ("The closest passage says
 * “fifth” where you asked “sixth”."), each word passed through `escape` (Discord's Markdown).
 */
export function describeChangedDetail(detail: NonNullable<Answer['changedDetail']>, escape: (text: string) => string = (text) => text): string {
  return `The closest passage says “${escape(detail.says)}” where you asked “${escape(detail.asked)}”.`;
}

/** A citation, then the document's own link when it has one. */
function renderSourceLine(quote: Quote): string {
  return quote.url ? `${renderCitation(quote)} ${quote.url}` : renderCitation(quote);
}

function renderQuoteLines(quote: Quote): string[] {
  const lines = foldWrappedLines(quote.text).split(/\r?\n/).map((line) => `> ${line}`);
  lines[lines.length - 1] += ` [${quote.citation}]`;
  return [...lines, ''];
}

/**
 * `[1] Title, paragraph 4 — Kazinform, November 13 (corpus/file.txt)`;
 * `[2] Manual, page 3 of 12 · Setup › Options (corpus/manual.pdf)`.
 */
export function renderCitation(quote: Quote): string {
  const attribution = quote.attribution ? ` — ${quote.attribution}` : '';
  return `[${quote.citation}] ${quote.documentTitle}, ${describeQuoteLocation(quote)}${attribution} (${quote.source})`;
}
