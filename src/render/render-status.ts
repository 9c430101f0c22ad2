import type { EngineStatus } from '../engine-types.js';

/** Corpus size, retrieval mode and index age, for /help in the terminal and Discord. */
export function renderStatusText(status: EngineStatus, now: Date = new Date()): string {
  const mode = status.mode === 'hybrid'
    ? `hybrid (BM25 + embeddings from ${status.modelId})`
    : `lexical-only (BM25) — ${(status.lexicalReason ?? 'no embedding model').replace(/\.$/, '')}`;
  const pages = status.pages > 0 ? `, ${status.pages} PDF page(s)` : '';
  const skipped = status.skippedFiles > 0
    ? `\n${status.skippedFiles} file(s) in the corpus folder could not be read and are not searched; \`npm run reindex\` (or /documents list) says why for each.`
    : '';
  return [
    `Corpus: ${status.documents} document(s)${pages}, ${status.chunks} passage(s).${skipped}`,
    `Retrieval: ${mode}.`,
    `Index built ${formatAge(now.getTime() - status.builtAt.getTime())} ago${status.reindexing ? ' (a reindex is running)' : ''}.`,
  ].join('\n');
}

export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 90) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} days`;
}
