/**
 * The domain words of Verbatim, used the same way in every module:
 * Document → Chunk → Hit → Quote → Answer, remembered in a Conversation.
 */

import type { DocumentFormat, Heading } from './corpus/readers/reader-types.js';

export type { DocumentFormat, Heading } from './corpus/readers/reader-types.js';

/** A half-open character range `[start, end)` into a Document's full file text. */
export interface Span {
  start: number;
  end: number;
}

/**
 * One corpus file as a reader sees it: its text in reading order, with pages and headings.
 * For a UTF-8 `.txt`/`.md` the text is the file itself (`readFileSync(path, 'utf8')`); for
 * every other format or encoding it is the extracted text, saved with the index as `textFile`.
 */
export interface Document {
  /** Stable slug derived from the path, e.g. `kazakhstan-un-human-rights-council`. */
  id: string;
  /** Path as users see it, relative to the project, e.g. `corpus/kazakhstan-un-human-rights-council.txt`. */
  source: string;
  /** The text every offset indexes: the UTF-8 file itself, or the text extracted from it. */
  text: string;
  format: DocumentFormat;
  /** The encoding assumed for a text file (`utf-8`, `utf-16le`, `windows-1252`…); null for other formats. */
  encoding: string | null;
  /** True when `text` is the corpus file's own UTF-8 bytes (then `textFile === source`). */
  verbatimFile: boolean;
  /**
   * The UTF-8 file whose text is `text`, relative to the corpus folder's parent like
   * `source`: the corpus file itself, or the extracted text kept with the index
   * (empty until the index is saved).
   */
  textFile: string;
  /** Offset where each page begins (page n at `pageStarts[n - 1]`); null for formats without pages. */
  pageStarts: number[] | null;
  /** Headings in reading order: the sections passages belong to. */
  headings: Heading[];
  /** Running headers, footers and page numbers left out of the text. */
  furniture: string[];
  title: string;
  publication: string | null;
  date: string | null;
  url: string | null;
  /** Offset where the body starts (after any YAML front matter). */
  bodyStart: number;
  /** Absolute path of the file. */
  path: string;
  /**
   * What the reader worked around without skipping the file (e.g. front matter that is not
   * YAML, indexed as text). Kept with the index so every build and start-up says it again,
   * also when the file is trusted unread. Absent when there is nothing to say.
   */
  warnings?: string[];
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
  /** The heading path the passage stands under, e.g. `Reactions › The ministry`; null before any heading. */
  section: string | null;
  /** 1-based page the passage starts on (PDF); null for formats without pages. */
  page: number | null;
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
  /** The UTF-8 file `start`/`end` index (relative like `source`). */
  textFile: string;
  /** The document's own link, when it has one (front matter `url`, a page's canonical URL, the link it was added from). */
  url: string | null;
  chunkId: string;
  paragraph: number;
  /** The list item the quote starts ("10" for "10. …", "3" for a list's third bullet), or null (`listItemAt`). */
  item: string | null;
  start: number;
  end: number;
  /** 1-based page the quote starts on (PDF), with the document's page count; null for other formats. */
  page: number | null;
  pageCount: number | null;
  /** Heading path of the passage, or null. */
  section: string | null;
  /** The document's own in-text attribution for the passage, e.g. "Kazinform, November 13". */
  attribution: string | null;
}

export interface Answer {
  question: string;
  /** The question after follow-up resolution (equal to `question` when it stood alone). */
  resolvedQuestion: string;
  /**
   * The question answered, when it is not the one typed: a follow-up that only names
   * something new ("and a Senator?") restated as the earlier question asked of it ("How
   * old must a Senator be?"). Shown with the answer, so the user sees how it was read.
   */
  readAs?: string;
  /**
   * When it abstained and the closest sentence says the question with one detail changed:
   * the word asked and the word the sentence says in its place ("west", "east").
   */
  changedDetail?: { asked: string; says: string };
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

/**
 * `not-in-sources`: no quote is likely enough to answer; `off-target`: a follow-up read as
 * the earlier question asked again ("what about Human Rights Watch?"), or a question naming
 * its topic ("what about the ombudsman, what did he say?"), whose best quote does not
 * mention what it names; `not-a-question`: a request ("write me a poem").
 */
export type AbstainReason = 'not-in-sources' | 'off-target' | 'not-a-question';
