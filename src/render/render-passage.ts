import type { SourcePassage } from '../answering/resolve-source.js';
import { joinAttributions } from '../chunking/attributions.js';
import { describePassageLocation } from './describe-location.js';

/**
 * The passage's text with the cited quote wrapped by `mark`; `escape` is applied to every
 * piece of the text first (e.g. Markdown escaping), never to what `mark` adds.
 */
export function markQuotedPart(passage: SourcePassage, mark: (quoted: string) => string, escape: (text: string) => string = (text) => text): string {
  const { chunk, quote } = passage;
  if (!quote || quote.start < chunk.start || quote.end > chunk.end) return escape(chunk.text);
  const from = quote.start - chunk.start;
  const to = quote.end - chunk.start;
  return `${escape(chunk.text.slice(0, from))}${mark(escape(chunk.text.slice(from, to)))}${escape(chunk.text.slice(to))}`;
}

/**
 * The full passage behind a citation, as text: title, paragraph, attribution, the
 * passage with the cited quote marked between » and «, and its neighbours' ids.
 */
export function renderPassageText(passage: SourcePassage, mark: (quoted: string) => string = (q) => `»${q}«`): string {
  const { chunk, document } = passage;
  const body = markQuotedPart(passage, mark);
  const attribution = joinAttributions(chunk.sentences);
  const header = `${document.title} — ${describePassageLocation(chunk, document)} (${chunk.id})`;
  const lines = [header];
  if (document.publication) lines.push(`Publication: ${document.publication}`);
  if (attribution) lines.push(`Attribution: ${attribution}`);
  lines.push('', body, '');
  lines.push(`Previous: ${passage.previousId ?? '—'} · Next: ${passage.nextId ?? '—'} · File: ${chunk.source} [${chunk.start}:${chunk.end}]`);
  return lines.join('\n');
}
