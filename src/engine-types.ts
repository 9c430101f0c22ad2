import type { SearchResult } from './answering/explain-search.js';
import type { Answer, Chunk, Document, DocumentFormat } from './domain.js';

/** Progress of a reindex, reported as it goes. */
export type ReindexProgress =
  | { phase: 'read'; source: string; done: number; total: number }
  | { phase: 'load'; documents: number }
  | { phase: 'chunk'; chunks: number }
  | { phase: 'embed'; done: number; total: number }
  | { phase: 'save' };

/** What a finished reindex did. */
export interface ReindexSummary {
  documents: number;
  chunks: number;
  added: number;
  changed: number;
  removed: number;
  /** Chunks whose vectors came from the embedding cache instead of the model. */
  reusedEmbeddings: number;
  seconds: number;
  /** Files that were skipped, each with the reason (unsupported type, empty, too large, damaged…). */
  skipped: { source: string; reason: string }[];
  /** Every file under the corpus folder with its outcome, in path order. */
  files: FileOutcome[];
  /**
   * What went wrong without stopping the reindex, for the operator: e.g. an unreadable
   * embedding cache (everything embedded again) or old files that could not be removed.
   */
  warnings: string[];
}

/** What became of one corpus file in a reindex (the `files` entries of `reindex --json`). */
export interface FileOutcome {
  /** The corpus file, relative like a quote's `source`. */
  file: string;
  outcome: 'indexed' | 'skipped';
  /** Why it was skipped (null when indexed). */
  reason: string | null;
  format: DocumentFormat | null;
  /** The encoding assumed for a text file. */
  encoding: string | null;
  /** Pages of a PDF (null for other formats and skipped files). */
  pages: number | null;
  passages: number;
  /** The UTF-8 file quotes index (null when skipped). */
  textFile: string | null;
}

/**
 * A change to the corpus made as part of a reindex (a document added, removed, restored):
 * applied holding the reindex lock, just before the build reads the corpus, so no other
 * build sees it half-made; undone when the build fails, so the corpus is again what the
 * index in use was built from.
 */
export interface CorpusChange {
  /** Makes the change; throws (having changed nothing) when it cannot. */
  apply(): Promise<void>;
  /** Puts the corpus back as it was before `apply`. */
  undo(): Promise<void>;
}

/** How retrieval currently runs. */
export interface EngineStatus {
  documents: number;
  chunks: number;
  /** `hybrid` when an embedding model is loaded, `lexical` otherwise. */
  mode: 'hybrid' | 'lexical';
  /** Embedding model id, or null in lexical mode. */
  modelId: string | null;
  /** Why retrieval is lexical-only (null in hybrid mode). */
  lexicalReason: string | null;
  /** When the index in use was built. */
  builtAt: Date;
  reindexing: boolean;
  /** Corpus files not indexed (each with its reason in the reindex output and `/documents list`). */
  skippedFiles: number;
  /** PDF pages among the documents. */
  pages: number;
}

/**
 * The question-answering engine every front end (Discord, terminal, CLI) shares.
 * Conversation memory is keyed by a caller-chosen string (e.g. `channelId:userId`).
 */
export interface Engine {
  /** Answers one turn; `conversationKey` links follow-ups to earlier turns. */
  ask(question: string, conversationKey?: string): Promise<Answer>;
  /**
   * The passages `ask` would consider for the same words (same analysis, same fusion), best
   * first, with their ranks and the question words each holds; at most `limit`.
   */
  search(query: string, limit?: number): Promise<SearchResult>;
  getChunk(id: string): Chunk | undefined;
  /** Every corpus file of the index in use with its outcome (indexed with passages and pages, or skipped with why). */
  listFiles(): FileOutcome[];
  /** Every chunk, documents in corpus order and each document's chunks in reading order. */
  listChunks(): readonly Chunk[];
  /** Passages for what a person typed (id prefix, document name or title), in time independent of corpus size. */
  findPassages(typed: string, limit: number): Chunk[];
  /** The passages before and after one in its document. */
  neighbours(chunkId: string): { previousId: string | null; nextId: string | null };
  getDocument(id: string): Document | undefined;
  /**
   * Rebuilds the index and swaps it in; throws UserError `reindex-busy` when one is running
   * (in this process or another on the same index), without applying `change`. With a
   * change, the build sees the corpus after it; a failed build undoes it and rethrows.
   */
  reindex(onProgress?: (progress: ReindexProgress) => void, change?: CorpusChange): Promise<ReindexSummary>;
  status(): EngineStatus;
  /** Forgets the conversation (e.g. the user starts over). */
  forget(conversationKey: string): void;
  /** Stops following the index on disk (see `followIndex`) and decoding passages in the background. */
  close(): void;
}
