import type { Answer } from '../domain.js';
import type { Engine } from '../engine-types.js';

/**
 * What `/source` did before the passage directory, kept as the baseline its figures are
 * set against: autocomplete built a preview of every passage on each keystroke and
 * filtered them, and the neighbours of a passage were found by scanning every passage.
 */

/** Autocomplete choices the way it was: every passage previewed, lower-cased and filtered. */
export function suggestByScanning(engine: Engine, typed: string, lastAnswer: Answer | null, limit = 25): { name: string; value: string }[] {
  const needle = typed.trim().toLowerCase();
  const preview = (text: string): string => text.replace(/\s+/g, ' ').slice(0, 60);
  const fromAnswer = (lastAnswer ? [...lastAnswer.quotes, ...lastAnswer.related] : []).map((q) => ({ name: `[${q.citation}] ${preview(q.text)}`, value: String(q.citation) }));
  const passages = engine.listChunks().map((c) => ({ name: `${c.id} — ${preview(c.text)}`, value: c.id }));
  return [...fromAnswer, ...passages]
    .filter((option) => needle === '' || option.name.toLowerCase().includes(needle))
    .slice(0, limit)
    .map((option) => ({ name: option.name.slice(0, 100), value: option.value.slice(0, 100) }));
}

/** A passage's neighbours the way they were found: its document's passages filtered out of all. */
export function findNeighboursByScanning(engine: Engine, chunkId: string): { previousId: string | null; nextId: string | null } {
  const chunk = engine.getChunk(chunkId);
  if (!chunk) return { previousId: null, nextId: null };
  const siblings = engine.listChunks().filter((c) => c.documentId === chunk.documentId);
  const position = siblings.findIndex((c) => c.id === chunk.id);
  return { previousId: siblings[position - 1]?.id ?? null, nextId: siblings[position + 1]?.id ?? null };
}
