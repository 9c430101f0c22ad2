import { answerQuestion, createKnowledgeBase, type KnowledgeBase } from './answering/answer-question.js';
import { cleanQuestion } from './answering/clean-question.js';
import { searchAsAsked } from './answering/explain-search.js';
import type { Config } from './config.js';
import { ConversationStore, rememberedPlaces } from './conversation/conversation-store.js';
import type { Answer } from './domain.js';
import type { CorpusChange, Engine, EngineStatus, ReindexProgress, ReindexSummary } from './engine-types.js';
import { UserError } from './errors.js';
import { getWordNet } from './lexicon/lexicon.js';
import { buildIndex, describeFiles } from './store/build-index.js';
import type { IndexEmbedder } from './store/dense-index.js';
import { followManifest } from './store/follow-manifest.js';
import { loadIndex } from './store/index-files.js';
import { openIndex } from './store/open-index.js';
import { withReindexLock } from './store/reindex-lock.js';
import type { CorpusIndex } from './store/index-files.js';

export interface CreateEngineOptions {
  config: Config;
  /** Null runs lexical-only. */
  embedder: IndexEmbedder | null;
  /** Why there is no embedder (shown in status and /help). */
  embedderWarning: string | null;
  /**
   * Loads the model again; when set and there is no embedder, each reindex tries it
   * first (a download that timed out at start-up may work now).
   */
  reloadEmbedder?: () => Promise<{ embedder: IndexEmbedder | null; warning: string | null }>;
  warn?: (message: string) => void;
  onProgress?: (progress: ReindexProgress) => void;
  now?: () => number;
  /**
   * The links corpus files were added from (by path relative to CORPUS_DIR), read afresh
   * for each build: citations of those documents link there. None: no links.
   */
  documentUrls?: () => ReadonlyMap<string, string>;
  /**
   * Switch to the index another process builds (the shards of one bot share INDEX_DIR):
   * when manifest.json names a new generation, load it and answer from it.
   */
  followIndex?: boolean;
}

/**
 * Opens (or builds) the index and returns the Engine every front end uses.
 * Reindexing builds a complete new index while questions keep being answered from
 * the old one, then swaps it in with one assignment.
 */
export async function createEngine(options: CreateEngineOptions): Promise<Engine> {
  const { config } = options;
  let { embedder, embedderWarning } = options;
  const { index } = await openIndex({
    corpusDir: config.corpusDir,
    indexDir: config.indexDir,
    embedder,
    batchSize: config.embeddingBatchSize,
    warn: options.warn,
    onProgress: options.onProgress,
    maxDocumentBytes: config.documentMaxBytes,
    documentUrls: options.documentUrls,
    // Read while the graph is: at 100,000 passages this took 0.1 s off a hybrid open.
    whileGraphLoads: () => void getWordNet(),
  });
  // Said once at start-up, so an unreadable file is not silently missing from answers.
  for (const file of index.manifest.skipped) options.warn?.(`corpus: skipped ${file.source}: ${file.reason}`);
  let closed = false;
  const isCurrent = (prepared: KnowledgeBase): boolean => !closed && knowledge === prepared;
  let knowledge: KnowledgeBase = prepareDirectory(createKnowledgeBase(index), isCurrent);
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

  // Another process's reindex: load the generation it wrote (this process's own build swaps itself in).
  const follower = options.followIndex
    ? followManifest(
        config.indexDir,
        async (manifest) => {
          if (reindexing || manifest.generation === knowledge.index.manifest.generation) return;
          knowledge = prepareDirectory(createKnowledgeBase(await loadIndex(config.indexDir, manifest, config.corpusDir, embedder)), isCurrent);
          options.warn?.(`store: answering from the index another process built at ${manifest.builtAt} (${manifest.documents} documents, ${manifest.chunks} passages).`);
        },
        options.warn,
      )
    : null;

  return {
    async ask(question: string, conversationKey?: string): Promise<Answer> {
      const history = conversationKey ? conversations.history(conversationKey) : [];
      const answer = await answerQuestion(knowledge, question, history, answerOptions);
      if (conversationKey) {
        conversations.record(conversationKey, {
          question: answer.readAs ?? cleanQuestion(answer.question),
          resolvedQuestion: answer.resolvedQuestion,
          quoted: rememberedPlaces(answer),
        });
      }
      return answer;
    },

    search: (query, limit) => searchAsAsked(knowledge, query, { ...answerOptions, limit }),

    listFiles: () => describeFiles({ documents: knowledge.index.documents, skipped: knowledge.index.manifest.skipped }, knowledge.index.passages),
    getChunk: (id) => knowledge.chunks.get(id),
    listChunks: () => knowledge.index.chunks,
    findPassages: (typed, limit) => knowledge.chunks.find(typed, limit),
    neighbours: (chunkId) => knowledge.chunks.neighbours(chunkId),
    getDocument: (id) => knowledge.documents.get(id),

    reindex(onProgress?: (progress: ReindexProgress) => void, change?: CorpusChange): Promise<ReindexSummary> {
      if (reindexing) return Promise.reject(new UserError('reindex-busy'));
      reindexing = (async () => {
        try {
          const model = embedder || !options.reloadEmbedder ? { embedder, warning: embedderWarning } : await retryEmbedder(options);
          const build = (): ReturnType<typeof buildIndex> =>
            buildIndex({
              corpusDir: config.corpusDir,
              indexDir: config.indexDir,
              embedder: model.embedder,
              batchSize: config.embeddingBatchSize,
              onProgress,
              current: knowledge.index,
              maxDocumentBytes: config.documentMaxBytes,
              documentUrls: options.documentUrls?.(),
            });
          const locked = await withReindexLock(config.indexDir, change ? () => buildWithChange(change, build) : build, options.warn);
          // Another process (a shard, `npm run reindex`) is building the shared index.
          if (!locked) throw new UserError('reindex-busy');
          const { index: fresh, summary } = locked.result;
          ({ embedder, warning: embedderWarning } = model);
          answerOptions.embedder = embedder;
          knowledge = prepareDirectory(createKnowledgeBase(fresh), isCurrent);
          return summary;
        } finally {
          reindexing = null;
        }
      })();
      return reindexing;
    },

    status(): EngineStatus {
      const { manifest, documents, passages } = knowledge.index;
      const dense = knowledge.index.dense !== null;
      return {
        documents: documents.length,
        // Counted, not decoded: reading `chunks` decodes every passage (0.3 s at 100,000).
        chunks: passages.chunkCount,
        mode: dense ? 'hybrid' : 'lexical',
        modelId: dense ? manifest.embeddingModel : null,
        lexicalReason: dense ? null : (embedderWarning ?? 'the index has no embeddings'),
        builtAt: new Date(manifest.builtAt),
        reindexing: reindexing !== null,
        skippedFiles: manifest.skipped.length,
        pages: documents.reduce((sum, document) => sum + (document.pageStarts?.length ?? 0), 0),
      };
    },

    forget: (key) => conversations.forget(key),
    close: () => {
      closed = true;
      follower?.close();
    },
  };
}

/**
 * Applies `change`, builds, and undoes the change when the build fails. The build's error
 * is what is thrown; an undo that fails too is attached to it as `undoError`.
 */
async function buildWithChange<T>(change: CorpusChange, build: () => Promise<T>): Promise<T> {
  await change.apply();
  try {
    return await build();
  } catch (error) {
    try {
      await change.undo();
    } catch (undoError) {
      throw Object.assign(error instanceof Error ? error : new Error(String(error)), { undoError });
    }
    throw error;
  }
}

/** Loads the model again for a reindex, saying how it went. */
async function retryEmbedder(options: CreateEngineOptions): Promise<{ embedder: IndexEmbedder | null; warning: string | null }> {
  const loaded = await options.reloadEmbedder!();
  if (loaded.embedder) options.warn?.(`embeddings: loaded model "${loaded.embedder.modelId}" on retry; this reindex embeds the corpus (hybrid retrieval).`);
  else if (loaded.warning) options.warn?.(loaded.warning);
  return loaded;
}

/** Longest a slice of decoding passages or building their directory holds the event loop (see `prepareDirectory`). */
const DECODE_SLICE_MS = 10;

/**
 * Builds the knowledge base's passage directory soon after it is made: the engine can
 * answer at once, and the directory is ready before a person can type into `/source` after
 * a start or a reindex. Its passages are decoded first, in slices of `DECODE_SLICE_MS`
 * between other work on the event loop (0.3–0.5 s in all at 100,000 passages), then the
 * directory is built in slices too (about 0.1 s in all). A passage asked for sooner
 * finishes the rest at once.
 * Slices stop when `current` says the knowledge base has been replaced.
 */
function prepareDirectory(knowledge: KnowledgeBase, current: (knowledge: KnowledgeBase) => boolean): KnowledgeBase {
  // Timers, not immediates: on Node 20 an unreferenced immediate set from inside another
  // never ran while only timers kept the process alive (a test here caught it).
  // Unreferenced, so a process done with its work need not wait for the directory.
  const slice = (): void => {
    if (!current(knowledge)) return;
    const deadline = performance.now() + DECODE_SLICE_MS;
    // Passages first (the directory is built from them), then the directory, each in slices.
    if (knowledge.index.passages.decodeUntil(deadline) || knowledge.buildDirectoryUntil(deadline)) setTimeout(slice, 0).unref();
  };
  setTimeout(slice, 0).unref();
  return knowledge;
}
