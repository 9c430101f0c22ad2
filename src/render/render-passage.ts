import type { SourcePassage } from '../answering/resolve-source.js';

/**
 * The full passage behind a citation, as text: title, paragraph, attribution, the
 * passage with the cited quote marked between » and «, and its neighbours' ids.
 */
export function renderPassageText(passage: SourcePassage, mark: (quoted: string) => string = (q) => `»${q}«`): string {
  const { chunk, document, quote } = passage;
  let body = chunk.text;
  if (quote && quote.start >= chunk.start && quote.end <= chunk.end) {
    const from = quote.start - chunk.start;
    const to = quote.end - chunk.start;
    body = `${body.slice(0, from)}${mark(body.slice(from, to))}${body.slice(to)}`;
  }
  const attributions = [...new Set(chunk.sentences.map((s) => s.attribution).filter((a): a is string => a !== null))];
  const header = `${document.title} — paragraph ${chunk.paragraph} (${chunk.id})`;
  const lines = [header];
  if (document.publication) lines.push(`Publication: ${document.publication}`);
  if (attributions.length > 0) lines.push(`Attribution: ${attributions.join('; ')}`);
  lines.push('', body, '');
  lines.push(`Previous: ${passage.previousId ?? '—'} · Next: ${passage.nextId ?? '—'} · File: ${chunk.source} [${chunk.start}:${chunk.end}]`);
  return lines.join('\n');
}
