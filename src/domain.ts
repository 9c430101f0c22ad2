/**
 * The domain words of Verbatim, used the same way in every module:
 * Document → Chunk → Hit → Quote → Answer, remembered in a Conversation.
 */

/** A half-open character range `[start, end)` into a Document's full file text. */
export interface Span {
  start: number;
  end: number;
}

/** One corpus file, with its exact text as read by `readFileSync(path, 'utf8')`. */
export interface Document {
  /** Stable slug derived from the path, e.g. `kazakhstan-un-human-rights-council`. */
  id: string;
  /** Path as users see it, relative to the project, e.g. `corpus/kazakhstan-un-human-rights-council.txt`. */
  source: string;
  /** The file's full text, byte-for-byte (after UTF-8 decoding). */
  text: string;
  title: string;
  publication: string | null;
  date: string | null;
  url: string | null;
  /** Offset where the body starts (after any YAML front matter). */
  bodyStart: number;
  /** Absolute path of the file. */
  path: string;
}

export type ChunkKind = 'header' | 'paragraph' | 'list';

/** A retrievable passage: a paragraph (or part of a long one) with exact offsets. */
export interface Chunk {
  /** Readable, stable id: `<document id>#p<paragraph>` (+ `.<part>` when a paragraph is split). */
  id: string;
  documentId: string;
  source: string;
  /** 1-based paragraph number within the document body. */
  paragraph: number;
  kind: ChunkKind;
  start: number;
  end: number;
  /** `document.text.slice(start, end)`. */
  text: string;
  /** Sentences in reading order, absolute offsets into the document text. */
  sentences: Sentence[];
}

/** A sentence (or list item) of a Chunk, with the paragraph it stands in. */
export interface Sentence extends Span {
  paragraph: number;
  /** The document's own in-text attribution for this sentence, or null. */
  attribution: string | null;
}

/** A retrieved Chunk with its fused score and the ranks that produced it. */
export interface Hit {
  chunk: Chunk;
  /** Fused (reciprocal rank) score; higher is better. */
  score: number;
  lexicalRank: number | null;
  lexicalScore: number | null;
  denseRank: number | null;
  denseScore: number | null;
}

/** A verbatim quote: `document.text.slice(start, end) === text`. */
export interface Quote {
  /** 1-based citation number within its Answer. */
  citation: number;
  text: string;
  source: string;
  documentId: string;
  documentTitle: string;
  chunkId: string;
  paragraph: number;
  start: number;
  end: number;
  /** The document's own in-text attribution for the passage, e.g. "Kazinform, November 13". */
  attribution: string | null;
}

export interface Answer {
  question: string;
  /** The question after follow-up resolution (equal to `question` when it stood alone). */
  resolvedQuestion: string;
  abstained: boolean;
  /** 0..1; under the configured threshold the answer abstains. */
  confidence: number;
  quotes: Quote[];
  /** When abstaining: the closest passages, offered as "related", never as an answer. */
  related: Quote[];
  /** Ids of the passages retrieved for the question, best first (for evaluation and /search). */
  retrievedChunkIds: string[];
  /** Why the answer abstained or refused, for rendering (null when it answered). */
  reason: AbstainReason | null;
}

export type AbstainReason = 'not-in-sources' | 'not-a-question' | 'off-topic';
