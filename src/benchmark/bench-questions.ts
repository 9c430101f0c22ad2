import { LEXICAL_ONLY_WARNING } from '../embeddings/embedder.js';
import { createEngine } from '../engine.js';
import type { Engine } from '../engine-types.js';
import type { EvalQuestion } from '../evaluation/evaluate-questions.js';
import type { BenchWorkspace } from './bench-workspace.js';
import { timeOnce } from './measure-time.js';
import { summarize, type Distribution } from '../statistics.js';
import { scanByTermOverlap } from './term-overlap-scan.js';

export interface QuestionBenchResult {
  /** Question lines in the file. */
  questions: number;
  /** Turns per round (a follow-up line counts each of its turns). */
  turnsPerRound: number;
  rounds: number;
  /** Brute-force term-overlap scan over all chunks, per turn. */
  scanMs: Distribution;
  lexicalMs: Distribution;
  hybridMs: Distribution;
}

export interface QuestionBenchOptions {
  /** Untimed rounds over the whole file first. */
  warmupRounds: number;
  rounds: number;
}

/**
 * Latency of `engine.ask` per turn, lexical-only and hybrid, against a brute-force
 * term-overlap scan. Each question line is its own conversation (a fresh key per
 * round), its turns asked in order. The three contenders alternate round by round.
 */
export async function benchQuestions(workspace: BenchWorkspace, questions: readonly EvalQuestion[], options: QuestionBenchOptions): Promise<QuestionBenchResult> {
  const lexical = await createEngine({ config: workspace.lexical, embedder: null, embedderWarning: LEXICAL_ONLY_WARNING, warn: (message) => console.error(message) });
  const hybrid = await createEngine({ config: workspace.hybrid, embedder: workspace.embedder, embedderWarning: null, warn: (message) => console.error(message) });
  if (lexical.status().mode !== 'lexical' || hybrid.status().mode !== 'hybrid') throw new Error('benchmark: an engine did not start in the expected retrieval mode');
  const chunks = lexical.listChunks();
  const conversations = questions.map((question) => question.turns ?? [question.question]);

  const scan: number[] = [];
  const lexicalTimes: number[] = [];
  const hybridTimes: number[] = [];
  for (let round = 0; round < options.warmupRounds + options.rounds; round++) {
    const measured = round >= options.warmupRounds;
    for (const turns of conversations) {
      for (const turn of turns) {
        const { ms } = await timeOnce(() => scanByTermOverlap(chunks, turn));
        if (measured) scan.push(ms);
      }
    }
    for (const [engine, times, mode] of [[lexical, lexicalTimes, 'lexical'], [hybrid, hybridTimes, 'hybrid']] as const) {
      const samples = await askAll(engine, conversations, `${mode}-${round}`);
      if (measured) times.push(...samples);
    }
  }
  return {
    questions: questions.length,
    turnsPerRound: conversations.reduce((sum, turns) => sum + turns.length, 0),
    rounds: options.rounds,
    scanMs: summarize(scan),
    lexicalMs: summarize(lexicalTimes),
    hybridMs: summarize(hybridTimes),
  };
}

async function askAll(engine: Engine, conversations: readonly string[][], keyPrefix: string): Promise<number[]> {
  const times: number[] = [];
  for (const [line, turns] of conversations.entries()) {
    for (const turn of turns) {
      const { ms } = await timeOnce(() => engine.ask(turn, `bench-${keyPrefix}-${line}`));
      times.push(ms);
    }
  }
  return times;
}
