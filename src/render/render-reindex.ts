import type { ReindexSummary } from '../engine-types.js';

/** One-paragraph summary of a reindex, for the terminal and Discord alike. */
export function formatReindexSummary(summary: ReindexSummary): string {
  const lines = [
    `Reindexed ${summary.documents} document(s) into ${summary.chunks} passage(s) in ${summary.seconds < 10 ? summary.seconds.toFixed(2) : summary.seconds.toFixed(1)} s.`,
    `Changes: ${summary.added} added, ${summary.changed} changed, ${summary.removed} removed; ${summary.reusedEmbeddings} embedding(s) reused from the cache.`,
  ];
  for (const file of summary.skipped) lines.push(`Skipped ${file.source}: ${file.reason}.`);
  lines.push(...summary.warnings);
  return lines.join('\n');
}
