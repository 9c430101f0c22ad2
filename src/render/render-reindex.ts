import type { ReindexProgress, ReindexSummary } from '../engine-types.js';

/** One-paragraph summary of a reindex, for the terminal and Discord alike. */
export function formatReindexSummary(summary: ReindexSummary): string {
  const pages = summary.files.reduce((sum, file) => sum + (file.pages ?? 0), 0);
  const lines = [
    `Reindexed ${summary.documents} document(s)${pages > 0 ? ` (${pages} PDF page(s))` : ''} into ${summary.chunks} passage(s) in ${summary.seconds < 10 ? summary.seconds.toFixed(2) : summary.seconds.toFixed(1)} s.`,
    `Changes: ${summary.added} added, ${summary.changed} changed, ${summary.removed} removed; ${summary.reusedEmbeddings} embedding(s) reused from the cache.`,
  ];
  const converted = summary.files.filter((file) => file.outcome === 'indexed' && file.encoding !== null && !/^utf-8/.test(file.encoding));
  for (const file of converted) lines.push(`Read ${file.file} as ${file.encoding} text (it is not UTF-8).`);
  for (const file of summary.skipped) lines.push(`Skipped ${file.source}: ${file.reason.replace(/\.$/, '')}.`);
  lines.push(...summary.warnings);
  return lines.join('\n');
}

/** A progress line for a reindex under way. */
export function describeReindexProgress(progress: ReindexProgress): string {
  switch (progress.phase) {
    case 'read':
      return `Reading ${progress.source} (${progress.done + 1}/${progress.total})…`;
    case 'load':
      return `Read ${progress.documents} document(s)…`;
    case 'chunk':
      return `Split into ${progress.chunks} passage(s)…`;
    case 'embed':
      return `Embedding ${progress.done}/${progress.total} passage(s)…`;
    case 'save':
      return 'Saving the new index…';
  }
}

/** `reindex --json`: the summary with every file's outcome (contract in DESIGN.md). */
export function renderReindexJson(summary: ReindexSummary): object {
  return {
    documents: summary.documents,
    passages: summary.chunks,
    seconds: Math.round(summary.seconds * 1000) / 1000,
    added: summary.added,
    changed: summary.changed,
    removed: summary.removed,
    reusedEmbeddings: summary.reusedEmbeddings,
    skipped: summary.skipped.length,
    files: summary.files,
    warnings: summary.warnings,
  };
}
