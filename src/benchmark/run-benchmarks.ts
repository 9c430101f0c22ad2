import os from 'node:os';
import { readEvalQuestions } from '../evaluation/evaluate-questions.js';
import { type AnnBenchOptions, type AnnBenchResult, benchAnn } from './bench-ann.js';
import { benchIndex, type IndexBenchOptions } from './bench-index.js';
import { benchMemory } from './bench-memory.js';
import { benchQuestions, type QuestionBenchOptions } from './bench-questions.js';
import { type BenchReport, buildSections } from './bench-report.js';
import { prepareWorkspace } from './bench-workspace.js';
import { describeDistribution, type VectorDistribution } from './synthetic-vectors.js';

export interface BenchSettings {
  /** Copied into a temporary workspace; never written to. */
  corpusDir: string;
  /** Question file (eval format) whose turns are timed. */
  questionsFile: string;
  index: IndexBenchOptions;
  questions: QuestionBenchOptions;
  /** One HNSW benchmark per distribution, with these settings. */
  ann: Omit<AnnBenchOptions, 'distribution'>;
  annDistributions: VectorDistribution[];
}

/** Sized to finish in about a minute on two cores, most of it building the two HNSW indexes. */
export const DEFAULT_BENCH_SETTINGS: Omit<BenchSettings, 'corpusDir' | 'questionsFile'> = {
  index: { warmup: 3, runs: 20 },
  questions: { warmupRounds: 1, rounds: 5 },
  ann: { count: 20_000, dimensions: 384, queries: 200, warmupQueries: 20, k: 10, seed: 20_240_601, extraEf: [10, 128, 256, 512] },
  annDistributions: [{ kind: 'uniform' }, { kind: 'subspace', latentDimensions: 16, noise: 0.1 }],
};

/**
 * Runs every benchmark in a temporary workspace (removed afterwards) and returns
 * the report. `log` receives one line per stage.
 */
export async function runBenchmarks(settings: BenchSettings, log: (line: string) => void = () => {}): Promise<BenchReport> {
  const startedAt = new Date();
  const started = performance.now();
  const questions = await readEvalQuestions(settings.questionsFile);
  if (questions.length === 0) throw new Error(`benchmark: ${settings.questionsFile} holds no questions`);

  log('bench: preparing a workspace (corpus copy, tiny model)…');
  const workspace = await prepareWorkspace(settings.corpusDir);
  let corpusResults;
  try {
    log(`bench: index open vs. build, warm vs. cold reindex (${settings.index.runs} runs each)…`);
    const index = await benchIndex(workspace, settings.index);
    log(`bench: question latency (${questions.length} questions × ${settings.questions.rounds} rounds)…`);
    const questionResult = await benchQuestions(workspace, questions, settings.questions);
    log('bench: memory (one fresh process per mode)…');
    const memory = await benchMemory(workspace.root);
    corpusResults = { index, questions: questionResult, memory };
  } finally {
    await workspace.cleanup();
  }

  const ann: AnnBenchResult[] = [];
  for (const distribution of settings.annDistributions) {
    log(`bench: HNSW vs. exact on ${settings.ann.count} × ${settings.ann.dimensions} vectors ${describeDistribution(distribution)} (the build takes a while)…`);
    ann.push(await benchAnn({ ...settings.ann, distribution }));
  }

  const results = { ...corpusResults, ann };
  const cpus = os.cpus();
  return {
    meta: {
      startedAt: startedAt.toISOString(),
      seconds: (performance.now() - started) / 1000,
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: cpus.length,
      cpuModel: cpus[0]?.model.trim() ?? 'unknown CPU',
    },
    sections: buildSections(results),
    results,
  };
}
