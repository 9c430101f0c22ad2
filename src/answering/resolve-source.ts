import type { Answer, Chunk, Document, Quote } from '../domain.js';
import type { Engine } from '../engine-types.js';
import { UserError } from '../errors.js';
import { cutAtCharacters } from '../text/cut-text.js';

/** The full passage behind a citation or passage id. */
export interface SourcePassage {
  chunk: Chunk;
  document: Document;
  /** The quote the user cited, when the ref was a citation number. */
  quote: Quote | null;
  previousId: string | null;
  nextId: string | null;
}

/**
 * Resolves `/source` refs: a citation number ("2", "[2]") from the user's last answer
 * in this conversation, or a passage id ("kazakhstan-un-human-rights-council#p8").
 */
export function resolveSource(engine: Engine, ref: string, lastAnswer: Answer | null): SourcePassage {
  const trimmed = ref.trim();
  const citation = /^\[?(\d{1,3})\]?$/.exec(trimmed);
  let chunk: Chunk | undefined;
  let quote: Quote | null = null;
  if (citation) {
    if (!lastAnswer) throw new UserError('no-previous-answer', { ref: trimmed });
    const cited = [...lastAnswer.quotes, ...lastAnswer.related];
    quote = cited.find((q) => q.citation === Number(citation[1])) ?? null;
    if (!quote) throw new UserError('unknown-source', { ref: trimmed, example: engine.listChunks()[0]?.id ?? 'doc#p1' });
    chunk = engine.getChunk(quote.chunkId);
  } else {
    chunk = engine.getChunk(trimmed);
  }
  const document = chunk ? engine.getDocument(chunk.documentId) : undefined;
  if (!chunk || !document) throw new UserError('unknown-source', { ref: cutAtCharacters(trimmed, 100), example: engine.listChunks()[0]?.id ?? 'doc#p1' });
  return { chunk, document, quote, ...engine.neighbours(chunk.id) };
}

/** Passage ids and citation numbers matching what the user typed so far (for autocomplete). */
export function suggestSources(engine: Engine, typed: string, lastAnswer: Answer | null, limit = 25): { name: string; value: string }[] {
  const needle = typed.trim().toLowerCase();
  const preview = (text: string): string => previewText(text, PREVIEW_CHARS);
  const fromAnswer = (lastAnswer ? [...lastAnswer.quotes, ...lastAnswer.related] : []).map((q) => ({
    name: `[${q.citation}] ${preview(q.text)}`,
    value: String(q.citation),
  }));
  const cited = fromAnswer.filter((option) => needle === '' || option.name.toLowerCase().includes(needle));
  // Previews only for the passages shown: building one for every passage cost 260 ms a keystroke at 100,000.
  const passages = engine.findPassages(typed, Math.max(0, limit - cited.length)).map((c) => ({ name: `${c.id} — ${preview(c.text)}`, value: c.id }));
  return [...cited, ...passages]
    .slice(0, limit)
    .map((option) => ({ name: cutAtCharacters(option.name, 100), value: option.value.slice(0, 100) }));
}

/** Characters of passage text shown after an id in an autocomplete option. */
const PREVIEW_CHARS = 60;

/**
 * The start of `text` with its runs of white space made single spaces, at most `chars`
 * long and cut between characters. Only as much of the text is read as the preview
 * needs: collapsing whole passages (a thousand characters each, 25 a keystroke) made
 * enough garbage that collections fell on one keystroke in twenty at 100,000 passages.
 */
export function previewText(text: string, chars: number): string {
  for (let window = 2 * chars; ; window *= 2) {
    const collapsed = text.slice(0, window).replace(/\s+/g, ' ');
    // A whole character past the cut is in the window: nothing after it can change where
    // the cut falls (a character ends where the next one starts).
    if (collapsed.length > chars + 1 || window >= text.length) return cutAtCharacters(collapsed, chars);
  }
}
