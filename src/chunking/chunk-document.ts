import type { Chunk, ChunkKind, Document, Sentence, Span } from '../domain.js';
import { attributeSentences } from './attributions.js';
import { LIST_MARKER, pageAt, sectionAt } from './locate.js';
import { pushTrimmed, splitLongSpans, splitSentences } from './split-sentences.js';

/**
 * Bump whenever chunk boundaries or ids change, or a reader changes the text it gives
 * (8: footnote calls left out of web pages, EPUB and Word files; 9: a superscript number
 * read after a "^"; 10: a quotation's attribution after it stays in its sentence; 11: a
 * note's link back to its call, "↩︎", left out): a stored index with another version is rebuilt, every file read again.
 */
export const CHUNKER_VERSION = 11;
/** Passages longer than this are split at sentence boundaries. */
export const MAX_CHUNK_CHARS = 1_200;
/** Sentences repeated at the start of the next part of a split passage. */
export const OVERLAP_SENTENCES = 1;

const MARKDOWN_HEADING = /^#{1,6}[ \t]+\S/;
/**
 * A line that only draws: a table's rule ("------- --------", "+-----+-----+", "|:--|--:|"),
 * a Markdown break ("---", "* * *"), a setext underline ("====="). At least three rule
 * characters, nothing but rule characters, pipes, plus signs, colons and spaces. (The
 * character test comes first: a line of prose fails it at its first letter.)
 */
const RULE_LINE = /^(?=[-=_~*\u2500-\u257f\u2013\u2014|+: \t]+$)(?:[^-=_~*\u2500-\u257f\u2013\u2014]*[-=_~*\u2500-\u257f\u2013\u2014]){3}/;

/** A run of non-blank lines: the document's own paragraph. */
interface Block {
  paragraph: number;
  kind: ChunkKind;
  start: number;
  end: number;
  /** Line spans (trimmed), for lists. */
  lines: Span[];
  /** Whether each line only draws (`RULE_LINE`). */
  rules: boolean[];
}

/**
 * Splits a Document into Chunks. Paragraphs (runs of non-blank lines) are the unit;
 * a bulleted list stays with the sentence that introduces it; passages over
 * MAX_CHUNK_CHARS are split at sentence boundaries with overlap, and a "sentence" over it
 * (a table, a code listing) at its line breaks; headline lines are chunks of their own so
 * they can be quoted. Pure: offsets index `document.text`.
 */
export function chunkDocument(document: Document): Chunk[] {
  const blocks = findBlocks(document.text, document.bodyStart);
  // A reader's headings are headers whatever their length or punctuation.
  const headingStarts = new Set(document.headings.map((heading) => heading.start));
  for (const block of blocks) if (headingStarts.has(block.start)) block.kind = 'header';
  const chunks: Chunk[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    const next = blocks[i + 1];
    const unit = [block];
    // "…stressing its plan to:" followed by a list reads as one passage.
    if (block.kind === 'paragraph' && next?.kind === 'list' && /:\s*$/.test(document.text.slice(block.start, block.end))) {
      unit.push(next);
      i++;
    }
    chunks.push(...chunkUnit(document, unit));
  }
  return chunks;
}

function findBlocks(text: string, from: number): Block[] {
  const blocks: Block[] = [];
  let current: Span[] = [];
  const flush = (): void => {
    if (current.length === 0) return;
    const first = current[0]!;
    const last = current.at(-1)!;
    const lines = current;
    const allBullets = lines.every((line) => LIST_MARKER.test(text.slice(line.start, line.end)));
    const single = lines.length === 1 ? text.slice(first.start, first.end) : null;
    current = [];
    const rules = lines.map((line) => RULE_LINE.test(text.slice(line.start, line.end)));
    // A block that only draws (a Markdown break, a table's border standing alone) says nothing to quote.
    if (rules.every(Boolean)) return;
    const kind: ChunkKind = allBullets ? 'list' : single !== null && isHeaderLine(single) ? 'header' : 'paragraph';
    blocks.push({ paragraph: blocks.length + 1, kind, start: first.start, end: last.end, lines, rules });
  };
  let lineStart = from;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const trimmed: Span[] = [];
    pushTrimmed(trimmed, text, lineStart, lineEnd);
    if (trimmed.length === 0) flush();
    else current.push(trimmed[0]!);
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  flush();
  return blocks;
}

/** Headlines, bylines and captions: one short line that does not end like a sentence. */
function isHeaderLine(line: string): boolean {
  if (MARKDOWN_HEADING.test(line)) return true;
  return line.length <= 200 && !/[.!?;:,"”’…]$/.test(line);
}

/** A block's sentences, none longer than a passage (see `splitLongSpans`). */
function sentencesOf(text: string, block: Block): Span[] {
  return splitLongSpans(text, blockSentences(text, block), MAX_CHUNK_CHARS);
}

function blockSentences(text: string, block: Block): Span[] {
  if (block.kind === 'list') {
    return block.lines.filter((_, i) => !block.rules[i]).map((line) => {
      const marker = LIST_MARKER.exec(text.slice(line.start, line.end));
      return { start: line.start + (marker ? marker[0].length : 0), end: line.end };
    });
  }
  const runs = linesBetweenRules(block);
  // A heading underlined ("Title\n=====") is its words.
  if (block.kind === 'header') return runs.length > 0 ? [{ start: runs[0]!.start, end: runs.at(-1)!.end }] : [];
  // A rule ends a sentence and is in none: a table's header row, its rule and its first row
  // were one "sentence" ("Routine Function ------- -------- gss_acquire_cred Assume…").
  return runs.flatMap((run) => splitSentences(text, run.start, run.end));
}

/** The spans of a block's runs of lines between its rule lines (the whole block when it has none). */
function linesBetweenRules(block: Block): Span[] {
  const runs: Span[] = [];
  let run: Span | null = null;
  for (const [i, line] of block.lines.entries()) {
    if (block.rules[i]) {
      if (run) runs.push(run);
      run = null;
    } else if (run) run.end = line.end;
    else run = { start: line.start, end: line.end };
  }
  if (run) runs.push(run);
  return runs;
}

function chunkUnit(document: Document, unit: Block[]): Chunk[] {
  const { text } = document;
  const sentences: Sentence[] = [];
  let inherited: string | null = null;
  for (const block of unit) {
    const spans = sentencesOf(text, block);
    const attributions = attributeSentences(text, spans, block.kind === 'list' ? inherited : null);
    spans.forEach((span, i) => sentences.push({ ...span, paragraph: block.paragraph, attribution: attributions[i]! }));
    inherited = attributions.findLast((a) => a !== null) ?? inherited;
  }
  const first = unit[0]!;
  const last = unit.at(-1)!;
  const kind: ChunkKind = unit.some((block) => block.kind === 'list') ? 'list' : first.kind;
  const baseId = `${document.id}#p${first.paragraph}`;
  const makeChunk = (id: string, start: number, end: number, own: Sentence[]): Chunk => ({
    id,
    documentId: document.id,
    source: document.source,
    paragraph: own[0]?.paragraph ?? first.paragraph,
    kind,
    start,
    end,
    text: text.slice(start, end),
    sentences: own,
    section: sectionAt(document, start),
    page: pageAt(document, start),
  });

  if (last.end - first.start <= MAX_CHUNK_CHARS || sentences.length <= 1) {
    return [makeChunk(baseId, first.start, last.end, sentences)];
  }
  const parts: Sentence[][] = [];
  let part: Sentence[] = [];
  // Sentences added since the last split; a part must hold at least one of its own.
  let fresh = 0;
  for (const sentence of sentences) {
    const partStart = part[0]?.start ?? sentence.start;
    if (fresh > 0 && sentence.end - partStart > MAX_CHUNK_CHARS) {
      parts.push(part);
      part = part.slice(-OVERLAP_SENTENCES);
      fresh = 0;
      // The overlap alone may leave no room; then start clean rather than exceed the cap.
      if (part.length > 0 && sentence.end - part[0]!.start > MAX_CHUNK_CHARS) part = [];
    }
    part.push(sentence);
    fresh++;
  }
  parts.push(part);
  return parts.map((own, i) => makeChunk(`${baseId}.${i + 1}`, own[0]!.start, own.at(-1)!.end, own));
}
