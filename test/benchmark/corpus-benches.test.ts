import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchIndex } from '../../src/benchmark/bench-index.js';
import { benchMemory } from '../../src/benchmark/bench-memory.js';
import { benchQuestions } from '../../src/benchmark/bench-questions.js';
import { type BenchWorkspace, prepareWorkspace } from '../../src/benchmark/bench-workspace.js';
import { scanByTermOverlap } from '../../src/benchmark/term-overlap-scan.js';
import { readEvalQuestions } from '../../src/evaluation/evaluate-questions.js';
import { ARTICLE_DIR, QUESTIONS_FILE } from '../helpers.js';

describe('the corpus benchmarks', () => {
  let workspace: BenchWorkspace;

  beforeAll(async () => {
    workspace = await prepareWorkspace(ARTICLE_DIR);
  });
  afterAll(async () => {
    await workspace.cleanup();
    expect(existsSync(workspace.root)).toBe(false);
  });

  it('time opening, cold and (hybrid only) warm builds in a workspace outside the project', async () => {
    expect(path.relative(path.dirname(ARTICLE_DIR), workspace.root).startsWith('..')).toBe(true);
    const result = await benchIndex(workspace, { warmup: 0, runs: 2 });
    expect(result.chunks).toBeGreaterThan(0);
    expect(result.lexical.loadMs.n).toBe(2);
    expect(result.lexical.warmBuildMs).toBeNull();
    expect(result.hybrid.warmBuildMs?.n).toBe(2);
    expect(existsSync(path.join(workspace.hybrid.indexDir, 'manifest.json'))).toBe(true);
  });

  it('times every turn of every question in both modes and the scan', async () => {
    const questions = (await readEvalQuestions(QUESTIONS_FILE)).filter((question) => question.kind === 'followup').slice(0, 2);
    const turns = questions.reduce((sum, question) => sum + (question.turns?.length ?? 1), 0);
    const result = await benchQuestions(workspace, questions, { warmupRounds: 0, rounds: 2 });
    expect(result.turnsPerRound).toBe(turns);
    expect(turns).toBeGreaterThan(questions.length);
    for (const samples of [result.scanMs, result.lexicalMs, result.hybridMs]) expect(samples.n).toBe(2 * turns);
  });

  it('reads memory from one child process per mode, the hybrid one holding the model', async () => {
    const result = await benchMemory(workspace.root);
    expect(result.lexical.mode).toBe('lexical');
    expect(result.hybrid.mode).toBe('hybrid');
    expect(result.hybrid.after.rss).toBeGreaterThan(result.lexical.after.rss);
    expect(result.lexical.after.heapUsed).toBeGreaterThan(0);
  });
});

describe('scanByTermOverlap', () => {
  it('picks the chunk sharing the most distinct content terms, or -1 when none shares any', async () => {
    const chunk = (text: string) => ({ id: text, documentId: 'd', source: 's', paragraph: 1, kind: 'paragraph' as const, start: 0, end: text.length, text, sentences: [] });
    const chunks = [chunk('The council met in Geneva.'), chunk('Kazakhstan was elected to the council in Geneva.'), chunk('Nothing here.')];
    expect(scanByTermOverlap(chunks, 'When was Kazakhstan elected to the council?')).toBe(1);
    expect(scanByTermOverlap(chunks, 'zebras')).toBe(-1);
  });
});
