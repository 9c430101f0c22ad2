import { answerQuestion, createKnowledgeBase, type KnowledgeBase } from './answering/answer-question.js';
import { validateQuestion } from './answering/clean-question.js';
import type { Config } from './config.js';
import { ConversationStore } from './conversation/conversation-store.js';
import type { Answer, Hit } from './domain.js';
import type { Engine, EngineStatus, ReindexProgress, ReindexSummary } from './engine-types.js';
import { UserError } from './errors.js';
import { embedQuery, retrieveHits } from './retrieval/retrieve-hits.js';
import { buildIndex } from './store/build-index.js';
import type { IndexEmbedder } from './store/dense-index.js';
import { openIndex } from './store/open-index.js';

export interface CreateEngineOptions {
  config: Config;
  /** Null runs lexical-only. */
  embedder: IndexEmbedder | null;
  /** Why there is no embedder (shown in status and /help). */
  embedderWarning: string | null;
  warn?: (message: string) => void;
  onProgress?: (progress: ReindexProgress) => void;
  now?: () => number;
}

/**
 * Opens (or builds) the index and returns the Engine every front end uses.
 * Reindexing builds a complete new index while questions keep being answered from
 * the old one, then swaps it in with one assignment.
 */
export async function createEngine(options: CreateEngineOptions): Promise<Engine> {
  const { config, embedder } = options;
  const { index } = await openIndex({
    corpusDir: config.corpusDir,
    indexDir: config.indexDir,
    embedder,
    batchSize: config.embeddingBatchSize,
    warn: options.warn,
    onProgress: options.onProgress,
  });
  // Said once at start-up, so an unreadable file is not silently missing from answers.
  for (const file of index.manifest.skipped) options.warn?.(`corpus: skipped ${file.source}: ${file.reason}`);
  let knowledge: KnowledgeBase = createKnowledgeBase(index);
  let reindexing: Promise<ReindexSummary> | null = null;
  const conversations = new ConversationStore({
    ttlMs: config.conversationTtlMs,
    maxTurns: config.conversationMaxTurns,
    maxKeys: config.conversationMaxKeys,
    now: options.now,
  });
  const answerOptions = {
    retrievalK: config.retrievalK,
    abstainThreshold: config.abstainThreshold,
    maxQuestionChars: config.maxQuestionChars,
    embedder,
  };

  return {
    async ask(question: string, conversationKey?: string): Promise<Answer> {
      const history = conversationKey ? conversations.history(conversationKey) : [];
      const answer = await answerQuestion(knowledge, question, history, answerOptions);
      if (conversationKey) {
        conversations.record(conversationKey, {
          question: answer.question,
          resolvedQuestion: answer.resolvedQuestion,
          quotedChunkIds: answer.quotes.map((quote) => quote.chunkId),
        });
      }
      return answer;
    },

    async search(query: string, limit = 5): Promise<Hit[]> {
      const cleaned = validateQuestion(query, config.maxQuestionChars);
      const { index } = knowledge;
      const queryVector = await embedQuery(index, embedder, cleaned);
      return retrieveHits(index, cleaned, { k: Math.max(config.retrievalK, limit), limit, queryVector });
    },

    getChunk: (id) => knowledge.chunks.get(id),
    listChunks: () => knowledge.index.chunks,
    getDocument: (id) => knowledge.documents.get(id),

    reindex(onProgress?: (progress: ReindexProgress) => void): Promise<ReindexSummary> {
      if (reindexing) return Promise.reject(new UserError('reindex-busy'));
      reindexing = (async () => {
        try {
          const { index: fresh, summary } = await buildIndex({
            corpusDir: config.corpusDir,
            indexDir: config.indexDir,
            embedder,
            batchSize: config.embeddingBatchSize,
            onProgress,
            current: knowledge.index,
          });
          knowledge = createKnowledgeBase(fresh);
          return summary;
        } finally {
          reindexing = null;
        }
      })();
      return reindexing;
    },

    status(): EngineStatus {
      const { manifest, documents, chunks } = knowledge.index;
      const dense = knowledge.index.dense !== null;
      return {
        documents: documents.length,
        chunks: chunks.length,
        mode: dense ? 'hybrid' : 'lexical',
        modelId: dense ? manifest.embeddingModel : null,
        lexicalReason: dense ? null : (options.embedderWarning ?? 'the index has no embeddings'),
        builtAt: new Date(manifest.builtAt),
        reindexing: reindexing !== null,
      };
    },

    forget: (key) => conversations.forget(key),
  };
}
