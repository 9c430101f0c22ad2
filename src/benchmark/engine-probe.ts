/**
 * Child process of the corpus benchmark: starts the engine the way the bot does (the
 * model, then `createEngine` over the saved index) in a fresh process, timing each,
 * asks the questions it is sent (timing each), times `/source` autocomplete and
 * resolution, and reports memory before, after opening and after the questions, each
 * after a full garbage collection.
 *
 * Run as `node --import tsx --expose-gc engine-probe.ts` with an IPC channel; it waits
 * for one `EngineProbeJob`, sends one `EngineProbeReport` and exits.
 */
import { resolveSource, suggestSources } from '../answering/resolve-source.js';
import { loadConfig } from '../config.js';
import type { Answer } from '../domain.js';
import { createEngine } from '../engine.js';
import { loadConfiguredEmbedder } from '../start-engine.js';
import { workspaceEnv } from './bench-workspace.js';
import { findNeighboursByScanning, suggestByScanning } from './source-scan.js';

export interface EngineProbeJob {
  mode: 'lexical' | 'hybrid';
  /** The workspace folder. */
  root: string;
  questions: string[];
  /** Questions asked untimed first (from the same list, before the timed ones). */
  warmup: number;
  /** What a user types into `/source` (1–3 characters), each timed through `suggestSources`… */
  typed: string[];
  /** …and passage ids, each timed through `resolveSource` (after the questions, with the last answer). */
  refs: string[];
  /** How many of each are also timed the way `/source` worked before (see source-scan.ts): slow, so fewer. */
  scanned: number;
}

export interface MemorySnapshot {
  rss: number;
  heapUsed: number;
}

export interface EngineProbeReport {
  mode: 'lexical' | 'hybrid';
  /** Loading the embedding model (none in lexical mode). */
  modelMs: number;
  /** `createEngine` over the saved index until the engine can answer (the model already loaded). */
  openMs: number;
  /** Then the passage directory (every passage decoded, ids sorted), which the engine builds in the next turn of the event loop. */
  directoryMs: number;
  /** Each timed question, in order. */
  askMs: number[];
  /** Timed questions that were answered rather than abstained. */
  answered: number;
  /** Each timed autocomplete and `/source` resolution, and the same done by scanning every passage. */
  suggestMs: number[];
  sourceMs: number[];
  suggestScanMs: number[];
  sourceScanMs: number[];
  before: MemorySnapshot;
  afterOpen: MemorySnapshot;
  afterQuestions: MemorySnapshot;
}

function snapshot(): MemorySnapshot {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('benchmark: the engine probe needs node --expose-gc');
  gc();
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

async function probe(job: EngineProbeJob): Promise<EngineProbeReport> {
  const config = loadConfig(workspaceEnv(job.mode), job.root);
  const before = snapshot();
  const warn = (message: string): void => console.error(message);
  const loading = performance.now();
  const { embedder, warning } = await loadConfiguredEmbedder(config);
  const modelMs = performance.now() - loading;
  const opening = performance.now();
  const engine = await createEngine({ config, embedder, embedderWarning: warning, warn });
  const openMs = performance.now() - opening;
  // The engine answers now and builds its passage directory in the next turn of the event
  // loop; asking for a passage at once makes it build here, so that work is timed too —
  // before anything else touches the index (status() once decoded every passage first,
  // which hid most of this work from the figure).
  const directoryStarted = performance.now();
  engine.findPassages('', 1);
  const directoryMs = performance.now() - directoryStarted;
  if (engine.status().mode !== job.mode) throw new Error(`benchmark: the engine started ${engine.status().mode}, expected ${job.mode}`);
  const afterOpen = snapshot();
  const askMs: number[] = [];
  let answered = 0;
  let last: Answer | null = null;
  for (const [i, question] of job.questions.entries()) {
    const asked = performance.now();
    const answer = await engine.ask(question);
    if (i < job.warmup) continue;
    askMs.push(performance.now() - asked);
    if (!answer.abstained) answered++;
    last = answer;
  }
  const afterQuestions = snapshot();
  // Untimed once each first (compiling the code paths is not what a keystroke costs the running bot).
  const time = (values: readonly string[], task: (value: string) => unknown): number[] => {
    for (const value of values.slice(0, job.warmup)) task(value);
    return values.map((value) => {
      const started = performance.now();
      task(value);
      return performance.now() - started;
    });
  };
  const suggest = (typed: string): unknown => suggestSources(engine, typed, last);
  const source = (ref: string): unknown => resolveSource(engine, ref, last);
  return {
    mode: job.mode,
    modelMs,
    openMs,
    directoryMs,
    askMs,
    answered,
    suggestMs: time(job.typed, suggest),
    sourceMs: time(job.refs, source),
    suggestScanMs: time(job.typed.slice(0, job.scanned), (typed) => suggestByScanning(engine, typed, last)),
    sourceScanMs: time(job.refs.slice(0, job.scanned), (ref) => findNeighboursByScanning(engine, ref)),
    before,
    afterOpen,
    afterQuestions,
  };
}

if (!process.send) {
  console.error('benchmark: engine-probe.ts is started by the benchmark with an IPC channel');
  process.exit(2);
}
process.once('message', (job: EngineProbeJob) => {
  probe(job).then(
    (report) => process.send!({ report }, () => process.exit(0)),
    (error: unknown) => process.send!({ error: error instanceof Error ? error.message : String(error) }, () => process.exit(1)),
  );
});
