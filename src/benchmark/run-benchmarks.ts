import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readEvalQuestions } from '../evaluation/evaluate-questions.js';
import { type AnnBenchOptions, type AnnBenchResult, benchAnn } from './bench-ann.js';
import { benchCorpus, type CorpusBenchOptions } from './bench-corpus.js';
import { benchIngest, type IngestBenchOptions } from './bench-ingest.js';
import { benchQuestions, type QuestionBenchOptions } from './bench-questions.js';
import { type BenchReport, buildReport } from './bench-report.js';
import { copyCorpus, prepareWorkspace } from './bench-workspace.js';
import { buildProseCorpus, type ProseCorpus } from './prose-corpus.js';
import type { ProseSourceOptions } from './prose-sources.js';

export interface BenchSettings {
  /** The article (copied into a workspace; never written to). */
  articleDir: string;
  /** Development questions on the article, whose turns are timed. */
  questionsFile: string;
  article: QuestionBenchOptions;
  corpus: {
    /** The generated corpus holds at least this many passages and documents. */
    targetPassages: number;
    targetDocuments: number;
    sources: ProseSourceOptions;
    /** Width of the tiny model's vectors in the hybrid runs. */
    modelDimensions: number;
    bench: CorpusBenchOptions;
  };
  /** One HNSW benchmark per count. */
  vectors: Omit<AnnBenchOptions, 'count' | 'workDir'> & { counts: number[] };
  /** Extraction per format, on the fixture documents. */
  ingest: IngestBenchOptions;
}

/** Where this machine keeps its documentation (Debian; missing folders are skipped). */
export function machineProseSources(projectRoot: string): ProseSourceOptions {
  return {
    infoDir: '/usr/share/info',
    manDir: '/usr/share/man',
    manSections: ['7', '5', '8'],
    docDirs: ['/usr/share/doc'],
    nodeModulesDirs: [path.join(projectRoot, 'node_modules'), '/usr/lib/node_modules'],
    renderConcurrency: Math.max(1, Math.min(2, os.cpus().length)),
  };
}

/** Sized for the targets: 100,000 passages over 5,000 documents, vectors to 100,000 × 384. About 15 minutes on two busy cores. */
export function fullBenchSettings(projectRoot: string, articleDir: string, questionsFile: string): BenchSettings {
  return {
    articleDir,
    questionsFile,
    article: { warmupRounds: 1, rounds: 5 },
    corpus: {
      targetPassages: 100_000,
      targetDocuments: 5_000,
      sources: machineProseSources(projectRoot),
      modelDimensions: 128,
      bench: { reindexRuns: 3, questions: 1_000, warmupQuestions: 50, baselineQuestions: 200, poolingPassages: 2_000, sourceLookups: 1_000, scannedSourceLookups: 20, seed: 20_240_601 },
    },
    ingest: { dirs: [path.join(projectRoot, 'test', 'fixtures', 'documents'), path.join(projectRoot, 'test', 'fixtures', 'labelled')], rounds: 5 },
    vectors: {
      counts: [1_000, 10_000, 100_000],
      dimensions: 384,
      distribution: { kind: 'subspace', latentDimensions: 16, noise: 0.1 },
      queries: 200,
      warmupQueries: 20,
      k: 10,
      seed: 20_240_601,
      extraEf: [10, 16, 32, 128, 256, 512],
    },
  };
}

/** The same steps at a size the test suite runs in seconds, so the benchmark code cannot rot. */
export function quickBenchSettings(projectRoot: string, articleDir: string, questionsFile: string): BenchSettings {
  const full = fullBenchSettings(projectRoot, articleDir, questionsFile);
  return {
    ...full,
    article: { warmupRounds: 0, rounds: 1 },
    corpus: {
      ...full.corpus,
      targetPassages: 400,
      targetDocuments: 30,
      modelDimensions: 32,
      bench: { reindexRuns: 1, questions: 20, warmupQuestions: 2, baselineQuestions: 10, poolingPassages: 32, sourceLookups: 20, scannedSourceLookups: 3, seed: 7 },
    },
    vectors: { ...full.vectors, counts: [400], dimensions: 32, queries: 15, warmupQueries: 2, extraEf: [16, 128] },
    ingest: { ...full.ingest, rounds: 1 },
  };
}

/**
 * Runs every benchmark in temporary folders (removed afterwards) and returns the report.
 * `log` receives one line per step (progress).
 */
export async function runBenchmarks(settings: BenchSettings, log: (line: string) => void = () => {}): Promise<BenchReport> {
  const startedAt = new Date();
  const started = performance.now();
  const questions = await readEvalQuestions(settings.questionsFile);
  if (questions.length === 0) throw new Error(`benchmark: ${settings.questionsFile} holds no questions`);

  log('bench: extraction per format, on the fixture documents…');
  const ingest = await benchIngest(settings.ingest);

  log('bench: the article: question latency on the development questions…');
  const article = await prepareWorkspace(copyCorpus(settings.articleDir));
  const articleQuestions = await benchQuestions(article, questions, settings.article).finally(() => article.cleanup());

  const { corpus: corpusSettings } = settings;
  log(`bench: building a corpus of real prose (≥ ${corpusSettings.targetPassages.toLocaleString('en-US')} passages, ≥ ${corpusSettings.targetDocuments.toLocaleString('en-US')} documents) from this machine's documentation…`);
  let prose: ProseCorpus | null = null;
  const corpusStarted = performance.now();
  const workspace = await prepareWorkspace(async (corpusDir) => {
    prose = await buildProseCorpus({ dir: corpusDir, targetPassages: corpusSettings.targetPassages, targetDocuments: corpusSettings.targetDocuments, sources: corpusSettings.sources, onProgress: log });
  }, corpusSettings.modelDimensions);
  const corpusBuildMs = performance.now() - corpusStarted;
  const built = prose as ProseCorpus | null;
  if (!built) throw new Error('benchmark: the prose corpus was not built');
  log(`bench: corpus: ${built.documents.toLocaleString('en-US')} documents, ${built.passages.toLocaleString('en-US')} passages, ${(built.bytes / 1e6).toFixed(1)} MB (${(corpusBuildMs / 1000).toFixed(0)} s with the tiny model)`);
  const corpus = await benchCorpus(workspace, corpusSettings.bench, log).finally(() => workspace.cleanup());

  const vectorsDir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-bench-vectors-'));
  const vectors: AnnBenchResult[] = [];
  try {
    for (const count of settings.vectors.counts) {
      log(`bench: HNSW vs exact on ${count.toLocaleString('en-US')} × ${settings.vectors.dimensions}-d vectors (building the index takes a while)…`);
      vectors.push(await benchAnn({ ...settings.vectors, count, workDir: vectorsDir }));
    }
  } finally {
    rmSync(vectorsDir, { recursive: true, force: true });
  }

  const cpus = os.cpus();
  return buildReport(
    {
      startedAt: startedAt.toISOString(),
      seconds: (performance.now() - started) / 1000,
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: cpus.length,
      cpuModel: cpus[0]?.model.trim() ?? 'unknown CPU',
      loadAverage: os.loadavg()[0]!,
    },
    { articleQuestions, prose: { ...built, buildMs: corpusBuildMs }, corpus, vectors, ingest },
  );
}
