import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createKnowledgeBase, type KnowledgeBase } from '../answering/answer-question.js';
import { TermStatistics } from '../answering/term-statistics.js';
import { chunkDocument } from '../chunking/chunk-document.js';
import type { Config } from '../config.js';
import { loadCorpus } from '../corpus/load-corpus.js';
import { loadEmbedder } from '../embeddings/embedder.js';
import { buildIndex } from '../store/build-index.js';
import type { IndexEmbedder } from '../store/dense-index.js';
import { type CorpusIndex, loadIndex, readManifest } from '../store/index-files.js';
import { searchLexical } from '../store/lexical-index.js';
import type { BenchWorkspace } from './bench-workspace.js';
import type { EngineProbeReport } from './engine-probe.js';
import { createSeededRandom } from '../seeded-random.js';
import { generateQuestions } from './generate-questions.js';
import { timeOnce } from './measure-time.js';
import { buildMiniSearchBaseline } from './minisearch-baseline.js';
import { runEngineProbe } from './run-engine-probe.js';
import { type Distribution, summarize } from '../statistics.js';

export interface CorpusBenchOptions {
  /** Timed reindexes with nothing changed, and with one document changed (a different one each run). */
  reindexRuns: number;
  /** Timed questions per mode, after `warmupQuestions` untimed ones. */
  questions: number;
  warmupQuestions: number;
  /** Questions the MiniSearch baseline is timed on (building MiniSearch is the slow part). */
  baselineQuestions: number;
  /** Passages embedded with each pooling for the pooling comparison. */
  poolingPassages: number;
  /** `/source` autocompletes (1–3 typed characters) and resolutions timed per mode… */
  sourceLookups: number;
  /** …of which this many are also timed the way `/source` worked before (a scan of every passage, slow). */
  scannedSourceLookups: number;
  seed: number;
}

export interface CorpusModeResult {
  mode: 'lexical' | 'hybrid';
  documents: number;
  passages: number;
  /** A build into an empty folder: everything read, chunked, (embedded,) indexed and written. */
  coldMs: number;
  nothingChangedMs: Distribution;
  /** As `npm run reindex` runs it: the saved index read from disk. */
  oneChangedMs: Distribution;
  /** As a running engine's /reindex runs it: its loaded index reused. */
  oneChangedInEngineMs: Distribution;
  /** Open, questions and memory, in a fresh process. */
  probe: EngineProbeReport;
}

export interface CorpusBenchResult {
  modes: CorpusModeResult[];
  /** The lexical search step alone on the same questions: the project's index vs MiniSearch configured as the project had it. */
  lexicalSearch: { questions: number; oursMs: Distribution; miniSearchMs: Distribution; miniSearchBuildMs: number };
  /** Embedding passages (tiny model) with our pooling vs transformers.js's, batch by batch alternately. */
  pooling: { passages: number; oursMs: Distribution; transformersMs: Distribution };
}

/**
 * The corpus at scale, lexical-only and hybrid (tiny model): a cold build, reindexes with
 * nothing changed and with one document changed (each against the cold build), then a
 * fresh process that opens the index, asks generated questions and reports memory.
 * `log` gets a line per step.
 */
export async function benchCorpus(workspace: BenchWorkspace, options: CorpusBenchOptions, log: (line: string) => void): Promise<CorpusBenchResult> {
  const modes: CorpusModeResult[] = [];
  let questions: string[] = [];
  let lexicalIndex: CorpusIndex | null = null;
  let edited = 0;
  for (const mode of ['lexical', 'hybrid'] as const) {
    const config = mode === 'lexical' ? workspace.lexical : workspace.hybrid;
    const embedder = mode === 'lexical' ? null : workspace.embedder;
    /**
     * A reindex as `npm run reindex` runs it (reading the saved index, and answering from
     * nothing it builds), or as a running engine's /reindex does (its loaded index given).
     */
    const build = (current?: CorpusIndex): ReturnType<typeof buildIndex> =>
      buildIndex({ corpusDir: config.corpusDir, indexDir: config.indexDir, embedder, batchSize: config.embeddingBatchSize, ...(current ? { current } : { answerFromResult: false }) });
    /** Times a build after collecting the garbage of the one before (whole indexes of 100,000 passages), which is not its cost. */
    const timeBuild = async (current?: CorpusIndex) => {
      (globalThis as { gc?: () => void }).gc?.();
      return timeOnce(() => build(current));
    };

    log(`bench: ${mode}: cold build of ${workspace.chunks.toLocaleString('en-US')} passages…`);
    rmSync(config.indexDir, { recursive: true, force: true });
    const cold = await timeBuild();
    const { index } = cold.value;
    log(`bench: ${mode}: cold build took ${(cold.ms / 1000).toFixed(1)} s; reindexing with nothing changed, then one document changed (${options.reindexRuns} runs each)…`);
    const nothing: number[] = [];
    const one: number[] = [];
    const oneInEngine: number[] = [];
    let loaded = index;
    for (let run = 0; run < options.reindexRuns; run++) {
      const same = await timeBuild();
      const { added, changed, removed } = same.value.summary;
      if (added + changed + removed !== 0) throw new Error(`benchmark: a ${mode} reindex with nothing changed reported changes`);
      nothing.push(same.ms);
      changeOneDocument(config, edited++);
      one.push(expectChange(await timeBuild(), mode).ms);
      // A running engine answers from the generation just built, every passage decoded: load it so (untimed) and hold it during its /reindex.
      const engine = await loadAsEngine(config, embedder);
      changeOneDocument(config, edited++);
      const inEngine = expectChange(await timeBuild(engine.index), mode);
      oneInEngine.push(inEngine.ms);
      loaded = inEngine.value.index;
    }
    if (mode === 'lexical') {
      lexicalIndex = index;
      const statistics = new TermStatistics(index.lexical);
      questions = generateQuestions(index.chunks, options.warmupQuestions + options.questions, options.seed, (stem) => statistics.weigh(stem)).map((q) => q.question);
    }
    log(`bench: ${mode}: opening the index and asking ${options.questions.toLocaleString('en-US')} questions in a fresh process…`);
    const probe = await runEngineProbe({ mode, root: workspace.root, questions, warmup: options.warmupQuestions, ...sourceLookups(loaded, options), scanned: options.scannedSourceLookups });
    modes.push({
      mode,
      documents: index.documents.length,
      passages: index.chunks.length,
      coldMs: cold.ms,
      nothingChangedMs: summarize(nothing),
      oneChangedMs: summarize(one),
      oneChangedInEngineMs: summarize(oneInEngine),
      probe,
    });
  }

  log(`bench: lexical search vs MiniSearch on ${options.baselineQuestions} questions (building MiniSearch first)…`);
  const lexicalSearch = await compareWithMiniSearch(lexicalIndex!, questions.slice(0, options.baselineQuestions));
  log(`bench: embedding ${options.poolingPassages} passages with our pooling and with transformers.js's…`);
  const pooling = await comparePooling(workspace, options.poolingPassages);
  return { modes, lexicalSearch, pooling };
}

/** A one-document reindex's result, checked to have seen the change. */
function expectChange<T extends { value: { summary: { added: number; changed: number } } }>(run: T, mode: string): T {
  if (run.value.summary.added + run.value.summary.changed === 0) throw new Error(`benchmark: a ${mode} reindex missed the changed document`);
  return run;
}

/**
 * The saved index as a running engine holds it: loaded (with its HNSW graph when hybrid)
 * and made into a knowledge base, which decodes every passage. WordNet is left out: it is
 * the same in every process, and loading it here would also weigh on the later from-disk
 * reindexes, which `npm run reindex` runs without it.
 */
async function loadAsEngine(config: Config, embedder: IndexEmbedder | null): Promise<KnowledgeBase> {
  const manifest = await readManifest(config.indexDir);
  if (!manifest) throw new Error(`benchmark: no index in ${config.indexDir}`);
  return createKnowledgeBase(await loadIndex(config.indexDir, manifest, config.corpusDir, embedder), { lexicon: null });
}

/**
 * What people type into `/source`, seeded: the first 1, 2 or 3 characters of a passage id
 * (autocomplete on each keystroke), and whole passage ids (the command itself).
 */
function sourceLookups(index: CorpusIndex, options: CorpusBenchOptions): { typed: string[]; refs: string[] } {
  const random = createSeededRandom(options.seed);
  const pick = (): string => index.chunks[Math.floor(random() * index.chunks.length)]!.id;
  const typed = Array.from({ length: options.sourceLookups }, (_, i) => pick().slice(0, 1 + (i % 3)));
  const refs = Array.from({ length: options.sourceLookups }, pick);
  return { typed, refs };
}

/**
 * Inserts a sentence into a document: the `n`th of an evenly spread set, so each run
 * changes a different one. Its size (and so its recorded time) changes.
 */
function changeOneDocument(config: Config, n: number): void {
  const files = readdirSync(config.corpusDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile() && entry.name.endsWith('.txt'));
  const entry = files[(n * 7_919) % files.length]!;
  const file = path.join(entry.parentPath, entry.name);
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf('. ', text.length >> 1);
  const insert = ` This sentence was added by benchmark run ${n}.`;
  writeFileSync(file, at === -1 ? `${text}\n${insert.trim()}\n` : `${text.slice(0, at + 1)}${insert}${text.slice(at + 1)}`);
}

async function compareWithMiniSearch(index: CorpusIndex, questions: readonly string[]): Promise<CorpusBenchResult['lexicalSearch']> {
  const built = await timeOnce(() => buildMiniSearchBaseline(index.chunks));
  const ours: number[] = [];
  const theirs: number[] = [];
  // Untimed once each first; then alternating, so both see the same state of the machine.
  for (const question of questions.slice(0, 10)) {
    searchLexical(index.lexical, question, 8);
    built.value.search(question);
  }
  for (const question of questions) {
    ours.push((await timeOnce(() => searchLexical(index.lexical, question, 8))).ms);
    theirs.push((await timeOnce(() => built.value.search(question).slice(0, 8))).ms);
  }
  return { questions: questions.length, oursMs: summarize(ours), miniSearchMs: summarize(theirs), miniSearchBuildMs: built.ms };
}

async function comparePooling(workspace: BenchWorkspace, passages: number): Promise<CorpusBenchResult['pooling']> {
  const { hybrid } = workspace;
  const { embedder: baseline, warning } = await loadEmbedder({
    modelId: hybrid.embeddingModel,
    modelDir: hybrid.embeddingModelDir,
    allowRemote: false,
    cacheDir: hybrid.modelCacheDir,
    batchSize: hybrid.embeddingBatchSize,
    pooling: 'transformers.js',
  });
  if (!baseline) throw new Error(`benchmark: the tiny model did not load with transformers.js pooling: ${warning}`);
  try {
    const { documents } = await loadCorpus(workspace.corpusDir);
    const texts = documents.flatMap(chunkDocument).slice(0, passages).map((chunk) => chunk.text);
    const batch = hybrid.embeddingBatchSize;
    const ours: number[] = [];
    const theirs: number[] = [];
    const embedders: [IndexEmbedder, number[]][] = [[workspace.embedder, ours], [baseline, theirs]];
    for (let i = 0; i < texts.length; i += batch) {
      for (const [embedder, times] of embedders) times.push((await timeOnce(() => embedder.embedDocuments(texts.slice(i, i + batch)))).ms);
    }
    return { passages: texts.length, oursMs: summarize(ours), transformersMs: summarize(theirs) };
  } finally {
    await baseline.dispose();
  }
}
